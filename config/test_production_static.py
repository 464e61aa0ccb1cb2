"""Production mode serves pages: collectstatic succeeds under the manifest storage and a page renders
with DEBUG off, its stylesheet served by whitenoise (issue 15 §1)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import django
from django.core.management import call_command
django.setup()
call_command("collectstatic", "--no-input", verbosity=0)
from django.test import Client
client = Client()
page = client.get("/accounts/login/", secure=True, HTTP_HOST="inspections.example.gov.uk")
assert page.status_code == 200, page.status_code
html = page.content.decode()
import re
css = re.search(r'href="(/static/vendor/govuk/govuk-frontend\\.min\\.[0-9a-f]{12}\\.css)"', html)
assert css, "the stylesheet is not served by its hashed name"
sheet = client.get(css.group(1), secure=True, HTTP_HOST="inspections.example.gov.uk")
assert sheet.status_code == 200, sheet.status_code
print("ok", css.group(1))
"""


def test_production_collects_static_files_and_serves_a_page_with_debug_off(tmp_path):
    unwanted = {"DATABASE_URL", "SECRET_KEY", "DJANGO_ENV", "DEBUG", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_ENV="production",
        SECRET_KEY="k" * 20 + "-not-a-real-secret-but-long-and-varied-0123456789!",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        ALLOWED_HOSTS="inspections.example.gov.uk",
        SITE_URL="https://inspections.example.gov.uk",
        STATIC_ROOT=str(tmp_path / "static"),
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok /static/vendor/govuk/govuk-frontend.min.")
