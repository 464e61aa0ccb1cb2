"""Test data builders. Plain functions: each makes a valid object, overridable by keyword."""

from __future__ import annotations

import datetime as dt
import itertools

from inspections.enums import ContactRole, Country, Programme, StaffRole, Status, TeamRole
from inspections.models import Contact, Inspection, TeamMembership, User, YouthOffendingTeam

_seq = itertools.count(1)

# A Monday with no bank holiday from three weeks before it to five weeks after (England and Wales).
FIELDWORK_MONDAY = dt.date(2027, 2, 8)
TODAY = dt.date(2027, 1, 4)


def yot(*, name: str | None = None, country: str = Country.ENGLAND) -> YouthOffendingTeam:
    n = next(_seq)
    name = name or f"Testshire {n}"
    return YouthOffendingTeam.objects.create(code=f"testshire-{n}", name=name, country=country)


def user(*, role: str = StaffRole.LEAD_INSPECTOR, yot: YouthOffendingTeam | None = None, **extra) -> User:
    n = next(_seq)
    defaults = {
        "username": f"user{n}",
        "first_name": "Person",
        "last_name": f"Number{n}",
        "email": f"user{n}@example.gov.uk",
    }
    defaults.update(extra)
    person = User(role=role, yot=yot, **defaults)
    person.set_password("correct horse battery")
    person.save()
    return person


def inspection(
    *,
    lead: User | None = None,
    yot_: YouthOffendingTeam | None = None,
    programme: str = Programme.SQS,
    status: str = Status.ANNOUNCED,
    fieldwork_start: dt.date = FIELDWORK_MONDAY,
    modules: list[str] | None = None,
) -> Inspection:
    lead = lead or user(role=StaffRole.LEAD_INSPECTOR)
    yot_ = yot_ or yot()
    if modules is None:
        modules = ["court_work"] if programme == Programme.FJI else []
    n = next(_seq)
    obj = Inspection.objects.create(
        reference=f"{programme.upper()}-T-{n:03d}",
        programme=programme,
        yot=yot_,
        fieldwork_start=fieldwork_start,
        status=status,
        modules=modules,
        created_by=lead,
    )
    TeamMembership.objects.create(inspection=obj, user=lead, role=TeamRole.LEAD_INSPECTOR)
    return obj


def member(inspection: Inspection, role: str, **user_kwargs) -> User:
    staff_role = {
        TeamRole.ASSISTANT_INSPECTOR: StaffRole.ASSISTANT_INSPECTOR,
        TeamRole.LOCAL_ASSESSOR: StaffRole.LOCAL_ASSESSOR,
        TeamRole.SSO: StaffRole.SSO,
        TeamRole.PARTNER_INSPECTOR: StaffRole.PARTNER_INSPECTOR,
        TeamRole.LEAD_INSPECTOR: StaffRole.LEAD_INSPECTOR,
    }[role]
    person = user(role=staff_role, **user_kwargs)
    TeamMembership.objects.create(inspection=inspection, user=person, role=role)
    return person


def announcement_contacts(inspection: Inspection) -> None:
    director = (
        ContactRole.DIRECTOR_SOCIAL_CARE
        if inspection.country == Country.WALES
        else ContactRole.DIRECTOR_CHILDRENS_SERVICES
    )
    for role in (ContactRole.CHIEF_EXECUTIVE, ContactRole.BOARD_CHAIR, director, ContactRole.YOT_MANAGER):
        Contact.objects.create(
            inspection=inspection, role=role, name=f"{role} person", email=f"{role}@council.example.gov.uk"
        )


def force_status(inspection: Inspection, status: str) -> Inspection:
    """Put an inspection at ``status`` directly, past every gate (test set-up only: the real moves
    go through ``inspection_set_status`` and its gates, tested in test_gates*.py)."""
    Inspection.objects.filter(pk=inspection.pk).update(status=status)
    inspection.status = status
    return inspection
