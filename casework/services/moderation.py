"""Moderation at speed (issue 12 §5): the supervising inspector reviews a local assessor's
judgements view by view (seed 000 §4: local assessors "are supervised by a member of the HMI
Probation team ... to confirm that their judgements are consistent with HMI Probation benchmarks").

Readings (docs/rulebook.md):
- What the reviewer reads beside a judgement: the reasons chosen at its explanation questions
  (``explains``), the narrative where an 'Other' reason or the reasons for it are written
  (``other_narrative``, ``reasons_in``), and, once per view, that view's narratives.
- "Agree with all judgements in this view" agrees only with what the reviewer was shown: each
  judgement's answer revision goes with the request, and a judgement the assessor changed since the
  page was drawn is left for another look. A review that still applies (agreed, or changed by a
  reviewer) is never overwritten by it; a review the assessor's later change made stale is renewed.
- One Review per judgement (the ``one_review_per_judgement`` constraint): a second submission of the
  same request finds every judgement reviewed and writes nothing.
- An answer's history is its ``AnswerRevision`` rows: who saved what, when, and what it replaced.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from casework.domain.bank import Question, View
from casework.models import Answer, AnswerRevision, Assessment, Review
from casework.services.assessment import (
    AnswerRow,
    CaseState,
    bank_of,
    case_state,
    judgement_review,
    judgements_to_review,
    review_applies,
)
from inspections.models import AuditEvent, User

AGREED = "agreed"
CHANGED = "changed"
STALE = "stale"  # reviewed, then the assessor changed the judgement: to review again
AWAITING = "awaiting"


class JudgementChangedSincePageShown(Exception):
    """The assessor changed the judgement after the reviewer's page was drawn."""

    def __init__(self, question_id: str) -> None:
        super().__init__(question_id)
        self.question_id = question_id


# --- Reads -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    """One save of an answer: its revision, who and when, the value before and the value saved."""

    revision: int
    by: User
    at: dt.datetime
    before: Any
    after: Any


def answer_histories(assessment: Assessment | None) -> dict[str, list[HistoryEntry]]:
    """Every answer's history in the assessment, oldest save first, from one query."""
    if assessment is None:
        return {}
    revisions = (
        AnswerRevision.objects.filter(answer__assessment=assessment)
        .select_related("by", "answer")
        .order_by("answer_id", "revision")
    )
    histories: dict[str, list[HistoryEntry]] = defaultdict(list)
    for row in revisions:
        earlier = histories[row.answer.question_id]
        before = earlier[-1].after if earlier else None
        earlier.append(HistoryEntry(row.revision, row.by, row.at, before, row.value))
    return dict(histories)


@dataclass
class Beside:
    """An answer shown beside a judgement (a reason or a narrative), with its history."""

    question: Question
    value: Any
    history: list[HistoryEntry]


@dataclass
class JudgementRow:
    question: Question
    value: Any
    revision: int  # the answer's revision as shown: "agree with all" sends it back
    review: Review | None
    status: str  # AGREED, CHANGED, STALE or AWAITING
    reasons: list[Beside]
    narratives: list[Beside]
    history: list[HistoryEntry]
    # Judgements asked once per factor: (number as the form names it, factor, assessor's, reviewer's)
    factors: list[tuple[int, str, Any, Any]] = field(default_factory=list)

    @property
    def awaiting(self) -> bool:
        return self.status in (AWAITING, STALE)

    @property
    def shown_value(self) -> Any:
        """What the change form starts from: the reviewer's value while their review applies."""
        return self.review.reviewed_value if self.status in (AGREED, CHANGED) else self.value


@dataclass
class ViewGroup:
    view: View
    judgements: list[JudgementRow]
    narratives: list[Beside]

    @property
    def awaiting(self) -> list[JudgementRow]:
        return [row for row in self.judgements if row.awaiting]


def review_status(review: Review | None, answers: Mapping[str, Any]) -> str:
    if review is None:
        return AWAITING
    if not review_applies(review, answers):
        return STALE
    return AGREED if review.agreed else CHANGED


def _beside(state: CaseState, question: Question, histories: Mapping[str, list[HistoryEntry]]) -> Beside:
    return Beside(question, state.answers.get(question.id), histories.get(question.id, []))


def _reasons_and_narratives(state: CaseState, question: Question, histories) -> tuple[list[Beside], list[Beside]]:
    bank = state.bank
    # An explanation may explain several judgements (3.8.1.1): its reasons are this judgement's only
    # when this judgement was an Insufficient one.
    explanations = [
        explanation
        for explanation in bank.explanations_of(question.id)
        if question.id in state.route.insufficient
        and state.route.is_asked(explanation.id)
        and state.is_answered(explanation.id)
    ]
    narrative_ids = []
    for explanation in explanations:
        chosen = state.answers.get(explanation.id) or []
        if explanation.other_narrative and "Other" in chosen:
            narrative_ids.append(explanation.other_narrative)
    if question.reasons_in:
        narrative_ids.append(question.reasons_in)
    narratives = [
        _beside(state, bank.question(qid), histories)
        for qid in dict.fromkeys(narrative_ids)
        if state.route.is_asked(qid) and state.is_answered(qid)
    ]
    return [_beside(state, e, histories) for e in explanations], narratives


def review_groups(state: CaseState, *, histories: Mapping[str, list[HistoryEntry]] | None = None) -> list[ViewGroup]:
    """The judgements to review, grouped by view, each with what explains it, its review and its
    history; and each view's narratives. Views without a judgement to review are left out."""
    if state.assessment is None:
        return []
    if histories is None:
        histories = answer_histories(state.assessment)
    reviews = {r.question_id: r for r in Review.objects.filter(assessment=state.assessment).select_related("reviewer")}
    by_view: dict[int, list[JudgementRow]] = defaultdict(list)
    for qid in judgements_to_review(state):
        question = state.bank.question(qid)
        review = reviews.get(qid)
        status = review_status(review, state.answers)
        reasons, narratives = _reasons_and_narratives(state, question, histories)
        factors = []
        if question.per_answer_of is not None:
            source = state.bank.question(question.per_answer_of).options
            reviewed = review.reviewed_value if status in (AGREED, CHANGED) else {}
            factors = [
                (source.index(f) + 1, f, state.answers[qid].get(f), (reviewed or {}).get(f))
                for f in state.route.factors.get(qid, ())
            ]
        by_view[question.view].append(
            JudgementRow(
                question=question,
                value=state.answers[qid],
                revision=state.rows[qid].revision,
                review=review,
                status=status,
                reasons=reasons,
                narratives=narratives,
                history=histories.get(qid, []),
                factors=factors,
            )
        )
    groups = []
    for view in state.bank.views:
        if not by_view[view.id]:
            continue
        narratives = [
            _beside(state, state.bank.question(qid), histories)
            for qid in state.route.asked
            if state.bank.question(qid).view == view.id
            and state.bank.question(qid).kind == "narrative"
            and state.is_answered(qid)
        ]
        groups.append(ViewGroup(view, by_view[view.id], narratives))
    return groups


@dataclass
class HistoryRow:
    question: Question
    value: Any
    asked: bool
    history: list[HistoryEntry]


def view_history(state: CaseState, view_id: int) -> list[HistoryRow]:
    """Every question of a view that was ever answered, in bank order, with its history (an answer
    to a question no longer asked is kept, so it is listed too, marked as not asked)."""
    histories = answer_histories(state.assessment)
    return [
        HistoryRow(question, state.answers.get(question.id), state.route.is_asked(question.id), histories[question.id])
        for question in state.bank.questions_in_view(view_id)
        if question.id in histories
    ]


# --- Writes ----------------------------------------------------------------------------------


@dataclass
class AgreeOutcome:
    agreed: list[str] = field(default_factory=list)  # reviews written now
    already: list[str] = field(default_factory=list)  # reviewed already (by this request's twin, or anyone)
    changed_since: list[str] = field(default_factory=list)  # the assessor changed it after the page was drawn


def _locked_rows(assessment: Assessment) -> dict[str, AnswerRow]:
    answers = Answer.objects.select_for_update().filter(assessment=assessment).order_by("pk")
    return {a.question_id: AnswerRow(a.value, a.revision) for a in answers}


def view_judgements_agree(*, assessment: Assessment, view_id: int, seen: Mapping[str, int], user: User) -> AgreeOutcome:
    """Agree with every judgement of one view that awaits review, as the reviewer saw it.

    ``seen`` maps each judgement shown to the answer revision shown. A judgement not shown, or
    changed since (another revision), is left alone and listed in ``changed_since``. A review that
    still applies is never replaced (``already``). Safe to submit twice: the second finds
    everything reviewed; two at once are serialised by the answers' row locks and, failing that,
    by the one_review_per_judgement constraint.
    """
    bank = bank_of(assessment)
    if view_id not in {view.id for view in bank.views}:
        raise ValidationError(_("There is no such view"))
    outcome = AgreeOutcome()
    with transaction.atomic():
        # Lock the answers: the assessor cannot change a judgement while it is being agreed with.
        state = case_state(assessment.case, assessment, rows=_locked_rows(assessment))
        judgements = [qid for qid in judgements_to_review(state) if bank.question(qid).view == view_id]
        reviews = {
            r.question_id: r
            for r in Review.objects.select_for_update().filter(assessment=assessment, question_id__in=judgements)
        }
        for qid in judgements:
            value, revision = state.rows[qid]
            review = reviews.get(qid)
            if review is not None and review_applies(review, state.answers):
                outcome.already.append(qid)
            elif seen.get(qid) != revision:
                outcome.changed_since.append(qid)
            elif review is not None:  # stale: the assessor changed it after an earlier review
                review.original_value = review.reviewed_value = value
                review.agreed, review.reason, review.reviewer = True, "", user
                review.save(update_fields=["original_value", "reviewed_value", "agreed", "reason", "reviewer"])
                outcome.agreed.append(qid)
            else:
                try:
                    with transaction.atomic():
                        Review.objects.create(
                            assessment=assessment, question_id=qid, original_value=value, reviewed_value=value,
                            agreed=True, reviewer=user,
                        )  # fmt: skip
                except IntegrityError:  # reviewed a moment ago by someone else: theirs stands
                    outcome.already.append(qid)
                else:
                    outcome.agreed.append(qid)
        if outcome.agreed:
            AuditEvent.objects.create(
                inspection=assessment.case.inspection, actor=user, action="judgements_agreed",
                detail={"case": assessment.case.label, "view": view_id, "questions": outcome.agreed},
            )  # fmt: skip
    return outcome


def judgement_change(
    *,
    assessment: Assessment,
    question_id: str,
    reviewed_value: str | Mapping[str, str],
    reason: str,
    user: User,
    seen_revision: int | None = None,
) -> Review:
    """Review one judgement (agree, or change it with a reason) as the reviewer saw it.

    With ``seen_revision``, raises JudgementChangedSincePageShown when the assessor has saved the
    judgement again since; otherwise as ``judgement_review`` (a ValidationError naming the
    question for a missing reason or a value the judgement cannot take).
    """
    with transaction.atomic():
        answer = Answer.objects.select_for_update().filter(assessment=assessment, question_id=question_id).first()
        if seen_revision is not None and answer is not None and answer.revision != seen_revision:
            raise JudgementChangedSincePageShown(question_id)
        return judgement_review(
            assessment=assessment, question_id=question_id, reviewed_value=reviewed_value, reason=reason, user=user
        )
