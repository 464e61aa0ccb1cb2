"""A real Celery worker for integration tests: a subprocess on Redis and the PostgreSQL test database.

Both the announcement email tests (inspections) and the report job tests (reports) use it; the
worker listens on a queue of its own so parallel runs on one Redis never take each other's jobs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BROKER = "redis://127.0.0.1:6379/15"


class CeleryWorker:
    def __init__(self, queue: str, log: Path, *options: str, **env: str):
        """``options`` are added to the command line (``-B`` runs beat in the worker, for instance)."""
        db = settings.DATABASES["default"]
        environment = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "CELERY_BROKER_URL": BROKER,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            **env,
        }
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", queue,
            "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=WARNING", *options,
        ]  # fmt: skip
        self.log = log
        self.process = subprocess.Popen(
            command, env=environment, cwd=settings.BASE_DIR, stdout=log.open("ab"), stderr=subprocess.STDOUT
        )

    def kill(self) -> None:
        """SIGKILL, as when a machine dies mid-job: no chance to acknowledge or clean up."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self) -> str:
        """Stop the worker and return what it logged."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        return self.log.read_text(errors="replace")
