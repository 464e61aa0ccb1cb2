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
- The size limit (5 MB, the core's ``DEFAULT_MAX_BYTES``) is checked from the upload's size before
  the file is read, so a huge file is never held in memory; Django streams uploads over
  FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file, so no setting stops a 5 MB file first.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.enums import Heading as HeadingChoice
from casework.longlist import (
    Heading,
    LongListDiff,
    LongListError,
    LongListRow,
    ReadLimits,
    build_template,
    diff_longlists,
    eligibility_windows,
    validate_longlist,
)
from casework.longlist.spec import DEFAULT_MAX_BYTES, FIELDS
from casework.models import LongList, LongListEntry, Sample
from inspections.enums import Status
from inspections.models import AuditEvent, Inspection, User
from inspections.notifications import absolute_url, lead_and_sso, notify_people
from inspections.services import inspection_set_status

MAX_BYTES = DEFAULT_MAX_BYTES
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
    the sample is already final.
    """
    if _sample_is_final(inspection):
        raise _final_refusal()
    now = now or timezone.now()
    result = validate_longlist(data, announced=announcement_date(inspection), filename=filename, limits=limits)
    if not result.ok:
        AuditEvent.objects.create(
            inspection=inspection,
            actor=by,
            action="long_list_refused",
            detail={"file": filename[:255], "errors": len(result.errors), "rows": result.row_count},
        )
        raise LongListInvalid(filename=filename, errors=result.errors, row_count=result.row_count)
    late = now > long_list_due(inspection)
    with transaction.atomic():
        # Lock the inspection so two uploads at once cannot take the same version number.
        locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
        if _sample_is_final(locked):
            raise _final_refusal()
        last = LongList.objects.filter(inspection=locked).order_by("-version").values_list("version", flat=True).first()
        long_list = LongList.objects.create(
            inspection=locked,
            version=(last or 0) + 1,
            original_name=filename[:255],
            file_format="xlsx" if data[:4] == b"PK\x03\x04" else "csv",  # as the reader decided, by content
            uploaded_by=by,
            late=late,
            row_count=len(result.rows),
        )
        LongListEntry.objects.bulk_create((_entry(long_list, row) for row in result.rows), batch_size=1000)
        AuditEvent.objects.create(
            inspection=locked,
            actor=by,
            action="long_list_uploaded",
            detail={"version": long_list.version, "rows": long_list.row_count, "late": late, "file": filename[:255]},
        )
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
