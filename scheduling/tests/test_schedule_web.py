"""The schedule and availability pages: what they say, plain POST and htmx."""

from __future__ import annotations

import pytest
from django.urls import reverse

from scheduling import selectors as S
from scheduling import services
from scheduling.enums import VersionState
from scheduling.forms import case_manager_key
from scheduling.models import CaseManagerAvailability
from scheduling.tests.test_schedule_services import CHILD_SURNAME, SOLVER_SECONDS, sqs_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_solver(settings):
    settings.SCHEDULE_SOLVER_SECONDS = SOLVER_SECONDS


def url(name, inspection, *args):
    return reverse(f"scheduling:{name}", args=[inspection.reference, *args])


def test_schedule_page_shows_each_member_with_blocks_and_cases_but_no_child_name(client):
    inspection, people, _cases = sqs_world(n_cases=20)
    services.schedule_solve(inspection=inspection, by=people["sso"])
    client.force_login(people["sso"])
    page = client.get(url("schedule", inspection)).content.decode()
    for text in (
        "Lena Lead",
        "Ali Second",
        "Lou Assessor",
        "IT/HEALTH &amp; SAFETY BRIEFING",
        "MEETING with YOT MANAGER",
        "DATA QUALITY CHECK with Lou Assessor",
        "OBSERVE Ali Second (CASE 1)",
        "INSPECTION DEBRIEF",
        "LUNCH",
        "HMIP-07",
        "CM: J. Smith",
        "Version 1",
        "Draft",
        "Checks",
    ):
        assert text in page, text
    assert "Blocks finalising" not in page
    assert CHILD_SURNAME not in page and "Zebedee" not in page


def test_plain_post_solve_redirects_with_the_objective_and_bound(client, django_capture_on_commit_callbacks):
    inspection, people, _cases = sqs_world(n_cases=6)
    client.force_login(people["sso"])
    with django_capture_on_commit_callbacks(execute=True):  # the build runs after the commit (eager here)
        response = client.post(url("solve", inspection))
    assert response.url == url("schedule", inspection)
    assert "Schedule built (version 1):" in client.get(response.url).content.decode()
    assert S.latest_version(inspection).entries.count() == 6


def test_infeasible_solve_shows_the_diagnosis(client, django_capture_on_commit_callbacks):
    managers = [("J. Smith", "j.smith@northshire.example.gov.uk")]
    inspection, people, _cases = sqs_world(n_cases=2, managers=managers)
    CaseManagerAvailability.objects.filter(email="j.smith@northshire.example.gov.uk").delete()
    client.force_login(people["sso"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("solve", inspection))
    body = client.get(response.url).content.decode()
    assert "No schedule is possible yet:" in body
    assert "J. Smith (HMIP-01, HMIP-02): the YOT has not given their availability yet" in body


def test_htmx_move_returns_the_schedule_area_with_the_new_checks(client):
    managers = [("J. Smith", "j.smith@northshire.example.gov.uk"), ("P. Patel", "p.patel@northshire.example.gov.uk")]
    inspection, people, cases = sqs_world(n_cases=4, managers=managers)
    services.schedule_solve(inspection=inspection, by=people["sso"])
    version = S.latest_version(inspection)
    taken = set(version.entries.values_list("slot_id", flat=True))
    # Put a case manager's second case at the same time as their first, with another member. Which
    # cases have a free slot beside them depends on the solver's schedule, so every pair is tried.
    inputs = S.schedule_inputs(inspection)
    placed = {entry.case_id: inputs.slot(entry.slot_id) for entry in version.entries.all()}
    by_pk = {case.pk: case for case in cases}
    manager_of = {c.pk: c.entry.case_manager for c in cases}
    move = next(
        (b, s, manager_of[a])
        for a in placed
        for b in placed
        if a != b and manager_of[a] == manager_of[b]
        for s in inputs.slots
        if s.id not in taken and s.day == placed[a].day and s.window == placed[a].window
    )
    moved, clash, manager = move
    client.force_login(people["sso"])
    response = client.post(url("move", inspection), {"case": moved, "slot": clash.id}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="schedule-work"' in body
    assert f"{by_pk[moved].reference} moved from" in body
    assert "Blocks finalising" in body
    assert f"{manager} would be in two interviews at once" in body


def test_move_form_errors_are_shown_on_the_field(client):
    inspection, people, cases = sqs_world(n_cases=4)
    services.schedule_solve(inspection=inspection, by=people["sso"])
    client.force_login(people["sso"])
    response = client.post(url("move", inspection), {"case": cases[0].pk, "slot": ""})
    assert response.status_code == 400
    assert "Choose the empty slot to move the case to" in response.content.decode()


def test_pin_and_send_and_final_through_plain_posts(client):
    inspection, people, cases = sqs_world(n_cases=20)
    services.schedule_solve(inspection=inspection, by=people["sso"])
    client.force_login(people["sso"])
    client.post(url("pin", inspection), {"case": cases[0].pk, "pinned": "1"})
    assert S.latest_version(inspection).entries.get(case=cases[0]).pinned is True
    response = client.post(url("send", inspection), {"expected": 1, "confirmed": "yes"}, follow=True)
    assert "Version 1 sent to the YOT." in response.content.decode()
    response = client.post(url("finalise", inspection), {"expected": 1, "confirmed": "yes"}, follow=True)
    assert "Version 1 is final." in response.content.decode()
    assert S.latest_version(inspection).state == VersionState.FINAL


def test_yot_manager_sees_the_sent_version_and_not_the_draft(client):
    inspection, people, _cases = sqs_world(n_cases=6)
    services.schedule_solve(inspection=inspection, by=people["sso"])
    client.force_login(people["yot_manager"])
    body = client.get(url("schedule", inspection)).content.decode()
    assert "not ready for you to see yet" in body and "HMIP-01" not in body
    services.schedule_send(inspection=inspection, by=people["sso"])
    body = client.get(url("schedule", inspection)).content.decode()
    assert "Sent to the YOT" in body and "HMIP-01" in body
    assert "Build the schedule" not in body


def test_availability_page_lists_case_managers_and_saves_a_week(client):
    inspection, people, _cases = sqs_world(n_cases=4)
    client.force_login(people["yot_manager"])
    listing = client.get(url("availability", inspection)).content.decode()
    assert "J. Smith" in listing and "HMIP-01" in listing
    key = case_manager_key("j.smith@northshire.example.gov.uk")
    data = {
        "returning_from_absence": "yes",
        "max_per_day": "2",
        "needs": "Needs a ground-floor room",
        "d0_available": "no",
        "d1_available": "yes",
        "d1_from_1": "09:00",
        "d1_until_1": "12:30",
        "d1_from_2": "14:00",
        "d1_until_2": "",
        "d2_available": "yes",
        "d2_commitments": "Court in the afternoon",
        "d2_until_1": "13:00",
    }
    response = client.post(url("availability_edit", inspection, key), data)
    assert response.status_code == 302
    row = CaseManagerAvailability.objects.get(email="j.smith@northshire.example.gov.uk")
    assert row.returning_from_absence is True and row.needs == "Needs a ground-floor room"
    manager = next(m for m in S.schedule_inputs(inspection).case_managers if m.id == row.email)
    assert [str(w) for w in manager.availability[1]] == ["09:00–12:30", "14:00–18:00"]
    assert 0 not in manager.availability


def test_availability_errors_name_the_person_and_day_on_the_field(client):
    inspection, people, _cases = sqs_world(n_cases=2)
    client.force_login(people["yot_manager"])
    key = case_manager_key("j.smith@northshire.example.gov.uk")
    data = {
        "returning_from_absence": "no",
        "max_per_day": "2",
        "d0_available": "yes",
        "d1_available": "yes",
        "d1_from_1": "14:00",
        "d1_until_1": "10:00",
        "d2_available": "yes",
        "d2_from_1": "half nine",
    }
    response = client.post(url("availability_edit", inspection, key), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_d1_until_1">J. Smith, Tuesday: the end time must be after the start time</a>' in body
    assert "J. Smith, Wednesday: enter the time as hours and minutes, like 09:30 or 14:00" in body


def test_case_marked_read_from_record_shows_on_the_availability_page(client):
    inspection, people, cases = sqs_world(n_cases=2)
    client.force_login(people["yot_manager"])
    response = client.post(url("record_only", inspection), {"case": cases[0].pk, "record_only": "1"}, follow=True)
    body = response.content.decode()
    assert "HMIP-01 will be inspected from the record" in body
    assert "From the record" in body


def test_downloads_are_attachments_named_by_reference_and_version(client):
    inspection, people, _cases = sqs_world(n_cases=4)
    services.schedule_solve(inspection=inspection, by=people["sso"])
    client.force_login(people["sso"])
    response = client.get(url("download", inspection, "xlsx"))
    assert response["Content-Disposition"] == f'attachment; filename="{inspection.reference}-schedule-v1.xlsx"'
    assert response.content[:2] == b"PK"


def test_fji_yot_manager_fills_the_template_page(client):
    from inspections.enums import Programme

    inspection, people, _cases = sqs_world(n_cases=3, programme=Programme.FJI)
    client.force_login(people["yot_manager"])
    body = client.get(url("schedule", inspection)).content.decode()
    assert "Fill each case slot of the fieldwork week 1 template" in body
    assert "Put a case in an empty slot" in body and "Suggest a schedule" in body
    assert "CONTEXT BRIEFING" in body and "Friday" in body


def test_schedule_page_says_when_the_inspectors_have_no_room_for_every_high_rosh_case(client):
    # Every case has a high risk of serious harm; the lead inspector and the second inspector
    # have 14 case slots between them, so 6 cases go to the local assessor, and the checks say so.
    inspection, people, cases = sqs_world(n_cases=20)
    type(cases[0]).objects.filter(pk__in=[c.pk for c in cases]).update(high_rosh=True)
    outcome = services.schedule_solve(inspection=inspection, by=people["sso"])
    expected = (
        "20 cases with a high risk of serious harm, but the HMI Probation inspectors have room for only 14 at "
        "times their case managers can come; 6 go to local assessors ("
    )
    assert [str(w)[: len(expected)] for w in outcome.solution.warnings] == [expected]
    client.force_login(people["sso"])
    page = client.get(url("schedule", inspection)).content.decode()
    assert expected in page
    assert "Blocks finalising" not in page
