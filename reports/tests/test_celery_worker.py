"""Real Celery workers against Redis and the PostgreSQL test database (inspections'
test_celery_worker.py shows the set-up): progress, the file, a worker killed mid-job, a job that
keeps failing."""

import time
import uuid

import pytest
from django.db import connection
from django.urls import reverse

from config.celery import app as celery_app
from inspections.models import AuditEvent
from reports.enums import JobKind, JobStatus
from reports.models import ReportJob, SectionVersion
from reports.tasks import MAX_RETRIES
from reports.tests.factories import world
from reports.tests.processes import Worker, send, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database, which needs PostgreSQL")


@pytest.fixture
def queue():
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield f"test-reports-{uuid.uuid4().hex}"
    celery_app.conf.task_always_eager = eager


def test_a_worker_reports_progress_and_the_page_offers_the_file(client, queue, tmp_path):
    inspection, people = world()
    job = ReportJob.objects.create(inspection=inspection, kind=JobKind.CHART_PACK, created_by=people["lead"])
    worker = Worker(queue, tmp_path / "media", tmp_path / "worker.log")
    seen: set[int] = set()
    try:
        send(job, queue, step_delay=0.3)

        def finished():
            job.refresh_from_db()
            if job.status == JobStatus.RUNNING:
                seen.add(job.progress)
            return job.status in (JobStatus.DONE, JobStatus.FAILED)

        wait_for(finished, 90, "the chart pack", worker.log.read_text(errors="replace"))
    finally:
        log = worker.stop()
    assert job.status == JobStatus.DONE, log
    assert len({p for p in seen if 0 < p < 100}) >= 3  # the page had a moving bar to show
    client.force_login(people["yot_manager"])
    partial = client.get(
        reverse("reports:job", args=[inspection.reference, job.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    pdf = job.files.get(filename__endswith=".pdf")
    link = reverse("reports:download", args=[inspection.reference, job.pk, pdf.pk])
    assert link in partial and "hx-trigger" not in partial
    body = b"".join(client.get(link).streaming_content)
    assert body.startswith(b"%PDF-") and len(body) == pdf.size


def test_a_job_whose_worker_is_killed_completes_once_on_another_worker(queue, tmp_path):
    inspection, people = world()
    job = ReportJob.objects.create(inspection=inspection, kind=JobKind.DRAFT, created_by=people["lead"])
    first = Worker(queue, tmp_path / "media", tmp_path / "first.log")
    second = None
    try:
        send(job, queue, step_delay=1.0)

        def started():
            job.refresh_from_db()
            return job.status == JobStatus.RUNNING and job.progress >= 10

        wait_for(started, 60, "the first worker to start the job", first.log.read_text(errors="replace"))
        first.kill()  # SIGKILL mid-job: the message was never acknowledged (acks_late)
        job.refresh_from_db()
        assert (job.status, job.attempts, job.files.count()) == (JobStatus.RUNNING, 1, 0)

        second = Worker(queue, tmp_path / "media", tmp_path / "second.log")

        def done():
            job.refresh_from_db()
            return job.status in (JobStatus.DONE, JobStatus.FAILED)

        wait_for(done, 120, "the second worker to finish the job", second.log.read_text(errors="replace"))
        send(job, queue)  # a duplicate delivery finds the job done and does nothing
        time.sleep(3)
    finally:
        first.stop()
        log = second.stop() if second else ""
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, log
    assert job.attempts == 2
    assert [f.filename for f in job.files.all()] == [f"{inspection.reference}-letter-draft.pdf"]
    assert AuditEvent.objects.filter(inspection=inspection, action="report_job_done").count() == 1
    # The generated sections were written once: one version each.
    assert list(
        SectionVersion.objects.filter(section__report__inspection=inspection).values_list("number", flat=True)
    ) == [1, 1, 1]


def test_a_job_that_keeps_failing_ends_failed_after_its_retries_and_the_page_says_so(client, queue, tmp_path):
    inspection, people = world()
    job = ReportJob.objects.create(inspection=inspection, kind=JobKind.CHART_PACK, created_by=people["lead"])
    broken = tmp_path / "not-a-folder"
    broken.write_text("storage that cannot take files: every save raises OSError, a transient error")
    worker = Worker(queue, broken, tmp_path / "worker.log")
    try:
        send(job, queue)

        def over():
            job.refresh_from_db()
            return job.status == JobStatus.FAILED

        wait_for(over, 120, "the job to fail", worker.log.read_text(errors="replace"))
    finally:
        log = worker.stop()
    assert job.attempts == MAX_RETRIES + 1, log
    assert job.message.startswith(("NotADirectoryError", "FileExistsError", "OSError")), job.message
    assert job.files.count() == 0
    client.force_login(people["lead"])
    page = client.get(reverse("reports:reports", args=[inspection.reference])).content.decode()
    assert "The file could not be generated" in page
    assert f"It failed after {MAX_RETRIES + 1} attempts." in page
    assert reverse("reports:retry", args=[inspection.reference, job.pk]) in page
