"""Run the beat schedule in this process: `make run`'s stand-in for `celery -A config beat`.

With no broker (the embedded defaults) tasks run in-process, so this command calls each task of
``CELERY_BEAT_SCHEDULE`` at its interval. ``--once`` runs every task once and stops.
"""

from __future__ import annotations

import signal
import time

from celery import current_app
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the periodic tasks (reminders) in-process, as celery beat does in production."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every periodic task once, then stop")

    def handle(self, *args, once: bool = False, **options):
        import config.celery  # noqa: F401  (registers the app and its tasks)

        current_app.loader.import_default_modules()
        schedule = {
            name: (current_app.tasks[entry["task"]], float(entry["schedule"]))
            for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        }
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        next_run = dict.fromkeys(schedule, 0.0)
        while not stopping:
            now = time.monotonic()
            for name, (task, interval) in schedule.items():
                if now >= next_run[name]:
                    try:
                        result = task.apply().get()
                        self.stdout.write(f"{name}: {result}")
                    except Exception as exc:  # one failed run must not stop the schedule
                        self.stderr.write(f"{name} failed: {type(exc).__name__}: {exc}")
                    next_run[name] = now + interval
            if once:
                return
            time.sleep(1)
