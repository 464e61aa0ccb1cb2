"""Benchmark the fieldwork schedule solver on the largest SQS case.

Twenty seeded instances of 47 cases for a team of seven (seed 000 §11.1, §11.7), with
realistic availability (``scheduling.domain.synthetic.realistic_instance``: 15-25 case
managers with 1-4 cases each, part-timers, absences, other commitments, some returning
from absence, two cases with no case manager).

For each instance: the time from calling ``solve()`` to its first feasible schedule
(goal: under 2 s) and objective ÷ proven bound within a 30 s limit (goal: at most 1.01
on at least 18 of 20). The objective is a non-negative penalty that can be 0, so the
ratio is (objective + 1) / (bound + 1): the +1 only keeps 0/0 defined, and 1.000 means
proven optimal.

Run from the project root:  .venv/bin/python bench/bench_schedule.py [--instances N]
[--time-limit S] [--workers W]. Pure code: no Django, no database.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scheduling.domain.checks import check_assignment
from scheduling.domain.solver import solve
from scheduling.domain.synthetic import realistic_instance

FIRST_FEASIBLE_GOAL_S = 2.0
RATIO_GOAL = 1.01
RATIO_GOAL_COUNT = 18


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=20)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)

    header = (
        f"{'seed':>4} {'cases':>5} {'CMs':>4} {'status':>9} {'first s':>8} {'wall s':>7} "
        f"{'objective':>9} {'bound':>6} {'ratio':>7} {'hard':>4}"
    )
    print(header)
    print("-" * len(header))
    firsts, ratios, failures = [], [], 0
    for seed in range(args.instances):
        instance = realistic_instance(seed, team_size=7)
        solution = solve(**instance.kwargs(), time_limit_s=args.time_limit, seed=seed, workers=args.workers)
        hard = 0
        if solution.found:
            violations = check_assignment(assignment=solution.as_mapping(), **instance.kwargs())
            hard = sum(v.blocks_finalising for v in violations)
        else:
            failures += 1
        first = solution.first_solution_s
        ratio = solution.ratio
        firsts.append(first if first is not None else float("inf"))
        ratios.append(ratio if ratio is not None else float("inf"))
        used = len({c.case_manager for c in instance.cases if c.case_manager})
        print(
            f"{seed:>4} {len(instance.cases):>5} {used:>4} {solution.status:>9} "
            f"{first if first is not None else float('nan'):>8.3f} {solution.wall_time_s:>7.2f} "
            f"{solution.objective if solution.objective is not None else '-':>9} "
            f"{solution.best_bound if solution.best_bound is not None else '-':>6} "
            f"{ratio if ratio is not None else float('nan'):>7.4f} {hard:>4}",
            flush=True,
        )
        if not solution.found:
            for problem in solution.problems:
                print(f"     {problem.message}")

    fast = sum(f < FIRST_FEASIBLE_GOAL_S for f in firsts)
    close = sum(r <= RATIO_GOAL for r in ratios)
    finite = [f for f in firsts if f != float("inf")]
    print()
    print(
        f"SUMMARY instances={args.instances} first-feasible<{FIRST_FEASIBLE_GOAL_S:g}s: {fast}/{args.instances} "
        f"(median {statistics.median(finite) if finite else float('nan'):.3f}s, max {max(firsts):.3f}s); "
        f"ratio<={RATIO_GOAL:g}: {close}/{args.instances} (worst {max(ratios):.4f}); "
        f"not solved: {failures}; goal {'MET' if fast == args.instances and close >= RATIO_GOAL_COUNT else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
