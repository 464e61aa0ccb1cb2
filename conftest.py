"""Suite-wide test set-up.

`make test` points DATABASE_URL at PostgreSQL when it answers. Under REQUIRE_SERVICES=1
(set by .ci/run) a missing PostgreSQL, Redis or chromium fails the run instead of letting
tests skip.
"""

import os
import shutil
import socket

import pytest
from django.conf import settings

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def pytest_sessionstart(session):
    if not REQUIRE_SERVICES:
        return
    problems = []
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        problems.append("the tests are not running against PostgreSQL (DATABASE_URL is not set)")
    if not _answers("127.0.0.1", 6379):
        problems.append("Redis does not answer on 127.0.0.1:6379")
    if not shutil.which("chromium") and not os.path.exists("/usr/bin/chromium"):
        problems.append("Debian's chromium is not installed")
    if not shutil.which("pdftoppm"):
        problems.append("pdftoppm (poppler-utils) is not installed")
    if problems:
        pytest.exit("REQUIRE_SERVICES=1 but " + "; ".join(problems), returncode=3)


def pytest_collection_modifyitems(config, items):
    """Without REQUIRE_SERVICES, skip what needs a missing service; with it, never skip."""
    if REQUIRE_SERVICES:
        return
    redis_up = _answers("127.0.0.1", 6379)
    chromium = os.path.exists("/usr/bin/chromium")
    for item in items:
        if "celery_worker" in item.keywords and not redis_up:
            item.add_marker(pytest.mark.skip(reason="Redis is not running on 127.0.0.1:6379"))
        if "e2e" in item.keywords and not chromium:
            item.add_marker(pytest.mark.skip(reason="Debian's chromium is not installed (apt-get install chromium)"))


@pytest.fixture(autouse=True)
def _media_and_mail(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # Links in emails: a fixed address the tests can assert on.
    settings.SITE_URL = "http://testserver"
    # Hashing passwords at full strength slows every test that makes a user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
