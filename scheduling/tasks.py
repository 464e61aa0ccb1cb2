"""Background work for the schedule.

The schedule's emails are created with ``inspections.notifications`` (one row per email, sent by
its Celery task after the commit and retried there), so this app has no task of its own; the
solver runs in the request, within ``SCHEDULE_SOLVER_SECONDS``.
"""
