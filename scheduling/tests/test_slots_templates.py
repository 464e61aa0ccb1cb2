"""Slot templates: the Appendix B pages as data, their arithmetic and their validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduling.domain.model import Role, TeamMember, Window
from scheduling.domain.templates import (
    DATA_FILE,
    TemplateError,
    build_week,
    get_template,
    load_templates,
    standard_members,
)

W = Window.parse


@pytest.mark.parametrize(
    ("size", "slots", "roles"),
    [
        pytest.param(2, 14, ("lead_inspector", "assistant_inspector"), id="team-of-2-is-LI-and-2nd-14-slots"),
        pytest.param(
            3, 20, ("lead_inspector", "assistant_inspector", "local_assessor"), id="team-of-3-appendix-B-20-slots"
        ),
        pytest.param(
            5, 34, ("lead_inspector",) + ("assistant_inspector",) * 3 + ("local_assessor",), id="team-of-5-34-slots"
        ),
        pytest.param(
            7, 47, ("lead_inspector",) + ("assistant_inspector",) * 4 + ("local_assessor",) * 2, id="team-of-7-47-slots"
        ),
    ],
)
def test_sqs_standard_team_capacity_matches_sample_size(size, slots, roles):
    members = standard_members("sqs", size)
    week = build_week("sqs", members)
    assert tuple(m.role.value for m in members) == roles
    assert len(week.slots) == slots
    assert get_template("sqs").teams[size].sample_size == slots


@pytest.mark.parametrize(
    ("role", "count"),
    [
        pytest.param(Role.LEAD_INSPECTOR, 7, id="lead-inspector-7"),
        pytest.param(Role.ASSISTANT_INSPECTOR, 7, id="second-inspector-7"),
        pytest.param(Role.LOCAL_ASSESSOR, 6, id="observing-local-assessor-6"),
    ],
)
def test_sqs_page_case_slots_per_role(role, count):
    week = build_week("sqs", standard_members("sqs", 3))
    member = next(m for m in week.members if m.role is role)
    assert len(week.slots_of(member.id)) == count


def test_every_case_slot_is_two_hours_with_interview_from_plus_30_to_minus_15():
    for key in load_templates():
        template = get_template(key)
        size = min(template.teams)
        for slot in build_week(template, standard_members(template, size)).slots:
            assert slot.window.minutes == 120
            assert slot.interview == Window(slot.start + 30, slot.end - 15)


def test_sqs_case_slots_run_from_monday_afternoon_to_4pm_wednesday():
    week = build_week("sqs", standard_members("sqs", 7))
    first = min((s.day, s.start) for s in week.slots)
    last = max((s.day, s.end) for s in week.slots)
    assert first == (0, 15 * 60)
    assert last == (2, 15 * 60 + 45)


def test_sqs_lead_inspector_times_match_appendix_b():
    week = build_week("sqs", standard_members("sqs", 3))
    times = [(s.day, str(s.window)) for s in week.slots_of("li")]
    assert times == [
        (0, "15:00–17:00"),
        (1, "09:00–11:00"),
        (1, "11:30–13:30"),
        (1, "15:00–17:00"),
        (2, "09:00–11:00"),
        (2, "11:15–13:15"),
        (2, "13:45–15:45"),
    ]


def test_sqs_second_inspector_and_local_assessor_times_match_appendix_b():
    week = build_week("sqs", standard_members("sqs", 3))
    second = [(s.day, str(s.window)) for s in week.slots_of("ai1")]
    assessor = [(s.day, str(s.window)) for s in week.slots_of("la1")]
    assert second == [
        (0, "15:00–17:00"),
        (1, "09:00–11:00"),
        (1, "11:15–13:15"),
        (1, "15:00–17:00"),
        (2, "09:00–11:00"),
        (2, "11:15–13:15"),
        (2, "13:45–15:45"),
    ]
    assert assessor == second[1:]


@pytest.mark.parametrize(
    ("member", "day", "window", "kind", "label_part"),
    [
        pytest.param("li", 0, "13:30-14:00", "briefing", "HEALTH & SAFETY", id="monday-briefing-li"),
        pytest.param("la1", 0, "13:30-14:00", "briefing", "HEALTH & SAFETY", id="monday-briefing-la"),
        pytest.param("li", 0, "14:15-14:45", "meeting", "YOT MANAGER", id="li-meets-yot-manager-monday"),
        pytest.param("ai1", 0, "14:15-14:45", "meeting", "Local assessor 1", id="second-meets-local-assessor"),
        pytest.param("la1", 0, "15:00-17:00", "observe", "OBSERVE Inspector 1", id="la-observes-second-case-1"),
        pytest.param("li", 1, "13:30-15:00", "lunch", "other LI activities", id="li-tuesday-lunch"),
        pytest.param("ai1", 1, "13:45-14:45", "quality_check", "DATA QUALITY CHECK", id="data-quality-check-second"),
        pytest.param("la1", 1, "13:45-14:45", "quality_check", "DATA QUALITY CHECK", id="data-quality-check-la"),
        pytest.param("li", 2, "16:00-16:30", "debrief", "INSPECTION DEBRIEF", id="wednesday-debrief"),
        pytest.param("li", 2, "16:30-17:00", "meeting", "YOT MANAGER", id="wednesday-li-yot-manager"),
        pytest.param(
            "ai1", 2, "16:30-17:00", "meeting", "DEBRIEF MEETING with Local assessor 1", id="wednesday-debrief-la"
        ),
    ],
)
def test_sqs_fixed_blocks(member, day, window, kind, label_part):
    week = build_week("sqs", standard_members("sqs", 3))
    matches = [b for b in week.blocks if b.member_id == member and b.day == day and b.window == W(window)]
    assert len(matches) == 1
    assert matches[0].kind == kind
    assert label_part in matches[0].label


def test_second_inspector_case_1_is_observed_by_the_local_assessor():
    week = build_week("sqs", standard_members("sqs", 3))
    observed = [s for s in week.slots if s.observed_by]
    assert [(s.member_id, s.day, str(s.window), s.observed_by) for s in observed] == [("ai1", 0, "15:00–17:00", "la1")]


def _team(assistants: int, assessors: int) -> tuple[TeamMember, ...]:
    members = [TeamMember("li", "Lead", Role.LEAD_INSPECTOR)]
    members += [TeamMember(f"ai{i}", f"Inspector {i}", Role.ASSISTANT_INSPECTOR) for i in range(1, assistants + 1)]
    members += [TeamMember(f"la{i}", f"Assessor {i}", Role.LOCAL_ASSESSOR) for i in range(1, assessors + 1)]
    return tuple(members)


@pytest.mark.parametrize(
    ("assistants", "assessors", "observers", "slots"),
    [
        pytest.param(3, 3, None, 46, id="LI+3+3-all-observe-46"),
        pytest.param(3, 3, {"la1": "ai1", "la2": "ai2"}, 47, id="LI+3+3-two-observe-47"),
        pytest.param(3, 3, {"la1": "ai1"}, 48, id="LI+3+3-one-observes-48-not-47"),
        pytest.param(2, 2, {"la1": "ai1"}, 34, id="LI+2+2-one-observes-34"),
        pytest.param(0, 1, None, 14, id="LI+LA-nobody-to-observe-14"),
    ],
)
def test_other_team_shapes_through_observers(assistants, assessors, observers, slots):
    assert len(build_week("sqs", _team(assistants, assessors), observers=observers).slots) == slots


def test_local_assessor_without_second_inspector_takes_the_monday_case():
    week = build_week("sqs", _team(0, 1))
    monday = [s for s in week.slots_of("la1") if s.day == 0]
    assert [(str(s.window), s.label) for s in monday] == [("15:00–17:00", "CASE 1")]


@pytest.mark.parametrize(
    ("observers", "message"),
    [
        pytest.param({"la1": "li"}, "not a second inspector", id="observes-the-lead"),
        pytest.param({"ai1": "ai2"}, "not a local assessor", id="observer-not-local-assessor"),
        pytest.param({"la1": "ai1", "la2": "ai1"}, "same second inspector", id="two-observe-one"),
    ],
)
def test_bad_observers_are_refused(observers, message):
    with pytest.raises(TemplateError, match=message):
        build_week("sqs", _team(2, 2), observers=observers)


def test_team_needs_exactly_one_lead_inspector():
    with pytest.raises(TemplateError, match="exactly one lead inspector"):
        build_week("sqs", _team(2, 1)[1:])


def test_fji_week1_runs_monday_afternoon_to_friday_lunchtime():
    members = standard_members("fji_week1", 4)
    week = build_week("fji_week1", members)
    assert [len(week.slots_of(m.id)) for m in members] == [10, 11, 11, 11]
    first = min((s.day, s.start) for s in week.slots)
    last = max((s.day, s.end) for s in week.slots)
    assert first == (0, 15 * 60 + 30)
    assert last == (4, 11 * 60)
    li_monday = [b for b in week.blocks if b.member_id == "li" and b.day == 0 and b.kind == "meeting"]
    assert [str(b.window) for b in li_monday] == ["15:30–16:30"]
    friday_meeting = [b for b in week.blocks if b.member_id == "li" and b.day == 4 and b.kind == "meeting"]
    assert [str(b.window) for b in friday_meeting] == ["12:30–13:15"]


def _write_variant(tmp_path: Path, old: str, new: str) -> Path:
    text = DATA_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "templates.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        pytest.param(
            '{start: "09:00", end: "11:00", kind: case, label: CASE 2}',
            '{start: "09:00", end: "10:30", kind: case, label: CASE 2}',
            "not 120 minutes",
            id="short-slot",
        ),
        pytest.param(
            '{start: "11:00", end: "11:30", kind: break, label: BREAK}',
            '{start: "10:30", end: "11:30", kind: break, label: BREAK}',
            "overlap",
            id="overlapping-blocks",
        ),
        pytest.param("sample_size: 47", "sample_size: 48", "has 47 case slots", id="sample-size-mismatch"),
        pytest.param(
            "kind: travel, label: TRAVEL TO YOT}",
            "kind: teleport, label: TRAVEL TO YOT}",
            "unknown block kind",
            id="unknown-kind",
        ),
        pytest.param(
            'case_slots_until: {day: 2, time: "16:00"}',
            'case_slots_until: {day: 2, time: "15:30"}',
            "outside the case assessment period",
            id="slot-after-the-case-assessment-period",
        ),
    ],
)
def test_invalid_template_data_is_refused(tmp_path, old, new, message):
    path = _write_variant(tmp_path, old, new)
    with pytest.raises(TemplateError, match=message):
        load_templates(path)
