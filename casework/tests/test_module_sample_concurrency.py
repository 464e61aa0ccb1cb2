"""Simultaneous adds and first judgements of module cases (PostgreSQL row locks): each add gets its
own reference, and of two first saves of one judgement one wins and the other is told."""

from __future__ import annotations

import pytest
from django.db import connection

from casework.models import ModuleAnswer, ModuleCase
from casework.services import module_sample as services
from inspections.enums import Programme
from inspections.models import Inspection
from inspections.tests import factories as f
from inspections.tests.test_concurrency import _race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fji():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    return f.inspection(programme=Programme.FJI, modules=["court_work"])


def test_four_simultaneous_adds_get_four_references(fji):
    def add(i: int):
        fresh = Inspection.objects.get(pk=fji.pk)
        return services.module_case_add(
            inspection=fresh, module="court_work", kind=f"PSR {i}", reason="Race", user=fji.lead_inspector
        ).reference

    results = _race(4, add)
    assert sorted(results) == ["HMIP-M-01", "HMIP-M-02", "HMIP-M-03", "HMIP-M-04"], results
    assert ModuleCase.objects.count() == 4


def test_two_simultaneous_first_judgements_save_one(fji):
    row = services.module_case_add(inspection=fji, module="court_work", kind="PSR", reason="x", user=fji.lead_inspector)

    def save(i: int):
        fresh = ModuleCase.objects.select_related("inspection").get(pk=row.pk)
        return services.module_answer_record(
            module_case=fresh, question_id="1.5.3", value=services.VALUES[i], user=fji.lead_inspector,
            expected_revision=0,
        )  # fmt: skip

    results = _race(2, save)
    winners = [r for r in results if isinstance(r, ModuleAnswer)]
    losers = [r for r in results if not isinstance(r, ModuleAnswer)]
    assert len(winners) == 1 and all(isinstance(r, services.AnswerConflict) for r in losers), results
    assert ModuleAnswer.objects.get().value == winners[0].value
