"""The schedule page asks the database the same number of questions however many cases the
timetable holds: what each cell shows is worked out from data loaded once (bench/bench_schedule_page.py
measures the page's time)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scheduling import selectors as S
from scheduling.models import ScheduledCase, ScheduleVersion
from scheduling.tests.test_schedule_services import sqs_world
from scheduling.tests.test_workbench import TWO_MANAGERS


@pytest.mark.parametrize("persona", ["sso", "yot_manager"])
def test_schedule_page_queries_do_not_grow_with_the_cases_on_it(client, db, persona):
    inspection, people, cases = sqs_world(n_cases=8, managers=TWO_MANAGERS)
    client.force_login(people[persona])
    url = reverse("scheduling:schedule", args=[inspection.reference])

    slots = sorted(S.schedule_inputs(inspection).slots, key=lambda s: (s.day, s.start, s.member_id))

    def page(placed):
        """The page with a final version (which the YOT manager sees too) holding ``placed``, each
        case in the next slot in time order, whatever that breaks (clashes are marked in the cells)."""
        ScheduleVersion.objects.filter(inspection=inspection).delete()
        version = ScheduleVersion.objects.create(
            inspection=inspection, number=1, created_by=people["sso"], state="final"
        )
        ScheduledCase.objects.bulk_create(
            ScheduledCase(version=version, case=case, slot_id=slot.id, pinned=i == 0)
            for i, (case, slot) in enumerate(zip(placed, slots, strict=False))
        )
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url).content.decode()
        return body, len(queries.captured_queries)

    few_body, few = page(cases[:2])
    many_body, many = page(cases)
    in_a_cell = [f'<span class="app-sch-ref">{c.label}</span>' for c in cases]
    assert [cell in few_body for cell in in_a_cell] == [True, True] + [False] * 6
    assert all(cell in many_body for cell in in_a_cell)
    assert many == few
