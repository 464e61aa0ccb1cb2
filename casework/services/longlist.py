"""Long-list intake (issue 3 items 1-2): the template, the two-phase upload, versions and what changed.

Writes are ``<entity>_<verb>`` functions with keyword-only arguments. The file is read and checked in
full by the pure core (``casework.longlist.validate_longlist``) before anything is written; then every
row is stored in one short transaction as a new version, or nothing is stored and the errors are
returned to the page (STYLE.md "Imports and exports").

Decisions:
- A long-list received after the deadline (noon Thursday, milestone ``long_list_due``) is accepted
  and flagged ``late``; the SSO sees the flag.
- The first accepted long-list moves the inspection from "announced" to "long-list received"
  (through ``inspection_set_status``, in the same transaction as the rows).
- Once the sample is final a new long-list is refused: the final sample "is not normally changed"
  (seed 000 §10.4) and cases are then referred to by their HMI Probation reference.
- A refused file leaves an audit row with its name and number of errors, never its contents (the
  error messages can quote a child's details).
- A clean file that uses other words than the template's (Appendix A's own field names, "White
  British", "M", "Y") is not stored straight away: it is held aside (``PendingLongList``, the file in
  the storage) and the YOT manager is shown every reading ("White British" read as White, 12 cases)
  to accept or cancel. Accepting re-reads the held file and stores it as the new version, marked late
  by the time it was uploaded, not accepted. A held file expires after PENDING_HOURS and is deleted.
- The size limit (5 MB, the core's ``DEFAULT_MAX_BYTES``) is checked from the upload's size before
  the file is read, so a huge file is never held in memory; Django streams uploads over
  FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file, so no setting stops a 5 MB file first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.enums import Heading as HeadingChoice
from casework.longlist import (
    Heading,
    LongListDiff,
    LongListError,
    LongListResult,
    LongListRow,
    ReadLimits,
    build_template,
    diff_longlists,
    eligibility_windows,
    validate_longlist,
)
from casework.longlist.rows import LongListReading
from casework.longlist.spec import DEFAULT_MAX_BYTES, FIELDS
from casework.models import LongList, LongListEntry, PendingLongList, Sample
from inspections.enums import Status
from inspections.models import AuditEvent, Inspection, User
from inspections.notifications import absolute_url, lead_and_sso, notify_people
from inspections.services import inspection_set_status

MAX_BYTES = DEFAULT_MAX_BYTES
# How long a long-list held for its readings to be checked waits to be accepted before it is deleted.
PENDING_HOURS = 24
_ROW_FIELDS = tuple(f.key for f in FIELDS)


class LongListInvalid(Exception):
    """The file was read and refused; ``errors`` says why, sheet by sheet and row by row."""

    def __init__(self, *, filename: str, errors: Sequence[LongListError], row_count: int):
        super().__init__(filename)
        self.filename = filename
        self.errors = tuple(errors)
        self.row_count = row_count


# --- Reads ---------------------------------------------------------------------------------------


def announcement_date(inspection: Inspection) -> dt.date:
    """The date the eligibility windows count back from: the day the announcement was recorded."""
    if inspection.announced_at:
        return timezone.localdate(inspection.announced_at)
    return inspection.timeline.get("announcement").date


def windows_for(inspection: Inspection) -> list[tuple[str, dt.date, dt.date]]:
    """(heading label, earliest, latest) sentence date of each heading, in heading order."""
    windows = eligibility_windows(announcement_date(inspection))
    return [(str(HeadingChoice(h.value).label), w.earliest, w.latest) for h, w in windows.items()]


def long_list_due(inspection: Inspection) -> dt.datetime:
    return inspection.timeline.get("long_list_due").moment


def current_long_list(inspection: Inspection) -> LongList | None:
    return LongList.objects.filter(inspection=inspection).order_by("-version").select_related("uploaded_by").first()


def entry_row(entry: LongListEntry) -> LongListRow:
    """A stored entry as the plain row the pure core works on."""
    values = {key: getattr(entry, key) for key in _ROW_FIELDS}
    return LongListRow(heading=Heading(entry.heading), sheet=entry.sheet or None, row_number=entry.row_number, **values)


def long_list_rows(long_list: LongList) -> list[LongListRow]:
    return [entry_row(e) for e in long_list.entries.order_by("heading", "row_number", "id")]


def template_for(inspection: Inspection) -> bytes:
    """The xlsx template with this inspection's own windows and YOT name (seed 000 Appendix A)."""
    announced = announcement_date(inspection)
    return build_template(yot_name=inspection.yot.name, announced=announced, windows=eligibility_windows(announced))


@dataclass(frozen=True)
class Version:
    long_list: LongList
    diff: LongListDiff | None  # against the version before; None for the first
    headings: dict[str, int]  # cases per heading value


def versions_with_changes(inspection: Inspection) -> list[Version]:
    """Every version, newest first, each with what changed since the one before it."""
    lists = list(LongList.objects.filter(inspection=inspection).order_by("version").select_related("uploaded_by"))
    out: list[Version] = []
    previous: list[LongListRow] | None = None
    for long_list in lists:
        rows = long_list_rows(long_list)
        out.append(
            Version(
                long_list=long_list,
                diff=diff_longlists(previous, rows) if previous is not None else None,
                headings=dict(Counter(r.heading.value for r in rows)),
            )
        )
        previous = rows
    return list(reversed(out))


def heading_counts(long_list: LongList) -> list[tuple[str, int]]:
    counts = Counter(long_list.entries.values_list("heading", flat=True))
    return [(str(choice.label), counts.get(choice.value, 0)) for choice in HeadingChoice]


# --- Writes --------------------------------------------------------------------------------------


def _sample_is_final(inspection: Inspection) -> bool:
    return Sample.objects.filter(inspection=inspection, finalised_at__isnull=False).exists()


def _final_refusal() -> ValidationError:
    return ValidationError(
        _(
            "The sample has been made final, so the long-list can no longer be replaced. "
            "If a case needs to change, contact the support services officer."
        )
    )


def _entry(long_list: LongList, row: LongListRow) -> LongListEntry:
    values = {key: getattr(row, key) for key in _ROW_FIELDS}
    return LongListEntry(
        long_list=long_list, heading=row.heading.value, sheet=row.sheet or "", row_number=row.row_number, **values
    )


def _checked(*, inspection: Inspection, by: User, data: bytes, filename: str, limits: ReadLimits | None, progress=None):
    """Read and check the whole file; raise LongListInvalid (after an audit row) when it is refused."""
    result = validate_longlist(
        data, announced=announcement_date(inspection), filename=filename, limits=limits, progress=progress
    )
    if not result.ok:
        AuditEvent.objects.create(
            inspection=inspection,
            actor=by,
            action="long_list_refused",
            detail={"file": filename[:255], "errors": len(result.errors), "rows": result.row_count},
        )
        raise LongListInvalid(filename=filename, errors=result.errors, row_count=result.row_count)
    return result


def long_list_upload(
    *,
    inspection: Inspection,
    by: User,
    data: bytes,
    filename: str,
    now: dt.datetime | None = None,
    limits: ReadLimits | None = None,
) -> LongList:
    """Read and check the whole file; store every row as a new version, or raise LongListInvalid.

    Side effects on success: a LongList with its entries, an audit row ``long_list_uploaded``, and
    (first long-list) the inspection moves to "long-list received". On refusal: an audit row
    ``long_list_refused`` with the file name and the number of errors only. Raises ValidationError when
    the sample is already final. Stores whatever readings the file needed: the upload page goes
    through ``long_list_receive``, which shows them first.
    """
    if _sample_is_final(inspection):
        raise _final_refusal()
    now = now or timezone.now()
    result = _checked(inspection=inspection, by=by, data=data, filename=filename, limits=limits)
    return _store(inspection=inspection, by=by, result=result, data=data, filename=filename, received=now)


def long_list_receive(
    *,
    inspection: Inspection,
    by: User,
    data: bytes,
    filename: str,
    now: dt.datetime | None = None,
    limits: ReadLimits | None = None,
    progress=None,
) -> LongList | PendingLongList:
    """The upload page's intake: a file in the template's own words is stored at once (a LongList); a
    clean file read through aliases or synonyms is held for the uploader to check (a PendingLongList,
    with an audit row ``long_list_held``). Refusals as ``long_list_upload``. ``progress`` is called
    with the rows read so far (a worker's progress, see ``services/longlist_reads.py``)."""
    if _sample_is_final(inspection):
        raise _final_refusal()
    now = now or timezone.now()
    result = _checked(inspection=inspection, by=by, data=data, filename=filename, limits=limits, progress=progress)
    if not result.readings:
        return _store(inspection=inspection, by=by, result=result, data=data, filename=filename, received=now)
    return _hold(inspection=inspection, by=by, result=result, data=data, filename=filename, received=now)


def _hold(
    *, inspection: Inspection, by: User, result: LongListResult, data: bytes, filename: str, received: dt.datetime
) -> PendingLongList:
    """Keep a clean file that needed readings aside (file in the storage), for the uploader to check."""
    now = received
    token = uuid.uuid4()
    pending = PendingLongList(
        token=token,
        inspection=inspection,
        uploaded_by=by,
        uploaded_at=now,
        original_name=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        row_count=len(result.rows),
        heading_counts=dict(Counter(row.heading.value for row in result.rows)),
        readings=[reading.as_dict() for reading in result.readings],
    )
    pending.file.save(f"{token.hex}.{_file_format(data)}", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            pending.save()
            AuditEvent.objects.create(
                inspection=inspection,
                actor=by,
                action="long_list_held",
                detail={"file": filename[:255], "rows": pending.row_count, "readings": len(result.readings)},
            )
    except Exception:
        pending.file.delete(save=False)
        raise
    return pending


def pending_readings(pending: PendingLongList) -> list[LongListReading]:
    return [LongListReading.from_dict(item) for item in pending.readings]


def pending_expires_at(pending: PendingLongList) -> dt.datetime:
    return pending.uploaded_at + dt.timedelta(hours=PENDING_HOURS)


def get_pending(inspection: Inspection, token: str) -> PendingLongList | None:
    """The held long-list of this inspection with this token, or None (unknown, wrong inspection,
    already accepted or cancelled)."""
    try:
        value = uuid.UUID(str(token))
    except ValueError:
        return None
    return PendingLongList.objects.filter(inspection=inspection, token=value).select_related("uploaded_by").first()


def long_list_confirm(*, pending: PendingLongList, by: User, now: dt.datetime | None = None) -> LongList:
    """Accept how a held long-list was read: read the held file again and store it as the new version.

    Raises ValidationError when the check has expired, was already accepted or cancelled (two clicks
    or two people at once store one version), the sample has become final, or the file no longer reads
    the same way (for example when the announcement date, and so the date windows, changed); the held
    file is then deleted and the uploader asked to upload again.
    """
    now = now or timezone.now()
    inspection = pending.inspection
    if now > pending_expires_at(pending):
        long_list_discard(pending=pending, by=by, action="long_list_hold_expired")
        raise ValidationError(
            _("This check has expired: a long-list waits %(hours)d hours to be accepted. Upload the file again.")
            % {"hours": PENDING_HOURS}
        )
    try:
        with pending.file.open("rb") as held:
            data = held.read()
    except (FileNotFoundError, OSError):
        data = b""
    if hashlib.sha256(data).hexdigest() != pending.sha256:
        long_list_discard(pending=pending, by=by)
        raise ValidationError(_("The file held for checking can no longer be read. Upload it again."))
    if _sample_is_final(inspection):
        raise _final_refusal()
    try:
        result = _checked(inspection=inspection, by=by, data=data, filename=pending.original_name, limits=None)
    except LongListInvalid:
        long_list_discard(pending=pending, by=by)
        raise
    if [reading.as_dict() for reading in result.readings] != pending.readings:
        long_list_discard(pending=pending, by=by)
        raise ValidationError(_("The long-list now reads differently from what you checked. Upload it again."))

    def claim() -> None:
        # Deleting the held row is the claim: of two accepts at once, one deletes it and stores.
        if not PendingLongList.objects.filter(pk=pending.pk).delete()[0]:
            raise ValidationError(_("This long-list has already been accepted or cancelled."))

    long_list = _store(
        inspection=inspection,
        by=by,
        result=result,
        data=data,
        filename=pending.original_name,
        received=pending.uploaded_at,
        claim=claim,
        readings=len(result.readings),
    )
    name = pending.file.name
    transaction.on_commit(lambda: pending.file.storage.delete(name))
    return long_list


def long_list_discard(*, pending: PendingLongList, by: User, action: str = "long_list_hold_cancelled") -> bool:
    """Cancel a held long-list: delete its file and its row. False when it was already gone."""
    name = pending.file.name
    with transaction.atomic():
        deleted = PendingLongList.objects.filter(pk=pending.pk).delete()[0]
        if deleted:
            AuditEvent.objects.create(
                inspection=pending.inspection, actor=by, action=action, detail={"file": pending.original_name}
            )
    if deleted and name:
        pending.file.storage.delete(name)
    return bool(deleted)


def pending_long_lists_expire(*, now: dt.datetime | None = None) -> int:
    """Delete every held long-list older than PENDING_HOURS, file and row (run daily by beat)."""
    now = now or timezone.now()
    count = 0
    for pending in PendingLongList.objects.filter(uploaded_at__lt=now - dt.timedelta(hours=PENDING_HOURS)):
        count += long_list_discard(pending=pending, by=pending.uploaded_by, action="long_list_hold_expired")
    return count


def _file_format(data: bytes) -> str:
    return "xlsx" if data[:4] == b"PK\x03\x04" else "csv"  # as the reader decided, by content


def _store(
    *,
    inspection: Inspection,
    by: User,
    result: LongListResult,
    data: bytes,
    filename: str,
    received: dt.datetime,
    claim=None,
    readings: int = 0,
) -> LongList:
    late = received > long_list_due(inspection)
    with transaction.atomic():
        # Lock the inspection so two uploads at once cannot take the same version number.
        locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
        if _sample_is_final(locked):
            raise _final_refusal()
        if claim is not None:
            claim()
        last = LongList.objects.filter(inspection=locked).order_by("-version").values_list("version", flat=True).first()
        long_list = LongList.objects.create(
            inspection=locked,
            version=(last or 0) + 1,
            original_name=filename[:255],
            file_format=_file_format(data),
            uploaded_by=by,
            late=late,
            row_count=len(result.rows),
        )
        LongListEntry.objects.bulk_create((_entry(long_list, row) for row in result.rows), batch_size=1000)
        detail = {"version": long_list.version, "rows": long_list.row_count, "late": late, "file": filename[:255]}
        if readings:
            detail["readings_accepted"] = readings
        AuditEvent.objects.create(inspection=locked, actor=by, action="long_list_uploaded", detail=detail)
        if locked.status == Status.ANNOUNCED:
            inspection_set_status(
                inspection=inspection,
                to_status=Status.LONG_LIST_RECEIVED,
                by=by,
                note=_("Long-list version %(v)d accepted.") % {"v": long_list.version},
            )
        # Issue 9 §2: the SSO and the lead inspector select the sample from it.
        notify_people(
            people=lead_and_sso(locked),
            key=f"long_list_uploaded:{long_list.pk}",
            kind="long_list_uploaded",
            template="long_list_uploaded",
            context={
                "inspection": locked,
                "long_list": long_list,
                "by": by,
                "link": absolute_url(reverse("casework:sample", kwargs={"reference": locked.reference})),
            },
            inspection=locked,
        )
    return long_list


def entries_for_display(long_list: LongList) -> Iterable[LongListEntry]:
    return long_list.entries.order_by("heading", "row_number", "id")
