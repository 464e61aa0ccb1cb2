"""Editorial disagreements between the inspectors (services in reports/disputes.py): the team raises
them on the report or a section, the lead inspector refers them on and records what was agreed.
The YOT manager gets 403, people outside the inspection 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from inspections.selectors import get_inspection_for
from reports import disputes as services
from reports.enums import DisputeStatus
from reports.forms_disputes import DisputeForm, DisputeStepForm
from reports.models import EditorialDispute, Report


def _report(inspection) -> Report:
    report = Report.objects.filter(inspection=inspection).first()
    if report is None:
        raise Http404("No draft yet")
    return report


def _errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def disputes(request, reference):
    inspection = get_inspection_for(request.user, reference, "reports.view_disputes")
    report = _report(inspection)
    sections = list(report.sections.all())
    form = DisputeForm(request.POST or None, sections=sections)
    if request.method == "POST" and form.is_valid():
        section = next((s for s in sections if str(s.pk) == form.cleaned_data["section"]), None)
        try:
            dispute = services.dispute_raise(
                report=report, by=request.user, matter=form.cleaned_data["matter"], section=section
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The disagreement is raised and the lead inspector has been told."))
            return redirect("reports:dispute", reference=reference, dispute_id=dispute.pk)
    context = {
        "inspection": inspection,
        "report": report,
        "disputes": report.disputes.select_related("section", "raised_by"),
        "form": form,
    }
    return render(request, "reports/disputes.html", context, status=400 if form.errors else 200)


def dispute(request, reference, dispute_id):
    inspection = get_inspection_for(request.user, reference, "reports.view_disputes")
    report = _report(inspection)
    item = get_object_or_404(
        EditorialDispute.objects.select_related("section", "raised_by"), report=report, pk=dispute_id
    )
    can_settle = request.user.has_perm("reports.settle_dispute", inspection)
    form = None
    if item.status == DisputeStatus.OPEN and can_settle:
        form = DisputeStepForm(request.POST or None, can_refer=item.level in services.NEXT_LEVEL)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            action, note = form.cleaned_data["action"], form.cleaned_data["note"]
            try:
                if action == "refer":
                    services.dispute_refer(dispute=item, by=request.user, note=note)
                else:
                    services.dispute_settle(dispute=item, by=request.user, outcome=note)
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, _("Recorded."))
                return redirect("reports:dispute", reference=reference, dispute_id=item.pk)
    context = {"inspection": inspection, "dispute": item, "steps": item.steps.select_related("by"), "form": form}
    return render(request, "reports/dispute.html", context, status=400 if form is not None and form.errors else 200)
