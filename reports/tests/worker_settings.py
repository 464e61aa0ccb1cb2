"""Settings for the real Celery workers of test_celery_worker.py: the project's, with the times
shortened so a killed worker's job is handed on within seconds rather than an hour."""

from config.settings import *  # noqa: F403

# A running job whose heartbeat is older than this has lost its worker (default: the hard time limit + 60 s).
REPORTS_JOB_STALE_SECONDS = 4
# Redis redelivers an unacknowledged message after the visibility timeout; sweep for them every second.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}  # noqa: F405
