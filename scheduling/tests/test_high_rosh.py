"""A case with a high risk of serious harm goes to HMI Probation staff while they have room.

The room is counted before the solver runs (``constraints.high_rosh_room``); the solver
makes it a hard rule, the checks show a case with a local assessor as breaking it when an
inspector could take it, and a schedule made without enough room says so.
"""

from __future__ import annotations

import pytest

from scheduling.domain import constraints as C
from scheduling.domain.checks import BLOCKS_FINALISING, WARNING, blocks_finalising, check_assignment
from scheduling.domain.diagnose import diagnose
from scheduling.domain.model import Case, CaseManager, Pin, Window
from scheduling.domain.solver import STATUS_INFEASIBLE, STATUS_OPTIMAL, solve
from scheduling.domain.templates import build_week, standard_members

MON, TUE, WED = 0, 1, 2
W = Window.parse
DAY = W("09:00-17:30")

MEMBERS = standard_members("sqs", 3)  # li (Lead inspector), ai1 (Inspector 1), la1 (Local assessor 1)
SLOTS = build_week("sqs", MEMBERS).slots
HMIP_MEMBERS = {"li", "ai1"}


def manager(id_: str, *, returning: bool = False, max_per_day: int = 2, **days: str) -> CaseManager:
    index = {"mon": MON, "tue": TUE, "wed": WED}
    return CaseManager(
        id_,
        f"Case manager {id_}",
        f"{id_}@yot.example",
        {index[d]: tuple(W(w) for w in windows.split(",")) for d, windows in days.items()},
        returning_from_absence=returning,
        max_per_day=max_per_day,
    )


def room(cases, managers, pins=(), slots=SLOTS, members=MEMBERS):
    return C.high_rosh_room(slots=slots, cases=cases, case_managers=managers, members=members, pins=pins)


def run(cases, managers, pins=()):
    return solve(slots=SLOTS, cases=cases, case_managers=managers, members=MEMBERS, pins=pins, time_limit_s=5)


def member_of(slot_id: str) -> str:
    return slot_id.split(":")[0]


# --- The count of room, before solving ---------------------------------------------------


@pytest.mark.parametrize(
    ("cases", "managers", "pins", "expected"),
    [
        pytest.param(
            [Case("HMIP-01", "a"), Case("HMIP-02", "b")],
            [manager("a", tue="09:00-17:30"), manager("b", tue="09:00-17:30")],
            (),
            ((), (), 0, 0, ()),
            id="no-high-rosh-case",
        ),
        pytest.param(
            [Case(f"HMIP-0{n}", f"cm{n}", high_rosh=True) for n in (1, 2, 3)],
            [manager(f"cm{n}", mon="09:00-17:30", tue="09:00-17:30", wed="09:00-17:30") for n in (1, 2, 3)],
            (),
            (("HMIP-01", "HMIP-02", "HMIP-03"), ("HMIP-01", "HMIP-02", "HMIP-03"), 3, 0, ()),
            id="plenty-of-room",
        ),
        pytest.param(
            # Tuesday 9am has slots of the lead inspector, the second inspector and the local assessor.
            [Case(f"HMIP-0{n}", f"cm{n}", high_rosh=True) for n in (1, 2, 3)],
            [manager(f"cm{n}", tue="09:00-11:00") for n in (1, 2, 3)],
            (),
            (("HMIP-01", "HMIP-02", "HMIP-03"), ("HMIP-01", "HMIP-02", "HMIP-03"), 2, 1, ()),
            id="three-for-two-inspector-slots-at-the-only-time",
        ),
        pytest.param(
            [Case("HMIP-01", "a", high_rosh=True), Case("HMIP-02", "b", high_rosh=True), Case("HMIP-09")],
            [manager("a", tue="09:00-11:00"), manager("b", tue="09:00-11:00")],
            (Pin("HMIP-09", "li:1:0900"),),
            (("HMIP-01", "HMIP-02"), ("HMIP-01", "HMIP-02"), 1, 1, ()),
            id="inspector-slot-pinned-by-another-case",
        ),
        pytest.param(
            # The lead inspector's 11.30 and the second inspector's 11.15 overlap: one at a time.
            [Case("HMIP-01", "a", high_rosh=True), Case("HMIP-02", "a", high_rosh=True)],
            [manager("a", tue="11:15-13:30")],
            (),
            (("HMIP-01", "HMIP-02"), ("HMIP-01", "HMIP-02"), 1, 1, ()),
            id="one-case-manager-one-interview-at-a-time",
        ),
        pytest.param(
            [Case("HMIP-01", "a", high_rosh=True), Case("HMIP-02", "a", high_rosh=True)],
            [manager("a", tue="09:00-11:00")],
            (Pin("HMIP-02", "la1:1:0900"),),
            (("HMIP-01", "HMIP-02"), ("HMIP-01",), 0, 1, ("HMIP-02",)),
            id="pinned-to-local-assessor-blocks-its-case-managers-time",
        ),
        pytest.param(
            [Case("HMIP-01", None, high_rosh=True)],
            [],
            tuple(Pin(f"HMIP-9{n}", slot.id) for n, slot in enumerate(SLOTS) if slot.member_id != "li"),
            (("HMIP-01",), ("HMIP-01",), 1, 0, ()),
            id="read-from-the-record-fits-any-free-slot",
        ),
        pytest.param(
            [Case("HMIP-01", "a", high_rosh=True)],
            [manager("a", tue="09:00-11:00")],
            (Pin("HMIP-98", "li:1:0900"), Pin("HMIP-99", "ai1:1:0900")),
            (("HMIP-01",), ("HMIP-01",), 0, 1, ()),
            id="no-room-at-all",
        ),
    ],
)
def test_high_rosh_room(cases, managers, pins, expected):
    counted = room(cases, managers, pins)
    assert (
        counted.cases,
        counted.open,
        counted.room,
        counted.to_local_assessors,
        counted.pinned_to_local_assessor,
    ) == expected
    assert counted.short == (expected[3] > 0)


# --- The solver ----------------------------------------------------------------------------


def test_high_rosh_case_goes_to_an_inspector_even_when_the_soft_cost_prefers_the_local_assessor():
    # J. Returning is back on Tuesday after an absence and already has two pinned interviews
    # then (their limit). Every inspector slot on Wednesday is pinned to cases read from the
    # record, so HMIP-10 can go to an inspector only on Tuesday at 3pm (their first day back,
    # over their limit, and an inspector more than their share) - or to the local assessor
    # on Wednesday, which the soft rules alone would prefer.
    returning = manager("jr", returning=True, tue="09:00-17:30", wed="09:00-17:30")
    cases = [
        Case("HMIP-01", "jr"),
        Case("HMIP-02", "jr"),
        Case("HMIP-10", "jr", high_rosh=True),
        *[Case(f"HMIP-2{n}") for n in range(6)],
    ]
    wednesday_inspector_slots = [s.id for s in SLOTS if s.day == WED and s.member_id in HMIP_MEMBERS]
    pins = (
        Pin("HMIP-01", "li:1:0900"),
        Pin("HMIP-02", "ai1:1:1115"),
        *[Pin(f"HMIP-2{n}", slot) for n, slot in enumerate(wednesday_inspector_slots)],
    )
    solution = run(cases, [returning], pins)
    assert solution.status == STATUS_OPTIMAL
    mapping = solution.as_mapping()
    assert mapping["HMIP-10"] in ("li:1:1500", "ai1:1:1500")

    with_local_assessor = {**mapping, "HMIP-10": "la1:2:0900"}
    kwargs = dict(slots=SLOTS, cases=cases, case_managers=[returning], members=MEMBERS)
    cheaper = C.total(C.score(assignment=with_local_assessor, **kwargs))
    assert cheaper < solution.objective  # the soft rules alone would have chosen the local assessor
    assert solution.objective == C.total(C.score(assignment=mapping, **kwargs))
    assert solution.warnings == ()
    assert not blocks_finalising(check_assignment(assignment=mapping, pins=pins, **kwargs))
    # ... and the checks call the cheaper schedule a broken rule, naming where the case can go.
    broken = [v for v in check_assignment(assignment=with_local_assessor, pins=pins, **kwargs) if v.blocks_finalising]
    assert [(v.rule, v.cases) for v in broken] == [("high_rosh_with_local_assessor", ("HMIP-10",))]
    assert broken[0].message == (
        "HMIP-10 has a high risk of serious harm but is with Local assessor 1, a local assessor, while an HMI "
        "Probation inspector can take it (Lead inspector's free slot Tuesday 15:00–17:00): move it there. A case "
        "with a high risk of serious harm goes to HMI Probation staff whenever they have room."
    )


def test_without_enough_room_the_schedule_is_made_and_says_so():
    # Three high-RoSH cases whose case managers can come only on Tuesday at 9am, where the
    # inspectors have two slots: one goes to the local assessor (the least complex, by the
    # soft rules), and the schedule says why.
    managers = [manager(f"cm{n}", tue="09:00-11:00") for n in (1, 2, 3)]
    cases = [
        Case("HMIP-01", "cm1", high_rosh=True, complexity=4),
        Case("HMIP-02", "cm2", high_rosh=True, complexity=2),
        Case("HMIP-03", "cm3", high_rosh=True, complexity=5),
    ]
    solution = run(cases, managers)
    assert solution.found
    mapping = solution.as_mapping()
    assert mapping["HMIP-02"] == "la1:1:0900"
    assert {member_of(mapping["HMIP-01"]), member_of(mapping["HMIP-03"])} == HMIP_MEMBERS
    expected = (
        "3 cases with a high risk of serious harm, but the HMI Probation inspectors have room for only 2 at times "
        "their case managers can come; 1 goes to a local assessor (HMIP-02)."
    )
    assert [str(w) for w in solution.warnings] == [expected]
    violations = check_assignment(assignment=mapping, slots=SLOTS, cases=cases, case_managers=managers, members=MEMBERS)
    assert [(v.rule, v.severity, v.cases, v.message) for v in violations] == [
        ("high_rosh_no_room", WARNING, ("HMIP-02",), expected)
    ]
    assert expected in " ".join(map(str, solution.explanations["HMIP-02"]))


def test_no_room_at_all_for_one_case():
    managers = [manager("a", tue="09:00-11:00")]
    cases = [Case("HMIP-01", "a", high_rosh=True), Case("HMIP-98"), Case("HMIP-99")]
    pins = (Pin("HMIP-98", "li:1:0900"), Pin("HMIP-99", "ai1:1:0900"))
    solution = run(cases, managers, pins)
    assert solution.as_mapping()["HMIP-01"] == "la1:1:0900"
    assert [str(w) for w in solution.warnings] == [
        "HMIP-01 has a high risk of serious harm, but the HMI Probation inspectors have no room for it at a time "
        "its case manager can come, so it goes to a local assessor."
    ]


def test_high_rosh_case_pinned_to_the_local_assessor_stays_and_breaks_the_rule():
    managers = [manager("a", tue="09:00-17:30", wed="09:00-17:30")]
    cases = [Case("HMIP-01", "a", high_rosh=True), Case("HMIP-02", "a")]
    pins = (Pin("HMIP-01", "la1:2:0900"),)
    solution = run(cases, managers, pins)
    assert solution.found
    mapping = solution.as_mapping()
    assert mapping["HMIP-01"] == "la1:2:0900"
    violations = check_assignment(
        assignment=mapping, slots=SLOTS, cases=cases, case_managers=managers, members=MEMBERS, pins=pins
    )
    broken = [v for v in violations if v.blocks_finalising]
    assert [(v.rule, v.severity, v.cases) for v in broken] == [
        ("high_rosh_with_local_assessor", BLOCKS_FINALISING, ("HMIP-01",))
    ]
    assert broken[0].message.startswith(
        "HMIP-01 has a high risk of serious harm and is pinned to Local assessor 1, a local assessor, while an HMI "
        "Probation inspector can take it (Lead inspector's free slot "
    )
    assert "unpin it and move it there" in broken[0].message


def test_high_vulnerability_stays_a_preference():
    # Only the local assessor's slot is free at the one time the case manager can come.
    managers = [manager("a", tue="09:00-11:00")]
    cases = [Case("HMIP-01", "a", high_vulnerability=True), Case("HMIP-98"), Case("HMIP-99")]
    pins = (Pin("HMIP-98", "li:1:0900"), Pin("HMIP-99", "ai1:1:0900"))
    solution = run(cases, managers, pins)
    assert solution.as_mapping()["HMIP-01"] == "la1:1:0900"
    assert solution.warnings == ()
    violations = check_assignment(
        assignment=solution.as_mapping(), slots=SLOTS, cases=cases, case_managers=managers, members=MEMBERS, pins=pins
    )
    assert [(v.rule, v.severity, v.impact) for v in violations] == [
        ("sensitive_with_local_assessor", WARNING, C.W_SENSITIVE_WITH_LOCAL_ASSESSOR)
    ]
    assert violations[0].message.startswith("HMIP-01 is high vulnerability but is with Local assessor 1")


# --- The checks on a hand-edited schedule -----------------------------------------------------


def test_check_offers_an_exchange_when_the_inspectors_slots_are_all_taken():
    # Wednesday 9am: both inspectors' slots hold cases read from the record, which could go
    # to the local assessor instead.
    managers = [manager("a", wed="09:00-11:00")]
    cases = [Case("HMIP-01", "a", high_rosh=True), Case("HMIP-05"), Case("HMIP-06")]
    mapping = {"HMIP-01": "la1:2:0900", "HMIP-05": "li:2:0900", "HMIP-06": "ai1:2:0900"}
    violations = check_assignment(assignment=mapping, slots=SLOTS, cases=cases, case_managers=managers, members=MEMBERS)
    assert [(v.rule, v.cases) for v in violations] == [("high_rosh_with_local_assessor", ("HMIP-01", "HMIP-05"))]
    assert "(Lead inspector's slot Wednesday 09:00–11:00, in exchange for HMIP-05)" in violations[0].message


def test_check_finds_no_room_when_the_inspectors_cases_cannot_move():
    # The same, but the inspectors' cases are pinned, or have a high risk of serious harm too.
    managers = [manager("a", wed="09:00-11:00")]
    cases = [Case("HMIP-01", "a", high_rosh=True), Case("HMIP-05"), Case("HMIP-06", high_rosh=True)]
    mapping = {"HMIP-01": "la1:2:0900", "HMIP-05": "li:2:0900", "HMIP-06": "ai1:2:0900"}
    violations = check_assignment(
        assignment=mapping,
        slots=SLOTS,
        cases=cases,
        case_managers=managers,
        members=MEMBERS,
        pins=[Pin("HMIP-05", "li:2:0900")],
    )
    assert [(v.rule, v.severity, v.cases) for v in violations] == [("high_rosh_no_room", WARNING, ("HMIP-01",))]
    assert violations[0].message == (
        "2 cases with a high risk of serious harm, but the HMI Probation inspectors have room for only 1 at times "
        "their case managers can come; 1 goes to a local assessor (HMIP-01)."
    )


# --- When the rule leaves no schedule ---------------------------------------------------------


def test_infeasibility_caused_by_the_rule_is_explained_and_a_pin_gets_past_it():
    # Tuesday 9am: the local assessor's slot is pinned, so the inspectors' two slots must hold
    # HMIP-03 and HMIP-02, whose case managers can come only then. HMIP-01 could also come on
    # Wednesday at 9am, but only the local assessor's slot is free then. Every count passes
    # (the inspectors have two slots at the right times for the two high-RoSH cases).
    managers = [
        manager("r1", tue="09:00-11:00", wed="09:00-11:00"),
        manager("r2", tue="09:00-11:00"),
        manager("b", tue="09:00-11:00"),
    ]
    cases = [
        Case("HMIP-01", "r1", high_rosh=True),
        Case("HMIP-02", "r2", high_rosh=True),
        Case("HMIP-03", "b"),
        Case("HMIP-97"),
        Case("HMIP-98"),
        Case("HMIP-99"),
    ]
    pins = (Pin("HMIP-97", "li:2:0900"), Pin("HMIP-98", "ai1:2:0900"), Pin("HMIP-99", "la1:1:0900"))
    assert room(cases, managers, pins).to_local_assessors == 0
    solution = run(cases, managers, pins)
    assert solution.status == STATUS_INFEASIBLE
    problems = diagnose(slots=SLOTS, cases=cases, case_managers=managers, members=MEMBERS, pins=pins)
    assert [p.message for p in solution.problems] == [p.message for p in problems]
    assert [p.kind for p in problems] == ["conflict"]
    message = problems[0].message
    assert "has a high risk of serious harm, so goes to an HMI Probation inspector while they have room" in message
    assert message.endswith("or pin a case with a high risk of serious harm to a local assessor.")

    # The SSO pins HMIP-01 to the local assessor on Wednesday: a schedule, and the checks say why.
    pinned = (*pins, Pin("HMIP-01", "la1:2:0900"))
    solution = run(cases, managers, pinned)
    assert solution.found
    violations = check_assignment(
        assignment=solution.as_mapping(),
        slots=SLOTS,
        cases=cases,
        case_managers=managers,
        members=MEMBERS,
        pins=pinned,
    )
    assert [(v.rule, v.severity, v.cases) for v in violations] == [("high_rosh_no_room", WARNING, ("HMIP-01",))]
