"""A real Celery worker, against Redis and the test database, sends the announcement email."""

import time
import uuid

import pytest
from django.db import connection

from config.celery import app as celery_app
from inspections.enums import Status, TeamRole
from inspections.models import AuditEvent, Inspection
from inspections.tasks import send_announcement_email
from inspections.tests import factories as f
from inspections.tests.worker import BROKER, CeleryWorker


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
    worker = CeleryWorker(
        queue,
        tmp_path / "worker.log",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
    )
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
        output = worker.stop()
    files = list(mail_dir.glob("*.log"))
    assert len(files) == 1, output
    sent = files[0].read_text()
    assert inspection.yot.name in sent
    assert "chief_executive@council.example.gov.uk" in sent
    assert sent.count("Subject:") == 1
    assert Inspection.objects.get(pk=inspection.pk).announcement_email_sent_at is not None
