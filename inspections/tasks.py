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


@shared_task(name="inspections.send_notification", bind=True, acks_late=True)
def send_notification(self, *, notification_id: int) -> None:
    """Send one email; on failure try again later, and after the last try show it as not sent.

    Any failure to hand the email over is worth another try (SMTP and Notify both fail with
    exceptions of their own libraries). The tries are counted on the row, so a redelivered task
    cannot try more often than allowed. In-process (no broker) there is nothing to wait on: a
    failure shows at once and the lead inspector can send it again.
    """
    from django.conf import settings

    from inspections.models import Notification
    from inspections.notifications import notification_fail, notification_send

    try:
        notification_send(notification_id=notification_id)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        attempts = Notification.objects.filter(pk=notification_id).values_list("attempts", flat=True).first() or 0
        if self.request.is_eager or attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            notification_fail(notification_id=notification_id, error=error)
            return
        delay = min(settings.NOTIFICATION_RETRY_SECONDS * 2 ** (attempts - 1), 3600)
        raise self.retry(countdown=delay, max_retries=None) from exc


@shared_task(name="inspections.send_reminders", acks_late=True)
def send_reminders(*, now: str | None = None) -> int:
    """Run by beat: the day-before and overdue reminders of the YOT's deadlines.

    ``now`` (an ISO date-time) lets a test ask "what is due at this moment"; beat never passes it.
    """
    import datetime as dt

    from inspections.reminders import reminders_send

    return len(reminders_send(now=dt.datetime.fromisoformat(now) if now else None))


@shared_task(name="inspections.sweep_notifications", acks_late=True)
def sweep_notifications() -> int:
    """Run by beat: emails whose task was lost are queued again."""
    from inspections.notifications import notifications_sweep

    return len(notifications_sweep())
