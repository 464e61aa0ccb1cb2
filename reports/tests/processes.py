"""Real processes for the report tests: a Celery worker on the PostgreSQL test database, a private
Redis, sending a job's message, and waiting on state. test_celery_worker.py, test_two_nodes.py and
test_drills.py share them."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from config.celery import app as celery_app
from inspections.tests.worker import BROKER, CeleryWorker
from reports.models import ReportJob
from reports.tasks import TASKS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate: Callable[[], object], timeout: float, what: str, log: str | Iterable[Path] = ""):
    """Poll ``predicate`` until it returns something true; fail after ``timeout`` seconds with
    ``log`` (text, or files read when it fails) so the failure shows what the processes said."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    if not isinstance(log, str):
        log = "\n".join(Path(p).read_text(errors="replace")[-3000:] for p in log if Path(p).exists())
    raise AssertionError(f"timed out waiting for {what}\n{log}")


class Worker(CeleryWorker):
    """A worker with the shortened times of worker_settings.py (or ``settings_module``)."""

    def __init__(
        self,
        queue: str,
        media_root: Path,
        log: Path,
        *options: str,
        settings_module: str = "reports.tests.worker_settings",
        **env: str,
    ):
        super().__init__(
            queue, log, *options, DJANGO_SETTINGS_MODULE=settings_module, MEDIA_ROOT=str(media_root), **env
        )


def send(job: ReportJob, queue: str, broker: str = BROKER, **kwargs) -> None:
    with celery_app.connection_for_write(broker) as conn:
        TASKS[job.kind].apply_async(kwargs={"job_id": job.pk, **kwargs}, queue=queue, connection=conn)


class RedisServer:
    """A Redis of the test's own on a free port, keeping nothing on disk (as the deployment's
    broker is run): killing it loses every message it held. The shared Redis is never touched."""

    def __init__(self, folder: Path):
        self.port = free_port()
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        command = [
            "redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--dir", str(self.folder),
        ]  # fmt: skip
        log = (self.folder / "redis.log").open("ab")
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        wait_for(self._answers, 30, f"redis-server on port {self.port}", [self.folder / "redis.log"])

    def _answers(self) -> bool:
        try:
            return bool(self.client().ping())
        except Exception:  # not listening yet
            return False

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=5)

    def kill(self) -> None:
        """SIGKILL: as when the machine or container dies; what it held in memory is gone."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)

    def tasks(self, queue: str) -> list[str]:
        """The names of the tasks waiting in ``queue`` or delivered and not yet acknowledged."""
        client = self.client()
        payloads = [json.loads(raw) for raw in client.lrange(queue, 0, -1)]
        payloads += [json.loads(raw)[0] for raw in client.hvals("unacked")]
        return [p["headers"]["task"] for p in payloads]
