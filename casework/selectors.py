"""Reads that know who is asking."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from casework.enums import CaseStatus
from casework.models import Case
from casework.rules import partner_inspectorate_on
from inspections.models import Inspection
from inspections.rules import is_hmip_staff_on


def cases_visible_to(user, inspection: Inspection) -> QuerySet[Case]:
    """All the inspection's cases for its HMI Probation staff; a partner inspector's inspectorate's
    subset (seed 001 §7 a); a local assessor's own otherwise.

    Only cases of the final sample count: they have an HMI Probation reference. A proposed
    sample, still under the SSO's review, is not yet anyone's casework.
    """
    cases = (
        Case.objects.filter(inspection=inspection, status=CaseStatus.SELECTED)
        .exclude(reference="")
        .select_related("assessor")
    )
    if is_hmip_staff_on(user, inspection):
        return cases
    inspectorate = partner_inspectorate_on(user, inspection)
    if inspectorate is not None:
        return cases.filter(partner_choices__inspectorate=inspectorate)
    return cases.filter(assessor=user)


def get_case_for(user, inspection: Inspection, case_pk: int, perm: str = "casework.view_case") -> Case:
    """The case, if the user may see it (else 404) and may do ``perm`` (else 403)."""
    try:
        case = (
            Case.objects.select_related("inspection__yot", "assessor", "entry")
            .exclude(reference="")
            .get(pk=case_pk, inspection=inspection)
        )
    except Case.DoesNotExist:
        raise Http404("No such case") from None
    if not user.has_perm("casework.view_case", case):
        raise Http404("No such case")
    if perm != "casework.view_case" and not user.has_perm(perm, case):
        raise PermissionDenied
    return case
