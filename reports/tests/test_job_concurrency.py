"""One click, one job (issue 15 §3): simultaneous "Generate" clicks queue one job and write one
audit row, for an inspection's draft and for the aggregate report of a period."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from inspections.enums import Status
from inspections.models import AuditEvent
from inspections.tests.test_concurrency import _race
from reports.enums import JobKind
from reports.models import ReportJob
from reports.services import job_create
from reports.tests.factories import world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_and_no_worker(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("simultaneous transactions need PostgreSQL")
    # Queued, not run: a job finished before the last click would rightly allow a new one.
    monkeypatch.setattr("reports.tasks.enqueue_job", lambda job: None)


def test_six_simultaneous_draft_clicks_queue_one_job():
    inspection, people = world(status=Status.DRAFT_REPORT)
    results = _race(6, lambda i: job_create(kind=JobKind.DRAFT, by=people["lead"], inspection=inspection))
    assert all(isinstance(r, ReportJob) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert ReportJob.objects.filter(inspection=inspection, kind=JobKind.DRAFT).count() == 1
    assert AuditEvent.objects.filter(inspection=inspection, action="report_job_queued").count() == 1


def test_six_simultaneous_aggregate_clicks_for_one_period_queue_one_job():
    _inspection, people = world(status=Status.PUBLISHED)
    start, end = dt.date(2027, 1, 1), dt.date(2027, 12, 31)

    def click(i: int):
        return job_create(kind=JobKind.AGGREGATE, by=people["lead"], period_start=start, period_end=end)

    results = _race(6, click)
    assert all(isinstance(r, ReportJob) for r in results), results
    assert ReportJob.objects.filter(kind=JobKind.AGGREGATE).count() == 1
    # Another period is another report.
    job_create(kind=JobKind.AGGREGATE, by=people["lead"], period_start=start, period_end=dt.date(2027, 6, 30))
    assert ReportJob.objects.filter(kind=JobKind.AGGREGATE).count() == 2
