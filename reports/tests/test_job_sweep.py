"""Every job finishes or fails visibly (issue 11 §1): beat's sweeper sends again a job whose
message was lost or whose worker stopped, and fails one that has used all its attempts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from inspections.enums import Status
from reports.enums import JobKind, JobStatus
from reports.models import ReportJob
from reports.services import jobs_sweep, stale_after
from reports.tasks import MAX_ATTEMPTS
from reports.tests.factories import world

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    """The jobs handed to the broker, instead of running them."""
    sent: list[int] = []
    monkeypatch.setattr("reports.tasks.enqueue_job", lambda job: sent.append(job.pk))
    return sent


def _job(inspection, by, **fields):
    job = ReportJob.objects.create(inspection=inspection, kind=fields.pop("kind", JobKind.DRAFT), created_by=by)
    ReportJob.objects.filter(pk=job.pk).update(**fields)
    return ReportJob.objects.get(pk=job.pk)


def test_a_lost_queued_job_and_a_stale_running_one_are_sent_again_and_say_so(sent):
    inspection, people = world(status=Status.DRAFT_REPORT)
    now = timezone.now()
    lost = _job(inspection, people["lead"], created_at=now - dt.timedelta(minutes=10))
    stale = _job(
        inspection,
        people["lead"],
        kind=JobKind.CHART_PACK,
        status=JobStatus.RUNNING,
        attempts=1,
        started_at=now - stale_after() * 2,
        heartbeat_at=now - stale_after() - dt.timedelta(seconds=5),
    )
    done = jobs_sweep(now=now)
    assert sorted(done["sent_again"]) == sorted([lost.pk, stale.pk]) and done["failed"] == []
    assert sorted(sent) == sorted([lost.pk, stale.pk])
    assert "had not started" in ReportJob.objects.get(pk=lost.pk).retry_note
    assert f"(attempt 2 of {MAX_ATTEMPTS})" in ReportJob.objects.get(pk=stale.pk).retry_note


def test_a_stale_job_out_of_attempts_fails_saying_why(sent):
    inspection, people = world(status=Status.DRAFT_REPORT)
    now = timezone.now()
    job = _job(
        inspection,
        people["lead"],
        status=JobStatus.RUNNING,
        attempts=MAX_ATTEMPTS,
        heartbeat_at=now - stale_after() - dt.timedelta(seconds=5),
    )
    assert jobs_sweep(now=now) == {"sent_again": [], "failed": [job.pk]}
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at == now
    assert f"stopped, {MAX_ATTEMPTS} times" in job.message
    assert sent == []


def test_fresh_jobs_are_left_alone(sent):
    inspection, people = world(status=Status.DRAFT_REPORT)
    now = timezone.now()
    _job(inspection, people["lead"], created_at=now - dt.timedelta(seconds=30))
    _job(inspection, people["lead"], kind=JobKind.CHART_PACK, status=JobStatus.RUNNING, attempts=1, heartbeat_at=now)
    assert jobs_sweep(now=now) == {"sent_again": [], "failed": []}
    assert sent == []


def test_the_sweeper_is_on_beats_schedule(settings):
    assert settings.CELERY_BEAT_SCHEDULE["report_jobs"]["task"] == "reports.sweep_jobs"
