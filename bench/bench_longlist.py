"""Benchmark of long-list intake and sample selection (issue 3). Pure Python, no Django.

Run from the repository root:  .venv/bin/python bench/bench_longlist.py [--rows 10000] [--repeat 3]

Measures, in one run and on the same file:
- rows/second of validate_longlist (sniffing, zip and XML-bomb checks, merged-cell scan, every row check)
  against rows/second of a bare openpyxl read-only iteration (iter_rows(values_only=True)); goal >= 0.25;
- peak traced memory (tracemalloc) of validate_longlist against the file size; goal < 10x;
- select_sample on a 2,000-row long-list (FJI, size 47, the heaviest case); goal < 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import load_workbook

from casework.longlist.sample_data import longlist_workbook, synthetic_rows
from casework.longlist.selection import select_sample
from casework.longlist.validate import validate_longlist

ANNOUNCED = dt.date(2026, 3, 13)


def bare_iteration(data: bytes) -> int:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    count = 0
    for ws in workbook.worksheets:
        for _ in ws.iter_rows(values_only=True):
            count += 1
    workbook.close()
    return count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    rows = synthetic_rows(args.rows, announced=ANNOUNCED, seed=1)
    data = longlist_workbook(rows, announced=ANNOUNCED)
    print(f"long-list: {args.rows} rows, xlsx {len(data) / 1024 / 1024:.2f} MB")

    bare_times, ours_times = [], []
    for _ in range(args.repeat):  # interleaved so that both see the same machine state
        started = time.perf_counter()
        bare_iteration(data)
        bare_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        result = validate_longlist(data, announced=ANNOUNCED)
        ours_times.append(time.perf_counter() - started)
        assert result.ok and len(result.rows) == args.rows, result.errors[:3]
    bare_rate = args.rows / min(bare_times)
    ours_rate = args.rows / min(ours_times)
    ratio = ours_rate / bare_rate
    print(f"bare openpyxl read-only iteration: {bare_rate:,.0f} rows/s (best of {args.repeat})")
    print(f"reader + validator:                {ours_rate:,.0f} rows/s (best of {args.repeat})")
    print(f"ratio: {ratio:.2f} (goal >= 0.25) {'OK' if ratio >= 0.25 else 'MISSED'}")

    tracemalloc.start()
    result = validate_longlist(data, announced=ANNOUNCED)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del result
    print(
        f"peak memory of reader + validator: {peak / 1024 / 1024:.2f} MB = {peak / len(data):.1f}x the file "
        f"(goal < 10x) {'OK' if peak < 10 * len(data) else 'MISSED'}"
    )

    tracemalloc.start()
    bare_iteration(data)
    _, bare_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"(peak memory of the bare iteration, for reference: {bare_peak / 1024 / 1024:.2f} MB)")

    list_2000 = synthetic_rows(2000, announced=ANNOUNCED, seed=2)
    timings = []
    for programme, size in (("sqs", 20), ("fji", 47)):
        started = time.perf_counter()
        selection = select_sample(list_2000, size=size, programme=programme, seed=0)
        elapsed = time.perf_counter() - started
        timings.append(elapsed)
        print(
            f"select_sample on 2,000 rows, {programme} size {size}: {elapsed * 1000:.0f} ms, "
            f"{len(selection.cases)} cases, {len(selection.unmet)} rules not met"
        )
    print(f"selection goal < 1 s: {'OK' if max(timings) < 1 else 'MISSED'}")


if __name__ == "__main__":
    main()
