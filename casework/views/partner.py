"""Partner cases pages (seed 001 §7 a): the inspectors choose each partner inspectorate's cases from
the service's suggestions; a partner inspector sees the list of their own inspectorate's cases.

Access: ``_inspection`` gives 404 to anyone not on the team (a YOT manager, another inspection's
people) and 403 without the permission (``casework.view_partner_cases``: the inspectors and the
partner inspectors; ``casework.manage_partner_cases``: the inspectors). An SQS has no partner
inspectorates: 404. The cases are named by their HMI Probation reference only.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework.forms_partner import PartnerCaseForm, PartnerConfirmForm, PartnerRemoveForm
from casework.models import PartnerCase
from casework.rules import partner_inspectorate_on
from casework.services import partner
from casework.views.assessment import _inspection
from inspections.enums import Inspectorate, Programme


def _partner_inspection(request, reference: str, perm: str):
    inspection = _inspection(request, reference, perm)
    if inspection.programme != Programme.FJI:
        raise Http404("Partner inspectorates take part in a Full Joint Inspection only")
    return inspection


def _checked_inspectorate(inspection, inspectorate: str) -> str:
    if inspectorate not in partner.inspectorates_of(inspection):
        raise Http404("No such inspectorate on this inspection")
    return inspectorate


def _back(inspection, inspectorate: str):
    return redirect(reverse("casework:partner_cases", args=[inspection.reference]) + f"#{inspectorate}")


def partner_cases(request, reference):
    inspection = _partner_inspection(request, reference, "casework.view_partner_cases")
    own = partner_inspectorate_on(request.user, inspection)
    if own is not None:
        context = {
            "inspection": inspection,
            "label": Inspectorate(own).label,
            "rows": partner.partner_cases_of(inspection, own),
        }
        return render(request, "casework/partner/mine.html", context)
    subset, suggested = partner.partner_subset(inspection), partner.suggested_partner_cases(inspection)
    sections = []
    for inspectorate, chosen in subset.items():
        chosen_ids = {row.case_id for row in chosen}
        sections.append({
            "inspectorate": inspectorate, "label": Inspectorate(inspectorate).label, "chosen": chosen,
            "suggested": [s for s in suggested[inspectorate] if s.case.pk not in chosen_ids],
        })  # fmt: skip
    can_manage = request.user.has_perm("casework.manage_partner_cases", inspection)
    context = {"inspection": inspection, "sections": sections, "can_manage": can_manage}
    return render(request, "casework/partner/overview.html", context)


def partner_choose(request, reference, inspectorate):
    """Add a case to an inspectorate's cases (``?case=<id>``: change why a chosen case is there)."""
    inspection = _partner_inspection(request, reference, "casework.manage_partner_cases")
    inspectorate = _checked_inspectorate(inspection, inspectorate)
    cases = partner.week_one_cases(inspection)
    fixed = get_object_or_404(cases, pk=request.GET["case"]) if request.GET.get("case", "").isdigit() else None
    existing = PartnerCase.objects.filter(case=fixed, inspectorate=inspectorate).first() if fixed else None
    if fixed is None:
        cases = cases.exclude(partner_choices__inspectorate=inspectorate)
    suggestion = next((s for s in partner.suggested_partner_cases(inspection)[inspectorate] if s.case == fixed), None)
    initial = {"reasons": existing.reasons, "note": existing.note} if existing else {}
    initial = initial or ({"reasons": list(suggestion.reasons)} if suggestion else {})
    form = PartnerCaseForm(request.POST or None, cases=cases, fixed_case=fixed, initial=initial)
    if request.method == "POST" and form.is_valid():
        case = form.cleaned_data["case"]
        case.inspection = inspection
        try:
            outcome = partner.partner_case_set(
                case=case, inspectorate=inspectorate, reasons=form.cleaned_data["reasons"],
                note=form.cleaned_data["note"], user=request.user,
            )  # fmt: skip
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            words = {"case": case.label, "inspectorate": Inspectorate(inspectorate).label}
            if outcome.changed:
                messages.success(request, _("Case %(case)s saved for %(inspectorate)s.") % words)
            else:
                messages.info(
                    request, _("Case %(case)s was already saved for %(inspectorate)s; nothing changed.") % words
                )
            return _back(inspection, inspectorate)
    context = {"inspection": inspection, "label": Inspectorate(inspectorate).label, "form": form, "case": fixed}
    return render(request, "casework/partner/choose.html", {**context, "inspectorate": inspectorate})


def partner_confirm(request, reference, inspectorate):
    """Add the ticked suggestions, each with the reasons the page showed for it."""
    inspection = _partner_inspection(request, reference, "casework.manage_partner_cases")
    inspectorate = _checked_inspectorate(inspection, inspectorate)
    if request.method != "POST":
        return _back(inspection, inspectorate)
    chosen = {row.case_id for row in partner.partner_cases_of(inspection, inspectorate)}
    open_ones = [s for s in partner.suggested_partner_cases(inspection)[inspectorate] if s.case.pk not in chosen]
    form = PartnerConfirmForm(request.POST, suggestions=open_ones)
    if not form.is_valid():
        messages.error(request, form.errors["case"][0])
        return _back(inspection, inspectorate)
    added = partner.partner_cases_confirm(
        inspection=inspection, inspectorate=inspectorate, case_ids=form.cleaned_data["case"], user=request.user
    )
    words = {"n": added, "inspectorate": Inspectorate(inspectorate).label}
    messages.success(
        request,
        ngettext("%(n)s case added for %(inspectorate)s.", "%(n)s cases added for %(inspectorate)s.", added) % words,
    )
    return _back(inspection, inspectorate)


def partner_remove(request, reference, inspectorate, pk):
    inspection = _partner_inspection(request, reference, "casework.manage_partner_cases")
    inspectorate = _checked_inspectorate(inspection, inspectorate)
    case = get_object_or_404(partner.week_one_cases(inspection), pk=pk)
    case.inspection = inspection
    form = PartnerRemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        removed = partner.partner_case_remove(
            case=case, inspectorate=inspectorate, reason=form.cleaned_data["reason"], user=request.user
        )
        words = {"case": case.label, "inspectorate": Inspectorate(inspectorate).label}
        if removed:
            messages.success(request, _("Case %(case)s removed from the cases for %(inspectorate)s.") % words)
        else:
            messages.info(
                request, _("Case %(case)s was already removed for %(inspectorate)s; nothing changed.") % words
            )
        return _back(inspection, inspectorate)
    if request.method != "POST" and not PartnerCase.objects.filter(case=case, inspectorate=inspectorate).exists():
        raise Http404("The case is not among this inspectorate's cases")
    context = {"inspection": inspection, "label": Inspectorate(inspectorate).label, "form": form, "case": case}
    return render(request, "casework/partner/remove.html", context)
