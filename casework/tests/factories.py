"""Test data builders for casework. Plain functions: each makes a valid object, overridable by keyword."""

from __future__ import annotations

import datetime as dt
import itertools

from casework.enums import Heading
from casework.models import Case, LongList, LongListEntry
from inspections.enums import Country, Programme, StaffRole, TeamRole
from inspections.models import Inspection, TeamMembership, User
from inspections.tests import factories as f

_seq = itertools.count(1)

# A family name no page may ever show (only LongListEntry holds it).
CHILD_FAMILY_NAME = "Quillfeatherstone"
CHILD_FIRST_NAMES = "Persephone"


def long_list_entry(inspection: Inspection, *, family_name: str = CHILD_FAMILY_NAME, **extra) -> LongListEntry:
    long_list = inspection.long_lists.first() or LongList.objects.create(
        inspection=inspection, version=1, original_name="long-list.xlsx", file_format="xlsx",
        uploaded_by=inspection.created_by, row_count=1,
    )  # fmt: skip
    n = next(_seq)
    values = {
        "heading": Heading.COMMUNITY, "row_number": n, "case_id": f"YOT-{n:04d}", "family_name": family_name,
        "first_names": CHILD_FIRST_NAMES, "gender": "Female", "date_of_birth": dt.date(2010, 3, 14),
        "ethnicity": "White - British", "order_type": "Referral Order", "sentence_date": dt.date(2026, 9, 1),
        "sentence_length": "12 months", "scaled_approach": "Standard", "vulnerability": "Low", "rosh": "Low",
        "looked_after": False, "child_protection": False, "case_manager": "Casey Manager",
        "case_manager_email": "casey@yot.example.gov.uk", "line_manager": "Lina Manager", "office": "Central",
    }  # fmt: skip
    values.update(extra)
    return LongListEntry.objects.create(long_list=long_list, **values)


def case(
    inspection: Inspection,
    *,
    assessor: User | None = None,
    reference: str | None = None,
    heading: str = Heading.COMMUNITY,
    order_type: str = "Referral Order",
    with_entry: bool = True,
) -> Case:
    n = next(_seq)
    entry = long_list_entry(inspection, heading=heading, order_type=order_type) if with_entry else None
    return Case.objects.create(
        inspection=inspection, entry=entry, reference=reference or f"HMIP-{n:02d}", heading=heading,
        order_type=order_type, sentence_date=dt.date(2026, 9, 1), assessor=assessor, position=n,
    )  # fmt: skip


def local_assessor(inspection: Inspection, *, supervisor: User, **user_kwargs) -> User:
    """A local assessor from another YOT, supervised by ``supervisor`` (seed 000 §4)."""
    home = f.yot(country=inspection.yot.country)
    person = f.user(role=StaffRole.LOCAL_ASSESSOR, yot=home, **user_kwargs)
    TeamMembership.objects.create(
        inspection=inspection, user=person, role=TeamRole.LOCAL_ASSESSOR, supervisor=supervisor
    )
    return person


def team(*, programme: str = Programme.SQS, country: str = Country.ENGLAND, modules: list[str] | None = None) -> dict:
    """An inspection with every persona of the access tests, and one case allocated to the local assessor.

    Personas: lead (LI), assistant (assistant inspector, supervises the local assessor), sso,
    assessor (the allocated local assessor), other_assessor (another local assessor on the team),
    yot_manager (of the inspected YOT), stranger (YOT manager of another YOT).
    """
    yot = f.yot(name="Northshire", country=country)
    lead = f.user(role=StaffRole.LEAD_INSPECTOR, username="lead", email="lead@hmiprobation.example.gov.uk")
    inspection = f.inspection(lead=lead, yot_=yot, programme=programme, modules=modules)
    assistant = f.member(inspection, TeamRole.ASSISTANT_INSPECTOR, username="assistant")
    people = {
        "lead": lead,
        "assistant": assistant,
        "sso": f.member(inspection, TeamRole.SSO, username="sso"),
        "assessor": local_assessor(inspection, supervisor=assistant, username="assessor"),
        "other_assessor": local_assessor(inspection, supervisor=assistant, username="other_assessor"),
        "yot_manager": f.user(role=StaffRole.YOT_MANAGER, yot=yot, username="yot_manager"),
        "stranger": f.user(role=StaffRole.YOT_MANAGER, yot=f.yot(name="Southshire"), username="stranger"),
    }
    the_case = case(inspection, assessor=people["assessor"], reference="HMIP-07")
    return {"inspection": inspection, "people": people, "case": the_case}
