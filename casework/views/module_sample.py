"""Module sample pages (seed 001 §6): the additional modules' own cases of a Full Joint Inspection.

Access: ``_inspection`` gives 404 to anyone not on the team (a YOT manager, another inspection's
people) and 403 without the permission (``casework.view_module_sample``: HMI Probation's staff;
``casework.manage_module_sample``: the inspectors), so local assessors and partner inspectors get 403.
An SQS has no modules: 404. The YOT's case ID is shown only with ``casework.view_child_identity``,
and who was shown it is recorded.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.domain.bank import load_bank
from casework.forms_module_sample import ModuleAnswerForm, ModuleCaseForm, ModuleCaseRemoveForm, ModuleFindingsForm
from casework.models import ModuleCase
from casework.services import module_sample as services
from casework.views.assessment import _inspection
from inspections.domain.messages import _ as message
from inspections.enums import Module, Programme
from inspections.identity_log import identity_view_record


def _fji(request, reference: str, perm: str):
    inspection = _inspection(request, reference, perm)
    if inspection.programme != Programme.FJI:
        raise Http404("Additional modules are part of a Full Joint Inspection only")
    return inspection


def _module_case(request, reference: str, pk: int, perm: str = "casework.view_module_sample") -> ModuleCase:
    inspection = _fji(request, reference, perm)
    row = get_object_or_404(ModuleCase.objects.select_related("core_case"), inspection=inspection, pk=pk)
    row.inspection = inspection
    return row


def _case_ids_shown(request, inspection, rows, what) -> bool:
    """May this person see the YOT's case IDs? When they may and some are shown, it is recorded."""
    allowed = request.user.has_perm("casework.view_child_identity", inspection)
    if allowed and any(row.yot_case_id for row in rows):
        identity_view_record(inspection=inspection, user=request.user, what=what, path=request.path)
    return allowed


def _back(inspection, module: str):
    return redirect(reverse("casework:module_sample", args=[inspection.reference]) + f"#{module}")


def module_sample(request, reference):
    inspection = _fji(request, reference, "casework.view_module_sample")
    sample, bank = services.module_sample(inspection), load_bank(services.newest_bank_version())
    removed = list(services.module_cases(inspection, removed=True))
    sections = [
        {"module": module, "label": Module(module).label, "rows": rows,
         "has_questions": bool(services.module_questions(bank, module)),
         "kinds": services.MODULE_CASE_KINDS[module]}
        for module, rows in sample.items()
    ]  # fmt: skip
    rows = [row for section in sections for row in section["rows"]] + removed
    context = {
        "inspection": inspection, "sections": sections, "removed": removed,
        "can_manage": request.user.has_perm("casework.manage_module_sample", inspection),
        "show_case_ids": _case_ids_shown(request, inspection, rows, message("Module sample (YOT case IDs)")),
    }  # fmt: skip
    return render(request, "casework/module_sample/list.html", context)


def module_case_add(request, reference, module):
    inspection = _fji(request, reference, "casework.manage_module_sample")
    if module not in services.modules_of(inspection):
        raise Http404("The module is not part of this inspection")
    cases = services.core_cases_for(inspection, module) if services.MODULE_CASE_KINDS[module].from_core_sample else None
    form = ModuleCaseForm(request.POST or None, cases=cases)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.module_case_add(inspection=inspection, module=module, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Case %(case)s added to the module’s sample.") % {"case": row.reference})
            return _back(inspection, module)
    context = {"inspection": inspection, "form": form, "label": Module(module).label,
               "kinds": services.MODULE_CASE_KINDS[module]}  # fmt: skip
    return render(request, "casework/module_sample/add.html", context)


def module_case_remove(request, reference, pk):
    row = _module_case(request, reference, pk, "casework.manage_module_sample")
    form = ModuleCaseRemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.module_case_remove(module_case=row, reason=form.cleaned_data["reason"], user=request.user):
            messages.success(request, _("Case %(case)s removed from the module’s sample.") % {"case": row.reference})
        else:
            messages.info(request, _("Case %(case)s was already removed; nothing changed.") % {"case": row.reference})
        return _back(row.inspection, row.module)
    if row.is_removed:
        raise Http404("The case is already removed")
    context = {"inspection": row.inspection, "form": form, "row": row, "label": Module(row.module).label}
    return render(request, "casework/module_sample/remove.html", context)


def module_case(request, reference, pk, forms=None, findings_form=None):
    row = _module_case(request, reference, pk)
    bank, answers = load_bank(row.bank_version), services.answers_of(row)
    forms = forms or {}
    questions = [
        {"question": q, "answer": answers.get(q.id), "form": forms.get(q.id)}
        for q in services.module_questions(bank, row.module)
    ]
    context = {
        "inspection": row.inspection, "row": row, "label": Module(row.module).label, "questions": questions,
        "can_assess": not row.is_removed and request.user.has_perm("casework.manage_module_sample", row.inspection),
        "show_case_ids": _case_ids_shown(request, row.inspection, [row], message("Module case (YOT case ID)")),
        "has_errors": bool(forms or findings_form), "findings_form": findings_form,
    }  # fmt: skip
    return render(request, "casework/module_sample/case.html", context, status=400 if forms or findings_form else 200)


@require_POST
def module_answer(request, reference, pk, question_id):
    row = _module_case(request, reference, pk, "casework.manage_module_sample")
    form = ModuleAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.module_answer_record(
                module_case=row, question_id=question_id, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Judgement %(question)s saved.") % {"question": question_id})
            return redirect(reverse("casework:module_case", args=[reference, pk]) + f"#q-{question_id}")
    if not any(q.id == question_id for q in services.module_questions(load_bank(row.bank_version), row.module)):
        raise Http404("Not one of the module's questions")
    return module_case(request, reference, pk, forms={question_id: form})


@require_POST
def module_findings(request, reference, pk):
    row = _module_case(request, reference, pk, "casework.manage_module_sample")
    form = ModuleFindingsForm(request.POST)
    if form.is_valid():
        try:
            services.module_case_findings_save(module_case=row, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Findings saved."))
            return redirect(reverse("casework:module_case", args=[reference, pk]) + "#findings")
    return module_case(request, reference, pk, findings_form=form)
