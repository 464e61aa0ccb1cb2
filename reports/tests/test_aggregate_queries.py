"""The aggregate report reads all its inspections at once: its query count does not grow with the
number of inspections in the period (issue 11's ten-year benchmark found 7 queries per inspection),
and its figures are the sum of each inspection's own."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.domain.bank import load_bank
from casework.domain.scores import score
from casework.services.assessment import scored_cases, scored_cases_of
from inspections.enums import Status
from inspections.tests import factories as f
from reports import generation
from reports.tests.factories import world

pytestmark = pytest.mark.django_db


def _queries(monkeypatch) -> int:
    monkeypatch.setattr(generation, "_render", lambda template, context: b"%PDF-")
    monkeypatch.setattr(generation, "pdf_page_count", lambda pdf: 1)
    with CaptureQueriesContext(connection) as captured:
        generation.aggregate_files(f.FIELDWORK_MONDAY, f.FIELDWORK_MONDAY)
    return len(captured)


def test_the_query_count_is_the_same_for_one_inspection_and_for_four(monkeypatch):
    world(status=Status.PUBLISHED, name="Oneshire")
    one = _queries(monkeypatch)
    for name in ("Twoshire", "Threeshire", "Fourshire"):
        world(status=Status.PUBLISHED, name=name)
    assert _queries(monkeypatch) == one


def test_read_together_they_score_as_read_one_by_one():
    inspections = [world(status=Status.PUBLISHED, name=name)[0] for name in ("Eastshire", "Westshire")]
    together = scored_cases_of(inspections)
    bank = load_bank()
    for inspection in inspections:
        alone = scored_cases(inspection)
        assert [s.case.pk for s in together[inspection.pk]] == [s.case.pk for s in alone]
        assert [s.answers for s in together[inspection.pk]] == [s.answers for s in alone]
        rows = [(s.case.pk, s.facts, s.answers) for s in alone]
        assert (
            score(bank, rows).overall
            == score(bank, [(s.case.pk, s.facts, s.answers) for s in together[inspection.pk]]).overall
        )
    assert scored_cases_of([]) == {}
