"""Liveness and readiness for a load balancer or an orchestrator (issue 11 §4).

``/healthz`` answers as long as the process serves requests: no database, nothing else touched.
``/readyz`` checks what a request needs: the database answers, every migration is applied, the
Celery broker (Redis) answers when one is configured, and the file storage takes, returns and
deletes a tiny file. Each check runs with its own time limit (``READINESS_CHECK_SECONDS``); one
that fails or runs out of time makes the answer 503, with each check's result and time in the JSON
body (no secret in it).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

log = logging.getLogger(__name__)


def check_database() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_migrations() -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        names = ", ".join(f"{migration.app_label}.{migration.name}" for migration, _backwards in pending[:5])
        raise RuntimeError(f"{len(pending)} migration(s) not applied: {names}")


def check_broker() -> None:
    url = settings.CELERY_BROKER_URL
    if not url:
        return  # tasks run in-process: there is no broker to reach
    import redis

    limit = settings.READINESS_CHECK_SECONDS
    client = redis.Redis.from_url(url, socket_timeout=limit, socket_connect_timeout=limit)
    try:
        client.ping()
    finally:
        client.close()


def check_storage() -> None:
    """Write, read back and delete a tiny file: the storage is reachable and writable.

    The answer is public, so a failure names only the kind of error: the storage's own message
    (an S3 endpoint, a bucket, a path on disk) goes to the log, not to whoever asked."""
    try:
        name = default_storage.save(f"readyz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
        try:
            with default_storage.open(name) as stored:
                if stored.read() != b"ok":
                    raise RuntimeError("the file read back differs from the file written")
        finally:
            default_storage.delete(name)
    except Exception as exc:
        log.warning("readiness: the file storage failed: %s: %s", type(exc).__name__, exc)
        raise RuntimeError(f"the file storage failed ({type(exc).__name__})") from None


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "migrations": check_migrations,
    "broker": check_broker,
    "storage": check_storage,
}


def _run(check: Callable[[], None]) -> float:
    begun = time.monotonic()
    try:
        check()
    finally:
        connections.close_all()  # the worker thread's own connections
    return (time.monotonic() - begun) * 1000


def readiness(checks: dict[str, Callable[[], None]] | None = None, timeout: float | None = None) -> dict:
    """Run every check in parallel, each bounded by ``timeout`` seconds; the report of each."""
    checks = CHECKS if checks is None else checks
    timeout = settings.READINESS_CHECK_SECONDS if timeout is None else timeout
    results: dict[str, dict] = {}
    pool = ThreadPoolExecutor(max_workers=len(checks), thread_name_prefix="readyz")
    try:
        started = time.monotonic()
        futures = {name: pool.submit(_run, check) for name, check in checks.items()}
        for name, future in futures.items():
            remaining = max(timeout - (time.monotonic() - started), 0)
            try:
                results[name] = {"ok": True, "ms": round(future.result(timeout=remaining), 1)}
            except FutureTimeout:
                results[name] = {"ok": False, "ms": timeout * 1000, "error": f"no answer within {timeout:g} s"}
            except Exception as exc:  # the check's own failure, reported by its type and message
                results[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # a hung check does not hold the answer
    return results


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    results = readiness()
    ready = all(result["ok"] for result in results.values())
    return JsonResponse({"status": "ready" if ready else "not ready", "checks": results}, status=200 if ready else 503)
