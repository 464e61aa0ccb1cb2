"""/healthz and /readyz (issue 11 §4): no sign-in needed, 503 naming the check that fails, and a
check that hangs is cut off at its time limit."""

from __future__ import annotations

import threading

import pytest

from config import health

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_signing_in_or_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_readyz_checks_the_database_migrations_broker_and_storage(client):
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "migrations", "broker", "storage"}
    assert all(check["ok"] for check in body["checks"].values())


def test_an_unreachable_broker_makes_readyz_503_naming_it(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "not ready"
    assert body["checks"]["broker"]["ok"] is False
    assert "Error" in body["checks"]["broker"]["error"]
    assert body["checks"]["database"]["ok"] is True


def test_a_pending_migration_makes_readyz_503(client, monkeypatch):
    def pending():
        raise RuntimeError("1 migration(s) not applied: reports.9999_future")

    monkeypatch.setitem(health.CHECKS, "migrations", pending)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"]["error"].endswith("reports.9999_future")


def test_a_check_that_hangs_is_cut_off_at_its_limit():
    release = threading.Event()
    try:
        results = health.readiness({"hangs": lambda: release.wait(30), "fine": lambda: None}, timeout=1)
    finally:
        release.set()
    assert results["hangs"] == {"ok": False, "ms": 1000, "error": "no answer within 1 s"}
    assert results["fine"]["ok"] is True
