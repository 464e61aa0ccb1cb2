"""Background work for the schedule: building it with the solver (``SolveJob``).

The schedule's emails are created with ``inspections.notifications`` (one row per email, sent by
its Celery task after the commit and retried there), so they have no task here.

As for report jobs (``reports/tasks.py``): an explicit name, keyword-only ids, late
acknowledgement (a worker killed mid-build leaves the message to be delivered again, and the
claim in ``services.solve_job_run`` lets only one delivery run it), and ``on_failure`` marks the
build failed so the page says so. No automatic retry: a build that raised would raise again; the
SSO builds again, and a lost worker is the sweeper's.
"""

from __future__ import annotations

import logging

from celery import Task, shared_task
from django.db import transaction

from config.database import database_reconnect

log = logging.getLogger(__name__)


class SolveTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from inspections.domain.messages import _
        from scheduling.services import solve_job_fail

        job_id = kwargs.get("job_id")
        if job_id is not None:
            # A build that failed because its database connection dropped would fail again here on
            # the same dead connection (and stay "running" until the sweeper's stale limit).
            database_reconnect()
            error = f"{type(exc).__name__}: {exc}"
            solve_job_fail(
                job_id=job_id, text=_("Something went wrong while building the schedule (%(error)s).", error=error)
            )


@shared_task(name="scheduling.build_schedule", base=SolveTask, bind=True, acks_late=True)
def build_schedule(self, *, job_id: int) -> None:
    from scheduling.services import solve_job_run  # services imports this module to enqueue

    solve_job_run(job_id=job_id)


def _send(job_id: int) -> None:
    try:
        build_schedule.apply_async(kwargs={"job_id": job_id})
    except Exception as exc:  # the broker is unreachable (or, in eager mode, the build raised)
        from inspections.domain.messages import _
        from scheduling.services import solve_job_fail

        log.exception("schedule build %s could not run", job_id)
        solve_job_fail(job_id=job_id, text=_("The build could not be started: %(error)s", error=str(exc)))


def enqueue_solve(job) -> None:
    """Send the build's task once the transaction that created the job commits."""
    job_id = job.pk
    transaction.on_commit(lambda: _send(job_id))


@shared_task(name="scheduling.sweep_solve_jobs", acks_late=True)
def sweep_solve_jobs() -> int:
    """Beat: send again the builds whose message or worker was lost."""
    from scheduling.services import solve_jobs_sweep

    done = solve_jobs_sweep()
    return len(done["sent_again"]) + len(done["failed"])
