"""The schedule editor (issue 12 §6): where a case can go and what each place breaks, the clashes
marked in the timetable's cells, swap lists naming the time and the case manager, the red banner
after a change that breaks a rule (never the green "Done"), and who may use it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inspections.enums import TeamRole
from inspections.models import AuditEvent, TeamMembership
from inspections.tests import factories as f
from scheduling import selectors as S
from scheduling import workbench
from scheduling.domain.checks import BLOCKS_FINALISING, WARNING, Violation
from scheduling.domain.model import Pin
from scheduling.models import ScheduledCase, ScheduleVersion
from scheduling.tests.test_checks_assignment import CASES, GOOD, MANAGERS, MEMBERS, SLOTS, check, edited
from scheduling.tests.test_schedule_services import available, make_cases, sqs_world

SLOT_BY_ID = {s.id: s for s in SLOTS}


def targets(ref, mapping=GOOD, pins=()):
    return workbench.move_targets(
        case_ref=ref,
        mapping=mapping,
        pins=pins,
        slots=SLOTS,
        cases=CASES,
        case_managers=MANAGERS,
        members=MEMBERS,
    )


# --- Pure functions: no database --------------------------------------------------------------------


def test_marks_put_a_case_manager_clash_in_both_cells_as_breaking_a_rule():
    marks = workbench.schedule_marks(check(edited(HMIP_02="ai1:1:0900")), MEMBERS)
    for ref in ("HMIP-01", "HMIP-02"):
        clash = [m for m in marks.of_case(ref) if m.rule == "case_manager_clash"]
        assert len(clash) == 1
        assert clash[0].breaks_rule is True
        assert str(clash[0].words) == "Case manager in two interviews at once"
        assert "J. Smith would be in two interviews at once on Tuesday" in str(clash[0].message)
    assert marks.of_case("HMIP-03") == []


def test_marks_put_a_warning_in_the_cell_without_breaking_a_rule():
    marks = workbench.schedule_marks(check(edited(HMIP_02="li:1:1500")), MEMBERS)
    gap = [m for m in marks.of_case("HMIP-02") if m.rule == "gap"]
    assert [(m.breaks_rule, str(m.words)) for m in gap] == [(False, "Gap in the case manager’s day")]


def test_marks_put_hard_rules_before_warnings_in_a_cell():
    hard = Violation(BLOCKS_FINALISING, "case_manager_unavailable", 1200, ("A",), (), "not available")
    soft = Violation(WARNING, "gap", 3, ("A",), (), "a gap")
    marks = workbench.schedule_marks([soft, hard])
    assert [m.rule for m in marks.of_case("A")] == ["case_manager_unavailable", "gap"]


def test_marks_put_an_uneven_load_beside_the_team_member_not_in_a_cell():
    load = Violation(WARNING, "balance", 8, (), ("li",), "Uneven load: Lead inspector has 5 cases")
    marks = workbench.schedule_marks([load], MEMBERS)
    assert [str(m.message) for m in marks.of_member("li")] == ["Uneven load: Lead inspector has 5 cases"]
    assert marks.by_case == {}


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        pytest.param(GOOD, edited(HMIP_02="ai1:1:0900"), ["case_manager_clash"], id="a-new-clash"),
        pytest.param(edited(HMIP_02="ai1:1:0900"), edited(HMIP_02="ai1:1:0900"), [], id="the-same-clash-as-before"),
        pytest.param(edited(HMIP_02="ai1:1:0900"), GOOD, [], id="a-clash-put-right"),
        pytest.param(GOOD, edited(HMIP_02="li:1:1500"), [], id="only-a-warning"),
        pytest.param(GOOD, edited(HMIP_01="ai1:2:1345"), ["case_manager_unavailable"], id="case-manager-away"),
    ],
)
def test_new_breaks_are_the_hard_rules_the_change_broke(before, after, expected):
    assert [v.rule for v in workbench.new_breaks(check(before), check(after))] == expected


def test_an_uneven_load_of_another_person_is_a_new_warning():
    lead = Violation(WARNING, "balance", 8, (), ("li",), "Uneven load: Lead inspector")
    assessor = Violation(WARNING, "balance", 8, (), ("la1",), "Uneven load: Local assessor 1")
    assert workbench.new_warnings([lead], [lead, assessor]) == [assessor]
    assert workbench.new_breaks([lead], [lead, assessor]) == []


def test_targets_are_every_other_slot_in_time_order_empty_ones_moves_taken_ones_swaps():
    found = targets("HMIP-01")
    assert [t.slot.id for t in found] == [
        s.id for s in sorted(SLOTS, key=lambda s: (s.day, s.start, s.member_id)) if s.id != GOOD["HMIP-01"]
    ]
    swaps = {t.slot.id: t.occupant.ref for t in found if t.is_swap}
    assert swaps == {slot: ref for ref, slot in GOOD.items() if ref != "HMIP-01"}


def test_target_says_which_rule_a_move_would_break_and_which_keep_every_rule():
    by_slot = {t.slot.id: t for t in targets("HMIP-01")}
    away = by_slot["ai1:2:1345"]  # Wednesday: J. Smith is available on Tuesday only
    assert [v.rule for v in away.breaks] == ["case_manager_unavailable"]
    assert away.keeps_rules is False
    clash = by_slot["ai1:1:1115"]  # at the same time as J. Smith's other case
    assert [v.rule for v in clash.breaks] == ["case_manager_clash"]
    free_tuesday = by_slot["la1:1:1500"]
    assert free_tuesday.breaks == () and free_tuesday.keeps_rules


def test_swap_target_names_the_case_and_its_case_manager():
    swap = next(t for t in targets("HMIP-01") if t.is_swap and t.occupant.ref == "HMIP-03")
    assert swap.occupant_manager.name == "B. Khan"
    assert swap.member.id == "ai1"
    # HMIP-03's case manager is there on Wednesday only, and J. Smith on Tuesday only.
    assert {v.rule for v in swap.breaks} == {"case_manager_unavailable"}


def test_a_case_not_yet_in_a_slot_is_offered_empty_slots_only():
    mapping = edited(HMIP_05=None)
    found = targets("HMIP-05", mapping)
    assert found and not any(t.is_swap for t in found)
    assert all(t.slot.id not in mapping.values() for t in found)
    # Placing it puts right the rule it broke (every case has a slot): nothing new is broken.
    assert targets("HMIP-05", mapping)[0].breaks == ()


def test_a_pinned_case_takes_its_pin_with_it():
    found = targets("HMIP-05", pins=[Pin("HMIP-05", GOOD["HMIP-05"])])
    assert not any(v.rule == "pin_moved" for t in found for v in t.breaks)


def test_swap_label_names_the_time_the_team_member_and_the_case_manager():
    slot = SLOT_BY_ID["li:1:0900"]
    label = workbench.swap_label(ref="HMIP-01", slot=slot, member="Lena Lead", case_manager="J. Smith")
    assert str(label) == "HMIP-01: Tuesday 09:00–11:00 with Lena Lead, case manager J. Smith"
    none = workbench.swap_label(ref="HMIP-05", slot=slot, member="Lena Lead", case_manager=None)
    assert str(none) == "HMIP-05: Tuesday 09:00–11:00 with Lena Lead, no case manager (inspected from the record)"


# --- Pages and endpoints ---------------------------------------------------------------------------

TWO_MANAGERS = [("J. Smith", "j.smith@northshire.example.gov.uk"), ("P. Patel", "p.patel@northshire.example.gov.uk")]


def store_schedule(inspection, by, cases) -> ScheduleVersion:
    """A ready schedule that breaks no rule, stored without the solver: each case in the first
    free slot where it breaks nothing."""
    inputs = S.schedule_inputs(inspection)
    mapping: dict[str, str] = {}
    for case in cases:
        for slot in sorted(inputs.slots, key=lambda s: (s.day, s.start, s.member_id)):
            if slot.id in mapping.values():
                continue
            trial = {**mapping, case.reference: slot.id}
            if not [v for v in S.check(inputs, trial) if v.blocks_finalising and v.rule != "unplaced"]:
                mapping = trial
                break
    version = ScheduleVersion.objects.create(inspection=inspection, number=1, created_by=by)
    ScheduledCase.objects.bulk_create(
        ScheduledCase(version=version, case=inputs.case_by_ref[ref], slot_id=slot_id)
        for ref, slot_id in mapping.items()
    )
    assert S.check(inputs, mapping) == [] or not any(v.blocks_finalising for v in S.check(inputs, mapping))
    return version


@pytest.fixture
def world(db):
    inspection, people, cases = sqs_world(n_cases=4, managers=TWO_MANAGERS)
    store_schedule(inspection, people["sso"], cases)
    return inspection, people, cases


def url(name, inspection, *args):
    return reverse(f"scheduling:{name}", args=[inspection.reference, *args])


def slot_of(inspection, case) -> str:
    return S.latest_version(inspection).entries.get(case=case).slot_id


def clash_slot(inspection, case, partner):
    """A free slot at the same time as ``partner``'s (whose case manager is ``case``'s too)."""
    inputs = S.schedule_inputs(inspection)
    taken = set(S.latest_version(inspection).entries.values_list("slot_id", flat=True))
    there = inputs.slot(slot_of(inspection, partner))
    return next(s for s in inputs.slots if s.id not in taken and s.day == there.day and s.window == there.window)


def test_move_page_lists_each_slot_with_time_person_role_and_what_it_would_break(client, world):
    inspection, people, cases = world
    client.force_login(people["sso"])
    body = client.get(url("case_move", inspection, cases[0].pk)).content.decode()
    assert "Move HMIP-01" in body
    assert 'Case manager</dt><dd class="govuk-summary-list__value">J. Smith' in body
    clash = clash_slot(inspection, cases[0], cases[2])
    assert f'name="slot" value="{clash.id}"' in body
    assert "Lou Assessor (local assessor)" in body or "Ali Second (second inspector)" in body
    assert "Breaks a rule" in body and "J. Smith would be in two interviews at once" in body
    assert "Keeps every rule" in body
    # The swaps name the other case, its time and its case manager.
    assert "Swap with a scheduled case" in body
    assert "<strong>HMIP-02</strong>" in body and "P. Patel" in body


def test_a_move_that_breaks_a_rule_shows_the_red_banner_not_done_htmx(client, world):
    inspection, people, cases = world
    clash = clash_slot(inspection, cases[0], cases[2])
    client.force_login(people["sso"])
    response = client.post(url("move", inspection), {"case": cases[0].pk, "slot": clash.id}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "This change breaks a rule" in body
    assert "J. Smith would be in two interviews at once" in body
    assert "govuk-notification-banner--success" not in body and ">Done<" not in body
    assert slot_of(inspection, cases[0]) == clash.id  # saved in the draft, as an override
    # Both cells of the clash are marked in the timetable, with words and not colour alone.
    assert body.count("app-sch-clash") == 2
    assert body.count("<li>Case manager in two interviews at once</li>") == 2


def test_a_plain_post_that_breaks_a_rule_shows_the_red_banner_once_after_the_redirect(client, world):
    inspection, people, cases = world
    clash = clash_slot(inspection, cases[0], cases[2])
    client.force_login(people["sso"])
    response = client.post(url("move", inspection), {"case": cases[0].pk, "slot": clash.id}, follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == url("schedule", inspection)
    assert "This change breaks a rule" in body and "HMIP-01 moved from" in body
    assert "govuk-notification-banner--success" not in body
    again = client.get(url("schedule", inspection)).content.decode()
    assert "This change breaks a rule" not in again
    assert "app-sch-clash" in again  # the cells still say so until it is put right


def test_a_move_that_keeps_every_rule_is_done_in_green(client, world):
    inspection, people, cases = world
    client.force_login(people["sso"])
    inputs = S.schedule_inputs(inspection)
    mapping, pins = S.assignment_of(S.entries_of(S.latest_version(inspection)))
    target = next(
        t
        for t in workbench.move_targets(
            case_ref=cases[1].reference,
            mapping=mapping,
            pins=pins,
            slots=inputs.slots,
            cases=inputs.cases,
            case_managers=inputs.case_managers,
            members=inputs.members,
        )
        if t.keeps_rules and not t.is_swap
    )
    response = client.post(
        url("move", inspection), {"case": cases[1].pk, "slot": target.slot.id}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "govuk-notification-banner--success" in body and "HMIP-02 moved from" in body
    assert "This change breaks a rule" not in body
    assert slot_of(inspection, cases[1]) == target.slot.id


def test_a_swap_that_breaks_a_rule_is_marked_too(client, world):
    inspection, people, cases = world
    inputs = S.schedule_inputs(inspection)
    # J. Smith (HMIP-01) cannot come on Tuesday: swapping it with a Tuesday case breaks that rule.
    tuesday_case = next(c for c in cases[1:] if inputs.slot(slot_of(inspection, c)).day == 1)
    monday_case = next(
        c for c in cases if inputs.slot(slot_of(inspection, c)).day == 0 and c.case_manager == "P. Patel"
    )
    available(inspection, "p.patel@northshire.example.gov.uk", people["yot_manager"], windows={1: []})
    client.force_login(people["sso"])
    response = client.post(
        url("swap", inspection), {"case_a": monday_case.pk, "case_b": tuesday_case.pk}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "This change breaks a rule" in body
    assert "<li>HMIP-02: P. Patel is not available for the interview on Tuesday" in body


def test_swap_list_names_the_time_and_the_case_manager(client, world):
    inspection, people, cases = world
    client.force_login(people["sso"])
    body = client.get(url("schedule", inspection)).content.decode()
    inputs = S.schedule_inputs(inspection)
    slot = inputs.slot(slot_of(inspection, cases[1]))
    assert f"HMIP-02: {slot.describe()} with " in body
    assert ", case manager P. Patel</option>" in body


def test_timetable_has_drop_targets_and_a_move_link_for_the_builder_only(client, world):
    inspection, people, cases = world
    client.force_login(people["sso"])
    body = client.get(url("schedule", inspection)).content.decode()
    assert f'data-case="{cases[0].pk}"' in body and 'draggable="true"' in body
    assert f'data-move-url="{url("move", inspection)}"' in body
    assert f'href="{url("case_move", inspection, cases[0].pk)}"' in body
    assert 'type="module" src="/static/js/schedule.js"' in body


# --- Access: the SSO and lead inspector of this inspection only ------------------------------------


@pytest.fixture
def other_sso(world):
    inspection, people, _cases = world
    other = f.inspection(lead=people["other_lead"], yot_=inspection.yot)
    return f.member(other, TeamRole.SSO, username="other_sso")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("sso", 200),
        ("lead", 200),
        ("yot_manager", 403),
        ("assistant", 403),
        ("assessor", 403),
        ("other_sso", 404),
        ("stranger", 404),
    ],
)
def test_move_page_is_for_the_sso_and_lead_inspector_of_that_inspection(client, world, other_sso, persona, status):
    inspection, people, cases = world
    client.force_login(other_sso if persona == "other_sso" else people[persona])
    assert client.get(url("case_move", inspection, cases[0].pk)).status_code == status


@pytest.mark.parametrize("persona", ["yot_manager", "assistant", "other_sso"])
def test_wrong_people_cannot_move_or_swap_and_nothing_changes(client, world, other_sso, persona):
    inspection, people, cases = world
    before = dict(S.latest_version(inspection).entries.values_list("case_id", "slot_id"))
    audits = AuditEvent.objects.count()
    client.force_login(other_sso if persona == "other_sso" else people[persona])
    clash = clash_slot(inspection, cases[0], cases[2])
    expected = 404 if persona == "other_sso" else 403
    assert client.post(url("move", inspection), {"case": cases[0].pk, "slot": clash.id}).status_code == expected
    swap = {"case_a": cases[0].pk, "case_b": cases[1].pk}
    assert client.post(url("swap", inspection), swap).status_code == expected
    assert dict(S.latest_version(inspection).entries.values_list("case_id", "slot_id")) == before
    assert AuditEvent.objects.count() == audits


def test_move_page_of_a_case_from_another_inspection_is_not_found(client, world, other_sso):
    inspection, people, _cases = world
    other = TeamMembership.objects.get(user=other_sso).inspection
    elsewhere = make_cases(
        other, [("J. Smith", "j.smith@northshire.example.gov.uk", "community", False)], uploader=people["yot_manager"]
    )
    client.force_login(people["sso"])
    assert client.get(url("case_move", inspection, elsewhere[0].pk)).status_code == 404
