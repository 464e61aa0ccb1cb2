"""Background work for the schedule. One task, one service call."""

from celery import shared_task
from django.db import transaction


@shared_task(
    name="scheduling.send_schedule_notice",
    autoretry_for=(ConnectionError, TimeoutError, OSError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
    acks_late=True,
    soft_time_limit=60,
    time_limit=90,
)
def send_schedule_notice(*, notice_id: int) -> None:
    from scheduling.models import ScheduleNotice
    from scheduling.services import schedule_notice_send

    notice = ScheduleNotice.objects.filter(pk=notice_id).select_related("version__inspection__yot").first()
    if notice is None:
        return
    schedule_notice_send(notice=notice)


def enqueue_schedule_notice(notice_id: int) -> None:
    transaction.on_commit(lambda: send_schedule_notice.delay(notice_id=notice_id))
