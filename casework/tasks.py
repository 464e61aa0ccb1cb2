"""Background work for casework. One task, one service call."""

import datetime as dt

from celery import shared_task


@shared_task(name="casework.anonymise_due", acks_late=True)
def anonymise_due(*, now: str | None = None) -> int:
    """Run by beat once a day: remove the children's details of inspections published longer ago
    than ``RETENTION_DAYS`` (casework/retention.py). Harmless to run again or twice at once.

    ``now`` (an ISO date-time) lets a test ask "what is due at this moment"; beat never passes it.
    Returns how many inspections were anonymised.
    """
    from casework import retention  # inside: the worker imports this module before the models are ready
    from casework.services.longlist import pending_long_lists_expire

    moment = dt.datetime.fromisoformat(now) if now else None
    # Long-lists held for their readings to be checked and never accepted hold children's names too.
    pending_long_lists_expire(now=moment)
    return len(retention.anonymise_due(now=moment))


@shared_task(name="casework.read_long_list", acks_late=True)
def read_long_list(*, read_id: int) -> str | None:
    """Read a large long-list to its outcome (casework/services/longlist_reads.py). A second
    delivery, or one for a read already ended, does nothing."""
    from casework.services.longlist_reads import long_list_read_run

    return long_list_read_run(read_id=read_id)


@shared_task(name="casework.sweep_long_list_reads", acks_late=True)
def sweep_long_list_reads() -> int:
    """Run by beat every minute: reads whose message was lost or whose worker stopped are sent again."""
    from casework.services.longlist_reads import long_list_reads_sweep

    done = long_list_reads_sweep()
    return len(done["sent_again"]) + len(done["failed"])
