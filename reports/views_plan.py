"""The improvement plan pages (issue 14 §6; services in reports/improvement.py).

- ``improvement_plan``: the YOT manager sends versions; HMI Probation's staff on the inspection see
  them; the lead inspector approves or returns the newest. An SQS has none (404).
- ``plan_download``: a version's file, for the same people.
- ``plan_review`` / ``plan_review_download``: the YJB contact's private link (no account), open
  until the YJB has decided on that version, a newer one is sent, or it expires.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from inspections.selectors import get_inspection_for
from reports import improvement
from reports.enums import PlanDecider, PlanStatus
from reports.forms_plan import PlanDecisionForm, PlanSendForm
from reports.models import ImprovementPlanVersion


def _form_errors(form, exc: ValidationError, field: str | None) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(field, exc.messages)


def improvement_plan(request, reference):
    inspection = get_inspection_for(request.user, reference, "reports.view_improvement_plan")
    if not improvement.plan_applies(inspection):
        raise Http404("An SQS has no improvement plan")
    plan = improvement.plan_of(inspection)
    versions = improvement.plan_history(plan) if plan else []
    newest = versions[0] if versions else None
    can_send = request.user.has_perm("reports.send_improvement_plan", inspection) and improvement.may_be_sent(
        inspection
    )
    can_decide = request.user.has_perm("reports.decide_improvement_plan", inspection)
    hmip_decided = newest is not None and any(d.decider == PlanDecider.HMIP for d in newest.decisions.all())
    approved = plan is not None and plan.status == PlanStatus.APPROVED
    send_form = PlanSendForm() if can_send and not approved else None
    decide_form = PlanDecisionForm() if can_decide and newest and not hmip_decided and not approved else None
    if request.method == "POST":
        if "decide" in request.POST:
            if not can_decide:
                raise PermissionDenied
            decide_form = PlanDecisionForm(request.POST)
            if newest is None:
                raise Http404("No plan yet")
            if decide_form.is_valid():
                try:
                    improvement.plan_decide(
                        version=newest, decider=PlanDecider.HMIP, kind=decide_form.cleaned_data["kind"],
                        comments=decide_form.cleaned_data["comments"], by_user=request.user,
                    )  # fmt: skip
                except ValidationError as exc:
                    _form_errors(decide_form, exc, None)
                else:
                    messages.success(request, _("Your decision on version %(n)d is recorded.") % {"n": newest.number})
                    return redirect("reports:improvement_plan", reference=reference)
        else:
            if not request.user.has_perm("reports.send_improvement_plan", inspection):
                raise PermissionDenied
            send_form = PlanSendForm(request.POST, request.FILES)
            if send_form.is_valid():
                upload = send_form.cleaned_data["upload"]
                try:
                    version = improvement.plan_send(
                        inspection=inspection, by=request.user, data=upload.read(), filename=upload.name,
                        note=send_form.cleaned_data["note"],
                    )  # fmt: skip
                except ValidationError as exc:
                    _form_errors(send_form, exc, "upload")
                else:
                    text = _("Version %(n)d of the improvement plan is sent.") % {"n": version.number}
                    if version.late:
                        text += " " + _("It arrived after the deadline and is marked late.")
                    messages.success(request, text)
                    return redirect("reports:improvement_plan", reference=reference)
    context = {
        "inspection": inspection,
        "plan": plan,
        "versions": versions,
        "newest": newest,
        "due": improvement.plan_due(inspection),
        "send_form": send_form,
        "decide_form": decide_form,
        "may_be_sent": improvement.may_be_sent(inspection),
        "is_yot": request.user.has_perm("reports.send_improvement_plan", inspection),
        "no_yjb_contact": can_decide and not improvement.yjb_contacts(inspection),
    }
    errors = (send_form is not None and send_form.errors) or (decide_form is not None and decide_form.errors)
    return render(request, "reports/improvement_plan.html", context, status=400 if errors else 200)


def plan_download(request, reference, number):
    inspection = get_inspection_for(request.user, reference, "reports.view_improvement_plan")
    version = get_object_or_404(ImprovementPlanVersion, plan__inspection=inspection, number=number)
    return _file(version)


def _file(version: ImprovementPlanVersion) -> FileResponse:
    name = f"improvement-plan-{version.plan.inspection.reference}-v{version.number}{_suffix(version)}"
    return FileResponse(version.file.open("rb"), as_attachment=True, filename=name, content_type=version.content_type)


def _suffix(version: ImprovementPlanVersion) -> str:
    return "." + version.file.name.rsplit(".", 1)[-1] if "." in version.file.name else ""


def plan_review(request, token):
    link = improvement.review_link(token)
    if link is None:
        return render(request, "reports/plan_review_closed.html", status=404)
    version = link.version
    inspection = version.plan.inspection
    decided = version.decisions.filter(decider=PlanDecider.YJB).first()
    form = (
        None if decided else PlanDecisionForm(request.POST or None, ask_name=True, initial={"name": link.contact.name})
    )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            improvement.plan_decide(
                version=version, decider=PlanDecider.YJB, kind=form.cleaned_data["kind"],
                comments=form.cleaned_data["comments"], by_name=form.cleaned_data["name"],
            )  # fmt: skip
        except ValidationError as exc:
            _form_errors(form, exc, None)
        else:
            return redirect("reports_plan_review:review", token=token)
    context = {"inspection": inspection, "version": version, "decided": decided, "form": form, "token": token}
    return render(request, "reports/plan_review.html", context, status=400 if form is not None and form.errors else 200)


def plan_review_download(request, token):
    link = improvement.review_link(token)
    if link is None:
        raise Http404("This link has ended")
    return _file(link.version)
