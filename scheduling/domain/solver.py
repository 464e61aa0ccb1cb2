"""Place every sampled case in a case slot with OR-Tools CP-SAT.

The rules and weights are in ``constraints.py``; this module only encodes them.

Formulation. Team members with the same role and the same slot times are
interchangeable for every rule (``constraints.member_groups``), so the model does not
decide "case -> slot" but "case -> (group, time)": a boolean per case and *class*, where a
class is the set of a group's slots at one time, with capacity = its number of slots.
This removes the symmetry between identical team members entirely (the four second
inspectors of a team of seven become one group), and the cases are then dealt out to
the members of each class so that loads within a group differ by at most one. Pinned
cases are fixed to their class and keep their exact slot when dealt out.

Hard constraints: one class per case; class capacity; for each case manager and each
clique of overlapping interview windows (``time_structure``), at most one interview;
availability by leaving out the variables of classes the case manager cannot attend; high
RoSH by leaving out local assessors' classes for the open high-RoSH cases, or, when HMI
Probation staff are short of room (``constraints.high_rosh_room``, counted before the
model is built), at most the shortfall of them with local assessors.

Soft terms (all integer, so the objective and the proven bound are exact): a linear cost
per (case, class) for the per-case rules; per group, the distance from its fair share;
and per case manager and day, one boolean per subset of the day's time bands they could
use ("pattern"), exactly one chosen, whose cost (coming in at all, interviews over their
daily limit, gaps between interviews) is a constant. Modelling "days used" and "gaps" with
max-constraints instead left a 5-10% gap after 30 s on the benchmark; the pattern
formulation is the convex hull per case manager and day and closes it in under a second.
Each case also forces "came in that day" on its own day, which stops the LP relaxation
from spreading a case manager's cases thinly over the week. Interchangeable cases (same
case manager and same attributes) are ordered, which removes the remaining symmetry.

Building again (``previous``: where the current version has each case): one more soft term,
``constraints.W_MOVE`` per case that leaves its slot (READING beside the weight). Keeping a
case's slot is "staying in the class that holds it" (the dealing out then gives it the same
slot back), so the term is linear in the same booleans; a case whose slot has gone (a pin took
it, the availability no longer covers it, its team member left) must move and adds a constant.
The old placement is also given to CP-SAT as a hint, which is where a re-build's speed comes
from; the term is what makes "fewest moves" a rule rather than a starting point.

Cancelling: ``poll`` is called every ``poll_interval_s`` while CP-SAT runs (in a thread of its
own, so the caller's thread keeps its database connection), and a true answer stops the search
at once (``CpSolver.stop_search``); the outcome is then STATUS_CANCELLED with no schedule.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from inspections.domain.messages import Msg, _
from scheduling.domain import checks
from scheduling.domain import constraints as C
from scheduling.domain.model import HMIP_ROLES, Assignment, Case, CaseManager, Pin, Role, Slot, TeamMember, day_name

if TYPE_CHECKING:
    from scheduling.domain.diagnose import Problem

STATUS_OPTIMAL = "optimal"
STATUS_FEASIBLE = "feasible"
STATUS_INFEASIBLE = "infeasible"
STATUS_UNKNOWN = "unknown"  # the time limit passed before any schedule was found
STATUS_INVALID = "invalid"  # the input itself is wrong (see Solution.problems)
STATUS_CANCELLED = "cancelled"  # ``poll`` asked to stop: no schedule, whatever had been found


@dataclass(frozen=True)
class Solution:
    """The outcome of :func:`solve`.

    ``assignments`` is empty unless status is optimal or feasible. ``objective`` is the
    total penalty of the schedule (``constraints.score``, plus ``constraints.move_penalties``
    when built again from ``previous``); ``best_bound`` is the solver's
    proven lower bound on any schedule's penalty, so ``objective == best_bound`` means
    proven optimal. ``problems`` explains an infeasible or invalid input in terms the SSO
    can act on (``diagnose``). ``explanations`` gives, per case ref, why it is where it is
    and which soft rules it bends. ``warnings`` are what the SSO must know about the
    schedule as a whole (HMI Probation staff short of room for the high-RoSH cases); the
    schedule page shows the same messages among its checks.
    """

    status: str
    assignments: tuple[Assignment, ...] = ()
    objective: int | None = None
    best_bound: int | None = None
    wall_time_s: float = 0.0
    first_solution_s: float | None = None
    penalties: Mapping[str, int] = field(default_factory=dict)
    explanations: Mapping[str, tuple[Msg | str, ...]] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Msg, ...] = ()
    # Refs of the cases placed in ``previous`` that this schedule puts in another slot.
    moved: tuple[str, ...] = ()
    # What CP-SAT minimised for this schedule: ``objective`` unless the dealing out to members
    # cost balance points the model cannot see (see ``solve``); never more than ``objective``.
    search_objective: int | None = None

    @property
    def found(self) -> bool:
        return self.status in (STATUS_OPTIMAL, STATUS_FEASIBLE)

    def as_mapping(self) -> dict[str, str]:
        """Case ref -> slot id."""
        return {a.case_ref: a.slot_id for a in self.assignments}

    @property
    def ratio(self) -> float | None:
        """(objective + 1) / (best bound + 1): 1.0 is proven optimal.

        The objective is a non-negative penalty and may be 0; the +1 only keeps 0/0
        defined (a perfect schedule proven perfect is 1.0). It is not a dilution: a
        penalty of 10 against a bound of 9 reads 1.10.
        """
        if self.objective is None or self.best_bound is None:
            return None
        return (self.objective + 1) / (max(self.best_bound, 0) + 1)


@dataclass(frozen=True)
class _Class:
    group: tuple
    time: int
    slots: tuple[Slot, ...]
    role: Role


def solve(
    *,
    slots: Sequence[Slot],
    cases: Sequence[Case],
    case_managers: Sequence[CaseManager],
    members: Sequence[TeamMember],
    pins: Iterable[Pin] = (),
    time_limit_s: float = 30,
    seed: int = 0,
    workers: int = 2,
    previous: Mapping[str, str] | None = None,
    poll: Callable[[float], bool] | None = None,
    poll_interval_s: float = 0.25,
) -> Solution:
    """Solve the fieldwork schedule. Never raises for bad input: see ``Solution.problems``.

    ``previous`` (case ref -> slot id): the schedule being built again; moving a case from it
    costs ``constraints.W_MOVE``. ``poll(fraction of the time limit used)`` is called from this
    thread while the solver runs; returning True cancels (STATUS_CANCELLED). An exception from
    ``poll`` stops the solver and is raised here.
    """
    from scheduling.domain import diagnose  # diagnose uses this module's model builder

    started = time.perf_counter()
    pins = tuple(pins)
    problems = diagnose.input_problems(
        slots=slots, cases=cases, case_managers=case_managers, members=members, pins=pins
    )
    if problems:
        return Solution(STATUS_INVALID, wall_time_s=time.perf_counter() - started, problems=tuple(problems))
    problems = diagnose.counting_problems(
        slots=slots, cases=cases, case_managers=case_managers, members=members, pins=pins
    )
    if problems:
        return Solution(STATUS_INFEASIBLE, wall_time_s=time.perf_counter() - started, problems=tuple(problems))

    previous = _usable_previous(previous, slots, cases)
    built = _build(slots=slots, cases=cases, case_managers=case_managers, members=members, pins=pins, previous=previous)
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit_s)
    solver.parameters.random_seed = int(seed)
    solver.parameters.num_workers = max(1, int(workers))
    callback = _first_solution_callback(started)
    if poll is None:
        status = solver.solve(built.model, callback)
    else:
        status = _solve_polled(solver, built.model, callback, poll, float(time_limit_s), poll_interval_s, started)
        if status is None:
            return Solution(STATUS_CANCELLED, wall_time_s=time.perf_counter() - started)
    wall = time.perf_counter() - started

    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = {
            case.ref: built.classes[k] for (i, k), var in built.x.items() if solver.value(var) for case in (cases[i],)
        }
        mapping = _deal_out(chosen, cases, members, pins, previous)
        penalties = C.score(assignment=mapping, slots=slots, cases=cases, case_managers=case_managers, members=members)
        by_rule: dict[str, int] = defaultdict(int)
        for penalty in (*penalties, *C.move_penalties(mapping, previous)):
            by_rule[penalty.rule] += penalty.points
        searched = round(solver.objective_value)
        # The model sees groups, not members: when kept and pinned cases leave a group's members
        # unevenly loaded, the dealing out costs "balance" points the search did not count (moving
        # a kept case to even it out would cost more). The objective is the schedule's real cost;
        # the search's value and bound stay lower bounds on it.
        objective = sum(by_rule.values())
        bound = int(-(-solver.best_objective_bound // 1)) if status != cp_model.OPTIMAL else searched
        violations = checks.check_assignment(
            assignment=mapping, slots=slots, cases=cases, case_managers=case_managers, members=members, pins=pins
        )
        return Solution(
            status=STATUS_OPTIMAL if status == cp_model.OPTIMAL else STATUS_FEASIBLE,
            assignments=tuple(Assignment(ref, sid) for ref, sid in sorted(mapping.items())),
            objective=objective,
            best_bound=min(bound, objective),
            search_objective=searched,
            wall_time_s=wall,
            first_solution_s=callback.first,
            penalties=dict(by_rule),
            explanations=_explain(mapping, slots, cases, case_managers, members, pins, violations),
            warnings=tuple(v.message for v in violations if v.rule in checks.SCHEDULE_WARNINGS),
            moved=C.moved_cases(mapping, previous),
        )
    if status == cp_model.INFEASIBLE:
        problems = diagnose.core_problems(
            slots=slots, cases=cases, case_managers=case_managers, members=members, pins=pins
        )
        return Solution(STATUS_INFEASIBLE, wall_time_s=time.perf_counter() - started, problems=tuple(problems))
    if status == cp_model.MODEL_INVALID:  # a bug in _build, not the user's input
        raise RuntimeError(f"CP-SAT rejected the schedule model: {built.model.validate()}")
    return Solution(STATUS_UNKNOWN, wall_time_s=wall)


def _usable_previous(previous: Mapping[str, str] | None, slots: Sequence[Slot], cases: Sequence[Case]) -> dict:
    """The part of ``previous`` that can count: cases still in the sample. A slot that is no
    longer on the team's pages stays in: its case must move, and that is a move."""
    if not previous:
        return {}
    refs = {c.ref for c in cases}
    return {ref: slot_id for ref, slot_id in previous.items() if ref in refs}


def _solve_polled(solver, model, callback, poll, time_limit_s: float, interval: float, started: float):
    """Run CP-SAT in a thread and ask ``poll`` between waits; None when it asked to stop.

    The search runs in C++ without the GIL, so this thread stays free to read the database
    (the cancel flag) on the connection that belongs to it.
    """
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["status"] = solver.solve(model, callback)
        except BaseException as exc:  # re-raised in the caller's thread
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="cp-sat", daemon=True)
    thread.start()
    cancelled = False
    try:
        while thread.is_alive():
            thread.join(interval)
            if not thread.is_alive():
                break
            used = min(1.0, (time.perf_counter() - started) / time_limit_s) if time_limit_s > 0 else 1.0
            if poll(used):
                cancelled = True
                solver.stop_search()
                thread.join()
    except BaseException:
        solver.stop_search()
        thread.join()
        raise
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return None if cancelled else outcome["status"]


def _first_solution_callback(started: float):
    """A CP-SAT solution callback that records when the first schedule was found."""
    from ortools.sat.python import cp_model

    class FirstSolution(cp_model.CpSolverSolutionCallback):
        def __init__(self) -> None:
            super().__init__()
            self.first: float | None = None

        def on_solution_callback(self) -> None:
            if self.first is None:
                self.first = time.perf_counter() - started

    return FirstSolution()


@dataclass
class _Built:
    model: object
    x: dict[tuple[int, int], object]
    classes: list[_Class]
    # Assumption literals when built for diagnosis: name -> (literal, description data)
    assumptions: dict[tuple, object]


def _classes(slots: Sequence[Slot], members: Sequence[TeamMember], structure: C.TimeStructure) -> list[_Class]:
    role_of = {m.id: m.role for m in members}
    group_of = {}
    for key, ids in C.member_groups(members, slots).items():
        for member_id in ids:
            group_of[member_id] = key
    order = {m.id: i for i, m in enumerate(members)}
    by_class: dict[tuple, list[Slot]] = defaultdict(list)
    for slot in slots:
        by_class[(group_of[slot.member_id], structure.index(slot))].append(slot)
    classes = []
    for (group, t), class_slots in sorted(by_class.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        class_slots.sort(key=lambda s: order[s.member_id])
        classes.append(_Class(group, t, tuple(class_slots), role_of[class_slots[0].member_id]))
    return classes


def _build(
    *,
    slots: Sequence[Slot],
    cases: Sequence[Case],
    case_managers: Sequence[CaseManager],
    members: Sequence[TeamMember],
    pins: Sequence[Pin],
    diagnosis: bool = False,
    previous: Mapping[str, str] | None = None,
) -> _Built:
    """The CP-SAT model. With ``diagnosis`` the hard rules are guarded by assumption
    literals (and the objective left out) so an infeasible core can be named. ``previous``
    adds the cost of moving cases from it (see the module's docstring)."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    structure = C.time_structure(slots)
    classes = _classes(slots, members, structure)
    managers = {m.id: m for m in case_managers}
    slot_by_id = {s.id: s for s in slots}
    pinned = C.pins_by_case(pins)
    days = structure.days
    assumptions: dict[tuple, object] = {}

    def guard(key: tuple):
        if not diagnosis:
            return None
        if key not in assumptions:
            assumptions[key] = model.new_bool_var(f"assume_{'_'.join(map(str, key))}")
        return assumptions[key]

    def add(expression, key: tuple) -> None:
        constraint = model.add(expression)
        literal = guard(key)
        if literal is not None:
            constraint.only_enforce_if(literal)

    # High RoSH (constraints.py, READING (high RoSH)): an open high-RoSH case never goes to
    # a local assessor while HMI Probation staff have room; when they are short of room, at
    # most the shortfall do (the soft cost picks which). Pinned cases are left where pinned.
    room = C.high_rosh_room(slots=slots, cases=cases, case_managers=case_managers, members=members, pins=pins)
    rosh_open = set(room.open)
    with_local_assessor: list = []  # x of open high-RoSH cases in local assessors' classes

    x: dict[tuple[int, int], cp_model.IntVar] = {}
    cost: dict[tuple[int, int], int] = {}
    for i, case in enumerate(cases):
        manager = managers.get(case.case_manager) if case.case_manager else None
        pin_slot = slot_by_id.get(pinned[case.ref]) if case.ref in pinned else None
        for k, cls in enumerate(classes):
            rep = cls.slots[0]
            if pin_slot is not None and not diagnosis and pin_slot not in cls.slots:
                continue
            allowed = manager is None or C.fits(manager, rep)
            if not allowed and not diagnosis:
                continue
            rosh_barred = case.ref in rosh_open and cls.role not in HMIP_ROLES and not room.short
            if rosh_barred and not diagnosis:
                continue
            x[i, k] = model.new_bool_var(f"x_{i}_{k}")
            cost[i, k] = C.case_cost(case, rep, cls.role, manager, days)
            if not allowed:
                add(x[i, k] == 0, ("availability", case.case_manager))
            if diagnosis and pin_slot is not None and pin_slot not in cls.slots:
                add(x[i, k] == 0, ("pin", case.ref))
            if rosh_barred:
                add(x[i, k] == 0, ("high_rosh", case.ref))
            elif case.ref in rosh_open and cls.role not in HMIP_ROLES:
                with_local_assessor.append(x[i, k])
    if room.short and with_local_assessor:
        add(sum(with_local_assessor) <= room.to_local_assessors, ("high_rosh_room", room.to_local_assessors))

    by_case: dict[int, list[int]] = defaultdict(list)
    by_class: dict[int, list[int]] = defaultdict(list)
    for i, k in x:
        by_case[i].append(k)
        by_class[k].append(i)
    for i, case in enumerate(cases):
        add(sum(x[i, k] for k in by_case[i]) == 1, ("place", case.ref))
    for k, cls in enumerate(classes):
        if len(by_class[k]) > len(cls.slots):
            add(sum(x[i, k] for i in by_class[k]) <= len(cls.slots), ("capacity", cls.time))

    # Case managers: one interview at a time, and the per-day soft terms.
    cases_of: dict[str, list[int]] = defaultdict(list)
    for i, case in enumerate(cases):
        if case.case_manager in managers:
            cases_of[case.case_manager].append(i)
    classes_at: dict[int, list[int]] = defaultdict(list)
    for k, cls in enumerate(classes):
        classes_at[cls.time].append(k)
    objective_terms = []
    offset = 0
    for manager_id, indexes in cases_of.items():
        manager = managers[manager_id]

        def terms(times: Iterable[int], indexes=indexes):
            return [x[i, k] for t in times for k in classes_at[t] for i in indexes if (i, k) in x]

        for clique in structure.cliques:
            vars_ = terms(clique)
            if len(vars_) > 1:
                add(sum(vars_) <= 1, ("clash", manager_id))
        if diagnosis or len(indexes) < 2:
            continue
        for day in days:
            times_today = [t for t in range(len(structure.times)) if structure.times[t][0] == day]
            if not terms(times_today):
                continue
            # Which of the day's bands the case manager uses, as one choice among the
            # subsets of usable bands (an extended formulation: the day's cost - coming in
            # at all, interviews over their limit, gaps - is linear in the choice, so the
            # LP relaxation is the convex hull per case manager and day).
            used_bands: dict[int, object] = {}
            for band in range(structure.bands_per_day[day]):
                band_times = [t for t in times_today if structure.band_of[t][1] == band]
                band_vars = terms(band_times)
                if not band_vars:
                    continue
                if C.interviews_all_overlap(band_times, structure):
                    used_bands[band] = sum(band_vars)
                else:  # not with the shipped templates; kept general
                    used = model.new_bool_var(f"band_{manager_id}_{day}_{band}")
                    model.add(used <= sum(band_vars))
                    for var in band_vars:
                        model.add(used >= var)
                    used_bands[band] = used
            usable = sorted(used_bands)
            choice = {}
            for size in range(len(usable) + 1):
                for subset in itertools.combinations(usable, size):
                    choice[subset] = model.new_bool_var(f"pattern_{manager_id}_{day}_{'_'.join(map(str, subset))}")
            model.add_exactly_one(choice.values())
            for band in usable:
                model.add(used_bands[band] == sum(var for subset, var in choice.items() if band in subset))
            came = sum(var for subset, var in choice.items() if subset)
            for i in indexes:  # a case on this day means they come in (tightens the LP)
                own = [x[i, k] for t in times_today for k in classes_at[t] if (i, k) in x]
                if own:
                    model.add(came >= sum(own))
            objective_terms.append(C.W_EXTRA_DAY * came)
            for subset, var in choice.items():
                if not subset:
                    continue
                over = max(0, len(subset) - manager.max_per_day)
                gaps = (subset[-1] - subset[0] + 1) - len(subset)
                points = C.W_OVER_DAILY_LIMIT * over + C.W_GAP * gaps
                if points:
                    objective_terms.append(points * var)
        offset -= C.W_EXTRA_DAY  # the first day is free: every case manager comes in once

    if not diagnosis:
        # Balance between groups of interchangeable members (fair shares by capacity),
        # groups in team order as in constraints.score.
        groups = list(C.member_groups(members, slots))
        capacity = {g: sum(len(cls.slots) for cls in classes if cls.group == g) for g in groups}
        ranges = C.fair_share_ranges(len(cases), [capacity[g] for g in groups])
        for g, (low, high) in zip(groups, ranges, strict=True):
            load_vars = [x[i, k] for (i, k) in x if classes[k].group == g]
            if not load_vars:
                offset += C.W_BALANCE * low
                continue
            dev = model.new_int_var(0, max(low, capacity[g]), f"dev_{len(objective_terms)}")
            model.add(dev >= sum(load_vars) - high)
            model.add(dev >= low - sum(load_vars))
            objective_terms.append(C.W_BALANCE * dev)
        previous_class = _previous_classes(previous or {}, cases, classes, pinned)
        offset += _add_moves(model, cases, x, pinned, previous or {}, previous_class, objective_terms)
        _break_case_symmetry(model, cases, x, pinned, previous_class)
        linear = [cost[key] * var for key, var in x.items() if cost[key]]
        model.minimize(sum(linear) + sum(objective_terms) + offset)
    return _Built(model, x, classes, assumptions)


def _previous_classes(
    previous: Mapping[str, str], cases: Sequence[Case], classes: Sequence[_Class], pinned: Mapping[str, str]
) -> dict[int, int]:
    """Case index -> the class holding its slot in ``previous``, for the unpinned cases whose
    slot is still there and not taken by a pin (those can keep it)."""
    class_of_slot = {s.id: k for k, cls in enumerate(classes) for s in cls.slots}
    pinned_slots = set(pinned.values())
    out = {}
    for i, case in enumerate(cases):
        slot_id = previous.get(case.ref)
        if case.ref in pinned or slot_id is None or slot_id in pinned_slots or slot_id not in class_of_slot:
            continue
        out[i] = class_of_slot[slot_id]
    return out


def _add_moves(
    model,
    cases: Sequence[Case],
    x: Mapping[tuple[int, int], object],
    pinned: Mapping[str, str],
    previous: Mapping[str, str],
    previous_class: Mapping[int, int],
    objective_terms: list,
) -> int:
    """``W_MOVE`` x (1 - stays) per case placed in ``previous``; returns the constant part.

    A case stays exactly when it is in the class of its old slot: ``_deal_out`` gives it that
    slot back. Pinned cases are where the SSO put them: a move if that is not the old slot.
    """
    offset = 0
    for i, case in enumerate(cases):
        if case.ref not in previous:
            continue
        if case.ref in pinned:
            offset += C.W_MOVE if pinned[case.ref] != previous[case.ref] else 0
            continue
        offset += C.W_MOVE
        k = previous_class.get(i)
        if k is not None and (i, k) in x:
            objective_terms.append(-C.W_MOVE * x[i, k])
            for (j, other), var in x.items():
                if j == i:
                    model.add_hint(var, 1 if other == k else 0)
    return offset


def _break_case_symmetry(
    model, cases: Sequence[Case], x: Mapping[tuple[int, int], object], pinned, previous_class: Mapping[int, int]
) -> None:
    """Cases with the same case manager and the same attributes are interchangeable:
    order them by class index so the search does not revisit swapped copies. Cases that had
    different classes before are not interchangeable once moving costs: only those of the
    same old class (or none) are ordered."""
    twins: dict[tuple, list[int]] = defaultdict(list)
    for i, case in enumerate(cases):
        if case.ref in pinned:
            continue
        key = (case.case_manager, case.high_rosh, case.high_vulnerability, case.complexity, previous_class.get(i))
        twins[key].append(i)
    for indexes in twins.values():
        for a, b in itertools.pairwise(indexes):
            pos_a = sum(k * var for (i, k), var in x.items() if i == a)
            pos_b = sum(k * var for (i, k), var in x.items() if i == b)
            model.add(pos_a <= pos_b)


def _deal_out(
    chosen: Mapping[str, _Class],
    cases: Sequence[Case],
    members: Sequence[TeamMember],
    pins: Sequence[Pin],
    previous: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Turn case -> class into case -> slot, keeping pins and evening out member loads.

    Pinned cases take their slots, then each case still in the class of its ``previous`` slot
    takes that slot back (the model counted it as not moved). The others are dealt in
    chronological order: each goes to the free slot of the least-loaded member of the class
    (team order breaks ties), which keeps the loads of a group's members within one of each
    other when nothing is pinned or kept.
    """
    pinned = C.pins_by_case(pins)
    order = {m.id: i for i, m in enumerate(members)}
    member_of = {s.id: s.member_id for cls in chosen.values() for s in cls.slots}
    load: dict[str, int] = defaultdict(int)
    taken: set[str] = set()
    mapping: dict[str, str] = {}
    for ref, slot_id in pinned.items():
        if ref in chosen:
            mapping[ref] = slot_id
            taken.add(slot_id)
            load[member_of[slot_id]] += 1
    for ref, slot_id in (previous or {}).items():
        keeps = ref in chosen and ref not in mapping and slot_id not in taken
        if keeps and any(s.id == slot_id for s in chosen[ref].slots):
            mapping[ref] = slot_id
            taken.add(slot_id)
            load[member_of[slot_id]] += 1
    by_class: dict[int, list[str]] = defaultdict(list)
    class_list: dict[int, _Class] = {}
    for case in cases:
        if case.ref in mapping or case.ref not in chosen:
            continue
        cls = chosen[case.ref]
        by_class[id(cls)].append(case.ref)
        class_list[id(cls)] = cls
    for key in sorted(class_list, key=lambda c: (class_list[c].time, class_list[c].group)):
        cls = class_list[key]
        for ref in by_class[key]:
            free = [s for s in cls.slots if s.id not in taken]
            best = min(free, key=lambda s: (load[s.member_id], order[s.member_id]))
            mapping[ref] = best.id
            taken.add(best.id)
            load[best.member_id] += 1
    return mapping


def _explain(
    mapping: Mapping[str, str],
    slots: Sequence[Slot],
    cases: Sequence[Case],
    case_managers: Sequence[CaseManager],
    members: Sequence[TeamMember],
    pins: Sequence[Pin],
    warnings: Sequence[checks.Violation],
) -> dict[str, tuple[Msg | str, ...]]:
    slot_by_id = {s.id: s for s in slots}
    member_by_id = {m.id: m for m in members}
    managers = {m.id: m for m in case_managers}
    pinned = C.pins_by_case(pins)
    out: dict[str, tuple[Msg | str, ...]] = {}
    for case in cases:
        slot = slot_by_id[mapping[case.ref]]
        member = member_by_id[slot.member_id]
        lines: list[Msg | str] = [
            _(
                "%(day)s %(window)s with %(name)s (%(label)s).",
                day=day_name(slot.day),
                window=str(slot.window),
                name=member.name,
                label=slot.label,
            )
        ]
        if case.case_manager is None:
            lines.append(_("No case manager is available: the case is read from the record."))
        else:
            manager = managers[case.case_manager]
            lines.append(_("%(name)s attends %(interview)s.", name=manager.name, interview=str(slot.interview)))
        if case.ref in pinned:
            lines.append(_("Pinned by the SSO."))
        if case.is_sensitive and member.is_hmip_staff:
            lines.append(_("High risk of serious harm or vulnerability: with HMI Probation staff."))
        lines.extend(v.message for v in warnings if case.ref in v.cases)
        out[case.ref] = tuple(lines)
    return out
