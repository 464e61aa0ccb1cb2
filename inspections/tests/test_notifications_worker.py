"""A real Celery worker on Redis sends the notifications and reminders, once each, and retries failures.

Each test waits on state (a row's status), never on time: the worker listens on a queue of its own
and takes one task at a time in order, so once a marker email queued last is sent, every task
queued before it has run.
"""

from __future__ import annotations

import time
import uuid

import pytest
from django.db import connection

from config.celery import app as celery_app
from inspections.enums import NotificationStatus, StaffRole, Status
from inspections.models import Notification
from inspections.tasks import send_notification, send_reminders
from inspections.tests import factories as f
from inspections.tests.worker import BROKER, CeleryWorker

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

# Generous: a loaded CI machine may take long to start a worker. The tests stop as soon as the state is reached.
PATIENCE_SECONDS = 180


@pytest.fixture
def worker(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database, which needs PostgreSQL")
    started: list[CeleryWorker] = []
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False

    def start(**env):
        queue = f"test-{uuid.uuid4().hex}"
        mail_dir = tmp_path / f"mail-{len(started)}"
        settings_env = {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "SITE_URL": "http://testserver",
            **env,
        }
        process = CeleryWorker(queue, tmp_path / f"worker-{len(started)}.log", **settings_env)
        started.append(process)
        return queue, mail_dir, process

    yield start
    celery_app.conf.task_always_eager = eager
    for process in started:
        process.stop()


def _enqueue(task, queue: str, **kwargs) -> None:
    with celery_app.connection_for_write(BROKER) as conn:
        task.apply_async(kwargs=kwargs, queue=queue, connection=conn)


def _wait_for(condition, process: CeleryWorker, what: str) -> None:
    deadline = time.monotonic() + PATIENCE_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        if process.process.poll() is not None:
            break
        time.sleep(0.2)
    raise AssertionError(f"{what} did not happen; the worker logged:\n{process.stop()}")


def _row(key: str, inspection, **extra) -> Notification:
    return Notification.objects.create(
        key=key, kind="test", inspection=inspection, to_email=f"{key}@example.gov.uk", subject=f"Subject {key}",
        body="Body", **extra,
    )  # fmt: skip


def _status(key: str) -> str:
    return Notification.objects.values_list("status", flat=True).get(key=key)


def _mails(mail_dir) -> str:
    return "".join(p.read_text() for p in sorted(mail_dir.glob("*.log")))


def test_a_real_worker_sends_a_notification_once_though_it_is_delivered_twice(worker):
    queue, mail_dir, process = worker()
    inspection = f.inspection()
    first, marker = _row("first", inspection), _row("marker", inspection)
    _enqueue(send_notification, queue, notification_id=first.pk)
    _enqueue(send_notification, queue, notification_id=first.pk)
    _enqueue(send_notification, queue, notification_id=marker.pk)
    _wait_for(lambda: _status("marker") == NotificationStatus.SENT, process, "the marker email")
    sent = _mails(mail_dir)
    assert sent.count("Subject: Subject first") == 1
    assert Notification.objects.get(key="first").attempts == 1


def test_a_real_worker_sends_each_reminder_once_however_often_beat_runs(worker):
    queue, mail_dir, process = worker()
    inspection = f.inspection(status=Status.ANNOUNCED)
    manager = f.user(role=StaffRole.YOT_MANAGER, yot=inspection.yot)
    # Long-list due Thursday 28 January 2027 at noon: on Friday morning it is overdue.
    for _ in range(2):
        _enqueue(send_reminders, queue, now="2027-01-29T08:30:00+00:00")
    marker = _row("marker", inspection)
    _enqueue(send_notification, queue, notification_id=marker.pk)
    _wait_for(lambda: _status("marker") == NotificationStatus.SENT, process, "the marker email")
    reminders = Notification.objects.filter(kind__startswith="reminder_", recipient=manager)
    keys = sorted(reminders.values_list("key", flat=True))
    assert f"reminder:{inspection.reference}:long_list_due:overdue:{manager.pk}" in keys
    # The reminder's own email was queued by the first run, before the marker: it is sent, once each.
    _wait_for(lambda: not reminders.exclude(status=NotificationStatus.SENT).exists(), process, "the reminder emails")
    sent = _mails(mail_dir)
    assert sent.count(f"Subject: Overdue for inspection {inspection.reference}: YOT sends the long-list") == 1
    assert sent.count(f"To: {manager.email}") == len(keys)


def test_a_real_worker_retries_an_email_it_cannot_send_exactly_as_often_as_allowed(worker):
    queue, _mail_dir, process = worker(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT="1",
        NOTIFICATION_RETRY_SECONDS="0",
        NOTIFICATION_MAX_ATTEMPTS="3",
    )
    inspection = f.inspection()
    refused = _row("refused", inspection)
    _enqueue(send_notification, queue, notification_id=refused.pk)
    _wait_for(lambda: _status("refused") == NotificationStatus.FAILED, process, "the email being marked failed")
    refused.refresh_from_db()
    assert refused.attempts == 3
    assert "ConnectionRefusedError" in refused.last_error
