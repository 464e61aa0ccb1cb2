"""Error tracking: off without SENTRY_DSN; with it, an error reaches the collector with its type and
stack but no personal data (request body, cookies, query string, local variables, user details).

The end-to-end test runs a real Django process with the real SDK against a local HTTP server that
stands in for Sentry's ingest endpoint (nothing leaves 127.0.0.1)."""

from __future__ import annotations

import gzip
import http.server
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from config.errors import init_error_tracking, scrub

ROOT = Path(__file__).resolve().parent.parent
NAME = "Quillfeather"


def test_scrub_keeps_the_error_and_drops_everything_personal():
    event = {
        "request": {
            "url": "https://example.test/inspections/X/long-list/",
            "method": "POST",
            "data": {"family_name": NAME},
            "cookies": {"sessionid": "secret"},
            "query_string": f"q={NAME}",
            "headers": {"User-Agent": "browser", "Cookie": "sessionid=secret", "Referer": f"/?q={NAME}"},
            "env": {"REMOTE_ADDR": "10.0.0.1"},
        },
        "user": {"id": 7, "email": "a@b.test", "username": "lead"},
        "exception": {"values": [{"type": "ValueError", "stacktrace": {"frames": [{"vars": {"name": NAME}}]}}]},
        "extra": {"row": NAME},
        "breadcrumbs": {"values": [{"message": f"SELECT ... {NAME}"}]},
    }
    out = scrub(event)
    assert NAME not in repr(out) and "secret" not in repr(out) and "a@b.test" not in repr(out)
    assert out["request"]["url"].endswith("/long-list/")
    assert out["request"]["headers"] == {"User-Agent": "browser"}
    assert out["user"] == {"id": 7}
    assert out["exception"]["values"][0]["type"] == "ValueError"


def test_without_a_dsn_nothing_starts():
    assert init_error_tracking(dsn=None, environment="test") is False
    assert init_error_tracking(dsn="", environment="test") is False


class _Collector(http.server.BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":  # the SDK compresses with brotli when it is installed
            import brotli

            body = brotli.decompress(body)
        _Collector.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


PROBE = textwrap.dedent(
    """
    import os
    import django, sentry_sdk
    django.setup()
    name = os.environ["PROBE_NAME"]  # not in the source, whose lines the SDK sends as context
    from django.http import HttpResponse
    from django.test import Client, override_settings
    from django.urls import path

    def boom(request):
        family_name = request.POST["family_name"]
        raise ZeroDivisionError("the probe's own error")

    urlpatterns = [path("boom/", boom)]
    with override_settings(ROOT_URLCONF=__name__, MIDDLEWARE=["config.logs.RequestIdMiddleware"]):
        response = Client(raise_request_exception=False).post("/boom/?child=" + name, {"family_name": name})
    assert response.status_code == 500, response.status_code
    sentry_sdk.flush(timeout=10)
    """
)


def test_an_error_in_a_request_reaches_the_collector_without_personal_data(tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Collector.received = []
    try:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            SENTRY_DSN=f"http://publickey@127.0.0.1:{server.server_address[1]}/1",
            SENTRY_ENVIRONMENT="probe",
            PROBE_NAME=NAME,
            PYTHONPATH=str(ROOT),
        )
        script = tmp_path / "probe.py"
        script.write_text(PROBE)
        done = subprocess.run(
            [sys.executable, str(script)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr[-2000:]
    finally:
        server.shutdown()
    body = b"".join(_Collector.received).decode("utf-8", "replace")
    assert "ZeroDivisionError" in body and "the probe's own error" in body
    assert '"environment":"probe"' in body.replace(" ", "")
    i = body.find(NAME)
    assert NAME not in body, body[max(0, i - 300) : i + 100]
