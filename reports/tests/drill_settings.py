"""Settings for the workers of test_drills.py: worker_settings.py's short times, and beat (run in
the worker with ``-B``) sweeping every second for jobs whose message was lost after two seconds,
instead of every minute after two minutes. Beat sends only the sweeper, nothing else."""

from reports.tests.worker_settings import *  # noqa: F403

REPORTS_JOB_QUEUED_SECONDS = 2
CELERY_BEAT_SCHEDULE = {"report_jobs": {"task": "reports.sweep_jobs", "schedule": 1.0}}
