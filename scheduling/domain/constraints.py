"""The scheduling rules, in one place: what makes a schedule valid and what makes it good.

The solver (``solver.py``) encodes these rules in CP-SAT, ``checks.py`` reports a
hand-edited schedule's breaches of them and ``diagnose.py`` explains why no schedule
satisfies them. :func:`score` evaluates the soft rules on a concrete schedule with the
same weights the solver minimises, so "the solver's objective equals the score of the
schedule it returns" is a test, not a hope.

Hard rules (a schedule that breaks one cannot be finalised):
  * every sampled case is in exactly one case slot; a slot holds at most one case;
  * the case manager's availability covers the interview part of the slot, from 30
    minutes after its start to 15 minutes before its end (seed 000 §11.5);
  * a case manager is never in two interviews that overlap;
  * a pinned case stays in its slot;
  * a case with a high risk of serious harm (RoSH) goes to HMI Probation staff, not a
    local assessor, unless HMI Probation staff have no room for it (see READING (high
    RoSH) below and :func:`high_rosh_room`).

READING (seed 000 §11.5, "the final 15 minutes ... also allows some flexibility in case
an interview takes longer than intended", and its NB that the first interview with each
case manager is followed by questions about local management): availability must cover
the interview window (start+30 to end-15) - that is the hard rule; availability that also
covers the last 15 minutes (to the end of the slot) leaves room for an overrun, which is
a soft preference (NO_OVERRUN_ROOM). Two interviews of the same case manager clash when
their interview windows overlap; with the templates' times this is exactly "slots at the
same time of day", and the LI's 11.30-13.30 Tuesday slot clashes with the others'
11.15-13.15.

READING (high RoSH; issue 12 §9, seed 000 §4, §10.4, §11.1): the seeds give no rule for
who takes which case; they say that high-RoSH and high-vulnerability cases are sampled
"to ensure that we have also inspected more complex work" (§10.4) and that local
assessors are peers from another YOT "supervised by a member of the HMI Probation team"
(§4, §11.1). The product has always warned when such a case is with a local assessor;
issue 12 makes that a hard rule for high RoSH: such a case never goes to a local
assessor while HMI Probation staff can take it. When they cannot (too few of their slots
at times the case managers can come), the fewest possible go to local assessors, the
soft cost below still chooses which, and the schedule says so. A case the SSO pins to a
local assessor stays there, and the checks show it as breaking the rule when an
inspector could take it. High vulnerability stays a soft preference (the same weight as
before): the issue names only RoSH, and making both hard would leave local assessors
with little but the simplest cases in most samples, where the seeds ask only that such
cases be inspected, not by whom.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from scheduling.domain.model import Case, CaseManager, Pin, Role, Slot, TeamMember, Window

# --- Soft-rule weights (integers, so the objective and the solver's bound are exact) ----
# Penalty points per unit; the solver minimises their sum. The order of magnitude
# encodes priority: a high-RoSH case with a local assessor is worse than a returning
# case manager seen on their first day back, which is worse than an extra day of travel
# to the office for one case manager, which is worse than a little idle time.

# Per flag (high RoSH, high vulnerability) on a case placed with a local assessor: seed
# 000 §10.4 samples such cases "to ensure that we have also inspected more complex work",
# and local assessors are peers from another YOT, so these go to HMI Probation staff. For
# high RoSH this only chooses which cases go to local assessors when HMI Probation staff
# are short of room; otherwise the hard rule keeps them away (READING (high RoSH)).
W_SENSITIVE_WITH_LOCAL_ASSESSOR = 60
# Per complexity point of a case placed with a local assessor: the less complex cases
# go to local assessors (the issue). Small, so it orders cases rather than overriding
# case managers' convenience.
W_LOCAL_ASSESSOR_COMPLEXITY = 3
# Per case of a returning case manager on their first day back (seed 000 §10.4: "not on
# their first day back", so they can deal with urgent work first).
W_RETURNING_FIRST_DAY = 40
# Per case of a returning case manager, per fieldwork day before the last: "schedule
# their cases for later in the inspection" (seed 000 §10.4).
W_RETURNING_EARLY = 4
# Per interview beyond the case manager's max_per_day on one day: "we seek to limit the
# number of cases that any case manager will be asked to present" (seed 000 §10.4).
W_OVER_DAILY_LIMIT = 30
# Per extra day (beyond the first) on which a case manager has an interview: their cases
# close together, so fewer days are disrupted (part-timers, travel from other offices).
W_EXTRA_DAY = 6
# Per unused time band between two of a case manager's interviews on the same day
# (for example 9am and 3pm with nothing at 11.15): adjacent interviews waste less time.
W_GAP = 3
# Per case whose case manager's availability ends before the slot does: no room for an
# interview that overruns into the 15 minutes of writing up (see READING above).
W_NO_OVERRUN_ROOM = 2
# Per case by which a group of interchangeable team members is off its fair share of
# the sample (in proportion to slot capacity, rounded either way), and per case of spread
# above one between members of the same group: the SSO shares the work evenly.
W_BALANCE = 8
# Per case that a schedule built again moves from where the current version has it (another
# slot, or the same time with another team member). READING (docs/rulebook.md, "Building the
# schedule again"): seed 000 §10.4 asks for accurate availability "to prevent avoidable last
# minute changes to the schedule", and once the YOT has the schedule each move is another
# interview it must arrange again. So a move outweighs every preference about convenience and
# the two about case managers' load (over the daily limit, 30; a returning case manager's first
# day back, 40), and ranks only below a case with high vulnerability (or high RoSH) going to a
# local assessor (60 per flag): the product would still move one case to keep such a case with
# HMI Probation staff. Hard rules are never traded against it (they are constraints, not points).
W_MOVE = 50

SOFT_RULES = (
    "sensitive_with_local_assessor",
    "local_assessor_complexity",
    "returning_first_day",
    "returning_early",
    "over_daily_limit",
    "extra_day",
    "gap",
    "no_overrun_room",
    "balance",
    "moved",
)


# --- Hard-rule primitives ---------------------------------------------------------------


def fits(manager: CaseManager, slot: Slot) -> bool:
    """The case manager's availability covers the slot's interview window."""
    return manager.is_available(slot.day, slot.interview)


def has_overrun_room(manager: CaseManager, slot: Slot) -> bool:
    """Their availability also covers the slot's last 15 minutes (room to overrun)."""
    return manager.is_available(slot.day, Window(slot.interview.start, slot.window.end))


def interviews_clash(a: Slot, b: Slot) -> bool:
    return a.day == b.day and a.interview.overlaps(b.interview)


def first_day_back(manager: CaseManager, days: Sequence[int]) -> int | None:
    """A returning case manager's first fieldwork day with any availability."""
    if not manager.returning_from_absence:
        return None
    for day in sorted(days):
        if manager.windows_on(day):
            return day
    return None


def case_slot_ok(case: Case, slot: Slot, managers: Mapping[str, CaseManager]) -> bool:
    """The hard availability rule for one case in one slot."""
    if case.case_manager is None:
        return True
    manager = managers.get(case.case_manager)
    return manager is not None and fits(manager, slot)


# --- Room for the cases with a high risk of serious harm ---------------------------------


@dataclass(frozen=True)
class HighRoshRoom:
    """How many of the sample's high-RoSH cases HMI Probation staff can take.

    ``cases``: every high-RoSH case. ``open``: those the solver places (not pinned).
    ``room``: at most how many of ``open`` fit in HMI Probation staff's unpinned slots
    at times their case managers can come (a count, so possibly more than any schedule
    achieves once the other cases are placed too; never fewer).
    ``pinned_to_local_assessor``: high-RoSH cases the SSO has pinned to a local assessor.
    """

    cases: tuple[str, ...]
    open: tuple[str, ...]
    room: int
    pinned_to_local_assessor: tuple[str, ...] = ()

    @property
    def to_local_assessors(self) -> int:
        """How many of the open high-RoSH cases may go to a local assessor (0 unless short of room)."""
        return len(self.open) - self.room

    @property
    def short(self) -> bool:
        return self.to_local_assessors > 0


def high_rosh_room(
    *,
    slots: Sequence[Slot],
    cases: Sequence[Case],
    case_managers: Sequence[CaseManager],
    members: Sequence[TeamMember],
    pins: Iterable[Pin] = (),
) -> HighRoshRoom:
    """Count HMI Probation staff's room for the high-RoSH cases, before the solver runs.

    Each case needs one slot of HMI Probation staff (a slot no pinned case holds) whose
    interview its case manager can attend, and a case manager is in one interview at a
    time (at most one of their cases in each group of overlapping slot times). The room
    is the largest number of open high-RoSH cases that can be given such slots together
    (a maximum flow: case -> case manager's time band -> slot).
    """
    managers = {m.id: m for m in case_managers}
    hmip = {m.id for m in members if m.is_hmip_staff}
    slot_by_id = {s.id: s for s in slots}
    pinned = pins_by_case(pins)
    high = [c for c in cases if c.high_rosh]
    open_cases = [c for c in high if c.ref not in pinned]
    pinned_la = tuple(
        c.ref
        for c in high
        if c.ref in pinned and pinned[c.ref] in slot_by_id and slot_by_id[pinned[c.ref]].member_id not in hmip
    )
    taken = set(pinned.values())
    free = [s for s in slots if s.member_id in hmip and s.id not in taken]
    structure = time_structure(slots)
    bands = set(structure.band_of)
    band_is_clique = {
        band: interviews_all_overlap([t for t, other in enumerate(structure.band_of) if other == band], structure)
        for band in bands
    }

    # Capacities of a small flow network (case -> case manager's band -> slot); nodes are tuples.
    graph: dict[tuple, dict[tuple, int]] = defaultdict(lambda: defaultdict(int))
    source, sink = ("source",), ("sink",)
    for slot in free:
        graph[("slot", slot.id)][sink] = 1
    pinned_slots_of: dict[str, list[Slot]] = defaultdict(list)  # case manager -> their pinned interviews
    for case in cases:
        if case.case_manager is not None and case.ref in pinned and pinned[case.ref] in slot_by_id:
            pinned_slots_of[case.case_manager].append(slot_by_id[pinned[case.ref]])
    for case in open_cases:
        node = ("case", case.ref)
        graph[source][node] = 1
        for slot in free:
            if not case_slot_ok(case, slot, managers):
                continue
            if any(interviews_clash(slot, other) for other in pinned_slots_of.get(case.case_manager or "", ())):
                continue
            band = structure.band_of[structure.index(slot)]
            if case.case_manager is None or not band_is_clique[band]:
                # No limit here when a band's times do not all overlap (not with the shipped
                # templates), so the count never says there is less room than there is.
                graph[node][("slot", slot.id)] = 1
                continue
            # One interview at a time: at most one of a case manager's cases in a band of
            # overlapping times (a node of capacity 1: in -> out).
            gate_in, gate_out = ("band_in", case.case_manager, band), ("band_out", case.case_manager, band)
            graph[node][gate_in] = 1
            graph[gate_in][gate_out] = 1
            graph[gate_out][("slot", slot.id)] = 1
    room = _max_flow(graph, source, sink)
    return HighRoshRoom(
        cases=tuple(c.ref for c in high),
        open=tuple(c.ref for c in open_cases),
        room=room,
        pinned_to_local_assessor=pinned_la,
    )


def _max_flow(graph: dict[tuple, dict[tuple, int]], source: tuple, sink: tuple) -> int:
    """Unit augmenting paths (breadth first): the graph is tens of nodes."""
    flow = 0
    while True:
        parent: dict[tuple, tuple] = {source: source}
        queue = [source]
        for node in queue:
            if node == sink:
                break
            for target, capacity in list(graph[node].items()):
                if capacity > 0 and target not in parent:
                    parent[target] = node
                    queue.append(target)
        if sink not in parent:
            return flow
        node = sink
        while node != source:
            previous = parent[node]
            graph[previous][node] -= 1
            graph[node][previous] += 1
            node = previous
        flow += 1


# --- Time structure of a set of slots ---------------------------------------------------


TimeKey = tuple[int, Window]  # (day, slot window): slots at the same time


@dataclass(frozen=True)
class TimeStructure:
    """The distinct slot times of a week and how their interviews overlap.

    ``times``: distinct (day, window) in chronological order.
    ``cliques``: sets of time indexes whose interviews all overlap at one moment (a single
    time is a clique too: the slots of several members at that time); at most one
    interview per case manager in each. Exact for intervals: one clique per distinct
    interview start, keeping the maximal ones.
    ``band_of``: time index -> (day, band), bands being the day's connected groups of
    overlapping interviews in order (Tuesday 11.15 and the LI's 11.30 share a band).
    """

    times: tuple[TimeKey, ...]
    interview: tuple[Window, ...]
    cliques: tuple[tuple[int, ...], ...]
    band_of: tuple[tuple[int, int], ...]
    bands_per_day: Mapping[int, int]
    days: tuple[int, ...]

    def index(self, slot: Slot) -> int:
        return self.times.index((slot.day, slot.window))


def time_structure(slots: Iterable[Slot]) -> TimeStructure:
    interviews: dict[TimeKey, Window] = {}
    for slot in slots:
        interviews[(slot.day, slot.window)] = slot.interview
    times = tuple(sorted(interviews, key=lambda k: (k[0], k[1].start, k[1].end)))
    interview = tuple(interviews[t] for t in times)
    cliques: list[tuple[int, ...]] = []
    band_of: list[tuple[int, int]] = [(0, 0)] * len(times)
    bands_per_day: dict[int, int] = {}
    days = sorted({day for day, _ in times})
    for day in days:
        idx = [i for i, (d, _) in enumerate(times) if d == day]
        seen: set[tuple[int, ...]] = set()
        for i in idx:
            moment = interview[i].start
            clique = tuple(j for j in idx if interview[j].start <= moment < interview[j].end)
            if clique not in seen:
                seen.add(clique)
                cliques.append(clique)
        band, band_end = -1, -1
        for i in sorted(idx, key=lambda j: interview[j].start):
            if interview[i].start >= band_end:
                band += 1
            band_end = max(band_end, interview[i].end)
            band_of[i] = (day, band)
        bands_per_day[day] = band + 1
    # Drop cliques contained in a larger one: they add nothing.
    maximal = tuple(c for c in cliques if not any(set(c) < set(d) for d in cliques))
    return TimeStructure(times, interview, maximal, tuple(band_of), bands_per_day, tuple(days))


def interviews_all_overlap(times: Sequence[int], structure: TimeStructure) -> bool:
    """The interviews at these times all overlap one another."""
    return all(structure.interview[a].overlaps(structure.interview[b]) for a in times for b in times if a < b)


# --- Groups of interchangeable team members ---------------------------------------------


def member_groups(members: Sequence[TeamMember], slots: Sequence[Slot]) -> dict[tuple, tuple[str, ...]]:
    """Members with the same role and the same slot times, in team order.

    Such members are interchangeable for every rule, which the solver exploits (it
    decides how many cases each group takes at each time, then deals them out).
    """
    times: dict[str, list[TimeKey]] = defaultdict(list)
    for slot in slots:
        times[slot.member_id].append((slot.day, slot.window))
    groups: dict[tuple, list[str]] = defaultdict(list)
    for member in members:
        key = (member.role.value, tuple(sorted(times.get(member.id, ()), key=lambda k: (k[0], k[1]))))
        groups[key].append(member.id)
    return {key: tuple(ids) for key, ids in groups.items()}


def fair_share_ranges(total: int, capacities: Sequence[int]) -> tuple[tuple[int, int], ...]:
    """For each group, the whole numbers of cases around its exact proportional share.

    A group's fair share of ``total`` cases is total x capacity / all capacity; a load
    between that share rounded down and rounded up is fair (no tie-breaking between
    groups whose shares are both x.5).
    """
    capacity = sum(capacities)
    if capacity == 0:
        return tuple((0, 0) for _ in capacities)
    total = min(total, capacity)
    return tuple((total * c // capacity, -(-total * c // capacity)) for c in capacities)


def off_share(load: int, fair: tuple[int, int]) -> int:
    low, high = fair
    return max(0, load - high) + max(0, low - load)


# --- Soft rules on a concrete schedule --------------------------------------------------


@dataclass(frozen=True)
class Penalty:
    rule: str
    points: int
    cases: tuple[str, ...]
    people: tuple[str, ...]  # ids: case managers or team members
    detail: Mapping[str, object]


def score(
    *,
    assignment: Mapping[str, str],
    slots: Sequence[Slot],
    cases: Sequence[Case],
    case_managers: Sequence[CaseManager],
    members: Sequence[TeamMember],
) -> tuple[Penalty, ...]:
    """Every soft-rule penalty of a schedule (case ref -> slot id), as the solver counts it.

    Cases that are unplaced or in unknown slots are ignored here (they are hard
    breaches, reported by ``checks``).
    """
    slot_by_id = {s.id: s for s in slots}
    role_of = {m.id: m.role for m in members}
    managers = {m.id: m for m in case_managers}
    structure = time_structure(slots)
    days = structure.days
    last_day = max(days) if days else 0
    placed = {ref: slot_by_id[sid] for ref, sid in assignment.items() if sid in slot_by_id}
    penalties: list[Penalty] = []

    for case in cases:
        slot = placed.get(case.ref)
        if slot is None:
            continue
        manager = managers.get(case.case_manager) if case.case_manager else None
        penalties.extend(_case_penalties(case, slot, role_of.get(slot.member_id), manager, days, last_day))

    # Per case manager and day.
    by_manager: dict[str, list[tuple[Case, Slot]]] = defaultdict(list)
    for case in cases:
        if case.case_manager in managers and case.ref in placed:
            by_manager[case.case_manager].append((case, placed[case.ref]))
    for manager_id, items in by_manager.items():
        penalties.extend(_manager_penalties(managers[manager_id], items, structure))

    penalties.extend(_balance_penalties(placed, slots, members, len(cases)))
    return tuple(p for p in penalties if p.points)


def _case_penalties(
    case: Case, slot: Slot, role: Role | None, manager: CaseManager | None, days: Sequence[int], last_day: int
) -> list[Penalty]:
    out: list[Penalty] = []
    if role is Role.LOCAL_ASSESSOR:
        flags = int(case.high_rosh) + int(case.high_vulnerability)
        if flags:
            out.append(
                Penalty(
                    "sensitive_with_local_assessor",
                    W_SENSITIVE_WITH_LOCAL_ASSESSOR * flags,
                    (case.ref,),
                    (slot.member_id,),
                    {"high_rosh": case.high_rosh, "high_vulnerability": case.high_vulnerability},
                )
            )
        if case.complexity:
            out.append(
                Penalty(
                    "local_assessor_complexity",
                    W_LOCAL_ASSESSOR_COMPLEXITY * case.complexity,
                    (case.ref,),
                    (slot.member_id,),
                    {"complexity": case.complexity},
                )
            )
    if manager is not None:
        back = first_day_back(manager, days)
        if back is not None and slot.day == back:
            out.append(Penalty("returning_first_day", W_RETURNING_FIRST_DAY, (case.ref,), (manager.id,), {"day": back}))
        if manager.returning_from_absence and slot.day < last_day:
            out.append(
                Penalty(
                    "returning_early",
                    W_RETURNING_EARLY * (last_day - slot.day),
                    (case.ref,),
                    (manager.id,),
                    {"days_early": last_day - slot.day},
                )
            )
        if fits(manager, slot) and not has_overrun_room(manager, slot):
            out.append(Penalty("no_overrun_room", W_NO_OVERRUN_ROOM, (case.ref,), (manager.id,), {}))
    return out


def case_cost(case: Case, slot: Slot, role: Role, manager: CaseManager | None, days: Sequence[int]) -> int:
    """The per-case part of the objective for placing ``case`` in ``slot`` (used by the solver)."""
    last_day = max(days) if days else 0
    return sum(p.points for p in _case_penalties(case, slot, role, manager, days, last_day))


def _manager_penalties(manager: CaseManager, items: list[tuple[Case, Slot]], structure: TimeStructure) -> list[Penalty]:
    out: list[Penalty] = []
    refs = tuple(sorted(c.ref for c, _ in items))
    per_day: dict[int, list[tuple[Case, Slot]]] = defaultdict(list)
    for case, slot in items:
        per_day[slot.day].append((case, slot))
    if len(per_day) > 1:
        out.append(
            Penalty("extra_day", W_EXTRA_DAY * (len(per_day) - 1), refs, (manager.id,), {"days": sorted(per_day)})
        )
    lookup = {key: i for i, key in enumerate(structure.times)}
    for day, day_items in sorted(per_day.items()):
        day_refs = tuple(sorted(c.ref for c, _ in day_items))
        over = len(day_items) - manager.max_per_day
        if over > 0:
            out.append(
                Penalty(
                    "over_daily_limit",
                    W_OVER_DAILY_LIMIT * over,
                    day_refs,
                    (manager.id,),
                    {"day": day, "count": len(day_items), "limit": manager.max_per_day},
                )
            )
        used = {structure.band_of[lookup[(s.day, s.window)]][1] for _, s in day_items}
        gaps = (max(used) - min(used) + 1) - len(used)
        if gaps > 0:
            out.append(Penalty("gap", W_GAP * gaps, day_refs, (manager.id,), {"day": day, "gaps": gaps}))
    return out


def _balance_penalties(
    placed: Mapping[str, Slot], slots: Sequence[Slot], members: Sequence[TeamMember], n_cases: int
) -> list[Penalty]:
    groups = member_groups(members, slots)
    capacity = defaultdict(int)
    for slot in slots:
        capacity[slot.member_id] += 1
    load = defaultdict(int)
    for slot in placed.values():
        load[slot.member_id] += 1
    keys = list(groups)
    ranges = fair_share_ranges(n_cases, [sum(capacity[m] for m in groups[k]) for k in keys])
    out: list[Penalty] = []
    for key, fair in zip(keys, ranges, strict=True):
        ids = groups[key]
        group_load = sum(load[m] for m in ids)
        off = off_share(group_load, fair)
        share = fair[0] if fair[0] == fair[1] else f"{fair[0]}-{fair[1]}"
        spread = max(load[m] for m in ids) - min(load[m] for m in ids)
        points = W_BALANCE * (off + max(0, spread - 1))
        if points:
            out.append(Penalty("balance", points, (), ids, {"load": group_load, "share": share, "spread": spread}))
    return out


def moved_cases(assignment: Mapping[str, str], previous: Mapping[str, str] | None) -> tuple[str, ...]:
    """Cases placed in ``previous`` (the version a build starts from) that ``assignment`` puts in
    another slot. A case ``previous`` did not place has nothing to move from; one ``assignment``
    leaves out is a hard breach, reported by ``checks``, not a move."""
    if not previous:
        return ()
    return tuple(sorted(ref for ref, slot_id in previous.items() if ref in assignment and assignment[ref] != slot_id))


def move_penalties(assignment: Mapping[str, str], previous: Mapping[str, str] | None) -> tuple[Penalty, ...]:
    """The "moved" soft rule: ``W_MOVE`` per case that left its slot of ``previous``."""
    return tuple(
        Penalty("moved", W_MOVE, (ref,), (), {"from": previous[ref], "to": assignment[ref]})
        for ref in moved_cases(assignment, previous)
    )


def total(penalties: Iterable[Penalty]) -> int:
    return sum(p.points for p in penalties)


def pins_by_case(pins: Iterable[Pin]) -> dict[str, str]:
    return {pin.case_ref: pin.slot_id for pin in pins}
