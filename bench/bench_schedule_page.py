"""The fieldwork schedule page: median server time ÷ a bare Django view behind the same middleware,
and the queries one request makes, for the lead inspector and the YOT manager.

Runs in one process against a throwaway SQLite database (or DATABASE_URL if set), with the Django
test client, as bench_pages.py does. The demo's SQS inspection in Manchester has a final schedule
(scheduling/demo.py), which both people may see: the lead inspector with the editing tools, the
YOT manager read-only.

    .venv/bin/python bench/bench_schedule_page.py [--requests 100] [--profile]

``--profile`` runs cProfile over the lead inspector's page and prints the top 15 entries by
cumulative time
(below the middleware).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PEOPLE = ("lead", "yotmanager")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--profile", action="store_true", help="print the top 15 cumulative cProfile entries")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SQLITE_PATH", str(Path(tmp) / "bench.sqlite3"))
    os.environ["AXES_ENABLED"] = "false"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.http import HttpResponse
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import include, path

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("load_demo", verbosity=0, stdout=devnull)

    from inspections.models import User
    from scheduling.models import ScheduleVersion

    def bare(request):
        return HttpResponse("ok")

    module = type(sys)("bench_urls")
    module.urlpatterns = [path("bare/", bare), path("", include("config.urls"))]
    sys.modules["bench_urls"] = module

    version = (
        ScheduleVersion.objects.filter(inspection__programme="sqs", inspection__yot__name__icontains="manchester")
        .select_related("inspection")
        .order_by("-number")
        .first()
    )
    assert version is not None, "the demo made no schedule for SQS Manchester"
    inspection = version.inspection
    url = f"/inspections/{inspection.reference}/schedule/"
    print(
        f"{inspection.reference}: schedule version {version.number} ({version.state}), {version.entries.count()} cases"
    )

    with override_settings(ROOT_URLCONF="bench_urls", DEBUG=False):
        clients = {}
        for username in PEOPLE:
            client = Client()
            client.force_login(User.objects.get(username=username))
            clients[username] = client

        def median_ms(client, target: str, marker: bytes | None = None) -> tuple[float, float]:
            """(wall-clock, CPU) median in ms. The CPU time of this process is the steadier figure on
            a machine other work shares: it leaves out the time spent waiting for a core."""
            for _ in range(5):  # warm up: templates compiled, the rulebook loaded
                response = client.get(target)
                assert response.status_code == 200, (target, response.status_code)
                assert marker is None or marker in response.content, (target, "marker missing")
            wall, cpu = [], []
            for _ in range(args.requests):
                start, start_cpu = time.perf_counter(), time.process_time()
                response = client.get(target)
                wall.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
            assert response.status_code == 200, (target, response.status_code)
            return statistics.median(wall) * 1000, statistics.median(cpu) * 1000

        bare_ms, bare_cpu = median_ms(clients["lead"], "/bare/")
        print(
            f"bare view behind the same middleware: {bare_ms:.2f} ms median ({bare_cpu:.2f} ms CPU) "
            f"over {args.requests} requests"
        )
        # A case reference of the version must be on the page each person sees (the timetable is there).
        marker = version.entries.select_related("case").first().case.label.encode()
        for username, client in clients.items():
            page_ms, page_cpu = median_ms(client, url, marker)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            print(
                f"schedule page, {username:<11} {page_ms:8.2f} ms   ratio {page_ms / bare_ms:5.1f}   "
                f"CPU {page_cpu:7.2f} ms   ratio {page_cpu / bare_cpu:5.1f}   "
                f"{len(queries.captured_queries):3d} queries   {len(response.content) // 1024} KiB"
            )

        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(20):
                clients["lead"].get(url)
            profiler.disable()
            out = io.StringIO()
            # Leave out the request handler and the middleware wrapped around every view, which
            # would otherwise fill the top of the list.
            below_middleware = r"^(?!.*(middleware|core/handlers|test/client|deprecation|config/logs))"
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(below_middleware, 15)
            print(f"\ncProfile of 20 requests (lead inspector), top 15 by cumulative time:\n{out.getvalue()}")


if __name__ == "__main__":
    main()
