"""Background work for reports. One task per job kind, each calling one service function.

Every task: an explicit name; keyword-only primitive ids; returns quietly when the job is gone or
not its to run (the claim in ``reports.services.job_claim``); late acknowledgement, so a worker
killed mid-job leaves the message to be delivered again; retries only transient errors (storage,
network), with exponential backoff, at most ``MAX_RETRIES`` times; and marks the job failed in
``on_failure`` so the page can say so and offer a retry.
"""

from __future__ import annotations

import logging

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError, transaction

from reports.enums import JobKind

log = logging.getLogger(__name__)

# The database dropping the connection (a restart, a fail-over) is as passing as a network error.
DATABASE_LOST = (OperationalError, InterfaceError)
TRANSIENT = (OSError, ConnectionError, TimeoutError, *DATABASE_LOST)
MAX_RETRIES = 3
# The first try and its retries. The job row counts them (``job_claim``), so duplicates cannot add one.
MAX_ATTEMPTS = MAX_RETRIES + 1
# Looking again at a job another worker holds is not a failure: its own, separate allowance.
BUSY_LOOKS = 10


class ReportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from reports.services import database_reconnect, job_fail

        job_id = kwargs.get("job_id")
        if job_id is not None:
            database_reconnect()  # the failure may have been the connection itself
            job_fail(job_id=job_id, message=f"{type(exc).__name__}: {exc}")


def _run(task, generate, job_id: int, step_delay: float) -> None:
    from reports.services import JobBusy, job_connection_lost

    try:
        generate(job_id=job_id, step_delay=step_delay)
    except DATABASE_LOST as exc:
        job_connection_lost(job_id=job_id, error=exc)
        raise  # a transient error: retried with backoff (TASK_OPTIONS)
    except JobBusy as busy:
        if task.request.retries >= MAX_RETRIES + BUSY_LOOKS:
            return  # the worker holding it keeps its heartbeat: it is alive and will finish it
        raise task.retry(countdown=busy.retry_in, max_retries=MAX_RETRIES + BUSY_LOOKS) from None


TASK_OPTIONS = {
    "base": ReportTask,
    "bind": True,
    "acks_late": True,
    "autoretry_for": TRANSIENT,
    "retry_backoff": True,
    "retry_backoff_max": 60,
    "retry_jitter": False,
    "max_retries": MAX_RETRIES,
}


@shared_task(name="reports.generate_draft_report", **TASK_OPTIONS)
def generate_draft_report(self, *, job_id: int, step_delay: float = 0.0) -> None:
    from reports.generation import draft_report_generate

    _run(self, draft_report_generate, job_id, step_delay)


@shared_task(name="reports.generate_fji_report", **TASK_OPTIONS)
def generate_fji_report(self, *, job_id: int, step_delay: float = 0.0) -> None:
    from reports.generation import fji_report_generate

    _run(self, fji_report_generate, job_id, step_delay)


@shared_task(name="reports.generate_poster", **TASK_OPTIONS)
def generate_poster(self, *, job_id: int, step_delay: float = 0.0) -> None:
    from reports.generation import poster_generate

    _run(self, poster_generate, job_id, step_delay)


@shared_task(name="reports.generate_chart_pack", **TASK_OPTIONS)
def generate_chart_pack(self, *, job_id: int, step_delay: float = 0.0) -> None:
    from reports.generation import chart_pack_generate

    _run(self, chart_pack_generate, job_id, step_delay)


@shared_task(name="reports.generate_aggregate", **TASK_OPTIONS)
def generate_aggregate(self, *, job_id: int, step_delay: float = 0.0) -> None:
    from reports.generation import aggregate_generate

    _run(self, aggregate_generate, job_id, step_delay)


@shared_task(name="reports.generate_press_notice", **TASK_OPTIONS)
def generate_press_notice(self, *, job_id: int, step_delay: float = 0.0) -> None:
    from reports.generation import press_notice_generate

    _run(self, press_notice_generate, job_id, step_delay)


TASKS = {
    JobKind.DRAFT: generate_draft_report,
    JobKind.FJI: generate_fji_report,
    JobKind.POSTER: generate_poster,
    JobKind.CHART_PACK: generate_chart_pack,
    JobKind.AGGREGATE: generate_aggregate,
    JobKind.PRESS: generate_press_notice,
}


def _send(kind: str, job_id: int) -> None:
    try:
        TASKS[kind].apply_async(kwargs={"job_id": job_id})
    except Exception as exc:  # the broker is unreachable (or, in eager mode, the job raised)
        from reports.services import job_fail

        log.exception("report job %s could not run", job_id)
        job_fail(job_id=job_id, message=f"The job could not be started: {exc}")


def enqueue_job(job) -> None:
    """Send the job's task once the transaction that created the job commits."""
    kind, job_id = job.kind, job.pk
    transaction.on_commit(lambda: _send(kind, job_id))


@shared_task(name="reports.sweep_jobs", acks_late=True)
def sweep_jobs() -> int:
    """Beat: send again the jobs whose message or worker was lost, fail those out of attempts."""
    from reports.services import jobs_sweep

    done = jobs_sweep()
    return len(done["sent_again"]) + len(done["failed"])
