"""Drills with real processes (issue 11, issue 15 §6): the broker restarted with a job queued, and
PostgreSQL dropping the connections of the web process and of a worker. Each drill ends with
exactly one result and nothing lost or half-saved.

Every process is real: a private ``redis-server`` on a free port (the shared Redis is never
restarted), Celery workers with beat (``-B``) running the sweeper, gunicorn with the project's
config, all on the PostgreSQL test database. Connections are dropped with ``pg_terminate_backend``
from a separate psycopg connection, picking the processes' own by their ``application_name``.
Every wait is on state (a row, a queue, ``pg_stat_activity``), with generous limits."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import psycopg
import pytest
import requests
from django.conf import settings as django_settings
from django.db import OperationalError, connection

from config.celery import app as celery_app
from inspections.models import AuditEvent
from reports import services
from reports.enums import JobKind, JobStatus
from reports.models import ReportJob, SectionVersion
from reports.tasks import MAX_ATTEMPTS
from reports.tests.factories import world
from reports.tests.processes import RedisServer, Worker, free_port, send, wait_for

PASSWORD = "correct horse battery"
FINISHED = (JobStatus.DONE, JobStatus.FAILED)


def drill(test):
    """A drill: real processes on the PostgreSQL test database (``-k "not worker"`` leaves them out)."""
    for mark in (pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.celery_worker):
        test = mark(test)
    return test


@pytest.fixture(autouse=True)
def _postgres_only(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("the processes share the test database, which needs PostgreSQL")


@pytest.fixture
def redis_server(tmp_path):
    if not shutil.which("redis-server"):
        message = "redis-server is not installed (apt-get install redis-server)"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    server = RedisServer(tmp_path / "redis")
    yield server
    server.stop()


@pytest.fixture
def queue():
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield f"test-drills-{uuid.uuid4().hex}"
    celery_app.conf.task_always_eager = eager


def database_url(application_name: str) -> str:
    """The test database, with a name on each connection so a drill can find and drop them."""
    db = django_settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}?application_name={application_name}"


class Admin:
    """A connection of its own (autocommit), as an operator's psql would be."""

    def __init__(self):
        db = django_settings.DATABASES["default"]
        self.conn = psycopg.connect(
            host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"], autocommit=True
        )

    def backends(self, application_name: str) -> list[tuple]:
        """(pid, state, wait_event_type, query) of each connection the process holds."""
        return self.conn.execute(
            "SELECT pid, state, wait_event_type, query FROM pg_stat_activity WHERE application_name = %s",
            [application_name],
        ).fetchall()

    def terminate(self, application_name: str) -> int:
        """Drop every connection the process holds, and wait until PostgreSQL shows them gone (the
        process may open new ones straight away)."""
        pids = [pid for pid, *_ in self.backends(application_name)]
        for pid in pids:
            self.conn.execute("SELECT pg_terminate_backend(%s)", [pid])

        def gone() -> bool:
            left = self.conn.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", [pids])
            return left.fetchone()[0] == 0

        wait_for(gone, 30, f"the connections of {application_name} to go")
        return len(pids)

    def close(self) -> None:
        self.conn.close()


@pytest.fixture
def admin():
    conn = Admin()
    yield conn
    conn.close()


def drill_worker(queue: str, tmp_path: Path, name: str, broker: str, **env: str) -> Worker:
    """A worker with beat inside it sweeping every second (drill_settings.py)."""
    return Worker(
        queue,
        tmp_path / "media",
        tmp_path / f"{name}.log",
        "-B",
        "--schedule",
        str(tmp_path / f"{name}-beat-schedule"),
        settings_module="reports.tests.drill_settings",
        CELERY_BROKER_URL=broker,
        # The sweeper's sends go to the queue this worker listens on.
        CELERY_TASK_DEFAULT_QUEUE=queue,
        **env,
    )


def assert_finished_once(job: ReportJob, attempts: int, media: Path, log: str) -> None:
    """One finished row, one result file, the sections written once, one 'done' audit row."""
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, attempts), f"{job.message}\n{log[-4000:]}"
    assert [f.filename for f in job.files.all()] == [f"{job.inspection.reference}-letter-draft.pdf"]
    assert ReportJob.objects.filter(inspection=job.inspection, kind=job.kind).count() == 1
    assert AuditEvent.objects.filter(inspection=job.inspection, action="report_job_done").count() == 1
    versions = SectionVersion.objects.filter(section__report__inspection=job.inspection)
    assert sorted(versions.values_list("number", flat=True)) == [1, 1, 1]
    stored = job.files.get().file.name
    assert [str(p.relative_to(media)) for p in (media / "reports").rglob("*.pdf")] == [stored]  # none orphaned


@drill
def test_a_job_queued_when_redis_restarts_is_sent_again_by_the_sweeper_and_runs_once(queue, tmp_path, redis_server):
    inspection, people = world()
    job = ReportJob.objects.create(inspection=inspection, kind=JobKind.DRAFT, created_by=people["lead"])
    send(job, queue, broker=redis_server.url)
    assert redis_server.tasks(queue) == ["reports.generate_draft_report"]

    # Redis dies before any worker takes the message, and comes back empty (nothing on disk).
    redis_server.kill()
    redis_server.start()
    assert redis_server.client().dbsize() == 0
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.QUEUED, 0)

    worker = drill_worker(queue, tmp_path, "worker", redis_server.url)
    try:
        wait_for(lambda: ReportJob.objects.get(pk=job.pk).status in FINISHED, 60, "the job", [worker.log])
        # Sweeps that ran before the worker took the job may have sent it more than once: wait until
        # every such message has been delivered and acknowledged (each finds the job done).
        wait_for(
            lambda: "reports.generate_draft_report" not in redis_server.tasks(queue),
            60,
            "the job's messages to be handled",
            [worker.log],
        )
    finally:
        log = worker.stop()
    assert_finished_once(job, attempts=1, media=tmp_path / "media", log=log)
    assert "it had not started" in job.retry_note  # the page says the job was sent again, and when


def sign_in(session: requests.Session, base: str, username: str) -> None:
    session.get(f"{base}/accounts/login/", timeout=30)
    response = session.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text[:2000]


@pytest.fixture
def web(tmp_path, settings, redis_server, queue):
    """gunicorn with config/gunicorn.conf.py, one worker process (so one kept connection)."""
    # The suite hashes passwords with MD5 for speed; gunicorn knows only the real hashers.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    name = f"drill-web-{uuid.uuid4().hex[:8]}"
    port = free_port()
    log = tmp_path / "web.log"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(name),
        "CELERY_BROKER_URL": redis_server.url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_FORMAT": "text",
        "DEBUG": "false",
        "WEB_CONCURRENCY": "1",
    }
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "-c", "config/gunicorn.conf.py",
               "--bind", f"127.0.0.1:{port}", "--workers", "1"]  # fmt: skip
    process = subprocess.Popen(
        command, env=env, cwd=django_settings.BASE_DIR, stdout=log.open("ab"), stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return requests.get(f"{base}/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    try:
        wait_for(up, 90, "gunicorn to answer /healthz", [log])
        yield base, name, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


@drill
def test_web_requests_survive_dropped_connections_and_an_interrupted_post_saves_nothing_then_once(
    web, admin, redis_server, queue
):
    base, name, log = web
    inspection, people = world()
    page = f"{base}/inspections/{inspection.reference}/reports/"
    generate = f"{base}/inspections/{inspection.reference}/reports/generate/{JobKind.CHART_PACK}/"
    lead = requests.Session()
    sign_in(lead, base, people["lead"].username)
    jobs = ReportJob.objects.filter(inspection=inspection, kind=JobKind.CHART_PACK)
    queued = AuditEvent.objects.filter(inspection=inspection, action="report_job_queued")

    def post():
        return lead.post(
            generate, data={"csrfmiddlewaretoken": lead.cookies["csrftoken"]}, allow_redirects=False, timeout=60
        )

    # Between requests: the connection gunicorn keeps (CONN_MAX_AGE) is dropped; the next request
    # finds it dead (CONN_HEALTH_CHECKS), opens another and answers.
    for _ in range(2):
        assert lead.get(page, timeout=30).status_code == 200
        wait_for(lambda: admin.backends(name), 30, "gunicorn's kept connection", [log])
        assert admin.terminate(name) >= 1
        response = lead.get(page, timeout=30)
        assert response.status_code == 200, log.read_text(errors="replace")[-3000:]

    # During a request: the job's row is written, then its audit row waits on a lock an operator
    # holds; the connection is dropped there, mid-transaction.
    blocker = psycopg.connect(admin.conn.info.dsn)
    try:
        blocker.execute("LOCK TABLE inspections_auditevent IN SHARE ROW EXCLUSIVE MODE")
        result: dict[str, object] = {}
        request = threading.Thread(target=lambda: result.update(response=post()))
        request.start()

        def waiting_mid_write():
            for pid, _state, wait, query in admin.backends(name):
                wrote = admin.conn.execute(
                    "SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                    " WHERE l.pid = %s AND c.relname = 'reports_reportjob' AND l.mode = 'RowExclusiveLock'",
                    [pid],
                ).fetchone()
                if wait == "Lock" and "inspections_auditevent" in query and wrote:
                    return pid
            return None

        wait_for(waiting_mid_write, 60, "the request to wait mid-write", [log])
        admin.terminate(name)
    finally:
        blocker.close()  # the lock goes with it
    request.join(timeout=60)
    assert not request.is_alive()
    assert result["response"].status_code == 500  # the person sees the error page, and can try again
    assert (jobs.count(), queued.count(), redis_server.tasks(queue)) == (0, 0, [])  # nothing half-saved or sent

    # The retried POST saves the job once and sends it once; retried again, right after another
    # drop, it saves nothing more (a job queued is the job).
    assert post().status_code == 302
    admin.terminate(name)
    assert post().status_code == 302
    assert (jobs.count(), queued.count()) == (1, 1)
    assert redis_server.tasks(queue) == ["reports.generate_chart_pack"]
    assert jobs.get().status == JobStatus.QUEUED
    admin.terminate(name)
    shown = lead.get(page, timeout=30)
    assert shown.status_code == 200 and "Chart pack" in shown.text


@drill
def test_a_job_whose_database_connection_is_dropped_mid_run_ends_once(queue, tmp_path, redis_server, admin):
    inspection, people = world()
    job = ReportJob.objects.create(inspection=inspection, kind=JobKind.DRAFT, created_by=people["lead"])
    name = f"drill-worker-{uuid.uuid4().hex[:8]}"
    worker = drill_worker(queue, tmp_path, "worker", redis_server.url, DATABASE_URL=database_url(name))
    try:
        send(job, queue, broker=redis_server.url, step_delay=0.3)

        def running():
            job.refresh_from_db()
            return job.status == JobStatus.RUNNING and job.progress >= 10

        wait_for(running, 60, "the worker to start the job", [worker.log])
        assert admin.terminate(name) >= 1
        seen: set[tuple[str, str]] = set()

        def ended():
            job.refresh_from_db()
            seen.add((job.status, job.message))
            return job.status in FINISHED

        wait_for(ended, 60, "the job to end", [worker.log])
        wait_for(
            lambda: "reports.generate_draft_report" not in redis_server.tasks(queue),
            60,
            "the job's messages to be handled",
            [worker.log],
        )
    finally:
        log = worker.stop()
    assert_finished_once(job, attempts=2, media=tmp_path / "media", log=log)
    # The worker gave the job back at once, saying why, and its retry took it (not the sweeper later).
    assert (JobStatus.QUEUED, "The connection to the database was lost. Trying again.") in seen, seen


# --- Giving the job back when the connection drops (no processes) ----------------------------


@pytest.mark.django_db
def test_a_dropped_connection_gives_the_claim_back_for_the_retry_saying_why():
    inspection, people = world()
    job = ReportJob.objects.create(inspection=inspection, kind=JobKind.DRAFT, created_by=people["lead"])
    assert services.job_claim(job_id=job.pk)
    services.job_connection_lost(job_id=job.pk, error=OperationalError("server closed the connection"))
    job.refresh_from_db()
    assert (job.status, job.attempts, job.claim_token) == (JobStatus.QUEUED, 1, "")
    assert job.message == "The connection to the database was lost. Trying again."
    assert services.job_claim(job_id=job.pk)  # the retry takes it at once
    assert ReportJob.objects.get(pk=job.pk).attempts == 2


@pytest.mark.django_db
def test_a_dropped_connection_on_the_last_attempt_fails_the_job_saying_why():
    inspection, people = world()
    job = ReportJob.objects.create(inspection=inspection, kind=JobKind.DRAFT, created_by=people["lead"])
    ReportJob.objects.filter(pk=job.pk).update(attempts=MAX_ATTEMPTS - 1)
    assert services.job_claim(job_id=job.pk)
    services.job_connection_lost(job_id=job.pk, error=OperationalError("server closed the connection"))
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, MAX_ATTEMPTS)
    assert job.message.startswith("The connection to the database was lost on every attempt (OperationalError")


@pytest.mark.django_db
def test_a_dropped_connection_leaves_alone_a_job_it_did_not_claim():
    inspection, people = world()
    mine = ReportJob.objects.create(inspection=inspection, kind=JobKind.DRAFT, created_by=people["lead"])
    other = ReportJob.objects.create(inspection=inspection, kind=JobKind.CHART_PACK, created_by=people["lead"])
    assert services.job_claim(job_id=other.pk)
    token = ReportJob.objects.get(pk=other.pk).claim_token
    # The connection dropped while this worker was still claiming ``mine``: nothing to give back,
    # and the job it last held (``other``) is not touched.
    services.job_connection_lost(job_id=mine.pk, error=OperationalError("server closed the connection"))
    assert ReportJob.objects.get(pk=mine.pk).status == JobStatus.QUEUED
    assert ReportJob.objects.filter(pk=other.pk, status=JobStatus.RUNNING, claim_token=token).exists()
