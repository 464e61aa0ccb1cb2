"""Large long-lists read by a worker, not in the upload request (issue 15 §2).

A file over ``LONG_LIST_BACKGROUND_BYTES`` is put in the storage (shared by every node) with a
``LongListRead`` row, and the upload page goes to a page that follows it: rows read so far while a
worker reads it, then the same outcome as a small file (stored, held for checking, or refused with
every problem). The reading itself is the same code as the request's (``services.longlist``): the
same limits, checks and messages, written in the uploader's language.

Exactly once: a worker claims the row with a conditional UPDATE (as report jobs do), reads the file
outside any transaction (so its progress is visible), then stores the long-list and marks the row
in one transaction that first checks the claim is still its own. A message delivered twice, or a
worker that died after storing, cannot store a second version. The sweeper (beat) sends a read
again whose message was lost (Redis keeps nothing on disk) or whose worker stopped, and fails it
visibly after ``MAX_ATTEMPTS``. The file is deleted once the read has ended, whatever the outcome.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from casework.enums import LongListReadStatus as Status
from casework.models import LongListRead
from casework.services.longlist import LongListInvalid, _checked, _final_refusal, _hold, _sample_is_final, _store
from config.database import database_reconnect
from inspections.models import AuditEvent, Inspection, User

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
ENDED = (Status.STORED, Status.HELD, Status.REFUSED, Status.FAILED)


class ReadLost(BaseException):
    """The read is no longer this worker's (finished, or taken over after its heartbeat stopped).

    A BaseException, so the reader's own ``except Exception`` (which turns a damaged workbook into a
    problem for the YOT) lets it through: a lost claim stops the read, it is not a refusal."""


def reads_in_background(size: int) -> bool:
    """Whether a file of ``size`` bytes is read by a worker rather than during the upload."""
    return size > settings.LONG_LIST_BACKGROUND_BYTES


def stale_after() -> dt.timedelta:
    """A read silent this long lost its worker: a worker reports every few hundred rows."""
    return dt.timedelta(seconds=settings.LONG_LIST_READ_STALE_SECONDS)


def long_list_read_later(
    *, inspection: Inspection, by: User, data: bytes, filename: str, language: str, now: dt.datetime | None = None
) -> LongListRead:
    """Keep the file in the storage and ask a worker to read it; the read's row.

    The upload time is the time lateness counts from, however long the queue. A sample already final
    is refused at once, as for a small file (ValidationError).
    """
    if _sample_is_final(inspection):
        raise _final_refusal()
    token = uuid.uuid4()
    read = LongListRead(
        token=token, inspection=inspection, uploaded_by=by, uploaded_at=now or timezone.now(),
        original_name=filename[:255], size=len(data), language=language or settings.LANGUAGE_CODE,
    )  # fmt: skip
    read.file.save(f"{token.hex}.upload", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            read.save()
            AuditEvent.objects.create(
                inspection=inspection, actor=by, action="long_list_read_queued",
                detail={"file": read.original_name, "bytes": read.size},
            )  # fmt: skip
            transaction.on_commit(lambda: _enqueue(read.pk))
    except Exception:
        read.file.delete(save=False)
        raise
    return read


def _enqueue(read_id: int) -> None:
    from casework.tasks import read_long_list

    read_long_list.apply_async(kwargs={"read_id": read_id})


def read_claim(*, read_id: int, now: dt.datetime | None = None) -> str | None:
    """Claim the read for this worker: a queued read, or a running one whose heartbeat is stale.
    Attempts are counted and capped on the row, so a message delivered twice buys no extra try."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    claimed = (
        LongListRead.objects.filter(pk=read_id, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(status=Status.QUEUED) | Q(status=Status.RUNNING, heartbeat_at__lt=now - stale_after()))
        .update(
            status=Status.RUNNING,
            claim_token=token,
            attempts=F("attempts") + 1,
            started_at=now,
            heartbeat_at=now,
            rows_read=0,
        )
    )
    return token if claimed else None


def _heartbeat(read_id: int, token: str):
    def progress(rows: int) -> None:
        updated = LongListRead.objects.filter(pk=read_id, status=Status.RUNNING, claim_token=token).update(
            rows_read=rows, heartbeat_at=timezone.now()
        )
        if not updated:
            raise ReadLost(read_id)

    return progress


def _finish(read_id: int, token: str, **values) -> bool:
    """Mark the read ended, if it is still this worker's; the file is deleted after commit."""
    read = LongListRead.objects.select_for_update().filter(pk=read_id, status=Status.RUNNING, claim_token=token).first()
    if read is None:
        return False
    name = read.file.name
    LongListRead.objects.filter(pk=read_id).update(
        finished_at=timezone.now(), claim_token="", heartbeat_at=timezone.now(), file="", **values
    )
    if name:
        storage = read.file.storage
        transaction.on_commit(lambda: storage.delete(name))
    return True


def long_list_read_run(*, read_id: int) -> str | None:
    """Read one queued long-list to its outcome; the status it ended with, or None when the read was
    not this worker's to run (already ended, or held by a live worker)."""
    token = read_claim(read_id=read_id)
    if token is None:
        return None
    read = LongListRead.objects.select_related("inspection", "uploaded_by").get(pk=read_id)
    with translation.override(read.language):
        try:
            return _run(read, token)
        except ReadLost:
            return None
        except Exception:
            log.exception("long-list read %s failed", read_id)
            database_reconnect()  # a dropped database connection: mark the read on a new one
            with transaction.atomic():
                _finish(
                    read_id, token, status=Status.FAILED,
                    message=_("The file could not be read because of a fault on our side. Upload it again."),
                )  # fmt: skip
            return Status.FAILED


def _run(read: LongListRead, token: str) -> str:
    inspection, by = read.inspection, read.uploaded_by
    with read.file.open("rb") as handle:
        data = handle.read()
    try:
        result = _checked(
            inspection=inspection, by=by, data=data, filename=read.original_name, limits=None,
            progress=_heartbeat(read.pk, token),
        )  # fmt: skip
    except LongListInvalid as invalid:
        with transaction.atomic():
            _finish(
                read.pk, token, status=Status.REFUSED, rows_read=invalid.row_count,
                errors=[error.as_dict() for error in invalid.errors],
            )  # fmt: skip
        return Status.REFUSED
    rows = len(result.rows)
    try:
        with transaction.atomic():
            # The claim is checked (and the row locked) before anything is stored.
            if not LongListRead.objects.select_for_update().filter(pk=read.pk, claim_token=token).exists():
                raise ReadLost(read.pk)
            if not result.readings:
                stored = _store(
                    inspection=inspection, by=by, result=result, data=data, filename=read.original_name,
                    received=read.uploaded_at,
                )  # fmt: skip
                _finish(read.pk, token, status=Status.STORED, rows_read=rows, long_list=stored)
                return Status.STORED
            held = _hold(
                inspection=inspection, by=by, result=result, data=data, filename=read.original_name,
                received=read.uploaded_at,
            )  # fmt: skip
            _finish(read.pk, token, status=Status.HELD, rows_read=rows, pending=held)
            return Status.HELD
    except ValidationError as refused:  # the sample was made final while the file waited
        with transaction.atomic():
            _finish(read.pk, token, status=Status.REFUSED, rows_read=rows, message=" ".join(refused.messages))
        return Status.REFUSED


def long_list_reads_sweep(*, now: dt.datetime | None = None) -> dict[str, list[int]]:
    """Beat's check that every read ends visibly: one queued and never started for longer than
    ``LONG_LIST_READ_QUEUED_SECONDS`` lost its message and is sent again; one whose worker stopped
    is sent again while it has attempts left, otherwise failed with a message saying so."""
    now = now or timezone.now()
    queued_limit = dt.timedelta(seconds=settings.LONG_LIST_READ_QUEUED_SECONDS)
    done: dict[str, list[int]] = {"sent_again": [], "failed": []}
    when = date_format(timezone.localtime(now), "H:i")
    lost = LongListRead.objects.filter(
        status=Status.QUEUED, started_at__isnull=True, uploaded_at__lt=now - queued_limit
    )
    stale = LongListRead.objects.filter(status=Status.RUNNING, heartbeat_at__lt=now - stale_after())
    with transaction.atomic():
        for read in lost.select_for_update(skip_locked=True):
            with translation.override(read.language):
                read.retry_note = _("Sent to a worker again at %(time)s: it had not started.") % {"time": when}
            read.save(update_fields=["retry_note"])
            transaction.on_commit(lambda pk=read.pk: _enqueue(pk))
            done["sent_again"].append(read.pk)
        for read in stale.select_for_update(skip_locked=True):
            with translation.override(read.language):
                if read.attempts >= MAX_ATTEMPTS:
                    name, storage = read.file.name, read.file.storage
                    read.status, read.finished_at, read.claim_token, read.file = Status.FAILED, now, "", ""
                    read.message = _("The file could not be read: reading it stopped %(n)d times. Upload it again.") % {
                        "n": read.attempts
                    }
                    read.save(update_fields=["status", "finished_at", "claim_token", "file", "message"])
                    if name:
                        transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
                    done["failed"].append(read.pk)
                    continue
                read.retry_note = _("Started again at %(time)s: reading it stopped (attempt %(n)d of %(max)d).") % {
                    "time": when, "n": read.attempts + 1, "max": MAX_ATTEMPTS,
                }  # fmt: skip
            read.save(update_fields=["retry_note"])
            transaction.on_commit(lambda pk=read.pk: _enqueue(pk))
            done["sent_again"].append(read.pk)
    if done["sent_again"] or done["failed"]:
        log.warning("long-list reads swept: sent again %s, failed %s", done["sent_again"], done["failed"])
    return done


def get_read(inspection: Inspection, token: str) -> LongListRead | None:
    try:
        key = uuid.UUID(str(token))
    except ValueError:
        return None
    return LongListRead.objects.filter(inspection=inspection, token=key).select_related("long_list").first()
