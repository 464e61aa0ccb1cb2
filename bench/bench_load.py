"""Under load (issues 11 and 12): the busiest pages, the autosave of an answer and the start of a report
job, on a real gunicorn, PostgreSQL, Redis and Celery worker. Uses Django.

Run from the repository root:  .venv/bin/python bench/bench_load.py [--seconds 10]

It creates the PostgreSQL database ``bench_load`` on 127.0.0.1:5432 (dropped first if a run was
interrupted), migrates it and loads the demo data (``load_demo``), starts gunicorn with
config/gunicorn.conf.py on a free 127.0.0.1 port (its default on this machine: 2 x CPUs + 1 sync
workers, one thread each) and a Celery worker (prefork, two processes) on Redis database 13 with a
queue of its own (the tests use database 15), signs people in, measures, then stops both processes,
drops the database and deletes its Redis keys. Each person signs in through the sign-in page; the
32 sessions of the page load are theirs in turn, the further ones made by Django's own ``login()``
so that 28 more password hashes do not take a tenth of the run. Every figure is a ratio over a baseline measured in
the same run, under the same load:

- pages: p50 and p95 latency of the five pages an inspection day hits most, under 8 and under 32
  signed-in people requesting one after another without pause (closed loop), each over the same
  figure of the bare view under the same concurrency. The bare view is ``/healthz``: its view
  touches no database and builds a two-key JSON answer; asked with the same signed-in sessions it
  passes through the same middleware (session and user lookups) as the pages. (bench_pages.py's
  bare view exists only in its in-process URLconf, so gunicorn cannot serve it.) The same figures of
  ``/healthz`` without a session (no database at all) are printed beside it.
- autosave: the round trip of saving a typed answer (a narrative of View 1) the way the page's
  htmx does it, with the revision the page showed and its CSRF token, by 8 local assessors at once,
  each on their own case, over the bare view asked by the same 8 sessions.
- job start: from asking for a draft report (``reports.services.job_create``, as the Generate button
  does) to the worker claiming it (the job row's ``started_at``), over the same for a no-op task
  (bench/load_tasks.py), both sent from this process to the same worker.

Speed is never asserted: the figures are printed. A request that fails makes the run exit 1.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_NAME = "bench_load"
SERVER_URL = "postgres://postgres@127.0.0.1:5432"
BROKER = "redis://127.0.0.1:6379/13"  # a database of its own: the tests' worker uses 15
QUEUE = f"bench-load-{os.getpid()}"
NOOP_PREFIX = f"bench-load:{os.getpid()}:noop:"
HOST = "127.0.0.1"
# gunicorn: the configuration's own default on this machine (2 x CPUs + 1 sync workers, one thread each).
WORKERS = str(min(2 * (os.cpu_count() or 1) + 1, 9))
THREADS = "1"
CELERY_CONCURRENCY = "2"

# The Manchester SQS team of the demo (load_demo): the people on its pages during fieldwork.
PAGE_CAST = ("lead", "assistant", "assessor", "sso")
DEMO_PASSWORD = "inspect-demo-2026"  # noqa: S105 - load_demo's published demo password
ASSESSORS = 8
ASSESSOR_PASSWORD = "bench-load-assessor-2026"  # noqa: S105 - a throwaway account in a throwaway database


def environment(tmp: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SENTRY_", "GUNICORN_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_ENV="development",
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"{SERVER_URL}/{DB_NAME}",
        CELERY_BROKER_URL=BROKER,
        CELERY_TASK_ALWAYS_EAGER="false",
        CELERY_TASK_DEFAULT_QUEUE=QUEUE,
        TWO_FACTOR_REQUIRED="false",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",  # nothing written to sent_emails/
        MEDIA_ROOT=str(tmp / "media"),
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


# --- A browser: one person's cookies, over http.client ------------------------------------------


@dataclass
class Reply:
    status: int
    body: str
    location: str


class Browser:
    """One signed-in person: their cookies, sent with every request. gunicorn's sync workers close
    the connection after each answer, so each request opens a new one, as a browser's would."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.csrf = ""
        self.username = ""

    def request(self, method: str, path: str, form: dict | None = None, headers: dict | None = None) -> Reply:
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent.setdefault("Origin", f"http://{HOST}:{self.port}")
        connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel.value and morsel["max-age"] != "0":
                        self.cookies[name] = morsel.value
                    else:
                        self.cookies.pop(name, None)
            return Reply(response.status, text, response.headers.get("Location", ""))
        finally:
            connection.close()

    def page(self, path: str) -> str:
        reply = self.request("GET", path)
        if reply.status != 200:
            raise RuntimeError(f"GET {path}: {reply.status} {reply.location}")
        if token := re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', reply.body):
            self.csrf = token.group(1)
        return reply.body

    def sign_in(self, username: str, password: str) -> Browser:
        self.page("/accounts/login/")
        reply = self.request(
            "POST",
            "/accounts/login/",
            form={"csrfmiddlewaretoken": self.csrf, "username": username, "password": password, "next": ""},
        )
        if reply.status != 302 or "login" in reply.location:
            raise RuntimeError(f"signing in as {username} failed: {reply.status} {reply.location}")
        self.username = username
        return self


# --- Closed-loop load ---------------------------------------------------------------------------


@dataclass
class Sample:
    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def add(self, other: Sample) -> None:
        self.seconds += other.seconds
        self.errors += other.errors

    def p(self, percent: int) -> float:
        if len(self.seconds) < 2:
            return self.seconds[0] if self.seconds else float("nan")
        return statistics.quantiles(self.seconds, n=100, method="inclusive")[percent - 1]


def load(users: list, seconds: float, one: Callable[[object], str | None]) -> Sample:
    """Every user in its own thread, one request after another without pause, for ``seconds``.
    ``one`` makes one request and returns an error or None; its wall time is the latency."""
    sample = Sample()
    lock = threading.Lock()
    start = threading.Barrier(len(users))

    def run(user) -> None:
        mine = Sample()
        start.wait()
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            try:
                error = one(user)
            except Exception as exc:  # a dropped connection is a failed request, reported
                error = f"{type(exc).__name__}: {exc}"
            mine.seconds.append(time.perf_counter() - began)
            if error:
                mine.errors.append(error)
        with lock:
            sample.add(mine)

    threads = [threading.Thread(target=run, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sample


def get_ok(path_of: Callable[[Browser], str], marker: Callable[[Browser], str] | None = None):
    def one(browser: Browser) -> str | None:
        path = path_of(browser)
        reply = browser.request("GET", path)
        if reply.status != 200:
            return f"GET {path}: {reply.status}"
        if marker is not None and marker(browser) not in reply.body:
            return f"GET {path}: the page does not say {marker(browser)!r}"
        return None

    return one


# --- Setting up ---------------------------------------------------------------------------------


def admin_sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as connection:
        connection.execute(statement)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_for(what: str, ready: Callable[[], bool], timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} stopped (exit {process.returncode})")
        if ready():
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what}: not ready within {timeout:.0f} s")


WEB_COMMAND = [sys.executable, "-m", "gunicorn", "config.wsgi", "-c", "config/gunicorn.conf.py"]
WORKER_COMMAND = [
    sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork", f"--concurrency={CELERY_CONCURRENCY}",
    "-Q", QUEUE, "--include", "bench.load_tasks", "--without-heartbeat", "--without-gossip", "--without-mingle",
    "--loglevel=WARNING",
]  # fmt: skip


def start_process(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """In a process group of its own, so that stopping it reaches its workers and nothing else."""
    with log.open("wb") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(process: subprocess.Popen | None, name: str) -> None:
    """SIGTERM to the process group we started (gunicorn's master and workers, Celery's pool),
    then SIGKILL if it has not gone within 40 s."""
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=40)
    except subprocess.TimeoutExpired:
        print(f"{name} did not stop on SIGTERM: killed", flush=True)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def prepare_data() -> dict:
    """The demo, plus eight local assessors from Leeds on Manchester's team, each with a case of
    their own (the demo's last eight, not yet started) whose assessment is started."""
    from django.core.management import call_command

    from casework.models import Case
    from casework.services import assessment as assessing
    from config.celery import app
    from inspections import services
    from inspections.enums import StaffRole, TeamRole
    from inspections.models import Inspection, User, YouthOffendingTeam

    app.conf.task_always_eager = True  # the set-up's own emails and tasks run here, as under `make run`
    try:
        call_command("migrate", verbosity=0)
        with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):  # load_yots prints too
            call_command("load_demo", verbosity=0, stdout=devnull)
        inspection = Inspection.objects.get(programme="sqs", yot__code="manchester")
        people = {user.username: user for user in User.objects.filter(username__in=[*PAGE_CAST, "lead"])}
        leeds = YouthOffendingTeam.objects.get(code="leeds")
        free = list(
            Case.objects.filter(inspection=inspection, assessment__isnull=True, status="selected").order_by(
                "-position"
            )[:ASSESSORS]
        )
        if len(free) < ASSESSORS:
            raise RuntimeError(f"the demo has {len(free)} cases not yet started, not {ASSESSORS}")
        assessors = []
        for number, case in enumerate(reversed(free), start=1):
            user = User.objects.create(
                username=f"bench.assessor{number}",
                email=f"bench.assessor{number}@example.gov.uk",
                first_name="Bench",
                last_name=f"Assessor {number}",
                role=StaffRole.LOCAL_ASSESSOR,
                yot=leeds,
            )
            user.set_password(ASSESSOR_PASSWORD)
            user.save()
            services.team_member_add(
                inspection=inspection,
                by=people["lead"],
                user=user,
                role=TeamRole.LOCAL_ASSESSOR,
                supervisor=people["assistant"],
            )
            case.inspection = inspection
            assessing.case_allocate(case=case, assessor=user, user=people["lead"])
            assessing.assessment_start(case=case, user=user)
            assessors.append((user.username, case.pk))
        # The view page each person reads: a case assessed in full (the demo completes three), their own
        # where they have one, so the page is as long as the view page gets.
        completed = list(
            Case.objects.filter(inspection=inspection, assessment__completed_at__isnull=False).order_by("position")
        )
        view_case = {}
        for index, username in enumerate(PAGE_CAST):
            own = [case for case in completed if case.assessor_id == people[username].pk]
            view_case[username] = (own or completed[index % len(completed) :])[0].pk
    finally:
        app.conf.task_always_eager = False
    return {"inspection": inspection, "lead": people["lead"], "assessors": assessors, "view_case": view_case}


# --- The measurements ---------------------------------------------------------------------------


def pages_of(reference: str, view_case: dict[str, int]) -> dict[str, tuple[Callable, Callable | None]]:
    base = f"/inspections/{reference}"
    # Why these five: on a fieldwork day most people on the service are assessors working through
    # their cases, so the view page of a case (one per view answered or read) comes first, then the
    # case list they return to between cases; everyone lands on home after signing in and goes back
    # to it between tasks; the inspection overview is the hub the inspectors work from; the schedule
    # says who meets which case manager when and is looked at between interviews. The inspection list
    # is for choosing among inspections, which nobody on site needs (home links theirs).
    return {
        "home (what's next)": (lambda b: "/", None),
        "inspection overview": (lambda b: f"{base}/", lambda b: reference),
        "case list": (lambda b: f"{base}/cases/", lambda b: "HMIP-"),
        "case view page (View 1)": (lambda b: f"{base}/cases/{view_case[b.username]}/views/1/", lambda b: "HMIP-"),
        "schedule": (lambda b: f"{base}/schedule/", lambda b: reference),
    }


def measure_pages(args, browsers: list[Browser], anonymous: list[Browser], pages: dict) -> list[str]:
    errors: list[str] = []
    healthz = get_ok(lambda b: "/healthz", lambda b: '"ok"')
    for path_of, marker in pages.values():  # warm every gunicorn worker: templates compiled, bank loaded
        warm = browsers[: 2 * int(WORKERS)]
        errors += [e for e in run_in_threads(get_ok(path_of, marker), warm, threads=int(WORKERS)) if e]
    for users in args.users:
        began = time.monotonic()
        crowd, strangers = browsers[:users], anonymous[:users]
        bare, bare_anonymous = Sample(), load(strangers, args.seconds / 5, healthz)
        rows = []
        for name, (path_of, marker) in pages.items():
            bare.add(load(crowd, args.seconds / 5, healthz))  # a slice of the baseline before each page
            rows.append((name, load(crowd, args.seconds, get_ok(path_of, marker))))
        print(
            f"\n{users} signed-in people at once: bare view /healthz p50 {bare.p(50) * 1000:6.1f} ms, "
            f"p95 {bare.p(95) * 1000:6.1f} ms over {len(bare.seconds)} requests "
            f"(without a session: p50 {bare_anonymous.p(50) * 1000:.1f} ms, p95 {bare_anonymous.p(95) * 1000:.1f} ms)"
            f"; measured in {time.monotonic() - began:.0f} s"
        )
        print(f"  {'page':<26}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p50 ratio':>11}{'p95 ratio':>11}")
        for name, sample in rows:
            print(
                f"  {name:<26}{len(sample.seconds):>9}{sample.p(50) * 1000:>9.1f}{sample.p(95) * 1000:>9.1f}"
                f"{sample.p(50) / bare.p(50):>11.1f}{sample.p(95) / bare.p(95):>11.1f}"
            )
            errors += sample.errors
        errors += bare.errors + bare_anonymous.errors
    return errors


@dataclass
class Autosave:
    """One assessor's typed answer, saved as View 1's htmx does on change."""

    browser: Browser
    view_url: str
    action: str
    slug: str
    revision: int
    port: int
    typed: int = 0

    def save(self, _user=None) -> str | None:
        self.typed += 1
        reply = self.browser.request(
            "POST",
            self.action,
            form={
                "csrfmiddlewaretoken": self.browser.csrf,
                "expected_revision": str(self.revision),
                "value": f"Pen portrait, draft {self.typed}: lives at home, attends college part-time.",
            },
            headers={
                "HX-Request": "true",
                "HX-Current-URL": f"http://{HOST}:{self.port}{self.view_url}",
                "HX-Target": f"status-{self.slug}",
                "HX-Trigger": f"question-{self.slug}",
            },
        )
        if reply.status != 200:
            return f"POST {self.action}: {reply.status}"
        revision = re.search(rf'id="rev-{re.escape(self.slug)}" name="expected_revision" value="(\d+)"', reply.body)
        if revision is None or int(revision.group(1)) <= self.revision:
            return f"POST {self.action}: no new revision in the answer"
        self.revision = int(revision.group(1))
        return None


FORM = re.compile(
    r'<form id="question-(?P<slug>[^"]+)"[^>]*? action="(?P<action>[^"]+)"[^>]*? data-kind="narrative"'
    r' data-input="text"[^>]*>.*?name="expected_revision" value="(?P<revision>\d+)"',
    re.S,
)


def measure_autosave(args, port: int, reference: str, assessors: list[tuple[str, int]]) -> list[str]:
    savers = []
    signed_in = run_in_threads(lambda pair: Browser(port).sign_in(pair[0], ASSESSOR_PASSWORD), assessors, 4)
    for browser, (_username, case_pk) in zip(signed_in, assessors, strict=True):
        view_url = f"/inspections/{reference}/cases/{case_pk}/views/1/"
        form = FORM.search(browser.page(view_url))  # the first narrative of View 1, as the page shows it
        if form is None:
            raise RuntimeError(f"{view_url}: no narrative question to type into")
        savers.append(Autosave(browser, view_url, form["action"], form["slug"], int(form["revision"]), port))
    browsers = [saver.browser for saver in savers]
    healthz = get_ok(lambda b: "/healthz", lambda b: '"ok"')
    load(savers, 0.5, lambda saver: saver.save())  # warm up
    bare = load(browsers, args.seconds / 2, healthz)
    saves = load(savers, args.seconds, lambda saver: saver.save())
    bare.add(load(browsers, args.seconds / 2, healthz))
    print(
        f"\nautosave of a typed answer ({savers[0].action.rsplit('/', 2)[-2]}, View 1), {len(savers)} assessors at once"
        f" on their own cases: {len(saves.seconds)} saves, p50 {saves.p(50) * 1000:.1f} ms,"
        f" p95 {saves.p(95) * 1000:.1f} ms; bare view with the same sessions p50 {bare.p(50) * 1000:.1f} ms,"
        f" p95 {bare.p(95) * 1000:.1f} ms"
    )
    print(f"  ratio p95 {saves.p(95) / bare.p(95):.1f}   (p50 {saves.p(50) / bare.p(50):.1f})")
    return saves.errors + bare.errors


def measure_job_start(args, inspection, lead) -> list[str]:
    import redis
    from django.db.models import Q

    from config.celery import app
    from reports.enums import JobKind, JobStatus
    from reports.models import ReportJob
    from reports.services import job_create

    client = redis.Redis.from_url(BROKER)
    noop_count = 0

    def noop_start() -> float:
        nonlocal noop_count
        noop_count += 1
        key = f"{NOOP_PREFIX}{noop_count}"
        asked = time.time()
        app.send_task("bench.load_noop", kwargs={"key": key}, queue=QUEUE)
        wait_for("the no-op task", lambda: client.exists(key) == 1, 60)
        return float(client.get(key)) - asked

    def job_start() -> tuple[float, float, str]:
        asked = time.time()
        job = job_create(kind=JobKind.DRAFT, by=lead, inspection=inspection)
        row = ReportJob.objects.filter(pk=job.pk)
        finished = (JobStatus.DONE, JobStatus.FAILED)
        begun_or_over = Q(started_at__isnull=False) | Q(status__in=finished)
        wait_for("the draft report job to start", lambda: row.filter(begun_or_over).exists(), 60)
        job = row.get()
        if job.started_at is None:  # the task failed before claiming the job (on_failure marked it)
            raise RuntimeError(f"the draft report job failed before it started: {job.message}")
        started = job.started_at.timestamp() - asked
        wait_for("the draft report job to finish", lambda: row.filter(status__in=finished).exists(), 120)
        job = row.get()
        return started, (job.finished_at - job.started_at).total_seconds(), job.status

    noop_start()  # the worker's first task imports what tasks need
    noops, jobs, runs, statuses = [], [], [], []
    for _ in range(args.jobs):
        noops += [noop_start() for _ in range(4)]
        started, ran, status = job_start()
        jobs.append(started)
        runs.append(ran)
        statuses.append(status)
    client.delete(*[f"{NOOP_PREFIX}{n}" for n in range(1, noop_count + 1)])
    client.close()
    median_noop, median_job = statistics.median(noops), statistics.median(jobs)
    print(
        f"\njob start (asked to claimed by the worker, {CELERY_CONCURRENCY} worker processes, idle when asked):"
        f"\n  no-op task:   median {median_noop * 1000:6.1f} ms, max {max(noops) * 1000:6.1f} ms over {len(noops)}"
        f"\n  draft report: median {median_job * 1000:6.1f} ms, max {max(jobs) * 1000:6.1f} ms over {len(jobs)}"
        f" (then generated in a median {statistics.median(runs):.1f} s: {', '.join(sorted(set(statuses)))})"
        f"\n  ratio {median_job / median_noop:.1f} (median over median)"
    )
    return [f"draft report job {status}" for status in statuses if status != JobStatus.DONE]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10, help="of each page at each concurrency")
    parser.add_argument("--users", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--jobs", type=int, default=5, help="draft report jobs asked for")
    args = parser.parse_args()

    began, load_at_start = time.monotonic(), load_average()
    tmp = Path(tempfile.mkdtemp(prefix="bench-load-"))
    port = free_port()
    os.environ.update(environment(tmp, LOG_LEVEL="WARNING"))
    import django

    django.setup()
    from django.db import connections

    admin_sql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    admin_sql(f'CREATE DATABASE "{DB_NAME}"')
    web = worker = None
    web_log, worker_log = tmp / "gunicorn.log", tmp / "worker.log"
    errors: list[str] = []
    failed = True
    deadlines_before = redis_has(DEADLINES)
    try:
        data = prepare_data()
        reference = data["inspection"].reference
        web_env = environment(tmp, GUNICORN_BIND=f"{HOST}:{port}", WEB_CONCURRENCY=WORKERS, GUNICORN_THREADS=THREADS)
        web = start_process(WEB_COMMAND, web_env, web_log)
        worker = start_process(WORKER_COMMAND, environment(tmp), worker_log)

        def answers() -> bool:
            try:
                return Browser(port).request("GET", "/healthz").status == 200
            except OSError:
                return False

        wait_for("gunicorn", answers, 60, web)
        print(
            f"gunicorn (config/gunicorn.conf.py): {WORKERS} sync workers x {THREADS} thread on {os.cpu_count()} CPUs;"
            f" PostgreSQL database {DB_NAME} with the demo data; Redis database 13, queue {QUEUE}; "
            f"set up in {time.monotonic() - began:.0f} s",
            flush=True,
        )

        signed_in = dict(
            zip(PAGE_CAST, run_in_threads(lambda name: timed_sign_in(port, name), PAGE_CAST, 4), strict=True)
        )
        browsers = [
            signed_in[name][0] if index < len(PAGE_CAST) else session_of(port, name)
            for index, name in ((i, PAGE_CAST[i % len(PAGE_CAST)]) for i in range(max(args.users)))
        ]
        sign_in_seconds = [seconds for _browser, seconds in signed_in.values()]
        pages = pages_of(reference, data["view_case"])
        for path_of, marker in pages.values():  # every person may see every page: a 200 with the page's text
            for browser in browsers[: len(PAGE_CAST)]:
                if error := get_ok(path_of, marker)(browser):
                    raise RuntimeError(f"{browser.username}: {error}")
        print(
            f"{len(browsers)} sessions of {', '.join(PAGE_CAST)} in turn (each signed in through the sign-in page"
            f" once, in a median {statistics.median(sign_in_seconds):.1f} s; their other sessions made by Django's"
            f" login()), {time.monotonic() - began:.0f} s from the start;"
            f" {args.seconds:g} s per page and level, closed loop (no pause between requests)"
        )
        anonymous = [Browser(port) for _ in range(max(args.users))]
        errors += measure_pages(args, browsers, anonymous, pages)
        errors += measure_autosave(args, port, reference, data["assessors"])
        errors += measure_job_start(args, data["inspection"], data["lead"])
        for log in (web_log, worker_log):
            problems = [line for line in log.read_text(errors="replace").splitlines() if "Traceback" in line]
            if problems:
                errors.append(f"{log.name}: {len(problems)} tracebacks")
        failed = bool(errors)
    finally:
        stop(web, "gunicorn")
        stop(worker, "the Celery worker")
        connections.close_all()
        admin_sql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        clean_redis(deadlines_before=deadlines_before)
        if failed:  # what the processes said, before their folder goes
            for log in (web_log, worker_log):
                if log.exists():
                    print(
                        f"--- the end of {log.name}:\n" + "\n".join(log.read_text(errors="replace").splitlines()[-25:])
                    )
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nwhole run {time.monotonic() - began:.0f} s; load average {load_average()} (at the start {load_at_start})")
    if errors:
        print(f"{len(errors)} failed requests or jobs, e.g.: " + "; ".join(sorted(set(errors))[:5]))
        return 1
    return 0


def load_average() -> str:
    """The machine's 1-minute load: with other work on it, every latency grows (the ratios less so)."""
    return f"{os.getloadavg()[0]:.1f}"


def timed_sign_in(port: int, username: str) -> tuple[Browser, float]:
    began = time.perf_counter()
    browser = Browser(port).sign_in(username, DEMO_PASSWORD)
    return browser, time.perf_counter() - began


def session_of(port: int, username: str) -> Browser:
    """Another signed-in session of the person, made here by ``django.contrib.auth.login`` (the test
    client's ``force_login``: the same session row and sign-in signal as the sign-in page, without
    hashing the password again). Hashing is most of a sign-in's cost (about half a second on this
    machine), and 28 more of them would take a tenth of the run."""
    from django.conf import settings
    from django.test import Client

    from inspections.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    browser = Browser(port)
    browser.username = username
    browser.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return browser


def run_in_threads(fn: Callable, items: list, threads: int) -> list:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(fn, items))  # re-raises the first failure


# kombu's record of when the worker's remote-control binding expires: shared by every worker on the
# Redis database, so removed at the end only if it was not there before the run.
DEADLINES = "_kombu.binding_deadlines"


def redis_has(key: str) -> bool:
    import redis

    with redis.Redis.from_url(BROKER) as client:
        return client.exists(key) == 1


def clean_redis(*, deadlines_before: bool) -> None:
    """The keys this run made in its Redis database: its queue and the queue's bindings, the no-op marks."""
    import redis

    with redis.Redis.from_url(BROKER) as client:
        keys = [QUEUE, f"_kombu.binding.{QUEUE}", f"_kombu.binding_permanent.{QUEUE}"]
        keys += list(client.scan_iter(f"{NOOP_PREFIX}*"))
        if not deadlines_before:
            keys.append(DEADLINES)
        client.delete(*keys)


if __name__ == "__main__":
    sys.exit(main())
