"""The views of children, parents and carers, and victims in an FJI (issue 14 §4; seed 001 §10).

Seed 001 §10: "All inspections continue to seek the views of service users, particularly children and
young people, parents/carers and victims ... Individual meetings are held with service users during the
second fieldwork week. These individual interviews are with those ... included in the inspection case
sample." §7 d and §10 c add partner inspectors' specialist interviews.

Readings (docs/rulebook.md, "Service users"):
- Each view is recorded by an inspector of the team (HMI Probation staff or a partner inspector) for a
  case of the sample, or for none (a questionnaire returned without one), by interview or
  questionnaire; never with a name: the case is known by its HMI Probation reference, and the form
  says not to write names. The annual national survey (§10 a) is outside one inspection.
- The seed gives no questions. Three are asked of everyone (did they understand what the YOT was doing
  and why, did the YOT listen to them, has the work helped), each Yes / Partly / No / Did not say, and
  two free-text answers (what helped most, what could be better), quoted unnamed only with consent.
- The YOT manager does not see them (a YOT could tell who said what); local assessors neither (they
  leave after week 1).
- The summary feeds a draft section of the FJI report and a line of the poster; the lead inspector
  edits both. Free text is cleared of names with the rest at the end of the retention period.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from casework.enums import CaseStatus
from casework.models import Case
from inspections.models import AuditEvent, Inspection, User
from reports.domain.voices import VoicesSummary, summarise
from reports.models import ServiceUserView


def sample_cases(inspection: Inspection) -> list[Case]:
    return list(Case.objects.filter(inspection=inspection, status=CaseStatus.SELECTED).order_by("position", "id"))


def view_record(*, inspection: Inspection, by: User, case: Case | None, **answers) -> ServiceUserView:
    """Record one person's view; ValidationError naming the field when a case is not of the sample
    or a date falls outside the fieldwork."""
    if case is not None and (case.inspection_id != inspection.pk or case.status != CaseStatus.SELECTED):
        raise ValidationError({"case": _("Choose a case of this inspection's sample.")})
    held_on = answers.get("held_on")
    start = inspection.fieldwork_start
    if held_on is not None and start is not None and not (start <= held_on <= start + dt.timedelta(weeks=6)):
        raise ValidationError({"held_on": _("The date must fall in the inspection's fieldwork.")})
    with transaction.atomic():
        view = ServiceUserView.objects.create(inspection=inspection, case=case, recorded_by=by, **answers)
        AuditEvent.objects.create(
            inspection=inspection, actor=by, action="service_user_view_recorded",
            detail={"view": view.pk, "kind": view.kind, "method": view.method},
        )  # fmt: skip
    return view


def inspection_voices(inspection: Inspection) -> VoicesSummary:
    return summarise(ServiceUserView.objects.filter(inspection=inspection))
