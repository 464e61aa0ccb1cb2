"""Seeded synthetic inspections for tests, the benchmark and demos (no real people).

:func:`realistic_instance` imitates a YOT's return: 15-25 case managers carrying 1-4
cases each, some part-time or with mornings only, a few absent on a fieldwork day, some
with other commitments (court duty, meetings), some back from an absence the week
before, and a couple of cases with no case manager. :func:`planted_instance` builds a
small inspection around a hidden valid schedule, so it is feasible by construction.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field

from scheduling.domain.model import Case, CaseManager, Slot, TeamMember, Window, merge_windows
from scheduling.domain.templates import build_week, get_template, standard_members

WORKING_DAY = Window(9 * 60, 17 * 60 + 30)


@dataclass(frozen=True)
class Instance:
    members: tuple[TeamMember, ...]
    slots: tuple[Slot, ...]
    cases: tuple[Case, ...]
    case_managers: tuple[CaseManager, ...]
    hidden: Mapping[str, str] = field(default_factory=dict)  # planted_instance's valid schedule

    def kwargs(self) -> dict:
        return dict(slots=self.slots, cases=self.cases, case_managers=self.case_managers, members=self.members)


def _subtract(windows: tuple[Window, ...], cut: Window) -> tuple[Window, ...]:
    out = []
    for w in windows:
        if not w.overlaps(cut):
            out.append(w)
            continue
        if w.start < cut.start:
            out.append(Window(w.start, cut.start))
        if cut.end < w.end:
            out.append(Window(cut.end, w.end))
    return tuple(out)


def _case(rng: random.Random, ref: str, manager: str | None) -> Case:
    high_rosh = rng.random() < 0.2
    high_vulnerability = rng.random() < 0.25
    base = rng.choice((1, 1, 2, 2, 3, 3, 4, 5))
    complexity = min(5, base + (1 if high_rosh or high_vulnerability else 0))
    return Case(ref, manager, high_rosh, high_vulnerability, complexity)


def realistic_instance(
    seed: int, *, template: str = "sqs", team_size: int = 7, n_cases: int | None = None, record_only: int = 2
) -> Instance:
    """A YOT-like inspection, redrawn until the counting checks of ``diagnose`` find no
    reason it is infeasible (an SSO would not sample four cases of a case manager who
    can attend three interviews)."""
    from scheduling.domain.diagnose import counting_problems

    for attempt in range(100):
        rng = random.Random(seed * 1000 + attempt)  # noqa: S311 - synthetic data, not security
        instance = _realistic_draw(rng, template, team_size, n_cases, record_only)
        if not counting_problems(**instance.kwargs()):
            return instance
    raise RuntimeError(f"no feasible-looking instance for seed {seed}")


def _realistic_draw(
    rng: random.Random, template: str, team_size: int, n_cases: int | None, record_only: int
) -> Instance:
    tpl = get_template(template)
    members = standard_members(tpl, team_size)
    week = build_week(tpl, members)
    days = week.days
    n_cases = len(week.slots) if n_cases is None else n_cases
    with_manager = n_cases - record_only

    n_managers = rng.randint(15, 25)
    n_managers = max(n_managers, -(-with_manager // 4))
    n_managers = min(n_managers, with_manager)
    counts = [1] * n_managers
    while sum(counts) < with_manager:
        i = rng.randrange(n_managers)
        if counts[i] < 4:
            counts[i] += 1

    managers = []
    cases = []
    ref_numbers = rng.sample(range(1, 100), n_cases)
    refs = [f"HMIP-{n:02d}" for n in ref_numbers]
    for m, count in enumerate(counts):
        availability: dict[int, tuple[Window, ...]] = {day: (WORKING_DAY,) for day in days}
        kind = rng.random()
        if kind < 0.15:  # part-time: not in on one fieldwork day
            del availability[rng.choice(days)]
        elif kind < 0.25:  # mornings only on some days
            for day in rng.sample(days, k=max(1, len(days) - 1)):
                availability[day] = (Window(9 * 60, 13 * 60),)
        elif kind < 0.33:  # absent for part of the week (leave, training)
            del availability[rng.choice(days)]
        if rng.random() < 0.35:  # another commitment: court duty, a meeting, a home visit
            day = rng.choice(list(availability))
            start = rng.choice((9 * 60, 10 * 60, 11 * 60, 13 * 60, 14 * 60, 15 * 60))
            availability[day] = _subtract(availability[day], Window(start, start + rng.choice((90, 120, 180))))
        availability = {d: merge_windows(w) for d, w in availability.items() if w}
        managers.append(
            CaseManager(
                id=f"cm{m + 1:02d}",
                name=f"Case manager {m + 1:02d}",
                email=None if rng.random() < 0.05 else f"cm{m + 1:02d}@yot.example",
                availability=availability,
                returning_from_absence=rng.random() < 0.1,
                max_per_day=2 if count > 2 else rng.choice((1, 2, 2)),
            )
        )
        for _ in range(count):
            cases.append(_case(rng, refs[len(cases)], f"cm{m + 1:02d}"))
    for _ in range(record_only):
        cases.append(_case(rng, refs[len(cases)], None))
    rng.shuffle(cases)
    return Instance(members, week.slots, tuple(cases), tuple(managers))


def planted_instance(
    seed: int,
    *,
    template: str = "sqs",
    team_size: int = 3,
    n_cases: int | None = None,
    n_managers: int | None = None,
    record_only_rate: float = 0.1,
) -> Instance:
    """A small inspection that has a valid schedule by construction.

    A hidden schedule is drawn first (cases in random slots, each case manager never in
    two overlapping interviews); each case manager's availability then covers their
    hidden interviews plus random extra time, minus random gaps away from them.
    """
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    tpl = get_template(template)
    members = standard_members(tpl, team_size)
    week = build_week(tpl, members)
    slots = list(week.slots)
    n_cases = n_cases if n_cases is not None else rng.randint(max(1, len(slots) // 2), len(slots))
    n_managers = n_managers if n_managers is not None else rng.randint(max(1, n_cases // 3), n_cases)
    hidden = rng.sample(slots, n_cases)
    busy: dict[str, list[Slot]] = {f"cm{m}": [] for m in range(n_managers)}
    cases = []
    schedule = {f"HMIP-{number + 1:02d}": slot.id for number, slot in enumerate(hidden)}
    for number, slot in enumerate(hidden):
        manager = None
        if rng.random() >= record_only_rate:
            options = [
                m
                for m, taken in busy.items()
                if not any(s.day == slot.day and s.interview.overlaps(slot.interview) for s in taken)
            ]
            if options:
                manager = rng.choice(options)
                busy[manager].append(slot)
        cases.append(_case(rng, f"HMIP-{number + 1:02d}", manager))
    managers = []
    for manager_id, taken in busy.items():
        availability: dict[int, list[Window]] = {}
        for slot in taken:
            pad_before = rng.choice((0, 30, 60, 120))
            pad_after = rng.choice((0, 15, 60, 120))
            start = max(0, slot.interview.start - pad_before)
            end = min(24 * 60, slot.interview.end + pad_after)
            availability.setdefault(slot.day, []).append(Window(start, end))
        for day in week.days:
            if rng.random() < 0.3:
                availability.setdefault(day, []).append(WORKING_DAY)
        managers.append(
            CaseManager(
                id=manager_id,
                name=f"Case manager {manager_id[2:]}",
                email=f"{manager_id}@yot.example",
                availability={d: merge_windows(w) for d, w in availability.items()},
                returning_from_absence=rng.random() < 0.15,
                max_per_day=rng.choice((1, 2, 3)),
            )
        )
    rng.shuffle(cases)
    return Instance(members, tuple(slots), tuple(cases), tuple(managers), schedule)
