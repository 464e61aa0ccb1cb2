"""Benchmark of report generation (issue 5). Uses Django.

Run from the repository root:  .venv/bin/python bench/bench_reports.py [--repeat 7] [--charts 500]
(with DATABASE_URL set it runs against PostgreSQL; otherwise SQLite). It creates its own test
database, fills it with a 47-case SQS inspection (synthetic answers to every judgement, with
explanations and narratives), measures, and destroys it.

Measures, in one warm process:
- the draft report (SQS letter) and the chart pack: median time per PDF page of ``render_pdf``
  (the template and context already built; charts already drawn) against the median time
  WeasyPrint takes for a one-page trivial document with the same options (PDF/UA-1); goal <= 3;
- time per chart (``render_chart`` over the pack's charts) against a minimal matplotlib figure
  saved the same way (``render_minimal``); goal <= 2;
- memory across ``--charts`` charts: traced Python memory (tracemalloc) and the process's RSS
  after the first 100 and after the last; goal: no growth.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

CASES = 47
TRIVIAL = '<!DOCTYPE html><html lang="en-GB"><head><title>Trivial</title></head><body><p>Hello.</p></body></html>'


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def build_inspection():
    from casework.domain.bank import load_bank
    from inspections.enums import Status
    from inspections.tests import factories as f
    from reports.tests.factories import S, assessed_case, report_contacts

    bank = load_bank()
    rng = random.Random(47)
    lead = f.user()
    inspection = f.inspection(lead=lead, status=Status.DRAFT_REPORT, yot_=f.yot(name="Benchshire"))
    report_contacts(inspection)
    judgements = [q for q in bank.questions if q.is_scored_judgement and "sqs" in q.programmes]
    for n in range(CASES):
        answers: dict[str, object] = {
            "3b": "England",
            "4": rng.choice(["Male", "Female"]),
            "5": str(rng.randint(10, 17)),
        }
        answers["10.a"] = rng.choice(["Referral Order", "Youth Rehabilitation Order", "Detention and Training Order"])
        answers["13a"], answers["13b"] = "Case manager", rng.choice(["Yes", "No"])
        for question in judgements:
            value = S if rng.random() < 0.7 else "Insufficient"
            answers[question.id] = value
            if value != S:
                for explanation in bank.explanations_of(question.id):
                    answers[explanation.id] = rng.sample(list(explanation.options), k=min(2, len(explanation.options)))
        for narrative in (q for q in bank.questions if q.kind == "narrative" and "sqs" in q.programmes):
            answers[narrative.id] = f"Case {n + 1}: the key factors behind the judgements in this part of the case."
        assessed_case(inspection, answers, by=lead, position=n + 1)
    return inspection


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--charts", type=int, default=500)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


def run(args) -> None:
    from weasyprint import HTML

    from reports.charts import render_chart, render_minimal
    from reports.domain.chartdata import chart_specs
    from reports.domain.drafting import sqs_sections
    from reports.domain.text import blocks
    from reports.generation import SectionView, pdf_page_count, report_context
    from reports.models import Report
    from reports.pdf import render_pdf
    from reports.selectors import inspection_data

    inspection = build_inspection()
    data = inspection_data(inspection)
    report = Report.objects.create(inspection=inspection)
    sections = [
        SectionView(d.key, d.kind, d.title, blocks(d.text), [])
        for d in sqs_sections(data.bank, data.scores, data.narratives)
    ]
    letter_context = report_context(inspection, report, sections, data.scores.cases)
    specs = chart_specs(data.bank, data.scores, data.profiles)
    images = {spec.key: render_chart(spec) for spec in specs}
    charts = [(spec, f"image:{spec.key}") for spec in specs]
    pack_context = {
        "inspection": inspection,
        "charts": charts,
        "cases": data.scores.cases,
        "date": inspection.fieldwork_start,
    }

    # Warm up every path once.
    HTML(string=TRIVIAL).write_pdf(pdf_variant="pdf/ua-1")
    letter = render_pdf("reports/pdf/sqs_letter.html", letter_context)
    pack = render_pdf("reports/pdf/chart_pack.html", pack_context, images=images)
    render_minimal()

    trivial = median_time(lambda: HTML(string=TRIVIAL).write_pdf(pdf_variant="pdf/ua-1"), args.repeat * 3)
    letter_pages, pack_pages = pdf_page_count(letter), pdf_page_count(pack)
    letter_time = median_time(lambda: render_pdf("reports/pdf/sqs_letter.html", letter_context), args.repeat)
    pack_time = median_time(lambda: render_pdf("reports/pdf/chart_pack.html", pack_context, images=images), args.repeat)

    minimal = median_time(render_minimal, args.repeat * 5)
    per_chart = statistics.median(median_time(lambda s=spec: render_chart(s), args.repeat) for spec in specs)

    print(f"{CASES}-case SQS inspection: {data.scores.overall.total} judgements, {len(specs)} charts")
    print(f"trivial one-page PDF:        {trivial * 1000:7.1f} ms")
    print(
        f"draft report:                {letter_time * 1000:7.1f} ms for {letter_pages} pages = "
        f"{letter_time / letter_pages * 1000:6.1f} ms/page  "
        f"ratio {letter_time / letter_pages / trivial:4.2f} (goal <= 3)"
    )
    print(
        f"chart pack:                  {pack_time * 1000:7.1f} ms for {pack_pages} pages = "
        f"{pack_time / pack_pages * 1000:6.1f} ms/page  ratio {pack_time / pack_pages / trivial:4.2f} (goal <= 3)"
    )
    print(f"minimal chart:               {minimal * 1000:7.1f} ms")
    print(f"chart (median over the pack):{per_chart * 1000:7.1f} ms  ratio {per_chart / minimal:4.2f} (goal <= 2)")

    tracemalloc.start()
    readings = {}
    for n in range(1, args.charts + 1):
        render_chart(specs[n % len(specs)])
        if n in (100, args.charts):
            readings[n] = (tracemalloc.get_traced_memory()[0] / 1024 / 1024, rss_mb())
    tracemalloc.stop()
    (traced_100, rss_100), (traced_end, rss_end) = readings[100], readings[args.charts]
    print(f"memory after 100 charts:     traced {traced_100:6.2f} MB, RSS {rss_100:7.1f} MB")
    print(
        f"memory after {args.charts} charts:     traced {traced_end:6.2f} MB, RSS {rss_end:7.1f} MB"
        f"  growth: traced {traced_end - traced_100:+.2f} MB, RSS {rss_end - rss_100:+.1f} MB (goal: none)"
    )


if __name__ == "__main__":
    main()
