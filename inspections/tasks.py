"""Background work for inspections. One task, one service call."""

from celery import shared_task
from django.db import transaction


@shared_task(
    name="inspections.send_announcement_email",
    autoretry_for=(ConnectionError, TimeoutError, OSError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
    acks_late=True,
)
def send_announcement_email(*, inspection_id: int) -> None:
    from inspections.models import Inspection
    from inspections.services import announcement_email_send

    inspection = Inspection.objects.filter(pk=inspection_id).select_related("yot").first()
    if inspection is None:
        return
    announcement_email_send(inspection=inspection)


def enqueue_announcement_email(inspection_id: int) -> None:
    transaction.on_commit(lambda: send_announcement_email.delay(inspection_id=inspection_id))


def _notification_failed(self, exc, task_id, args, kwargs, einfo) -> None:
    from inspections.notifications import notification_fail

    notification_fail(notification_id=kwargs["notification_id"], error=f"{type(exc).__name__}: {exc}")


@shared_task(
    name="inspections.send_notification",
    bind=True,
    # Any failure to hand the email over is worth another try: SMTP and Notify errors both
    # come back as exceptions of their own libraries. After the last try it shows as failed.
    autoretry_for=(Exception,),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=False,
    max_retries=6,
    acks_late=True,
    on_failure=_notification_failed,
)
def send_notification(self, *, notification_id: int) -> None:
    from inspections.notifications import notification_send

    notification_send(notification_id=notification_id)


@shared_task(name="inspections.send_reminders", acks_late=True)
def send_reminders() -> int:
    """Run by beat: the day-before and overdue reminders of the YOT's deadlines."""
    from inspections.reminders import reminders_send

    return len(reminders_send())
