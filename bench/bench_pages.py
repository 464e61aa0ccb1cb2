"""Foundation pages: median server time of each page ÷ a bare Django view behind the same middleware.

Runs in one process against a throwaway SQLite database (or DATABASE_URL if set), with the
Django test client, so both timings share everything but the view. Prints one line per page.

    .venv/bin/python bench/bench_pages.py [--requests 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SQLITE_PATH", str(Path(tmp) / "bench.sqlite3"))
    os.environ["AXES_ENABLED"] = "false"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.http import HttpResponse
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import include, path

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("load_demo", verbosity=0, stdout=devnull)

    from inspections.models import Inspection, User

    def bare(request):
        return HttpResponse("ok")

    module = type(sys)("bench_urls")
    module.urlpatterns = [path("bare/", bare), path("", include("config.urls"))]
    sys.modules["bench_urls"] = module

    inspection = Inspection.objects.filter(programme="sqs").order_by("reference").first()
    ref = inspection.reference
    pages = {
        "what's next (home)": "/",
        "inspection list": "/inspections/",
        "inspection overview": f"/inspections/{ref}/",
        "timeline": f"/inspections/{ref}/timeline/",
        "information in advance": f"/inspections/{ref}/information/",
    }
    with override_settings(ROOT_URLCONF="bench_urls", DEBUG=False):
        client = Client()
        client.force_login(User.objects.get(username="lead"))

        def median_ms(url: str) -> float:
            for _ in range(10):  # warm up
                client.get(url)
            times = []
            for _ in range(args.requests):
                start = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - start)
                assert response.status_code == 200, (url, response.status_code)
            return statistics.median(times) * 1000

        bare_ms = median_ms("/bare/")
        print(f"bare view behind the same middleware: {bare_ms:.2f} ms median over {args.requests} requests")
        for name, url in pages.items():
            page_ms = median_ms(url)
            print(f"{name:<24} {page_ms:7.2f} ms   ratio {page_ms / bare_ms:5.1f}")


if __name__ == "__main__":
    main()
