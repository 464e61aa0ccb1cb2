"""Infeasible inputs give an explanation the SSO can act on, naming people and cases."""

from __future__ import annotations

import pytest

from scheduling.domain.diagnose import diagnose
from scheduling.domain.model import Case, CaseManager, Pin, Window
from scheduling.domain.solver import STATUS_INFEASIBLE, STATUS_INVALID, solve
from scheduling.domain.templates import build_week, standard_members

MON, TUE, WED = 0, 1, 2
W = Window.parse


def team(size: int):
    members = standard_members("sqs", size)
    return members, build_week("sqs", members).slots


def manager(id_: str, name: str, **days: str) -> CaseManager:
    index = {"mon": MON, "tue": TUE, "wed": WED}
    return CaseManager(id_, name, f"{id_}@yot.example", {index[d]: (W(w),) for d, w in days.items()})


def everyone(id_: str, name: str) -> CaseManager:
    return manager(id_, name, mon="09:00-17:30", tue="09:00-17:30", wed="09:00-17:30")


def run(members, slots, cases, managers, pins=()):
    solution = solve(slots=slots, cases=cases, case_managers=managers, members=members, pins=pins, time_limit_s=5)
    problems = diagnose(slots=slots, cases=cases, case_managers=managers, members=members, pins=pins)
    assert [p.message for p in solution.problems] == [p.message for p in problems]
    return solution, problems


def test_more_cases_than_slots():
    members, slots = team(3)
    cases = [Case(f"HMIP-{n:02d}") for n in range(1, 23)]
    solution, problems = run(members, slots, cases, [])
    assert solution.status == STATUS_INFEASIBLE
    assert problems[0].kind == "too_many_cases"
    assert problems[0].message == (
        "The sample has 22 cases but the team's template has 20 case slots: add a team member or remove 2 cases."
    )


def test_case_manager_with_no_availability():
    members, slots = team(3)
    cases = [Case("HMIP-03", "js"), Case("HMIP-09", "js"), Case("HMIP-10", "ab")]
    managers = [CaseManager("js", "J. Smith", "js@yot.example", {}), everyone("ab", "A. Brown")]
    solution, problems = run(members, slots, cases, managers)
    assert solution.status == STATUS_INFEASIBLE
    assert [(p.kind, p.cases, p.people) for p in problems] == [("no_availability", ("HMIP-03", "HMIP-09"), ("js",))]
    assert problems[0].message.startswith("Cases HMIP-03 and HMIP-09: J. Smith has no availability")
    assert "the inspector then reads the record" in problems[0].message


def test_availability_that_covers_no_interview():
    members, slots = team(3)
    # 09:00-10:30 misses the 09:30-10:45 interview of the 9am slot by 15 minutes.
    managers = [manager("js", "J. Smith", tue="09:00-10:30")]
    _solution, problems = run(members, slots, [Case("HMIP-07", "js")], managers)
    assert [(p.kind, p.cases, p.people) for p in problems] == [("availability_fits_no_slot", ("HMIP-07",), ("js",))]
    assert "J. Smith is available only Tuesday 09:00–10:30" in problems[0].message


def test_case_manager_only_available_for_one_interview():
    members, slots = team(3)
    managers = [manager("js", "J. Smith", tue="09:00-11:00")]
    cases = [Case("HMIP-07", "js"), Case("HMIP-12", "js")]
    _solution, problems = run(members, slots, cases, managers)
    assert [(p.kind, p.cases, p.people) for p in problems] == [("too_few_times", ("HMIP-07", "HMIP-12"), ("js",))]
    assert problems[0].message.startswith(
        "Cases HMIP-07 and HMIP-12: J. Smith is available only Tuesday 09:00–11:00, where at most 1 interview fits"
    )


def test_too_many_case_managers_only_free_on_tuesday_morning():
    members, slots = team(3)  # three slots at Tuesday 9am (lead, second inspector, local assessor)
    names = ["J. Smith", "A. Jones", "B. Khan", "C. Lee"]
    managers = [manager(f"cm{i}", name, tue="09:00-11:00") for i, name in enumerate(names)]
    cases = [Case(f"HMIP-1{i}", f"cm{i}") for i in range(4)] + [Case("HMIP-20", None)]
    solution, problems = run(members, slots, cases, managers)
    assert solution.status == STATUS_INFEASIBLE
    assert [(p.kind, p.cases, p.people) for p in problems] == [
        ("not_enough_slots", ("HMIP-10", "HMIP-11", "HMIP-12", "HMIP-13"), ("cm0", "cm1", "cm2", "cm3"))
    ]
    message = problems[0].message
    for name in names:
        assert name in message
    assert "available only at Tuesday 09:00–11:00, which have 3 case slots left; 4 are needed" in message


def test_two_cases_pinned_to_one_slot():
    members, slots = team(3)
    cases = [Case("HMIP-07"), Case("HMIP-12")]
    pins = [Pin("HMIP-07", "li:1:0900"), Pin("HMIP-12", "li:1:0900")]
    solution, problems = run(members, slots, cases, [], pins)
    assert solution.status == STATUS_INVALID
    assert [(p.kind, p.cases) for p in problems] == [("pin_clash", ("HMIP-07", "HMIP-12"))]
    assert "Tuesday 09:00–11:00 with Lead inspector" in problems[0].message


def test_pin_outside_the_case_managers_availability():
    members, slots = team(3)
    managers = [manager("js", "J. Smith", wed="09:00-17:00")]
    _solution, problems = run(members, slots, [Case("HMIP-07", "js")], managers, [Pin("HMIP-07", "ai1:1:0900")])
    assert [(p.kind, p.cases, p.people) for p in problems] == [("pin_unavailable", ("HMIP-07",), ("js",))]
    assert "J. Smith is not available for the interview (09:30–10:45)" in problems[0].message


def test_pins_that_put_a_case_manager_in_two_places():
    members, slots = team(3)
    managers = [everyone("js", "J. Smith")]
    cases = [Case("HMIP-07", "js"), Case("HMIP-12", "js")]
    # The lead inspector's 11.30 slot and the second inspector's 11.15 slot overlap.
    pins = [Pin("HMIP-07", "li:1:1130"), Pin("HMIP-12", "ai1:1:1115")]
    _solution, problems = run(members, slots, cases, managers, pins)
    assert [(p.kind, p.cases, p.people) for p in problems] == [("pins_clash", ("HMIP-07", "HMIP-12"), ("js",))]


def test_pin_to_a_team_member_who_left():
    members, slots = team(3)
    solution, problems = run(members, slots, [Case("HMIP-07")], [], [Pin("HMIP-07", "ai9:1:0900")])
    assert solution.status == STATUS_INVALID
    assert problems[0].kind == "pin_unknown_slot"
    assert "no longer on the team" in problems[0].message


def test_case_naming_an_unknown_case_manager():
    members, slots = team(3)
    solution, problems = run(members, slots, [Case("HMIP-07", "ghost")], [])
    assert solution.status == STATUS_INVALID
    assert [(p.kind, p.cases, p.people) for p in problems] == [("unknown_case_manager", ("HMIP-07",), ("ghost",))]


def test_conflict_that_counting_misses_is_explained_by_the_solver():
    # Team of two: two slots at Tuesday 9am and two at Tuesday 3pm. B. Khan and C. Lee
    # fill 9am; J. Smith's two cases need two different times, so one must be at 9am too.
    # Every count passes (two cases for two 9am slots; four cases for four slots), but
    # no schedule exists.
    members, slots = team(2)
    managers = [
        CaseManager("js", "J. Smith", "js@yot.example", {TUE: (W("09:00-11:00"), W("15:00-17:00"))}),
        manager("bk", "B. Khan", tue="09:00-11:00"),
        manager("cl", "C. Lee", tue="09:00-11:00"),
    ]
    cases = [Case("HMIP-01", "js"), Case("HMIP-02", "js"), Case("HMIP-03", "bk"), Case("HMIP-04", "cl")]
    solution, problems = run(members, slots, cases, managers)
    assert solution.status == STATUS_INFEASIBLE
    assert len(problems) == 1
    problem = problems[0]
    assert problem.kind == "conflict"
    assert set(problem.people) == {"js", "bk", "cl"}
    assert set(problem.cases) == {"HMIP-01", "HMIP-02", "HMIP-03", "HMIP-04"}
    assert "J. Smith is available only Tuesday 09:00–11:00, 15:00–17:00 and can attend one interview at a time" in (
        problem.message
    )


@pytest.mark.parametrize("size", [2, 3, 5, 7])
def test_feasible_input_has_no_problems(size):
    members, slots = team(size)
    managers = [everyone("js", "J. Smith")]
    cases = [Case("HMIP-01", "js"), Case("HMIP-02", "js"), Case("HMIP-03")]
    assert diagnose(slots=slots, cases=cases, case_managers=managers, members=members) == []
