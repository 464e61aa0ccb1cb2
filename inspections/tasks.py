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
