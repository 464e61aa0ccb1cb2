"""A large long-list read by a real Celery worker on Redis and the PostgreSQL test database: the
rows read move while it reads, the long-list is stored once, and the file is gone afterwards."""

from __future__ import annotations

import time
import uuid

import pytest
from django.db import connection

from casework.enums import LongListReadStatus as Status
from casework.models import LongList, LongListEntry, LongListRead
from casework.services import longlist_reads as reads
from casework.tasks import read_long_list
from casework.tests import factories_longlist as fl
from config.celery import app as celery_app
from inspections.tests.worker import BROKER, CeleryWorker

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database, which needs PostgreSQL")


def test_a_worker_reads_a_large_long_list_once_with_its_progress(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    monkeypatch.setattr(reads, "_enqueue", lambda read_id: None)  # sent below, to this test's own queue
    world = fl.team()
    inspection = world["inspection"]
    read = reads.long_list_read_later(
        inspection=inspection, by=world["people"]["yot_manager"], language="en-gb", filename="big.xlsx",
        data=fl.workbook(inspection, fl.rows_for(inspection, 3000)),
    )  # fmt: skip
    name = read.file.name
    queue = f"test-casework-{uuid.uuid4().hex}"
    worker = CeleryWorker(queue, tmp_path / "worker.log", MEDIA_ROOT=settings.MEDIA_ROOT)
    seen: set[tuple[str, int]] = set()
    eager, celery_app.conf.task_always_eager = celery_app.conf.task_always_eager, False
    try:
        with celery_app.connection_for_write(BROKER) as conn:
            for _ in range(2):  # delivered twice: read once
                read_long_list.apply_async(kwargs={"read_id": read.pk}, queue=queue, connection=conn)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            read.refresh_from_db()
            seen.add((read.status, read.rows_read))
            if not read.is_active:
                break
            time.sleep(0.05)
    finally:
        celery_app.conf.task_always_eager = eager
        log = worker.stop()
    assert read.status == Status.STORED, log
    assert LongList.objects.filter(inspection=inspection).count() == 1
    assert LongListEntry.objects.count() == 3000 and read.rows_read == 3000 and read.attempts == 1
    # The page had rows read to show while it read.
    moving = {rows for status, rows in seen if status == Status.RUNNING}
    assert {500, 1000, 1500, 2000, 2500} & moving, seen
    assert not (tmp_path / "media" / name).exists()
    assert LongListRead.objects.get(pk=read.pk).long_list.version == 1
