"""Property tests: every schedule the solver returns keeps every hard rule.

Inspections are generated around a hidden valid schedule (``planted_instance``), so each
is feasible; the hard rules are then checked by ``checks.check_assignment``, which does
not use the solver.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduling.domain import constraints as C
from scheduling.domain.checks import check_assignment
from scheduling.domain.model import Pin
from scheduling.domain.solver import STATUS_OPTIMAL, solve
from scheduling.domain.synthetic import planted_instance, realistic_instance

SETTINGS = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

teams = st.sampled_from([("sqs", 2), ("sqs", 3), ("sqs", 5), ("fji_week1", 4)])


@SETTINGS
@given(seed=st.integers(0, 10**6), team=teams)
def test_solved_schedules_keep_every_hard_rule(seed, team):
    template, size = team
    instance = planted_instance(seed, template=template, team_size=size)
    solution = solve(**instance.kwargs(), time_limit_s=2, workers=1, seed=seed)
    assert solution.found, solution.problems
    mapping = solution.as_mapping()
    assert sorted(mapping) == sorted(c.ref for c in instance.cases)
    violations = check_assignment(assignment=mapping, **instance.kwargs())
    assert [v for v in violations if v.blocks_finalising] == []
    # The objective is exactly the score of the returned schedule under the shared rules.
    assert solution.objective == C.total(C.score(assignment=mapping, **instance.kwargs()))
    assert solution.search_objective == solution.objective  # the model counts exactly that score
    assert solution.best_bound is not None and solution.best_bound <= solution.objective
    hidden_hard = [v for v in check_assignment(assignment=instance.hidden, **instance.kwargs()) if v.blocks_finalising]
    if solution.status == STATUS_OPTIMAL and not hidden_hard:  # the hidden schedule may break the high-RoSH rule
        hidden = C.total(C.score(assignment=instance.hidden, **instance.kwargs()))
        assert solution.objective <= hidden


@SETTINGS
@given(seed=st.integers(0, 10**6), share=st.floats(0.1, 0.6), team=teams)
def test_pinned_cases_stay_where_pinned(seed, share, team):
    template, size = team
    instance = planted_instance(seed, template=template, team_size=size)
    refs = sorted(instance.hidden)
    pinned = refs[: max(1, int(len(refs) * share))]
    pins = tuple(Pin(ref, instance.hidden[ref]) for ref in pinned)
    solution = solve(**instance.kwargs(), pins=pins, time_limit_s=2, workers=1, seed=seed)
    assert solution.found, solution.problems
    mapping = solution.as_mapping()
    assert {ref: mapping[ref] for ref in pinned} == {pin.case_ref: pin.slot_id for pin in pins}
    violations = check_assignment(assignment=mapping, pins=pins, **instance.kwargs())
    # A high-RoSH case pinned to a local assessor stays there and is shown breaking the rule
    # when an inspector could take it; nothing else may block finalising.
    rosh_pinned_to_local = {ref for ref in C.high_rosh_room(pins=pins, **instance.kwargs()).pinned_to_local_assessor}
    hard = [v for v in violations if v.blocks_finalising]
    for v in hard:
        assert v.rule == "high_rosh_with_local_assessor", v.message
        assert rosh_pinned_to_local & set(v.cases), v.message
        assert "is pinned to" in v.message


def test_largest_sqs_instance_solves_to_proven_optimum_quickly():
    instance = realistic_instance(0, team_size=7)
    solution = solve(**instance.kwargs(), time_limit_s=20, workers=2)
    assert solution.status == STATUS_OPTIMAL
    assert solution.objective == solution.best_bound
    assert solution.first_solution_s is not None and solution.first_solution_s < 5
    assert len(solution.assignments) == 47
    hard = [v for v in check_assignment(assignment=solution.as_mapping(), **instance.kwargs()) if v.blocks_finalising]
    assert hard == []


def test_case_without_case_manager_is_still_scheduled():
    instance = realistic_instance(1, team_size=3, record_only=3)
    solution = solve(**instance.kwargs(), time_limit_s=10)
    record_only = [c.ref for c in instance.cases if c.case_manager is None]
    assert len(record_only) == 3
    assert all(ref in solution.as_mapping() for ref in record_only)
    assert all("read from the record" in " ".join(map(str, solution.explanations[ref])) for ref in record_only)
