"""Reads that know who is asking."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from inspections.enums import StaffRole, Status
from inspections.models import Inspection


def inspections_visible_to(user) -> QuerySet[Inspection]:
    """Every inspection the user may open: those they are on, or (a YOT manager) their YOT's announced ones."""
    if not user.is_authenticated:
        return Inspection.objects.none()
    visible = Q(team__user=user)
    if user.role == StaffRole.YOT_MANAGER and user.yot_id:
        visible |= Q(yot_id=user.yot_id) & ~Q(status=Status.PLANNED)
    return Inspection.objects.filter(visible).distinct().select_related("yot")


def get_inspection_for(user, reference: str, perm: str = "inspections.view_inspection") -> Inspection:
    """The inspection, if the user may see it (else 404) and may do ``perm`` to it (else 403)."""
    try:
        inspection = Inspection.objects.select_related("yot").get(reference=reference)
    except Inspection.DoesNotExist:
        raise Http404("No such inspection") from None
    if not user.has_perm("inspections.view_inspection", inspection):
        raise Http404("No such inspection")
    if perm != "inspections.view_inspection" and not user.has_perm(perm, inspection):
        raise PermissionDenied
    return inspection
