"""Test data for the long-list and sample pages: personas, long-list files and stored long-lists.

Dates are counted from today, so the tests do not rot: an inspection with fieldwork some weeks
ahead has its long-list deadline still to come; one whose fieldwork has started is past it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

from django.utils import timezone
from openpyxl import load_workbook

from casework.longlist import build_template, eligibility_windows
from casework.longlist.export import LONGLIST_HEADERS, longlist_rows, render
from casework.longlist.rows import LongListRow
from casework.longlist.sample_data import cell_values, longlist_workbook, synthetic_rows
from casework.longlist.spec import HEADING_LABELS, Heading, fields_for
from casework.longlist.template import HEADER_ROW
from casework.models import LongList
from casework.services.longlist import announcement_date, long_list_upload
from inspections.enums import StaffRole, Status, TeamRole
from inspections.models import Inspection, User
from inspections.tests import factories as f

# A family name that appears nowhere else, to prove that a page does not show names.
DISTINCTIVE = "Quillfeather"
FIRST = HEADER_ROW + 1  # the first case row of a template sheet


def monday(weeks_from_now: int) -> dt.date:
    today = timezone.localdate()
    this_monday = today - dt.timedelta(days=today.weekday())
    return this_monday + dt.timedelta(weeks=weeks_from_now)


def team(*, status: str = Status.ANNOUNCED, fieldwork_weeks: int = 8, programme: str = "sqs") -> dict:
    """An inspection of Northshire with every persona of the access tests."""
    yot = f.yot(name="Northshire")
    other_yot = f.yot(name="Southshire")
    lead = f.user(role=StaffRole.LEAD_INSPECTOR, username="lead")
    inspection = f.inspection(
        lead=lead, yot_=yot, status=status, fieldwork_start=monday(fieldwork_weeks), programme=programme
    )
    people = {
        "lead": lead,
        "sso": f.member(inspection, TeamRole.SSO, username="sso"),
        "assistant": f.member(inspection, TeamRole.ASSISTANT_INSPECTOR, username="assistant"),
        "assessor": f.member(inspection, TeamRole.LOCAL_ASSESSOR, username="assessor", yot=other_yot),
        "partner": f.member(inspection, TeamRole.PARTNER_INSPECTOR, username="partner"),
        "yot_manager": f.user(role=StaffRole.YOT_MANAGER, yot=yot, username="owner_yot"),
        "stranger": f.user(role=StaffRole.YOT_MANAGER, yot=other_yot, username="stranger"),
    }
    return {"inspection": inspection, "people": people}


def rows_for(inspection: Inspection, n: int = 60, *, seed: int = 1, distinctive: bool = True) -> list[LongListRow]:
    """Valid rows inside the inspection's windows; the first carries the distinctive family name."""
    rows = synthetic_rows(n, announced=announcement_date(inspection), seed=seed, managers=max(3, n // 6))
    if distinctive:
        rows[0] = dataclasses.replace(rows[0], family_name=DISTINCTIVE)
    return rows


def workbook(inspection: Inspection, rows: list[LongListRow]) -> bytes:
    return longlist_workbook(rows, yot_name=inspection.yot.name, announced=announcement_date(inspection))


def csv_file(rows: list[LongListRow]) -> bytes:
    return render(longlist_rows(rows), headers=LONGLIST_HEADERS, fmt="csv")


def filled_template(
    inspection: Inspection, rows: list[LongListRow], edit=None, *, template: bytes | None = None
) -> bytes:
    """The inspection's template (or the ``template`` downloaded) filled in, optionally edited before
    saving (as a person would)."""
    announced = announcement_date(inspection)
    data = template or build_template(
        yot_name=inspection.yot.name, announced=announced, windows=eligibility_windows(announced)
    )
    wb = load_workbook(io.BytesIO(data))
    next_row = {h: FIRST for h in Heading}
    for row in rows:
        ws = wb[HEADING_LABELS[row.heading]]
        for col, value in enumerate(cell_values(row), start=1):
            ws.cell(row=next_row[row.heading], column=col, value=value)
        next_row[row.heading] += 1
    if edit:
        edit(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def column(heading: Heading, key: str) -> int:
    return next(i for i, fl in enumerate(fields_for(heading), start=1) if fl.key == key)


def stored_long_list(inspection: Inspection, by: User, rows: list[LongListRow] | None = None) -> LongList:
    rows = rows if rows is not None else rows_for(inspection)
    return long_list_upload(inspection=inspection, by=by, data=workbook(inspection, rows), filename="long-list.xlsx")
