"""A job's attempts are counted and capped on its row, so a message delivered twice cannot add one."""

import pytest

from reports import services
from reports.enums import JobKind, JobStatus
from reports.models import ReportJob
from reports.tasks import MAX_ATTEMPTS
from reports.tests.factories import world

pytestmark = pytest.mark.django_db


def test_the_last_allowed_attempt_fails_the_job_and_a_late_duplicate_claims_nothing():
    inspection, people = world()
    job = ReportJob.objects.create(inspection=inspection, kind=JobKind.CHART_PACK, created_by=people["lead"])
    for attempt in range(1, MAX_ATTEMPTS + 1):
        token = services.job_claim(job_id=job.pk)
        assert token is not None, attempt
        services.job_release(job_id=job.pk, token=token, message="Trying again.", error="OSError: disk")
    job.refresh_from_db()
    assert (job.status, job.attempts, job.message) == (JobStatus.FAILED, MAX_ATTEMPTS, "OSError: disk")
    # A duplicate delivery of any of those messages finds nothing to run.
    assert services.job_claim(job_id=job.pk) is None
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)  # even if the row were queued again
    assert services.job_claim(job_id=job.pk) is None
    assert ReportJob.objects.get(pk=job.pk).attempts == MAX_ATTEMPTS


def test_a_release_before_the_cap_queues_the_job_for_its_retry():
    inspection, people = world()
    job = ReportJob.objects.create(inspection=inspection, kind=JobKind.CHART_PACK, created_by=people["lead"])
    token = services.job_claim(job_id=job.pk)
    services.job_release(job_id=job.pk, token=token, message="Trying again.", error="OSError: disk")
    job.refresh_from_db()
    assert (job.status, job.attempts, job.message) == (JobStatus.QUEUED, 1, "Trying again.")
