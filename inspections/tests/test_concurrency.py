"""Simultaneous clicks on an outward action make one change and one audit row (issue 15 §3)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from inspections import services
from inspections.enums import Status, TeamRole
from inspections.models import AuditEvent, Inspection, StatusChange
from inspections.tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def _race(count: int, action) -> list[object]:
    """Run ``action(i)`` in ``count`` threads released together; each result or exception."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = action(i)
        except Exception as exc:  # the loser's refusal is part of what is checked
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_four_simultaneous_announcements_record_one(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    inspection = f.inspection(status=Status.PLANNED)
    f.member(inspection, TeamRole.SSO)
    f.announcement_contacts(inspection)
    now = dt.datetime(2027, 1, 22, 9, 45, tzinfo=dt.UTC)

    def announce(i: int):
        fresh = Inspection.objects.select_related("yot").get(pk=inspection.pk)
        return services.inspection_announce(
            inspection=fresh, by=inspection.lead_inspector, received_by=f"Caller {i}", now=now
        )

    results = _race(4, announce)
    winners = [r for r in results if isinstance(r, Inspection)]
    losers = [r for r in results if not isinstance(r, Inspection)]
    assert len(winners) == 1, results
    assert all(isinstance(r, services.StaleStatus) for r in losers), results
    stored = Inspection.objects.get(pk=inspection.pk)
    assert stored.status == Status.ANNOUNCED
    assert stored.announcement_received_by == winners[0].announcement_received_by
    assert AuditEvent.objects.filter(inspection=inspection, action="announced").count() == 1
    assert StatusChange.objects.filter(inspection=inspection, to_status=Status.ANNOUNCED).count() == 1
