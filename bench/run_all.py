"""Run every benchmark in one go: `make bench` (or `.venv/bin/python bench/run_all.py`).

Each benchmark prints its own figures: ratios measured in one run against a baseline in the
same process (a bare Django view, a bare openpyxl read, a trivial WeasyPrint document, a
minimal matplotlib figure) and the solver's objective over its proven bound.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    ("Foundation pages (issue 2)", "bench_pages.py", []),
    ("Long-list import and selection (issue 3)", "bench_longlist.py", []),
    ("Fieldwork schedule solver (issue 4)", "bench_schedule.py", []),
    ("Building the schedule again after a one-case change (issue 12 §7)", "bench_resolve.py", []),
    ("Reports and chart packs (issue 5)", "bench_reports.py", []),
    ("Case Assessment Tool view page (issue 6)", "bench_assessment_page.py", []),
    ("Fieldwork schedule page (issue 12)", "bench_schedule_page.py", []),
    ("Ten years of data: inspection list and aggregate report (issue 11)", "bench_scale.py", []),
    ("Under load: gunicorn, PostgreSQL, Redis, a Celery worker (issues 11 and 12)", "bench_load.py", []),
]


def main() -> int:
    failed = []
    for title, script, extra in BENCHMARKS:
        print(f"\n=== {title}: bench/{script}", flush=True)
        env = dict(os.environ)
        if script in ("bench_longlist.py", "bench_schedule.py", "bench_resolve.py"):
            env.pop("DJANGO_SETTINGS_MODULE", None)  # pure code, no Django
        start = time.perf_counter()
        result = subprocess.run([sys.executable, str(HERE / script), *extra], cwd=HERE.parent, env=env, check=False)
        print(f"--- {script}: {time.perf_counter() - start:.0f} s, exit {result.returncode}", flush=True)
        if result.returncode:
            failed.append(script)
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
