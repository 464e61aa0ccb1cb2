"""The no-op task that bench/bench_load.py compares the report jobs' start with.

The worker of that benchmark imports this module (``celery -A config worker --include
bench.load_tasks``); nothing in the service does. The task does nothing but write the moment a
worker started it into a Redis key the benchmark waits on, so its start latency is the broker's
and the worker's own, with none of the service's work in it.
"""

from __future__ import annotations

import time

import redis

from config.celery import app


@app.task(name="bench.load_noop", ignore_result=True)
def load_noop(*, key: str) -> None:
    started = time.time()  # first, so that connecting to Redis is not counted
    client = redis.Redis.from_url(app.conf.broker_url)
    try:
        client.set(key, repr(started), ex=600)
    finally:
        client.close()
