"""The assessor's pages (issue 6 items 5-10): case list, task list, one page per view, answers
saved as they are given (htmx, or a plain POST without JavaScript), completion, alerts
and scores. Moderation is in ``casework.views.moderation``.

Every view first asks the permission helpers: ``_inspection`` (the inspection, 404 for anyone not
on its team: a YOT manager sees no judgement) and ``get_case_for`` (404 for a case the user may
not see, 403 for an action they may not take on it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from casework.domain.bank import Question
from casework.forms_assessment import AlertActionForm, AlertForm, AllocateForm, AnswerForm
from casework.models import Alert, Assessment
from casework.selectors import cases_visible_to, get_case_for
from casework.services import assessment as services
from casework.services import checking, prefill
from casework.services.assessment import AnswerConflict, CaseState
from casework.templatetags.casework_tags import answer_text, question_slug
from inspections.rules import is_hmip_staff_on, is_lead_inspector_of, is_on_team
from inspections.selectors import get_inspection_for

KIND_LABELS = {
    "information": gettext_lazy("Information"),
    "judgement": gettext_lazy("Judgement"),
    "explanation": gettext_lazy("Explanation"),
    "narrative": gettext_lazy("Narrative"),
}


def _inspection(request, reference: str, perm: str | None = None):
    inspection = get_inspection_for(request.user, reference)
    if not is_on_team(request.user, inspection):  # a YOT manager sees no judgement (issue 6 §9)
        raise Http404("No such inspection")
    if perm is not None and not request.user.has_perm(perm, inspection):
        raise PermissionDenied
    return inspection


def _case(request, reference: str, pk: int, perm: str = "casework.view_case"):
    inspection = _inspection(request, reference)
    case = get_case_for(request.user, inspection, pk, perm)
    case.inspection = inspection  # one object, so the roles looked up once serve every check
    return case


def _assessment(request, case) -> Assessment | None:
    """The case's assessment, if it has started. Reading a page never starts one (a GET changes
    nothing); the assessor starts it with the case page's button, or by giving a first answer."""
    return Assessment.objects.filter(case=case).first()


# --- The questions of a view --------------------------------------------------------------


@dataclass
class Override:
    """What to show on one question instead of its stored answer: a save's outcome."""

    state: str  # "saved", "error" or "conflict"
    error: str = ""
    typed: Any = None
    conflict: AnswerConflict | None = None


def _item(
    state: CaseState,
    question: Question,
    *,
    action: str,
    view_url: str,
    override: Override | None,
    words: dict[str, str],
    suggestion: Any = None,
) -> dict[str, Any]:
    row = state.rows.get(question.id)
    value = row.value if row else None
    # The long-list's answer, shown (not saved) on a question with no answer yet: see services/prefill.py.
    prefilled = suggestion is not None and override is None and not state.is_answered(question.id)
    if prefilled:
        value = suggestion
    revision = row.revision if row else 0
    conflict = None
    if override is not None and override.state in ("error", "conflict"):
        value = override.typed
    if override is not None and override.conflict is not None:
        current = override.conflict.current
        revision = current.revision
        conflict = {
            "theirs": answer_text(current.value),
            "yours": answer_text(value),
            "by": current.updated_by,
            "at": current.updated_at,
        }
    factor_rows = []
    if question.per_answer_of is not None:
        # One radio group per factor chosen at per_answer_of (numbered by its place among those options).
        given = value if isinstance(value, dict) else {}
        source_options = state.bank.question(question.per_answer_of).options
        factor_rows = [
            (
                source_options.index(factor) + 1,
                factor,
                [(label, given.get(factor) == label) for label in question.options],
            )
            for factor in state.route.factors.get(question.id, ())
        ]
        value = None
    chosen = set(value if isinstance(value, list) else [value]) if question.input == "choice" and value else set()
    slug = question_slug(question.id)
    required = question.id in state.required
    hint = _hint(question, words)
    problem = override is not None and override.state in ("error", "conflict")
    return {
        "q": question,
        "slug": slug,
        "caption": f"{question.id} · {words[question.kind]}" + ("" if required else f" ({words['optional']})"),
        "hint": hint,
        "describedby": " ".join(([f"q-{slug}-hint"] if hint else []) + ([f"q-{slug}-error"] if problem else [])),
        "required": required,
        "revision": revision,
        "options": [(label, label in chosen) for label in question.options],
        "factor_rows": factor_rows,
        "text": value if isinstance(value, str) else "",
        "answered": state.is_answered(question.id),
        "prefilled": prefilled,
        "state": override.state if override else "",
        "error": override.error if override else "",
        "conflict": conflict,
        "action": action.replace("__question__", question.id),
        "view_url": view_url,
    }


def _words() -> dict[str, str]:
    """The fixed words of the question captions and hints, translated once per page."""
    return {
        **{kind: str(label) for kind, label in KIND_LABELS.items()},
        "optional": _("optional"),
        "hint_multiple": _("Select all that apply."),
        "hint_number": _("A number, for example 15."),
        "hint_narrative": _(
            "Needed when you choose ‘Other’ in an explanation, or when a question asks you to explain"
            " your answer here; otherwise optional."
        ),
    }


def _hint(question: Question, words: dict[str, str]) -> str:
    if question.multiple:
        return "" if "all that apply" in question.text else words["hint_multiple"]
    if question.input == "number":
        return words["hint_number"]
    if question.kind == "narrative":
        return words["hint_narrative"]
    return ""


def _items(
    state: CaseState, view_id: int, overrides: dict[str, Override], suggestions: dict[str, Any]
) -> list[dict[str, Any]]:
    reference, pk = state.case.inspection.reference, state.case.pk
    action = reverse("casework:answer", args=[reference, pk, "__question__"])
    view_url = reverse("casework:assess", args=[reference, pk, view_id])
    questions = (state.bank.question(qid) for qid in state.route.asked)
    words = _words()
    return [
        _item(
            state,
            q,
            action=action,
            view_url=view_url,
            override=overrides.get(q.id),
            words=words,
            suggestion=suggestions.get(q.id),
        )
        for q in questions
        if q.view == view_id
    ]


def _view_context(request, state: CaseState, view_id: int, *, overrides: dict[str, Override] | None = None):
    overrides = overrides or {}
    view_ids = [v.id for v in state.bank.views]
    position = view_ids.index(view_id)
    can_edit = request.user.has_perm("casework.assess_case", state.case) and state.assessment is not None
    # Only the person who may answer is offered the long-list's answers (they name them at 1 and 2).
    suggestions = prefill.prefill_suggestions(state, request.user) if can_edit and view_id == 0 else {}
    items = _items(state, view_id, overrides, suggestions)
    return {
        "inspection": state.case.inspection,
        "case": state.case,
        "state": state,
        "view": state.bank.view(view_id),
        "items": items,
        "prefilled": [item["q"].id for item in items if item["prefilled"]],
        "can_edit": can_edit,
        "can_raise": request.user.has_perm("casework.raise_alert", state.case),
        "previous_view": state.bank.views[position - 1] if position > 0 else None,
        "next_view": state.bank.views[position + 1] if position + 1 < len(view_ids) else None,
        "page_errors": [
            (o.error or _("%(id)s: someone else saved a different answer") % {"id": qid}, qid)
            for qid, o in overrides.items()
            if o.state in ("error", "conflict")
        ],
    }


def assess(request, reference, pk, view):
    case = _case(request, reference, pk)
    assessment = _assessment(request, case)
    if assessment is None and request.user.has_perm("casework.assess_case", case):
        # The questions filled in from the inspection appear once the assessment is started.
        messages.info(request, _("Start the assessment of case %(case)s first.") % {"case": case.label})
        return redirect("casework:case", reference=reference, pk=pk)
    state = services.case_state(case, assessment)
    if view not in {v.id for v in state.bank.views}:
        raise Http404("No such view")
    overrides = {}
    saved = request.GET.get("saved")
    if saved and state.bank.resolve_id(saved):
        overrides[state.bank.resolve_id(saved)] = Override("saved")
    return render(request, "casework/assessment/view.html", _view_context(request, state, view, overrides=overrides))


def _save(request, assessment, question: Question, form: AnswerForm) -> tuple[Override, int]:
    if not form.is_valid():
        return Override(
            "error",
            _("%(id)s: this page was out of date. Reload it and answer again.") % {"id": question.id},
            form.raw_value(),
        ), 422
    try:
        services.assessment_answer(
            assessment=assessment, question_id=question.id, value=form.raw_value(), user=request.user,
            expected_revision=form.cleaned_data["expected_revision"],
        )  # fmt: skip
    except ValidationError as error:
        return Override("error", error.messages[0], form.raw_value()), 422
    except AnswerConflict as conflict:
        return Override("conflict", typed=conflict.attempted, conflict=conflict), 409
    return Override("saved"), 200


def _layout(state: CaseState, view_id: int) -> list[tuple[str, bool]]:
    return [(qid, qid in state.required) for qid in state.route.asked if state.bank.question(qid).view == view_id]


@require_POST
def answer(request, reference, pk, question_id):
    case = _case(request, reference, pk, "casework.assess_case")
    assessment = services.assessment_start(case=case, user=request.user)
    before = services.case_state(case, assessment)
    if before.bank.resolve_id(question_id) is None:
        raise Http404("No such question")
    question = before.bank.question(question_id)
    was_complete = assessment.is_complete
    factors = before.bank.question(question.per_answer_of).options if question.per_answer_of else ()
    form = AnswerForm(request.POST, question=question, factors=factors)
    override, status = _save(request, assessment, question, form)
    reopened = was_complete and not assessment.is_complete
    if status == 200 and not request.htmx:
        if reopened:
            messages.warning(request, _("You changed an answer, so the case is no longer marked complete."))
        url = reverse("casework:assess", args=[reference, pk, question.view])
        return redirect(f"{url}?saved={question.id}#question-{question_slug(question.id)}")
    state = services.case_state(case, assessment, alert=before.facts.alert)
    context = _view_context(request, state, question.view, overrides={question.id: override})
    context["reopened"] = reopened
    if not request.htmx:
        return render(request, "casework/assessment/view.html", context, status=status)
    return _htmx_answer(
        request,
        context,
        question,
        layout_changed=_layout(before, question.view) != _layout(state, question.view),
        status=status,
    )


def _htmx_answer(request, context, question: Question, *, layout_changed: bool, status: int) -> HttpResponse:
    """Re-render as little as possible, so what the assessor is doing elsewhere on the page stays.

    A plain save updates the question's "Saved" state and revision only; an error or conflict
    re-renders the question's form; a save that shows or hides questions re-renders the list.
    """
    item = context["item"] = next((i for i in context["items"] if i["q"].id == question.id), None)
    if item is None or layout_changed:
        template, target = "casework/assessment/_questions_response.html", "#questions"
    elif status != 200 or request.POST.get("had_problem"):
        template, target = "casework/assessment/_question_response.html", f"#question-{item['slug']}"
    else:
        return HttpResponse(render_to_string("casework/assessment/_question_saved.html", context, request))
    response = HttpResponse(render_to_string(template, context, request), status=status)
    return reswap(retarget(response, target), "outerHTML")


# --- The case: task list, completion ----------------------------------------------------------


def _case_context(request, case, state: CaseState, **extra):
    return {
        "inspection": case.inspection,
        "case": case,
        "state": state,
        "alerts": list(case.alerts.select_related("raised_by")),
        "can_edit": request.user.has_perm("casework.assess_case", case),
        "can_raise": request.user.has_perm("casework.raise_alert", case),
        "can_review": request.user.has_perm("casework.review_case", case),
        **extra,
    }


def case_detail(request, reference, pk):
    case = _case(request, reference, pk)
    state = services.case_state(case, _assessment(request, case))
    return render(request, "casework/assessment/case.html", _case_context(request, case, state))


@require_POST
def start(request, reference, pk):
    case = _case(request, reference, pk, "casework.assess_case")
    services.assessment_start(case=case, user=request.user)
    return redirect("casework:assess", reference=reference, pk=pk, view=0)


@require_POST
def confirm_prefill(request, reference, pk):
    """Save the answers taken from the long-list that View 0 offered (they were not saved on reading)."""
    case = _case(request, reference, pk, "casework.assess_case")
    assessment = get_object_or_404(Assessment, case=case)
    saved = prefill.assessment_prefill_confirm(assessment=assessment, user=request.user)
    if saved:
        messages.success(
            request,
            ngettext(
                "%(n)s answer taken from the long-list saved.", "%(n)s answers taken from the long-list saved.",
                len(saved),
            ) % {"n": len(saved)},
        )  # fmt: skip
    return redirect("casework:assess", reference=reference, pk=pk, view=0)


def check_answers(request, reference, pk, *, problems=None, status: int = 200):
    """Check your answers (GOV.UK pattern): every answer by view, each with a link to change it, the
    required questions still unanswered, and the button that completes the case."""
    case = _case(request, reference, pk)
    state = services.case_state(case, _assessment(request, case))
    context = _case_context(
        request, case, state, views=checking.check_rows(state), problems=problems,
        checked=checking.answers_fingerprint(state),
    )  # fmt: skip
    return render(request, "casework/assessment/check.html", context, status=status)


@require_POST
def complete(request, reference, pk):
    """Complete the case from its Check your answers page: a gap shows that page with the gaps; a
    request made without it, or after the answers changed since it was shown, is sent back to it."""
    case = _case(request, reference, pk, "casework.assess_case")
    assessment = services.assessment_start(case=case, user=request.user)
    state = services.case_state(case, assessment)
    if state.problems:
        return check_answers(request, reference, pk, problems=state.problems, status=422)
    if not assessment.is_complete and request.POST.get("checked") != checking.answers_fingerprint(state):
        messages.info(request, _("Check your answers before you complete the case."))
        return redirect("casework:check", reference=reference, pk=pk)
    try:
        services.assessment_complete(assessment=assessment, user=request.user)
    except services.CompletionBlocked as blocked:  # an answer changed a moment ago
        return check_answers(request, reference, pk, problems=blocked.problems, status=422)
    messages.success(request, _("Case %(case)s is complete.") % {"case": case.label})
    return redirect("casework:case", reference=reference, pk=pk)


# --- The case list and allocation -----------------------------------------------------------


def cases(request, reference):
    inspection = _inspection(request, reference)
    visible = list(cases_visible_to(request.user, inspection))
    for case in visible:
        case.inspection = inspection
    can_allocate = request.user.has_perm("casework.manage_sample", inspection)
    context = {
        "inspection": inspection,
        "states": services.case_rows(visible),
        "open_alerts": services.open_alert_counts(inspection),
        "can_allocate": can_allocate,
        "people": services.allocatable_people(inspection) if can_allocate else [],
        "can_see_alerts": is_hmip_staff_on(request.user, inspection),
    }
    return render(request, "casework/assessment/cases.html", context)


@require_POST
def allocate(request, reference, pk):
    inspection = _inspection(request, reference, "casework.manage_sample")
    case = get_case_for(request.user, inspection, pk)
    form = AllocateForm(request.POST, inspection=inspection)
    if not form.is_valid():
        messages.error(request, _("Choose someone on the team to allocate case %(case)s to.") % {"case": case.label})
        return redirect("casework:cases", reference=reference)
    case.inspection = inspection
    services.case_allocate(case=case, assessor=form.cleaned_data["assessor"], user=request.user)
    messages.success(
        request, _("Case %(case)s allocated to %(name)s.") % {"case": case.label, "name": case.assessor or _("nobody")}
    )
    return redirect("casework:cases", reference=reference)


# --- Alerts ----------------------------------------------------------------------------------


def alert_raise(request, reference, pk):
    case = _case(request, reference, pk, "casework.raise_alert")
    form = AlertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            alert = services.alert_raise(case=case, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field, errors)
        else:
            messages.success(
                request,
                _("%(kind)s raised on case %(case)s. The lead inspector has been told.")
                % {"kind": alert.get_kind_display(), "case": case.label},
            )
            return redirect("casework:case", reference=reference, pk=pk)
    return render(
        request, "casework/assessment/alert_form.html", {"inspection": case.inspection, "case": case, "form": form}
    )


def alerts(request, reference):
    inspection = _inspection(request, reference)
    if not is_hmip_staff_on(request.user, inspection):
        raise PermissionDenied
    alert_list = list(
        Alert.objects.filter(case__inspection=inspection).select_related("case", "raised_by", "resolved_by")
    )
    can_resolve = is_lead_inspector_of(request.user, inspection)  # as casework.resolve_alert
    return render(
        request,
        "casework/assessment/alerts.html",
        {"inspection": inspection, "alerts": alert_list, "can_resolve": can_resolve, "form": AlertActionForm()},
    )


@require_POST
def alert_resolve(request, reference, alert_pk):
    inspection = _inspection(request, reference)
    alert = get_object_or_404(Alert, pk=alert_pk, case__inspection=inspection)
    alert.case = get_case_for(request.user, inspection, alert.case_id, "casework.resolve_alert")
    alert.case.inspection = inspection
    form = AlertActionForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Describe the action that was taken on the alert for case %(case)s.") % {"case": alert.case.label},
        )
    else:
        try:
            services.alert_resolve(alert=alert, action_taken=form.cleaned_data["action_taken"], user=request.user)
        except services.AlreadyActioned:
            messages.info(request, _("Someone else recorded the action on this alert first; nothing was changed."))
        else:
            messages.success(request, _("Action recorded for case %(case)s.") % {"case": alert.case.label})
    return redirect("casework:alerts", reference=reference)


# --- Scores ----------------------------------------------------------------------------------


def scores(request, reference):
    inspection = _inspection(request, reference, "casework.view_scores")
    result = services.inspection_scores(inspection)
    bank = result.bank
    context = {
        "inspection": inspection,
        "result": result,
        "overall": result.scores.overall,
        "themes": [(bank.theme(key).label, tally) for key, tally in result.scores.by_theme.items()],
        "criteria": list(result.scores.by_criterion.items()),
        "questions": [(bank.question(qid), tally) for qid, tally in result.scores.by_question.items()],
    }
    return render(request, "casework/assessment/scores.html", context)
