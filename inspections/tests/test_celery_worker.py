"""A real Celery worker, against Redis and the test database, sends the announcement email."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app
from inspections.enums import Status, TeamRole
from inspections.models import AuditEvent, Inspection
from inspections.tasks import send_announcement_email
from inspections.tests import factories as f

BROKER = "redis://127.0.0.1:6379/15"


def start_worker(queue: str, mail_dir: Path) -> subprocess.Popen:
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": BROKER,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool=solo",
        "-Q",
        queue,
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=WARNING",
    ]
    return subprocess.Popen(command, env=env, cwd=settings.BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_announcement_email_once(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database, which needs PostgreSQL")
    inspection = f.inspection(status=Status.ANNOUNCED)
    f.member(inspection, TeamRole.SSO)
    f.announcement_contacts(inspection)
    queue = f"test-{uuid.uuid4().hex}"
    mail_dir = tmp_path / "mail"
    worker = start_worker(queue, mail_dir)
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        with celery_app.connection_for_write(BROKER) as conn:
            # Twice: the second run must find the email already sent.
            for _ in range(2):
                send_announcement_email.apply_async(
                    kwargs={"inspection_id": inspection.pk}, queue=queue, connection=conn
                )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if AuditEvent.objects.filter(inspection=inspection, action="announcement_email_sent").exists() and list(
                mail_dir.glob("*.log")
            ):
                break
            time.sleep(0.2)
        time.sleep(1)  # let the second delivery finish
    finally:
        celery_app.conf.task_always_eager = eager
        worker.terminate()
        output = worker.communicate(timeout=20)[0].decode(errors="replace")
    files = list(mail_dir.glob("*.log"))
    assert len(files) == 1, output
    sent = files[0].read_text()
    assert inspection.yot.name in sent
    assert "chief_executive@council.example.gov.uk" in sent
    assert sent.count("Subject:") == 1
    assert Inspection.objects.get(pk=inspection.pk).announcement_email_sent_at is not None
