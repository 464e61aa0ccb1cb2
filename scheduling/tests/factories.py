"""Builders for the schedule's tests: a long-list with no sample yet, and a sample drawn from it.

The fuller world with a final sample and everyone available lives in
``test_schedule_services.sqs_world``.
"""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from casework.models import Case, LongList, LongListEntry
from inspections.enums import StaffRole, Status, TeamRole
from inspections.tests import factories as f

MANAGERS = [
    ("J. Smith", "j.smith@northshire.example.gov.uk"),
    ("P. Patel", "p.patel@northshire.example.gov.uk"),
    ("K. Jones", "k.jones@northshire.example.gov.uk"),
]


def entry_fields(long_list, i: int, *, case_manager: str, email: str, **overrides) -> dict:
    """One community case of a child with a distinctive name, for ``LongListEntry.objects.create``."""
    fields = {
        "long_list": long_list,
        "heading": "community",
        "row_number": i + 1,
        "case_id": f"YOT{i:04d}",
        "family_name": f"Quixleywhistle{i}",
        "first_names": "Zebedee",
        "gender": "Male",
        "date_of_birth": dt.date(2010, 1, i),
        "ethnicity": "White British",
        "order_type": "Referral Order",
        "sentence_date": dt.date(2026, 9, 1),
        "sentence_length": "6 months",
        "scaled_approach": "Standard",
        "vulnerability": "Low",
        "rosh": "Low",
        "looked_after": False,
        "child_protection": False,
        "case_manager": case_manager,
        "case_manager_email": email,
        "line_manager": "Line Manager",
        "office": "Main office",
    }
    return {**fields, **overrides}


def long_list(inspection, managers, *, uploader, version=1) -> LongList:
    """A long-list with one case per (name, email) in ``managers`` (repeat a manager for more cases)."""
    long_list = LongList.objects.create(
        inspection=inspection,
        version=version,
        original_name="long.xlsx",
        file_format="xlsx",
        uploaded_by=uploader,
        row_count=len(managers),
    )
    for i, (name, email) in enumerate(managers, start=1):
        LongListEntry.objects.create(
            **entry_fields(
                long_list, i, case_manager=name, email=email, row_number=i + 5, case_id=f"YOT{version}{i:03d}"
            )
        )
    return long_list


def long_list_world(managers=None):
    """An SQS with its long-list received and no sample yet: a team of three, an SSO, the YOT's
    manager and a YOT manager of another YOT."""
    yot = f.yot(name="Northshire")
    other = f.yot(name="Southshire")
    inspection = f.inspection(yot_=yot, status=Status.LONG_LIST_RECEIVED)
    lead = inspection.team.get(role=TeamRole.LEAD_INSPECTOR).user
    people = {
        "lead": lead,
        "assistant": f.member(inspection, TeamRole.ASSISTANT_INSPECTOR, username="assistant"),
        "assessor": f.member(inspection, TeamRole.LOCAL_ASSESSOR, username="assessor", yot=other),
        "sso": f.member(inspection, TeamRole.SSO, username="sso"),
        "yot_manager": f.user(role=StaffRole.YOT_MANAGER, yot=yot, username="owner_yot", first_name="Yan"),
        "stranger": f.user(role=StaffRole.YOT_MANAGER, yot=other, username="stranger"),
    }
    managers = managers or [MANAGERS[0], MANAGERS[0], MANAGERS[1], MANAGERS[2]]
    long_list(inspection, managers, uploader=people["yot_manager"])
    return inspection, people


def sample_from(inspection, *, upper_case_emails=False) -> list[Case]:
    """Cases HMIP-01... for every entry of the newest long-list, as selecting the sample makes them."""
    newest = LongList.objects.filter(inspection=inspection).order_by("-version").first()
    cases = []
    for i, entry in enumerate(newest.entries.order_by("row_number"), start=1):
        email = entry.case_manager_email.upper() if upper_case_emails else entry.case_manager_email
        cases.append(
            Case.objects.create(
                inspection=inspection,
                entry=entry,
                reference=f"HMIP-{i:02d}",
                heading=entry.heading,
                case_manager=entry.case_manager,
                case_manager_email=email,
                position=i,
            )
        )
    return cases


def filled(template: bytes, cells: dict[str, object]) -> bytes:
    """The template with some cells changed, e.g. {"C6": "All day"}."""
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.active
    for ref, value in cells.items():
        sheet[ref] = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
