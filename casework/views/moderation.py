"""Moderation pages (issue 12 §5): the moderation list, the review page grouped by view with its
"agree with all" and change forms, and an answer's history.

Access as on the assessor's pages (``casework.views.assessment``): ``_inspection`` gives 404 to
anyone not on the team (a YOT manager, an inspector of another inspection); ``_case`` gives 404 for
a case the user may not see and 403 for an action they may not take (``casework.review_case``: the
local assessor's supervising inspector or the lead inspector).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from casework.forms_moderation import AgreeViewForm, ChangeJudgementForm
from casework.models import Assessment
from casework.services import assessment as services
from casework.services import moderation
from casework.templatetags.casework_tags import question_slug
from casework.views.assessment import _case, _inspection


def moderation_list(request, reference):
    inspection = _inspection(request, reference, "casework.view_moderation")
    agreements, case_rows = services.moderation_summary(inspection)
    for row in case_rows:
        row.can_review = request.user.has_perm("casework.review_case", row.case)
    context = {
        "inspection": inspection,
        "agreements": agreements,
        "unreviewed": [row for row in case_rows if row.unreviewed or not row.judgements],
        "reviewed": [row for row in case_rows if row.judgements and not row.unreviewed],
    }
    return render(request, "casework/moderation.html", context)


def review(request, reference, pk, *, errors=None, typed=None, anchor: str = "", status: int = 200):
    """Every judgement to review, by view. ``errors`` and ``typed`` (question id to message, and to
    what the reviewer sent) come from a change that was refused, so the form keeps what was typed;
    ``anchor`` is the field the error summary links to."""
    case = _case(request, reference, pk, "casework.review_case")
    state = services.case_state(case, Assessment.objects.filter(case=case).first())
    groups = moderation.review_groups(state)
    errors, typed = errors or {}, typed or {}
    for row in (row for group in groups for row in group.judgements):
        _keep_typed(row, errors.get(row.question.id, ""), typed.get(row.question.id))
    context = {
        "inspection": case.inspection, "case": case, "state": state, "groups": groups, "errors": errors,
        "error_links": [(message, anchor or f"review-{question_slug(qid)}-reason") for qid, message in errors.items()],
    }  # fmt: skip
    return render(request, "casework/review.html", context, status=status)


def _keep_typed(row: moderation.JudgementRow, error: str, typed: dict | None) -> None:
    """What the change form of a judgement shows: what the reviewer typed, after a refusal."""
    row.error = error
    row.chosen = row.shown_value if typed is None else typed["value"]
    row.reason_text = typed["reason"] if typed else (row.review.reason if row.status == moderation.CHANGED else "")
    if typed is not None:
        row.factors = [(n, f, theirs, typed["factors"].get(n) or None) for n, f, theirs, _reviewed in row.factors]


def _typed(data, factor_count: int) -> dict:
    return {
        "value": data.get("reviewed_value", ""),
        "factors": {n: data.get(f"reviewed_value-{n}", "") for n in range(1, factor_count + 1)},
        "reason": data.get("reason", ""),
    }


@require_POST
def review_judgement(request, reference, pk, question_id):
    case = _case(request, reference, pk, "casework.review_case")
    assessment = get_object_or_404(Assessment, case=case)
    bank = services.bank_of(assessment)
    if bank.resolve_id(question_id) is None:
        raise Http404("No such question")
    question = bank.question(question_id)
    factors = bank.question(question.per_answer_of).options if question.per_answer_of else ()
    form = ChangeJudgementForm(request.POST, factors=factors)
    slug = question_slug(question.id)
    first_choice = f"review-{slug}-1-1" if factors else f"review-{slug}-1"
    typed = {question.id: _typed(request.POST, len(factors))}
    try:
        if not form.is_valid():
            if "reason" in form.errors:
                raise ValidationError(f"{question.id}: {form.errors['reason'][0]}")
            raise ValidationError(_("%(id)s: choose the judgement") % {"id": question.id})
        moderation.judgement_change(
            assessment=assessment, question_id=question.id, user=request.user, reviewed_value=form.reviewed(),
            reason=form.cleaned_data["reason"], seen_revision=form.cleaned_data["expected_revision"],
        )  # fmt: skip
    except ValidationError as error:
        about_reason = "reason" in form.errors or "reason" in getattr(error, "error_dict", {})
        anchor = f"review-{slug}-reason" if about_reason else first_choice
        errors = {question.id: error.messages[0]}
        return review(request, reference, pk, errors=errors, typed=typed, anchor=anchor, status=422)
    except moderation.JudgementChangedSincePageShown:
        message = _("%(id)s: the assessor changed this judgement after you opened the page. Review it again.")
        errors = {question.id: message % {"id": question.id}}
        return review(request, reference, pk, errors=errors, anchor=first_choice, status=409)
    messages.success(request, _("Review of %(id)s recorded.") % {"id": question.id})
    url = reverse("casework:review", args=[reference, pk])
    return redirect(f"{url}#review-{question_slug(question.id)}")


@require_POST
def review_agree_view(request, reference, pk, view):
    case = _case(request, reference, pk, "casework.review_case")
    assessment = get_object_or_404(Assessment, case=case)
    form = AgreeViewForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.non_field_errors()[0])
        return redirect("casework:review", reference=reference, pk=pk)
    try:
        outcome = moderation.view_judgements_agree(
            assessment=assessment, view_id=view, seen=form.cleaned_data["seen"], user=request.user
        )
    except ValidationError:
        raise Http404("No such view") from None
    _agree_messages(request, outcome)
    return redirect(f"{reverse('casework:review', args=[reference, pk])}#view-{view}")


def _agree_messages(request, outcome: moderation.AgreeOutcome) -> None:
    if outcome.agreed:
        n = len(outcome.agreed)
        text = ngettext("You agreed with %(n)s judgement.", "You agreed with %(n)s judgements.", n) % {"n": n}
        messages.success(request, text)
    elif not outcome.changed_since:
        messages.info(request, _("Every judgement in this view was already reviewed; nothing was changed."))
    if outcome.changed_since:
        n = len(outcome.changed_since)
        text = ngettext(
            "The assessor changed %(ids)s after you opened the page. Look at it again before you agree.",
            "The assessor changed %(ids)s after you opened the page. Look at them again before you agree.",
            n,
        )
        messages.warning(request, text % {"ids": ", ".join(outcome.changed_since)})


def view_history(request, reference, pk, view):
    """The history of every answer in one view of a case: for anyone who may read the case."""
    case = _case(request, reference, pk)
    state = services.case_state(case, Assessment.objects.filter(case=case).first())
    if view not in {v.id for v in state.bank.views}:
        raise Http404("No such view")
    context = {
        "inspection": case.inspection, "case": case, "view": state.bank.view(view),
        "rows": moderation.view_history(state, view),
        "can_review": request.user.has_perm("casework.review_case", case),
    }  # fmt: skip
    return render(request, "casework/history.html", context)
