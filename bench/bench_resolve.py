"""Benchmark building the schedule again after a one-case change (issue 12 §7).

Seeded instances of 47 cases for a team of seven (``realistic_instance``, as bench_schedule.py).
For each: solve it; then change one case, the way an SSO meets it in the week before fieldwork,
and build again from the first schedule (``previous``: moving a case costs
``constraints.W_MOVE``, and the first schedule is the solver's hint):

* ``time lost``: the case manager of one case can no longer come at that case's time;
* ``pinned``: the SSO pins one case into another case's slot (one its case manager can attend).

With 47 cases in 47 slots there is no free slot: each change moves at least two cases.

Printed per instance and change: the first solve's time, the re-build's time and their ratio
(re-build ÷ first, both measured in this run, same machine, same limits), the cases the re-build
moved, and, for comparison, how many a fresh solve of the changed inspection (no ``previous``)
would have moved. SUMMARY gives the median and worst ratio.

Run from the project root:  .venv/bin/python bench/bench_resolve.py [--instances N]
[--time-limit S] [--workers W]. Pure code: no Django, no database.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scheduling.domain import constraints as C
from scheduling.domain.checks import check_assignment
from scheduling.domain.model import Pin, Window
from scheduling.domain.solver import solve
from scheduling.domain.synthetic import realistic_instance


def _without(windows, cut: Window) -> tuple[Window, ...]:
    out: list[Window] = []
    for window in windows:
        if not window.overlaps(cut):
            out.append(window)
            continue
        if window.start < cut.start:
            out.append(Window(window.start, cut.start))
        if cut.end < window.end:
            out.append(Window(cut.end, window.end))
    return tuple(out)


def _time_lost(instance, previous, pick: int):
    """One case's case manager can no longer come at that case's time (a court hearing, say)."""
    slot_of = {s.id: s for s in instance.slots}
    with_manager = [c for c in instance.cases if c.case_manager]
    case = with_manager[pick % len(with_manager)]
    slot = slot_of[previous[case.ref]]
    managers = tuple(
        dataclasses.replace(m, availability={**m.availability, slot.day: _without(m.windows_on(slot.day), slot.window)})
        if m.id == case.case_manager
        else m
        for m in instance.case_managers
    )
    return {**instance.kwargs(), "case_managers": managers}, ()


def _pinned(instance, previous, pick: int):
    """The SSO pins one case into another case's slot (one its case manager can attend)."""
    kwargs = instance.kwargs()
    refs = sorted(previous)
    for step in range(len(refs)):
        ref = refs[(pick + step) % len(refs)]
        for other in refs:
            if other == ref:
                continue
            slot_id = previous[other]
            pins = (Pin(ref, slot_id),)
            trial = {**previous, ref: slot_id, other: previous[ref]}  # as a swap, to check the pinned case
            breaks = check_assignment(assignment=trial, pins=pins, **kwargs)
            if not any(v.blocks_finalising and ref in v.cases for v in breaks):
                return kwargs, pins
    return None


CHANGES = (("time lost", _time_lost), ("pinned", _pinned))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=10)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    limits = {"time_limit_s": args.time_limit, "workers": args.workers}

    header = (
        f"{'seed':>4} {'change':>9} {'first s':>8} {'again s':>8} {'ratio':>6} {'status':>9} {'moved':>5} {'fresh':>5}"
    )
    print(header)
    print("-" * len(header))
    ratios: list[float] = []
    moved_total = fresh_total = 0
    for seed in range(args.instances):
        instance = realistic_instance(seed, team_size=7)
        first = solve(**instance.kwargs(), seed=seed, **limits)
        if not first.found:
            print(f"{seed:>4} first solve {first.status}")
            continue
        previous = first.as_mapping()
        for name, change in CHANGES:
            changed = change(instance, previous, seed)
            if changed is None:
                print(f"{seed:>4} {name:>9} (no such change possible)")
                continue
            kwargs, pins = changed
            again = solve(**kwargs, pins=pins, previous=previous, seed=seed, **limits)
            if not again.found:
                times = f"{first.wall_time_s:>8.3f} {again.wall_time_s:>8.3f}"
                print(f"{seed:>4} {name:>9} {times} {'-':>6} {again.status:>9}")
                continue
            fresh = solve(**kwargs, pins=pins, seed=seed, **limits)
            fresh_moved = len(C.moved_cases(fresh.as_mapping(), previous)) if fresh.found else None
            ratio = again.wall_time_s / first.wall_time_s
            ratios.append(ratio)
            moved_total += len(again.moved)
            fresh_total += fresh_moved or 0
            print(
                f"{seed:>4} {name:>9} {first.wall_time_s:>8.3f} {again.wall_time_s:>8.3f} {ratio:>6.2f} "
                f"{again.status:>9} {len(again.moved):>5} {fresh_moved if fresh_moved is not None else '-':>5}",
                flush=True,
            )
    print()
    if ratios:
        print(
            f"SUMMARY re-build after a one-case change / first solve: median {statistics.median(ratios):.2f}, "
            f"worst {max(ratios):.2f} over {len(ratios)} re-builds; cases moved {moved_total} "
            f"(a fresh solve would have moved {fresh_total})"
        )
    else:
        print("SUMMARY no re-build was possible")
    return 0 if ratios else 1


if __name__ == "__main__":
    raise SystemExit(main())
