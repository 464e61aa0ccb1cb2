"""Why no schedule exists, in terms the SSO can act on.

Three layers, cheapest first:

1. :func:`input_problems` - the input is wrong (a case names an unknown case manager, a
   pin names a slot that no longer exists, two cases are pinned to one slot).
2. :func:`counting_problems` - necessary conditions that can be counted: more cases than
   slots; a case manager with no availability, or availability that covers no interview
   window; a case manager with more cases than interviews they could attend one at a
   time; pins outside availability or clashing; and Hall's condition over groups of case
   managers (the case managers who can only come at certain times need at least as many
   free slots at those times as they have cases). Each is a proof of infeasibility, so
   the solver runs them first and stops early when one fails.
3. :func:`core_problems` - what counting misses: the hard rules are guarded by CP-SAT
   assumption literals and the solver's ``sufficient_assumptions_for_infeasibility`` is
   shrunk (deletion) to a small set of cases, case managers and times that cannot all be
   satisfied together. The high-RoSH rule (a high-RoSH case goes to HMI Probation staff
   while they have room, ``constraints.high_rosh_room``) can only fail here: the room is
   counted so that it never fails a count on its own, but the other cases may need the
   inspectors' slots at the times its case manager can come. The SSO can then pin the
   case to a local assessor.

:func:`diagnose` runs them in order and returns the first layer that finds something.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from inspections.domain.messages import Msg, _, concat, join, ngettext
from scheduling.domain import constraints as C
from scheduling.domain.model import Case, CaseManager, Pin, Slot, TeamMember, day_name, merge_windows


@dataclass(frozen=True)
class Problem:
    """One reason the schedule cannot be made. ``people`` holds case-manager or
    team-member ids; ``message`` names them and says what to change."""

    kind: str
    message: Msg | str
    cases: tuple[str, ...] = ()
    people: tuple[str, ...] = ()


def _case_slots(n: int) -> Msg:
    return ngettext("%(n)d case slot", "%(n)d case slots", n, n=n)


def _cases_phrase(refs: Sequence[str]) -> Msg:
    refs = sorted(refs)
    return ngettext("Case %(refs)s", "Cases %(refs)s", len(refs), refs=join(refs))


def _at(day: int, window: object) -> Msg:
    return Msg("%(day)s %(window)s", {"day": day_name(day), "window": str(window)})


def describe_availability(manager: CaseManager) -> Msg:
    parts = []
    for day in manager.available_days:
        windows = merge_windows(manager.windows_on(day))
        parts.append(_at(day, ", ".join(str(w) for w in windows)))
    return concat(parts, "; ") if parts else _("no time at all")


def _member_of_slot_id(slot_id: str) -> str:
    return slot_id.rsplit(":", 2)[0] if slot_id.count(":") >= 2 else ""


def input_problems(
    *,
    slots: Sequence[Slot],
    cases: Sequence[Case],
    case_managers: Sequence[CaseManager],
    members: Sequence[TeamMember],
    pins: Iterable[Pin] = (),
) -> list[Problem]:
    problems: list[Problem] = []
    member_ids = {m.id for m in members}
    member_names = {m.id: m.name for m in members}
    managers = {m.id: m for m in case_managers}
    slot_by_id = {s.id: s for s in slots}

    seen: set[str] = set()
    for case in cases:
        if case.ref in seen:
            problems.append(Problem("duplicate_case", _("%(ref)s is in the sample twice.", ref=case.ref), (case.ref,)))
        seen.add(case.ref)
        if case.case_manager is not None and case.case_manager not in managers:
            problems.append(
                Problem(
                    "unknown_case_manager",
                    _(
                        "%(ref)s names a case manager (%(manager)s) who is not on the list of case managers: add "
                        "them with their availability, or record that no case manager is available.",
                        ref=case.ref,
                        manager=case.case_manager,
                    ),
                    (case.ref,),
                    (case.case_manager,),
                )
            )
    if len(managers) != len(case_managers):
        problems.append(Problem("duplicate_case_manager", _("Two case managers have the same id.")))
    if len(slot_by_id) != len(slots):
        problems.append(Problem("duplicate_slot", _("Two case slots have the same id.")))
    for slot in slots:
        if slot.member_id not in member_ids:
            problems.append(
                Problem(
                    "slot_without_member",
                    _("Slot %(slot)s belongs to someone who is not on the team.", slot=slot.id),
                    people=(slot.member_id,),
                )
            )
    if not slots:
        problems.append(Problem("no_slots", _("The team has no case slots: add the team members first.")))

    pinned_slot: dict[str, str] = {}
    pinned_case: dict[str, str] = {}
    for pin in pins:
        if pin.case_ref not in seen:
            problems.append(
                Problem(
                    "pin_unknown_case",
                    _("%(ref)s is pinned but is not in the sample: remove the pin.", ref=pin.case_ref),
                    (pin.case_ref,),
                )
            )
        if pin.slot_id not in slot_by_id:
            member = _member_of_slot_id(pin.slot_id)
            if member and member not in member_ids:
                message = _(
                    "%(ref)s is pinned to a slot of a team member who is no longer on the team: "
                    "unpin it so it can be placed with someone else.",
                    ref=pin.case_ref,
                )
            else:
                message = _(
                    "%(ref)s is pinned to a slot that is not in the template (%(slot)s): unpin it.",
                    ref=pin.case_ref,
                    slot=pin.slot_id,
                )
            problems.append(Problem("pin_unknown_slot", message, (pin.case_ref,), (member,) if member else ()))
        if pin.case_ref in pinned_case and pinned_case[pin.case_ref] != pin.slot_id:
            problems.append(
                Problem(
                    "pin_twice", _("%(ref)s is pinned to two slots: keep one pin.", ref=pin.case_ref), (pin.case_ref,)
                )
            )
        pinned_case[pin.case_ref] = pin.slot_id
        if pin.slot_id in pinned_slot and pinned_slot[pin.slot_id] != pin.case_ref:
            other = pinned_slot[pin.slot_id]
            slot = slot_by_id.get(pin.slot_id)
            where = (
                _("%(slot)s with %(name)s", slot=slot.describe(), name=member_names.get(slot.member_id, slot.member_id))
                if slot
                else pin.slot_id
            )
            problems.append(
                Problem(
                    "pin_clash",
                    _(
                        "%(cases)s are both pinned to the same slot (%(where)s): unpin one.",
                        cases=_cases_phrase([other, pin.case_ref]),
                        where=where,
                    ),
                    tuple(sorted((other, pin.case_ref))),
                )
            )
        pinned_slot[pin.slot_id] = pin.case_ref
    return problems


def counting_problems(
    *,
    slots: Sequence[Slot],
    cases: Sequence[Case],
    case_managers: Sequence[CaseManager],
    members: Sequence[TeamMember],
    pins: Iterable[Pin] = (),
) -> list[Problem]:
    """Counting proofs that no schedule exists (assumes :func:`input_problems` is empty)."""
    problems: list[Problem] = []
    managers = {m.id: m for m in case_managers}
    member_names = {m.id: m.name for m in members}
    slot_by_id = {s.id: s for s in slots}
    pinned = C.pins_by_case(pins)
    structure = C.time_structure(slots)
    n_times = len(structure.times)

    excess = len(cases) - len(slots)
    if excess > 0:
        problems.append(
            Problem(
                "too_many_cases",
                _(
                    "The sample has %(cases)d cases but the team's template has %(slots)s: add a team member or remove "
                    "%(excess)s.",
                    cases=len(cases),
                    slots=_case_slots(len(slots)),
                    excess=ngettext("%(n)d case", "%(n)d cases", excess, n=excess),
                ),
                tuple(sorted(c.ref for c in cases)),
            )
        )

    # Pins that break a hard rule on their own.
    pinned_by_manager: dict[str, list[tuple[Case, Slot]]] = defaultdict(list)
    for case in cases:
        if case.ref not in pinned or case.case_manager is None:
            continue
        slot = slot_by_id[pinned[case.ref]]
        manager = managers[case.case_manager]
        pinned_by_manager[manager.id].append((case, slot))
        if not C.fits(manager, slot):
            problems.append(
                Problem(
                    "pin_unavailable",
                    _(
                        "%(ref)s is pinned to %(slot)s with %(member)s, but %(manager)s is not available for the "
                        "interview (%(interview)s); they are available %(availability)s. Unpin it or change their "
                        "availability.",
                        ref=case.ref,
                        slot=slot.describe(),
                        member=member_names.get(slot.member_id, slot.member_id),
                        manager=manager.name,
                        interview=str(slot.interview),
                        availability=describe_availability(manager),
                    ),
                    (case.ref,),
                    (manager.id,),
                )
            )
    for manager_id, items in pinned_by_manager.items():
        for a in range(len(items)):
            for b in range(a + 1, len(items)):
                (case_a, slot_a), (case_b, slot_b) = items[a], items[b]
                if C.interviews_clash(slot_a, slot_b):
                    problems.append(
                        Problem(
                            "pins_clash",
                            _(
                                "%(cases)s are pinned to interviews at the same time (%(day)s %(first)s and "
                                "%(second)s), and %(manager)s cannot be in both: unpin one.",
                                cases=_cases_phrase([case_a.ref, case_b.ref]),
                                day=day_name(slot_a.day),
                                first=str(slot_a.interview),
                                second=str(slot_b.interview),
                                manager=managers[manager_id].name,
                            ),
                            tuple(sorted((case_a.ref, case_b.ref))),
                            (manager_id,),
                        )
                    )

    # Free capacity per time, after pins.
    free_at = [0] * n_times
    for slot in slots:
        if slot.id not in pinned.values():
            free_at[structure.index(slot)] += 1
    blocked_by_pins: dict[str, set[int]] = defaultdict(set)
    for manager_id, items in pinned_by_manager.items():
        for _case, pinned_slot in items:
            for t, (day, _window) in enumerate(structure.times):
                if day == pinned_slot.day and structure.interview[t].overlaps(pinned_slot.interview):
                    blocked_by_pins[manager_id].add(t)

    # Per case manager: availability, and how many interviews fit one at a time.
    open_cases: dict[str | None, list[str]] = defaultdict(list)
    for case in cases:
        if case.ref not in pinned:
            open_cases[case.case_manager].append(case.ref)
    eligible: dict[str | None, int] = {None: (1 << n_times) - 1}
    reported: set[str] = set()
    for manager_id, refs in open_cases.items():
        if manager_id is None:
            continue
        manager = managers[manager_id]
        mask = 0
        for t, (day, window) in enumerate(structure.times):
            probe = next(s for s in slots if s.day == day and s.window == window)
            if C.fits(manager, probe) and t not in blocked_by_pins[manager_id] and free_at[t]:
                mask |= 1 << t
        eligible[manager_id] = mask
        if not manager.has_any_availability:
            problems.append(
                Problem(
                    "no_availability",
                    ngettext(
                        "%(cases)s: %(manager)s has no availability in the fieldwork week. Enter their "
                        "availability, or record that no case manager is available for this case (the inspector "
                        "then reads the record).",
                        "%(cases)s: %(manager)s has no availability in the fieldwork week. Enter their "
                        "availability, or record that no case manager is available for these cases (the inspector "
                        "then reads the record).",
                        len(refs),
                        cases=_cases_phrase(refs),
                        manager=manager.name,
                    ),
                    tuple(sorted(refs)),
                    (manager_id,),
                )
            )
            reported.add(manager_id)
            continue
        if mask == 0:
            problems.append(
                Problem(
                    "availability_fits_no_slot",
                    _(
                        "%(cases)s: %(manager)s is available only %(availability)s, which covers no free interview "
                        "time (the case manager joins 30 minutes into a 2-hour slot and stays until 15 minutes "
                        "before its end). Ask for more availability.",
                        cases=_cases_phrase(refs),
                        manager=manager.name,
                        availability=describe_availability(manager),
                    ),
                    tuple(sorted(refs)),
                    (manager_id,),
                )
            )
            reported.add(manager_id)
            continue
        fit = _max_one_at_a_time(mask, structure)
        if fit < len(refs):
            move = len(refs) - fit
            too_few = dict(
                cases=_cases_phrase(refs),
                manager=manager.name,
                availability=describe_availability(manager),
                fit=fit,
                move=ngettext("%(n)d case", "%(n)d cases", move, n=move),
            )
            problems.append(
                Problem(
                    "too_few_times",
                    (
                        ngettext(
                            "%(cases)s: %(manager)s is available only %(availability)s, where at most %(fit)d "
                            "interview fits one at a time besides their pinned cases. Ask for more availability or "
                            "move %(move)s to another case manager.",
                            "%(cases)s: %(manager)s is available only %(availability)s, where at most %(fit)d "
                            "interviews fit one at a time besides their pinned cases. Ask for more availability or "
                            "move %(move)s to another case manager.",
                            fit,
                            **too_few,
                        )
                        if manager_id in pinned_by_manager
                        else ngettext(
                            "%(cases)s: %(manager)s is available only %(availability)s, where at most %(fit)d "
                            "interview fits one at a time. Ask for more availability or move %(move)s to another "
                            "case manager.",
                            "%(cases)s: %(manager)s is available only %(availability)s, where at most %(fit)d "
                            "interviews fit one at a time. Ask for more availability or move %(move)s to another "
                            "case manager.",
                            fit,
                            **too_few,
                        )
                    ),
                    tuple(sorted(refs)),
                    (manager_id,),
                )
            )
            reported.add(manager_id)

    problems.extend(_hall_problems(open_cases, eligible, free_at, structure, managers, reported))
    return problems


def _max_one_at_a_time(mask: int, structure: C.TimeStructure) -> int:
    """Most interviews one person can attend among the times in ``mask`` (interval scheduling)."""
    chosen = 0
    last_end: dict[int, int] = {}
    times = [t for t in range(len(structure.times)) if mask >> t & 1]
    for t in sorted(times, key=lambda t: (structure.times[t][0], structure.interview[t].end)):
        day = structure.times[t][0]
        if structure.interview[t].start >= last_end.get(day, -1):
            chosen += 1
            last_end[day] = structure.interview[t].end
    return chosen


def _hall_problems(open_cases, eligible, free_at, structure, managers, reported) -> list[Problem]:
    """Hall's condition: every set of times T must have at least as many free slots as
    the cases whose case managers can only come at times in T. Only unions of the case
    managers' own time sets need checking."""
    masks = {eligible[m] for m in open_cases if eligible.get(m)}
    unions = {0}
    for mask in masks:
        unions |= {u | mask for u in unions}
    unions.discard(0)
    violations = []
    for union in unions:
        group = [m for m in open_cases if eligible.get(m) and eligible[m] & ~union == 0]
        demand = sum(len(open_cases[m]) for m in group)
        capacity = sum(free_at[t] for t in range(len(free_at)) if union >> t & 1)
        if demand > capacity:
            violations.append((bin(union).count("1"), union, group, demand, capacity))
    problems: list[Problem] = []
    kept: list[int] = []
    for _size, union, group, demand, capacity in sorted(violations, key=lambda v: (v[0], -v[3] + v[4])):
        if any(k & ~union == 0 for k in kept):
            continue  # a smaller set of times already shows the same shortage
        if None in group:
            continue  # every time at all: that is the total count, reported as too_many_cases
        named = list(group)
        if len(named) == 1 and named[0] in reported:
            continue
        kept.append(union)
        refs = sorted(ref for m in group for ref in open_cases[m])
        times = [t for t in range(len(free_at)) if union >> t & 1]
        when = join([_at(structure.times[t][0], structure.times[t][1]) for t in times])
        owners = [
            Msg("%(cases)s (%(manager)s)", {"cases": join(sorted(open_cases[m])), "manager": managers[m].name})
            for m in sorted(group, key=lambda m: managers[m].name)
        ]
        problems.append(
            Problem(
                "not_enough_slots",
                ngettext(
                    "Cases %(owners)s: their case managers are available only at %(when)s, which has %(capacity)d "
                    "case slot left; %(demand)d are needed. Ask these case managers for more availability, move "
                    "cases to other case managers, or add a team member.",
                    "Cases %(owners)s: their case managers are available only at %(when)s, which have "
                    "%(capacity)d case slots left; %(demand)d are needed. Ask these case managers for more "
                    "availability, move cases to other case managers, or add a team member.",
                    capacity,
                    owners=concat(owners, "; "),
                    when=when,
                    capacity=capacity,
                    demand=demand,
                ),
                tuple(refs),
                tuple(sorted(named)),
            )
        )
        if len(problems) >= 3:
            break
    return problems


def core_problems(
    *,
    slots: Sequence[Slot],
    cases: Sequence[Case],
    case_managers: Sequence[CaseManager],
    members: Sequence[TeamMember],
    pins: Iterable[Pin] = (),
    time_limit_s: float = 10.0,
) -> list[Problem]:
    """A small set of cases, case managers' rules and times that cannot all hold."""
    from ortools.sat.python import cp_model

    from scheduling.domain.solver import _build

    pins = tuple(pins)
    built = _build(slots=slots, cases=cases, case_managers=case_managers, members=members, pins=pins, diagnosis=True)
    keys = list(built.assumptions)
    deadline = time.perf_counter() + time_limit_s

    def infeasible(active: list[tuple]) -> tuple[bool, list[tuple]]:
        model = built.model.clone()
        model.clear_assumptions()
        model.add_assumptions([built.assumptions[k] for k in active])
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.1, min(2.0, deadline - time.perf_counter()))
        solver.parameters.num_workers = 1  # sufficient_assumptions needs the core-based single worker
        status = solver.solve(model)
        if status != cp_model.INFEASIBLE:
            return False, active
        index = {built.assumptions[k].index: k for k in active}
        core = [index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in index]
        return True, core or active

    is_infeasible, core = infeasible(keys)
    if not is_infeasible:
        return []
    # Deletion-based shrinking: drop each assumption that is not needed for infeasibility.
    i = 0
    while i < len(core) and time.perf_counter() < deadline:
        trial = core[:i] + core[i + 1 :]
        still, smaller = infeasible(trial)
        if still:
            core = [k for k in trial if k in set(smaller)] if set(smaller) <= set(trial) else trial
        else:
            i += 1
    return [_core_message(core, slots, cases, case_managers, pins)]


def _core_message(core, slots, cases, case_managers, pins) -> Problem:
    managers = {m.id: m for m in case_managers}
    structure = C.time_structure(slots)
    rosh = sorted({k[1] for k in core if k[0] == "high_rosh"})
    rosh_room = sorted({k[1] for k in core if k[0] == "high_rosh_room"})
    refs = sorted({k[1] for k in core if k[0] in ("place", "pin", "high_rosh")})
    people = sorted({k[1] for k in core if k[0] in ("availability", "clash")})
    times = sorted({k[1] for k in core if k[0] == "capacity"})
    parts: list[Msg] = []
    placed = sorted({k[1] for k in core if k[0] in ("place", "pin")})
    if placed:
        parts.append(_("%(cases)s must each have a slot", cases=_cases_phrase(placed)))
    if rosh:
        parts.append(
            ngettext(
                "%(cases)s has a high risk of serious harm, so goes to an HMI Probation inspector while they have room",
                "%(cases)s have a high risk of serious harm, so go to HMI Probation inspectors while they have room",
                len(rosh),
                cases=_cases_phrase(rosh),
            )
        )
    for n in rosh_room:
        parts.append(
            ngettext(
                "only %(n)d case with a high risk of serious harm may go to a local assessor, as HMI Probation "
                "inspectors have room for the others",
                "only %(n)d cases with a high risk of serious harm may go to a local assessor, as HMI Probation "
                "inspectors have room for the others",
                n,
                n=n,
            )
        )
    for manager_id in people:
        manager = managers[manager_id]
        available = ("availability", manager_id) in core
        one_at_a_time = ("clash", manager_id) in core
        args = dict(manager=manager.name, availability=describe_availability(manager))
        if available and one_at_a_time:
            parts.append(
                _("%(manager)s is available only %(availability)s and can attend one interview at a time", **args)
            )
        elif available:
            parts.append(_("%(manager)s is available only %(availability)s", **args))
        elif one_at_a_time:
            parts.append(_("%(manager)s can attend one interview at a time", **args))
    if times:
        counts = defaultdict(int)
        for slot in slots:
            counts[structure.index(slot)] += 1
        when = join(
            [
                Msg(
                    "%(at)s (%(slots)s)",
                    {
                        "at": _at(structure.times[t][0], structure.times[t][1]),
                        "slots": ngettext("%(n)d slot", "%(n)d slots", counts[t], n=counts[t]),
                    },
                )
                for t in times
            ]
        )
        parts.append(_("the slots at %(when)s hold one case each", when=when))
    pinned = sorted({k[1] for k in core if k[0] == "pin"})
    if pinned:
        parts.append(ngettext("%(cases)s is pinned", "%(cases)s are pinned", len(pinned), cases=join(pinned)))
    if rosh or rosh_room:
        message = _(
            "No schedule satisfies all of these together: %(parts)s. Change one of them: ask for more "
            "availability, move a case to another case manager, unpin a case, add a team member, or pin a case "
            "with a high risk of serious harm to a local assessor.",
            parts=concat(parts, "; "),
        )
    else:
        message = _(
            "No schedule satisfies all of these together: %(parts)s. Change one of them: ask for more "
            "availability, move a case to another case manager, unpin a case, or add a team member.",
            parts=concat(parts, "; "),
        )
    return Problem("conflict", message, tuple(refs), tuple(people))


def diagnose(
    *,
    slots: Sequence[Slot],
    cases: Sequence[Case],
    case_managers: Sequence[CaseManager],
    members: Sequence[TeamMember],
    pins: Iterable[Pin] = (),
    use_solver: bool = True,
    time_limit_s: float = 10.0,
) -> list[Problem]:
    """Why no schedule exists; an empty list when none of the layers finds a reason."""
    pins = tuple(pins)
    kwargs = dict(slots=slots, cases=cases, case_managers=case_managers, members=members, pins=pins)
    problems = input_problems(**kwargs)
    if problems:
        return problems
    problems = counting_problems(**kwargs)
    if problems or not use_solver:
        return problems
    return core_problems(**kwargs, time_limit_s=time_limit_s)
