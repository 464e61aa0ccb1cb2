"""Benchmark of the busiest case assessment view page (issue 6). Uses Django.

Run from the repository root:  .venv/bin/python bench/bench_assessment_page.py [--repeat 60]
(with DATABASE_URL set it runs against PostgreSQL; otherwise SQLite). It creates its own test
database, fills it, measures, and destroys it.

Measures, in one run, signed in as the case's local assessor, with the Django test client:
- the median time to serve the busiest view page (an FJI case in Wales with two modules, every
  question answered, judgements Insufficient so that their explanations are asked too) against the
  median time of a bare view behind the same middleware (added only here, by a URLconf override);
  goal: ratio <= 10;
- the number of database queries of that page with no answers (only those filled in from the
  inspection) and with every question answered; goal: the same.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment  # noqa: E402
from django.urls import path, reverse  # noqa: E402

BARE_URLS = "bench_assessment_page_urls"


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


def install_bare_urlconf() -> None:
    import config.urls

    module = types.ModuleType(BARE_URLS)
    module.urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *config.urls.urlpatterns]
    sys.modules[BARE_URLS] = module


def timed(client: Client, url: str) -> tuple[float, float]:
    """Wall time and this thread's CPU time of one request (CPU time is steadier on a busy machine,
    but leaves out the time PostgreSQL spends in its own process)."""
    started, started_cpu = time.perf_counter(), time.thread_time()
    response = client.get(url)
    elapsed, cpu = time.perf_counter() - started, time.thread_time() - started_cpu
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, cpu


def answer_everything(assessment, user) -> None:
    from casework.models import Answer
    from casework.services import assessment as services

    for _ in range(12):
        state = services.case_state(assessment.case, assessment)
        todo = [qid for qid in state.route.asked if not state.is_answered(qid)]
        if not todo:
            return
        for qid in todo:
            question = state.bank.question(qid)
            if question.per_answer_of:  # one answer per factor chosen at the question it follows
                factors = state.answers.get(question.per_answer_of) or []
                value = {factor: question.options[0] for factor in factors}
            elif question.kind == "judgement":
                # The worst judgement the question offers (most ask Sufficient/Insufficient; 4.18.1 and
                # a few others have their own scale), so its explanation questions are asked too.
                value = "Insufficient" if "Insufficient" in question.options else question.options[-2]
            elif question.input == "choice":
                value = [question.options[-1]] if question.multiple else question.options[0]
            else:
                value = "3" if question.input == "number" else "Written notes about the case."
            current = Answer.objects.filter(assessment=assessment, question_id=qid).first()
            services.assessment_answer(
                assessment=assessment, question_id=qid, value=value, user=user,
                expected_revision=current.revision if current else 0,
            )  # fmt: skip
    raise RuntimeError("answering did not settle")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=60, help="requests of each kind (interleaved)")
    args = parser.parse_args()

    from casework.services import assessment as services
    from casework.tests import factories as cf
    from inspections.enums import Country, Programme

    install_bare_urlconf()
    if connection.vendor != "sqlite":  # never clobber the test database of a test run going on beside
        connection.settings_dict.setdefault("TEST", {})["NAME"] = (
            f"test_{connection.settings_dict['NAME']}_bench_assessment"
        )
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        with override_settings(
            ROOT_URLCONF=BARE_URLS, DEBUG=False, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
        ):
            world = cf.team(programme=Programme.FJI, country=Country.WALES, modules=["court_work", "interventions"])
            assessor = world["people"]["assessor"]
            assessment = services.assessment_start(case=world["case"], user=assessor)
            ref, pk = world["inspection"].reference, world["case"].pk
            client = Client()
            client.force_login(assessor)
            view_url = lambda view: reverse("casework:assess", args=[ref, pk, view])  # noqa: E731

            client.get(view_url(0))  # load the bank and compile the templates
            empty_queries = {}
            for view in range(6):
                with CaptureQueriesContext(connection) as queries:
                    client.get(view_url(view))
                empty_queries[view] = len(queries.captured_queries)

            answer_everything(assessment, assessor)
            state = services.case_state(world["case"], assessment)
            busiest = max(state.views, key=lambda v: v.asked)
            with CaptureQueriesContext(connection) as queries:
                page = client.get(view_url(busiest.id))
            full_queries = len(queries.captured_queries)
            size = len(page.content)

            page_url, bare_url = view_url(busiest.id), "/bench/bare/"
            for _ in range(5):  # warm both
                timed(client, page_url)
                timed(client, bare_url)
            page_times, bare_times = [], []
            for _ in range(args.repeat):  # interleaved so that both see the same machine state
                page_times.append(timed(client, page_url))
                bare_times.append(timed(client, bare_url))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()

    engine = connection.vendor
    page_median, bare_median = (statistics.median(t[0] for t in times) for times in (page_times, bare_times))
    page_cpu, bare_cpu = (statistics.median(t[1] for t in times) for times in (page_times, bare_times))
    ratio = page_median / bare_median
    print(
        f"database: {engine}; busiest view: View {busiest.id} ({busiest.asked} questions asked, every one answered), "
        f"{size / 1024:.0f} KiB of HTML"
    )
    print(f"bare view behind the same middleware: median {bare_median * 1000:.2f} ms ({args.repeat} requests)")
    print(f"busiest view page:                    median {page_median * 1000:.2f} ms ({args.repeat} requests)")
    print(f"ratio: {ratio:.1f} (goal <= 10) {'OK' if ratio <= 10 else 'MISSED'}")
    print(
        f"CPU time of this thread, medians: {page_cpu * 1000:.2f} ms / {bare_cpu * 1000:.2f} ms"
        f" = {page_cpu / bare_cpu:.1f} (steadier when the machine is busy)"
    )
    print(
        f"queries, View {busiest.id}: {empty_queries[busiest.id]} with no answers,"
        f" {full_queries} with every question answered "
        f"{'OK' if empty_queries[busiest.id] == full_queries else 'MISSED'}"
    )
    print(f"queries with no answers, views 0-5: {', '.join(str(empty_queries[v]) for v in range(6))}")


if __name__ == "__main__":
    main()
