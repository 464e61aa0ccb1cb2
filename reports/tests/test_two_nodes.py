"""Two of everything (issue 11 §3): two gunicorn web processes and two Celery workers, as separate
processes sharing PostgreSQL (the test database), Redis and an S3-compatible object store (moto's
server). Shows that a person signed in on one web node is signed in on the other; that a long-list
uploaded on node A, held in the bucket for its readings to be checked, is read and stored from
node B; and that report jobs asked for on node A are built by whichever worker takes them and
downloaded through node B's access checks.

Every wait is on state (a page answering, a row changing), with generous limits for a loaded
machine."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import boto3
import pytest
import requests
from django.conf import settings as django_settings
from django.db import connection

from casework.models import LongList, PendingLongList
from casework.tests import factories_longlist as fl
from casework.tests.test_longlist_appendix_a import appendix_a_csv
from inspections.tests.worker import BROKER
from reports.enums import JobKind, JobStatus
from reports.models import ReportJob
from reports.tests.factories import world
from reports.tests.processes import free_port, wait_for
from reports.tests.test_storage_s3 import REGION, start_server

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the nodes share the test database, which needs PostgreSQL")


class Cluster:
    """Two web nodes and two workers with one environment, as a deployment would run them."""

    def __init__(self, tmp_path: Path, env: dict[str, str], queue: str):
        self.processes: list[subprocess.Popen] = []
        self.logs: list[Path] = []
        self.ports = [free_port(), free_port()]
        for n, port in enumerate(self.ports):
            self._start(
                tmp_path / f"web-{n}.log",
                [sys.executable, "-m", "gunicorn", "config.wsgi", "-c", "config/gunicorn.conf.py",
                 "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                env,
            )  # fmt: skip
        for n in range(2):
            self._start(
                tmp_path / f"worker-{n}.log",
                [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", queue,
                 "-n", f"node{n}@%h", "--without-heartbeat", "--without-gossip", "--without-mingle",
                 "--loglevel=INFO"],
                env,
            )  # fmt: skip

    def _start(self, log: Path, command: list[str], env: dict[str, str]) -> None:
        self.logs.append(log)
        self.processes.append(
            subprocess.Popen(
                command, env=env, cwd=django_settings.BASE_DIR, stdout=log.open("ab"), stderr=subprocess.STDOUT
            )
        )

    def url(self, node: int, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[node]}{path}"

    def wait_until_serving(self) -> None:
        def up() -> bool:
            for node in (0, 1):
                try:
                    if requests.get(self.url(node, "/healthz"), timeout=2).status_code != 200:
                        return False
                except requests.RequestException:
                    return False
            return True

        wait_for(up, 120, "both web nodes to answer /healthz", self.logs)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()

    def worker_log(self) -> str:
        return "\n".join(log.read_text(errors="replace") for log in self.logs if log.name.startswith("worker"))


@pytest.fixture
def cluster(tmp_path, settings):
    # The suite hashes passwords with MD5 for speed; the nodes know only the real hashers.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    server, endpoint = start_server()
    bucket = f"two-nodes-{uuid.uuid4().hex[:12]}"
    keys = {"AWS_ACCESS_KEY_ID": "inspections-test", "AWS_SECRET_ACCESS_KEY": "inspections-test-secret"}
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name=REGION, **{k.lower(): v for k, v in keys.items()})
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    db = django_settings.DATABASES["default"]
    queue = f"test-two-nodes-{uuid.uuid4().hex}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PYTEST", "DJANGO_SETTINGS"))},
        **keys,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": BROKER,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "STORAGE_BACKEND": "s3",
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": REGION,
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_FORMAT": "text",
        "WEB_CONCURRENCY": "1",
    }
    nodes = Cluster(tmp_path, env, queue)
    try:
        nodes.wait_until_serving()
        yield nodes, s3, bucket
    finally:
        nodes.stop()
        server.stop()


def sign_in(session: requests.Session, login_url: str, username: str) -> None:
    session.get(login_url, timeout=30)
    response = session.post(
        login_url,
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text[:2000]


def post(session: requests.Session, url: str, data=None, files=None) -> requests.Response:
    data = {**(data or {}), "csrfmiddlewaretoken": session.cookies["csrftoken"]}
    return session.post(url, data=data, files=files, allow_redirects=False, timeout=60)


def test_two_web_nodes_and_two_workers_share_sessions_files_and_jobs(cluster):
    nodes, s3, bucket = cluster
    team = fl.team()
    inspection = team["inspection"]
    ref = inspection.reference

    # Signed in on node A, the YOT manager is signed in on node B (sessions are in the database).
    yot = requests.Session()
    sign_in(yot, nodes.url(0, "/accounts/login/"), "owner_yot")
    page = yot.get(nodes.url(1, f"/inspections/{ref}/long-list/"), allow_redirects=False, timeout=30)
    assert page.status_code == 200 and "Long-list" in page.text

    # A long-list uploaded on node A is held in the bucket for its readings to be checked ...
    export = appendix_a_csv(fl.rows_for(inspection, 30))
    held = post(yot, nodes.url(0, f"/inspections/{ref}/long-list/"), files={"upload": ("export.csv", export)})
    assert held.status_code == 302 and "/long-list/check/" in held.headers["Location"], held.text[:2000]
    pending = PendingLongList.objects.get(inspection=inspection)
    assert any(o["Key"] == pending.file.name for o in s3.list_objects_v2(Bucket=bucket).get("Contents", []))
    # ... and node B reads it back from the bucket, shows the readings and stores it.
    check = yot.get(nodes.url(1, held.headers["Location"]), timeout=30)
    assert check.status_code == 200 and "White British" in check.text
    stored = post(yot, nodes.url(1, held.headers["Location"]), {"action": "accept"})
    assert stored.status_code == 302
    assert LongList.objects.get(inspection=inspection).row_count == 30
    wait_for(
        lambda: pending.file.name not in [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])],
        30,
        "the held file to be deleted from the bucket",
    )

    # Reports asked for on node A are built by whichever worker takes them ...
    report_inspection, people = world(name="Eastshire")
    lead = requests.Session()
    sign_in(lead, nodes.url(0, "/accounts/login/"), people["lead"].username)
    for kind in (JobKind.CHART_PACK, JobKind.DRAFT, JobKind.CHART_PACK):
        asked = post(lead, nodes.url(0, f"/inspections/{report_inspection.reference}/reports/generate/{kind}/"))
        assert asked.status_code == 302
    jobs = ReportJob.objects.filter(inspection=report_inspection)

    def all_finished() -> bool:
        return jobs.count() >= 2 and not jobs.exclude(status__in=(JobStatus.DONE, JobStatus.FAILED)).exists()

    wait_for(all_finished, 240, "the report jobs", nodes.logs)
    assert set(jobs.values_list("status", flat=True)) == {JobStatus.DONE}, nodes.worker_log()[-4000:]
    names = set(re.findall(r"Task reports\.\S+\[[^\]]+\] received", nodes.worker_log()))
    assert len(names) >= jobs.count()  # every job was received by one of the workers
    # ... and downloaded through node B's access checks, from the bucket.
    job = jobs.filter(kind=JobKind.DRAFT).get()
    pdf = job.files.get(filename__endswith=".pdf")
    link = f"/inspections/{report_inspection.reference}/reports/jobs/{job.pk}/files/{pdf.pk}/"
    body = lead.get(nodes.url(1, link), timeout=60)
    assert body.status_code == 200 and body.content.startswith(b"%PDF-") and len(body.content) == pdf.size
    assert pdf.file.name in [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    # The YOT manager of another inspection is refused on either node.
    assert yot.get(nodes.url(1, link), allow_redirects=False, timeout=30).status_code in (403, 404)
