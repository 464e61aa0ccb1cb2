"""Case assessments (issue 6 items 5-10): answers, completion, moderation, alerts and allocation.

Writes are ``<entity>_<verb>`` functions with keyword-only arguments: each validates, writes in one
transaction and leaves an audit row (``inspections.AuditEvent``); an answer's own trail is its
``AnswerRevision`` rows. The reads that the pages and the ``scores`` command share (the state of a
case, the inspection's scores, the moderation summary) are at the end of the module.

Decisions (docs/rulebook.md has the table):
- An assessment is pinned to the newest bank version when it starts, and always routed with it.
- Answers are stored as the bank spells them: an option label (str), a list of labels for a
  multiple-choice question, or text. Clearing an answer stores "" or []: the row is never deleted.
- Changing an answer after the case was completed re-opens it (completed_at cleared, audit row
  "assessment_reopened"): the completion was checked against answers that no longer hold.
- A review applies while the judgement still has the value that was reviewed; if the assessor
  changes it afterwards, the judgement counts as unreviewed again (provisional) until reviewed anew.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.domain.bank import NOT_APPLICABLE, Bank, Question, available_versions, load_bank
from casework.domain.routing import Facts, Route, normalise_answer, route
from casework.domain.scores import Scores, Tally, score
from casework.domain.sufficiency import Problem, completion_problems
from casework.enums import AlertKind, AlertStatus, CaseStatus
from casework.models import Alert, Answer, AnswerRevision, Assessment, Case, Review
from inspections.enums import Country, TeamRole
from inspections.models import AuditEvent, Inspection, User
from inspections.notifications import absolute_url, notify, notify_people, team_with_roles

logger = logging.getLogger(__name__)

# The bank spells the countries as 3b's options do.
COUNTRY_LABELS = {Country.ENGLAND.value: "England", Country.WALES.value: "Wales"}
# Who may be allocated a case: "an inspector or local assessor on the team".
ASSESSOR_ROLES = (TeamRole.LEAD_INSPECTOR, TeamRole.ASSISTANT_INSPECTOR, TeamRole.LOCAL_ASSESSOR)
TEXT_LIMIT = 10_000
REASON_LIMIT = 1_000


class AnswerConflict(Exception):
    """Someone else saved this answer after the page was loaded (``expected_revision`` is stale)."""

    def __init__(self, *, question_id: str, current: Answer, attempted: Any) -> None:
        super().__init__(question_id)
        self.question_id = question_id
        self.current = current
        self.attempted = attempted


class CompletionBlocked(Exception):
    """The case cannot be completed: ``problems`` lists every gap, in bank order."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


class AlreadyActioned(Exception):
    """Someone else recorded the action taken on this alert first."""


def _audit(inspection: Inspection, actor: User | None, action: str, **detail: Any) -> AuditEvent:
    return AuditEvent.objects.create(inspection=inspection, actor=actor, action=action, detail=detail)


# --- Facts, bank and answers -------------------------------------------------------------


def newest_bank_version() -> str:
    return available_versions()[-1]


def bank_of(assessment: Assessment | None) -> Bank:
    """The bank an assessment is pinned to; the newest for a case not started yet."""
    return load_bank(assessment.bank_version if assessment else None)


def case_facts(case: Case, *, alert: bool | None = None) -> Facts:
    """Routing facts: programme, country and modules from the inspection; alert from the case."""
    inspection = case.inspection
    if alert is None:
        alert = case.alerts.exists()
    return Facts(
        programme=inspection.programme,
        country=COUNTRY_LABELS.get(inspection.yot.country),
        modules=frozenset(inspection.modules),
        alert=alert,
    )


def _prefill(bank: Bank, case: Case) -> dict[str, Any]:
    """Answers the inspection already knows: 3a (the YOT), 3b (the country), 14 (FJI modules)."""
    inspection = case.inspection
    module_labels = {module.key: module.label for module in bank.modules}
    known = {
        "3a": inspection.yot.name,
        "3b": COUNTRY_LABELS.get(inspection.yot.country, ""),
        "14": [module_labels[key] for key in inspection.modules if key in module_labels],
    }
    values = {}
    for raw_id, value in known.items():
        question_id = bank.resolve_id(raw_id)
        if question_id is None or inspection.programme not in bank.question(question_id).programmes or not value:
            continue
        values[question_id] = clean_answer(bank.question(question_id), value)
    return values


def _is_empty(value: Any) -> bool:
    return normalise_answer(value) is None


def _or_list(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s or %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def clean_answer(question: Question, value: Any, *, bank: Bank | None = None) -> str | list[str] | dict[str, str]:
    """The value as stored, or a ValidationError whose message starts with the question's id.

    ``value`` is a str, a list of str, or None. Empty text, number and multiple answers clear the
    answer ("" or []); a single choice must be one of the options (N/A only where allowed).
    """

    def invalid(message: str) -> ValidationError:
        return ValidationError(f"{question.id}: {message}", code="invalid")

    if question.per_answer_of is not None:
        if bank is None:
            raise ValueError(f"{question.id} is asked once per factor: pass its bank")
        return _clean_per_factor(question, value, bank.question(question.per_answer_of).options)
    if value is None:
        value = [] if question.multiple else ""
    if question.input == "choice":
        chosen = [value] if isinstance(value, str) else list(value)
        chosen = [item for item in chosen if isinstance(item, str) and item.strip()]
        if NOT_APPLICABLE in chosen and question.kind == "judgement" and not question.na_allowed:
            raise invalid(_("N/A is not allowed here: choose %(options)s") % {"options": _or_list(question.options)})
        unknown = [item for item in chosen if item not in question.options]
        if question.multiple:
            if unknown:
                raise invalid(_("“%(answer)s” is not one of the answers") % {"answer": unknown[0]})
            return [option for option in question.options if option in chosen]
        if len(chosen) != 1 or unknown:
            if len(question.options) <= 4:
                raise invalid(_("choose %(options)s") % {"options": _or_list(question.options)})
            raise invalid(_("choose one of the answers"))
        return chosen[0]
    if not isinstance(value, str):
        raise invalid(_("give one written answer"))
    text = value.strip()
    if question.input == "number" and text:
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise invalid(_("enter a number, for example 15"))
    if len(text) > TEXT_LIMIT:
        raise invalid(_("write no more than %(n)s characters") % {"n": f"{TEXT_LIMIT:,}"})
    return text


def _clean_per_factor(question: Question, value: Any, bank_factors: tuple[str, ...]) -> dict[str, str]:
    """A per-factor answer: each factor (an option of ``per_answer_of``) to one of the options.

    Factors left blank are dropped; {} clears the answer. Which factors are asked is routing's
    business (they follow 2.1.0's ticks), so any option of the source question is accepted here.
    """
    if value is None or value == "":
        return {}
    if not isinstance(value, Mapping):
        raise ValidationError(f"{question.id}: " + _("give an answer for each factor"), code="invalid")
    cleaned: dict[str, str] = {}
    for factor in bank_factors:
        raw = value.get(factor)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        if not isinstance(raw, str) or raw not in question.options:
            raise ValidationError(
                f"{question.id} ({factor}): " + _("choose %(options)s") % {"options": _or_list(question.options)},
                code="invalid",
            )
        cleaned[factor] = raw
    unknown = [key for key in value if key not in bank_factors]
    if unknown:
        raise ValidationError(
            f"{question.id}: " + _("“%(answer)s” is not one of the answers") % {"answer": unknown[0]}, code="invalid"
        )
    return cleaned


# --- Starting and answering --------------------------------------------------------------


def assessment_start(*, case: Case, user: User) -> Assessment:
    """The case's assessment, started now (pinned to the newest bank) if it was not yet.

    Starting fills in 3a, 3b and 14 from the inspection. Safe when two people open the case at
    once: the second finds the first's assessment.
    """
    existing = Assessment.objects.filter(case=case).first()
    if existing is not None:
        return existing
    bank = load_bank(newest_bank_version())
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(case=case, bank_version=bank.version, started_by=user)
            for question_id, value in _prefill(bank, case).items():
                answer = Answer.objects.create(
                    assessment=assessment, question_id=question_id, value=value, updated_by=user
                )
                AnswerRevision.objects.create(answer=answer, revision=1, value=value, by=user)
            _audit(case.inspection, user, "assessment_started", case=case.label, bank_version=bank.version)
    except IntegrityError:
        return Assessment.objects.get(case=case)
    return assessment


def assessment_answer(
    *, assessment: Assessment, question_id: str, value: Any, user: User, expected_revision: int
) -> Answer:
    """Validate and save one answer, with its revision, in one transaction.

    ``expected_revision`` is the answer's revision when the page was loaded (0: no answer then).
    Raises ValidationError (the message names the question) for a value the bank does not allow,
    and AnswerConflict when someone else has saved a different value since. Saving the value the
    answer already has does nothing. Changing an answer of a completed case re-opens the case.
    """
    bank = bank_of(assessment)
    resolved = bank.resolve_id(question_id)
    if resolved is None:
        raise ValidationError(_("%(id)s: there is no such question") % {"id": question_id}, code="unknown")
    question = bank.question(resolved)
    if question.per_answer_of is not None and isinstance(value, Mapping):
        # The factors sent replace their answers; the others (a factor no longer ticked at 2.1.0
        # included) keep theirs, so nothing given is lost.
        stored = Answer.objects.filter(assessment=assessment, question_id=question.id).values_list("value", flat=True)
        current = next(iter(stored), None)
        value = {**(current if isinstance(current, dict) else {}), **value}
    cleaned = clean_answer(question, value, bank=bank)
    with transaction.atomic():
        answer = Answer.objects.select_for_update().filter(assessment=assessment, question_id=question.id).first()
        if answer is None:
            if _is_empty(cleaned):
                return Answer(
                    assessment=assessment, question_id=question.id, value=cleaned, revision=0, updated_by=user
                )
            try:
                with transaction.atomic():
                    answer = Answer.objects.create(
                        assessment=assessment, question_id=question.id, value=cleaned, updated_by=user
                    )
            except IntegrityError:  # someone else saved the first answer a moment ago
                current = Answer.objects.select_related("updated_by").get(
                    assessment=assessment, question_id=question.id
                )
                if current.value == cleaned:
                    return current
                raise AnswerConflict(question_id=question.id, current=current, attempted=cleaned) from None
        else:
            if answer.value == cleaned:
                return answer
            if answer.revision != expected_revision:
                answer = Answer.objects.select_related("updated_by").get(pk=answer.pk)
                raise AnswerConflict(question_id=question.id, current=answer, attempted=cleaned)
            answer.value = cleaned
            answer.revision += 1
            answer.updated_by = user
            answer.save(update_fields=["value", "revision", "updated_by", "updated_at"])
        AnswerRevision.objects.create(answer=answer, revision=answer.revision, value=cleaned, by=user)
        if Assessment.objects.filter(pk=assessment.pk, completed_at__isnull=False).update(
            completed_at=None, completed_by=None
        ):
            assessment.completed_at = assessment.completed_by = None
            _audit(
                assessment.case.inspection, user, "assessment_reopened",
                case=assessment.case.label, reason=f"answer {question.id} changed after completion",
            )  # fmt: skip
    return answer


def assessment_complete(*, assessment: Assessment, user: User) -> Assessment:
    """Mark the case assessment complete, or raise CompletionBlocked listing every gap.

    Does nothing when it is already complete.
    """
    if assessment.is_complete:
        return assessment
    state = case_state(assessment.case, assessment)
    if state.problems:
        raise CompletionBlocked(state.problems)
    now = timezone.now()
    with transaction.atomic():
        updated = Assessment.objects.filter(pk=assessment.pk, completed_at__isnull=True).update(
            completed_at=now, completed_by=user
        )
        if updated:
            _audit(assessment.case.inspection, user, "assessment_completed", case=assessment.case.label)
    assessment.refresh_from_db(fields=["completed_at", "completed_by"])
    return assessment


# --- Allocation ------------------------------------------------------------------------


def allocatable_people(inspection: Inspection) -> list[User]:
    members = inspection.team.select_related("user").filter(role__in=ASSESSOR_ROLES)
    order = {role: i for i, role in enumerate(ASSESSOR_ROLES)}
    return [m.user for m in sorted(members, key=lambda m: (order[m.role], str(m.user)))]


def case_allocate(*, case: Case, assessor: User | None, user: User) -> Case:
    """Allocate the case to an inspector or local assessor on the team (None: nobody)."""
    inspection = case.inspection
    if assessor is not None and not inspection.team.filter(user=assessor, role__in=ASSESSOR_ROLES).exists():
        raise ValidationError(
            {"assessor": _("%(name)s is not an inspector or local assessor on this inspection.") % {"name": assessor}}
        )
    if case.assessor_id == (assessor.pk if assessor else None):
        return case
    with transaction.atomic():
        case.assessor = assessor
        case.save(update_fields=["assessor"])
        _audit(inspection, user, "case_allocated", case=case.label, assessor=assessor.username if assessor else None)
        if assessor is not None and assessor != user:
            # One email per allocation of this case to this person: re-allocating back and forth sends
            # nothing new (issue 9 §2, "never twice").
            notify(
                key=f"case_allocated:{case.pk}:{assessor.pk}",
                kind="case_allocated",
                template="case_allocated",
                context={"inspection": inspection, "case": case, "by": user, "link": _case_link(case)},
                recipient=assessor,
                inspection=inspection,
            )
    return case


def _case_link(case: Case) -> str:
    return absolute_url(reverse("casework:case", kwargs={"reference": case.inspection.reference, "pk": case.pk}))


# --- Alerts ----------------------------------------------------------------------------


def alert_raise(*, case: Case, kind: str, description: str, user: User) -> Alert:
    """Raise a Concern or Alert on a case (seed 000 §13) and email the lead inspector after commit.

    Raising one makes the alert-only questions (5.15.1, 5.15.2) part of the case's route; a
    completed assessment that now has unanswered questions is re-opened.
    """
    errors: dict[str, str] = {}
    if kind not in AlertKind.values:
        errors["kind"] = _("Choose whether this is a Concern or an Alert")
    if not description.strip():
        errors["description"] = _("Describe what needs to be addressed, and how urgently")
    elif len(description) > 5000:
        errors["description"] = _("The description must be 5,000 characters or fewer")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        alert = Alert.objects.create(case=case, kind=kind, description=description.strip(), raised_by=user)
        _audit(case.inspection, user, "alert_raised", case=case.label, kind=kind, alert=alert.pk)
        assessment = Assessment.objects.filter(case=case, completed_at__isnull=False).first()
        if assessment is not None and case_state(case, assessment, alert=True).problems:
            Assessment.objects.filter(pk=assessment.pk).update(completed_at=None, completed_by=None)
            _audit(case.inspection, user, "assessment_reopened", case=case.label, reason="alert raised")
        # The email names the case by its reference only and never carries the description:
        # case information stays inside the service (seed 000 §10.2).
        notify_people(
            people=team_with_roles(case.inspection, (TeamRole.LEAD_INSPECTOR,)),
            key=f"alert_raised:{alert.pk}",
            kind="alert_raised",
            template="alert_raised",
            context={"alert": alert, "case": case, "inspection": case.inspection, "link": _alerts_link(case)},
            inspection=case.inspection,
        )
    return alert


def _alerts_link(case: Case) -> str:
    return absolute_url(reverse("casework:alerts", kwargs={"reference": case.inspection.reference}))


def alert_resolve(*, alert: Alert, action_taken: str, user: User) -> Alert:
    """Record the action taken on an open alert. Raises AlreadyActioned if someone did first."""
    if not action_taken.strip():
        raise ValidationError({"action_taken": _("Describe the action that was taken")})
    now = timezone.now()
    with transaction.atomic():
        claimed = Alert.objects.filter(pk=alert.pk, status=AlertStatus.OPEN).update(
            status=AlertStatus.ACTIONED, action_taken=action_taken.strip(), resolved_by=user, resolved_at=now
        )
        if not claimed:
            raise AlreadyActioned
        _audit(alert.case.inspection, user, "alert_actioned", case=alert.case.label, alert=alert.pk)
        alert.refresh_from_db()
        inspection = alert.case.inspection
        notify_people(
            people=[
                p for p in (alert.raised_by, *team_with_roles(inspection, (TeamRole.LEAD_INSPECTOR,))) if p != user
            ],
            key=f"alert_resolved:{alert.pk}",
            kind="alert_resolved",
            template="alert_resolved",
            context={"alert": alert, "case": alert.case, "inspection": inspection, "link": _alerts_link(alert.case)},
            inspection=inspection,
        )
    return alert


# --- Moderation ------------------------------------------------------------------------


def judgement_review(
    *, assessment: Assessment, question_id: str, reviewed_value: str | Mapping[str, str], reason: str, user: User
) -> Review:
    """Agree with a local assessor's judgement, or change it with a reason (seed 000 §4).

    Both values are kept: the answer stays the assessor's, the review holds the reviewer's, and
    the scores use the reviewer's while the answer is unchanged. Reviewing again replaces the
    earlier review (the audit rows keep every decision).
    """
    bank = bank_of(assessment)
    resolved = bank.resolve_id(question_id)
    if resolved is None or bank.question(resolved).kind != "judgement":
        raise ValidationError(_("%(id)s: there is no such judgement") % {"id": question_id})
    question = bank.question(resolved)
    answer = Answer.objects.filter(assessment=assessment, question_id=question.id).first()
    if answer is None or _is_empty(answer.value):
        raise ValidationError(_("%(id)s: there is no judgement to review yet") % {"id": question.id})
    if question.per_answer_of is not None and isinstance(reviewed_value, Mapping) and isinstance(answer.value, dict):
        # A judgement asked once per factor is reviewed factor by factor; factors not sent keep the assessor's.
        reviewed_value = {**answer.value, **reviewed_value}
    cleaned = clean_answer(question, reviewed_value, bank=bank)
    agreed = cleaned == answer.value
    reason = reason.strip()
    if not agreed and not reason:
        raise ValidationError({"reason": _("%(id)s: give the reason for changing the judgement") % {"id": question.id}})
    if len(reason) > REASON_LIMIT:
        raise ValidationError({"reason": _("The reason must be 1,000 characters or fewer")})
    with transaction.atomic():
        review, _created = Review.objects.update_or_create(
            assessment=assessment,
            question_id=question.id,
            defaults={
                "original_value": answer.value, "reviewed_value": cleaned, "agreed": agreed,
                "reason": reason, "reviewer": user,
            },
        )  # fmt: skip
        _audit(
            assessment.case.inspection, user, "judgement_reviewed", case=assessment.case.label,
            question=question.id, original=answer.value, reviewed=cleaned, agreed=agreed, reason=reason,
        )  # fmt: skip
    return review


def review_applies(review: Review | None, answers: Mapping[str, Any]) -> bool:
    """A review counts while the judgement still has the value that was reviewed."""
    return review is not None and answers.get(review.question_id) == review.original_value


def moderated_answers(answers: Mapping[str, Any], reviews: Iterable[Review]) -> dict[str, Any]:
    """The answers with each judgement a reviewer changed replaced by the reviewed value."""
    moderated = dict(answers)
    for review in reviews:
        if review_applies(review, answers):
            moderated[review.question_id] = review.reviewed_value
    return moderated


# --- Reads: the state of a case -----------------------------------------------------------

NO_QUESTIONS = "no_questions"
NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
HAS_PROBLEMS = "has_problems"


@dataclass
class ViewProgress:
    id: int
    title: str
    status: str
    answered: int
    required: int
    asked: int


@dataclass
class CaseState:
    """Everything a page needs to know about one case's assessment, from a fixed number of queries."""

    case: Case
    assessment: Assessment | None
    bank: Bank
    facts: Facts
    rows: dict[str, AnswerRow]
    route: Route
    answers: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def required(self) -> frozenset[str]:
        return frozenset(self.route.required)

    @cached_property
    def problems(self) -> list[Problem]:
        return completion_problems(self.bank, self.facts, self.answers, case_route=self.route)

    def is_answered(self, question_id: str) -> bool:
        """Has an answer; a question asked once per factor only when every current factor has one."""
        factors = self.route.factors.get(question_id)
        if factors is not None:
            value = self.answers.get(question_id)
            given = normalise_answer(value) if isinstance(value, dict) else None
            return bool(given) and all(factor in given for factor in factors)
        return not _is_empty(self.answers.get(question_id))

    @cached_property
    def views(self) -> list[ViewProgress]:
        """Each view with its task-list status.

        Has problems: an answer given there is inconsistent, or calls for an answer not yet given
        (an explanation of an Insufficient judgement, the reasons for 'Other').
        """
        answer_driven = {
            p.question_id for p in self.problems
            if p.code != "missing" or self.bank.question(p.question_id).kind == "explanation"
        }  # fmt: skip
        problem_views = {self.bank.question(qid).view for qid in answer_driven}
        by_view: dict[int, list[str]] = defaultdict(list)
        for qid in self.route.asked:
            by_view[self.bank.question(qid).view].append(qid)
        progress = []
        for view in self.bank.views:
            asked = by_view[view.id]
            required = [qid for qid in asked if qid in self.required]
            answered = sum(1 for qid in required if self.is_answered(qid))
            any_answer = any(self.is_answered(qid) for qid in asked)
            view_problems = any(p.view == view.id for p in self.problems)
            if not asked:
                status = NO_QUESTIONS
            elif view.id in problem_views:
                status = HAS_PROBLEMS
            elif not view_problems and (any_answer or not required):
                status = COMPLETED
            elif any_answer:
                status = IN_PROGRESS
            else:
                status = NOT_STARTED
            progress.append(ViewProgress(view.id, view.title, status, answered, len(required), len(asked)))
        return progress

    @property
    def answered_required(self) -> int:
        return sum(1 for qid in self.route.required if self.is_answered(qid))


class AnswerRow(NamedTuple):
    """What the pages need of a stored answer (lighter than a model instance: a view loads them all)."""

    value: Any
    revision: int


def answer_rows(answers) -> dict[str, AnswerRow]:
    return {
        qid: AnswerRow(value, revision)
        for qid, value, revision in answers.values_list("question_id", "value", "revision")
    }


def case_state(case: Case, assessment: Assessment | None, *, alert: bool | None = None, rows=None) -> CaseState:
    """Route the case with its assessment's bank, the inspection's facts and the stored answers."""
    bank = bank_of(assessment)
    facts = case_facts(case, alert=alert)
    if rows is None:
        rows = answer_rows(Answer.objects.filter(assessment=assessment)) if assessment else {}
    answers = {qid: row.value for qid, row in rows.items()}
    return CaseState(case, assessment, bank, facts, rows, route(bank, facts, answers), answers)


def case_rows(cases: Iterable[Case]) -> list[CaseState]:
    """The state of each case for the case list, with a fixed number of queries."""
    cases = list(cases)
    assessments = {a.case_id: a for a in Assessment.objects.filter(case__in=cases).select_related("completed_by")}
    rows: dict[int, dict[str, AnswerRow]] = defaultdict(dict)
    for assessment_id, question_id, value, revision in Answer.objects.filter(assessment__case__in=cases).values_list(
        "assessment_id", "question_id", "value", "revision"
    ):
        rows[assessment_id][question_id] = AnswerRow(value, revision)
    with_alerts = set(Alert.objects.filter(case__in=cases).values_list("case_id", flat=True))
    states = []
    for case in cases:
        assessment = assessments.get(case.pk)
        states.append(
            case_state(
                case, assessment, alert=case.pk in with_alerts, rows=rows.get(assessment.pk, {}) if assessment else {}
            )
        )
    return states


def open_alert_counts(inspection: Inspection) -> dict[int, int]:
    counts = (
        Alert.objects.filter(case__inspection=inspection, status=AlertStatus.OPEN)
        .values("case_id")
        .annotate(n=Count("id"))
    )
    return {row["case_id"]: row["n"] for row in counts}


# --- Reads: scores -----------------------------------------------------------------------


@dataclass
class InspectionScores:
    scores: Scores
    bank: Bank
    completed: int
    cases: int


@dataclass(frozen=True)
class ScoredCase:
    case: Case
    assessment: Assessment
    facts: Facts
    answers: dict[str, Any]  # each judgement a reviewer changed replaced, while the review still holds


def scored_cases(inspection: Inspection) -> list[ScoredCase]:
    """What is scored: the completed assessments of the sample's cases, reviewed values applied
    where the review still holds (``moderated_answers``), in the sample's order.

    The one road to the scores: the Scores page, the draft report, the chart pack and the
    aggregate report all read this (issue 10 §3). A case still being assessed counts nowhere.
    """
    return scored_cases_of([inspection]).get(inspection.pk, [])


def scored_cases_of(inspections: Iterable[Inspection]) -> dict[int, list[ScoredCase]]:
    """``scored_cases`` of many inspections at once, by inspection id: four queries whatever their
    number (the aggregate report reads years of inspections; issue 11's benchmark)."""
    ids = [inspection.pk for inspection in inspections]
    if not ids:
        return {}
    assessments = list(
        Assessment.objects.filter(
            case__inspection_id__in=ids, case__status=CaseStatus.SELECTED, completed_at__isnull=False
        )
        .select_related("case__inspection__yot", "case__entry")
        .order_by("case__inspection_id", "case__position", "case_id")
    )
    answers: dict[int, dict[str, Any]] = defaultdict(dict)
    rows = Answer.objects.filter(assessment__in=[a.pk for a in assessments]).values_list(
        "assessment_id", "question_id", "value"
    )
    for assessment_id, question_id, value in rows.iterator(chunk_size=20_000):
        answers[assessment_id][question_id] = value
    reviews: dict[int, list[Review]] = defaultdict(list)
    for review in Review.objects.filter(assessment__in=[a.pk for a in assessments]):
        reviews[review.assessment_id].append(review)
    with_alerts = set(Alert.objects.filter(case__inspection_id__in=ids).values_list("case_id", flat=True))
    scored: dict[int, list[ScoredCase]] = {pk: [] for pk in ids}
    for assessment in assessments:
        scored[assessment.case.inspection_id].append(
            ScoredCase(
                case=assessment.case,
                assessment=assessment,
                facts=case_facts(assessment.case, alert=assessment.case_id in with_alerts),
                answers=moderated_answers(answers.pop(assessment.pk, {}), reviews[assessment.pk]),
            )
        )
    return scored


def inspection_scores(inspection: Inspection) -> InspectionScores:
    """``score()`` over ``scored_cases``.

    Cases pinned to different bank versions are scored per version and the tallies added up.
    """
    case_count = Case.objects.filter(inspection=inspection, status=CaseStatus.SELECTED).count()
    scored = scored_cases(inspection)
    by_version: dict[str, list[tuple[object, Facts, dict[str, Any]]]] = defaultdict(list)
    for item in scored:
        by_version[item.assessment.bank_version].append((item.case.pk, item.facts, item.answers))
    if not by_version:
        bank = load_bank(newest_bank_version())
        return InspectionScores(score(bank, []), bank, 0, case_count)
    versions = sorted(by_version)
    results = [score(load_bank(version), by_version[version]) for version in versions]
    return InspectionScores(_merge(results), load_bank(versions[-1]), len(scored), case_count)


def _merge(results: list[Scores]) -> Scores:
    if len(results) == 1:
        return results[0]

    def add(target: dict[str, Tally], source: Mapping[str, Tally]) -> None:
        for key, tally in source.items():
            old = target.get(key, Tally())
            target[key] = Tally(old.sufficient + tally.sufficient, old.insufficient + tally.insufficient)

    merged: dict[str, dict[str, Tally]] = {"by_question": {}, "by_criterion": {}, "by_theme": {}}
    overall: dict[str, Tally] = {}
    by_factor: dict[str, dict[str, Tally]] = {}
    for result in results:
        for name, target in merged.items():
            add(target, getattr(result, name))
        add(overall, {"all": result.overall})
        for question_id, per in result.by_factor.items():
            add(by_factor.setdefault(question_id, {}), per)
    return Scores(
        cases=sum(r.cases for r in results), overall=overall["all"], by_question=merged["by_question"],
        by_criterion=merged["by_criterion"], by_theme=merged["by_theme"], by_factor=by_factor,
    )  # fmt: skip


def scores_as_dict(result: InspectionScores, inspection: Inspection) -> dict[str, Any]:
    scores = result.scores
    return {
        "inspection": inspection.reference,
        "bank_version": result.bank.version,
        "cases": result.cases,
        "cases_scored": scores.cases,
        "overall": scores.overall.as_dict(),
        "by_theme": {key: tally.as_dict() for key, tally in scores.by_theme.items()},
        "by_criterion": {key: tally.as_dict() for key, tally in scores.by_criterion.items()},
        "by_question": {key: tally.as_dict() for key, tally in scores.by_question.items()},
        # Judgements asked once per priority factor (bank 2026-12), each factor's tally.
        **(
            {
                "by_factor": {
                    key: {factor: tally.as_dict() for factor, tally in per.items()}
                    for key, per in scores.by_factor.items()
                }
            }
            if scores.by_factor
            else {}
        ),
    }


# --- Reads: moderation -----------------------------------------------------------------


@dataclass
class AssessorAgreement:
    assessor: User
    supervisor: User | None
    reviewed: int = 0
    agreed: int = 0
    cases: int = 0

    @property
    def rate(self) -> float | None:
        from casework.domain.scores import percentage

        return percentage(self.agreed, self.reviewed)


@dataclass
class CaseModeration:
    case: Case
    judgements: int  # answered judgements on the route
    reviewed: int  # of which reviewed (and the review still applies)
    completed: bool

    @property
    def unreviewed(self) -> int:
        return self.judgements - self.reviewed


def judgements_to_review(state: CaseState) -> list[str]:
    """The answered judgements on the case's route: what a supervising inspector reviews.

    A judgement asked once per factor (3.7.1, 4.12) is reviewed once every current factor is answered.
    """
    return [
        qid for qid in state.route.asked
        if state.bank.question(qid).kind == "judgement"
        and (
            state.is_answered(qid) if state.bank.question(qid).per_answer_of is not None
            else state.bank.question(qid).verdict(state.answers.get(qid)) is not None
        )
    ]  # fmt: skip


def moderation_summary(inspection: Inspection) -> tuple[list[AssessorAgreement], list[CaseModeration]]:
    """Agreement rates per local assessor and each of their cases' review progress."""
    memberships = inspection.team.filter(role=TeamRole.LOCAL_ASSESSOR).select_related("user", "supervisor")
    agreements = {m.user_id: AssessorAgreement(m.user, m.supervisor) for m in memberships}
    cases = list(
        Case.objects.filter(
            inspection=inspection, status=CaseStatus.SELECTED, assessor_id__in=agreements
        ).select_related("assessor", "inspection__yot")
    )
    for case in cases:
        case.inspection = inspection
    states = case_rows(cases)
    reviews: dict[int, dict[str, Review]] = defaultdict(dict)
    for review in Review.objects.filter(assessment__case__in=cases):
        reviews[review.assessment_id][review.question_id] = review
    rows = []
    for state in states:
        agreement = agreements[state.case.assessor_id]
        agreement.cases += 1
        if state.assessment is None:
            rows.append(CaseModeration(state.case, 0, 0, False))
            continue
        judgements = judgements_to_review(state)
        current = [
            reviews[state.assessment.pk][qid] for qid in judgements
            if review_applies(reviews[state.assessment.pk].get(qid), state.answers)
        ]  # fmt: skip
        agreement.reviewed += len(current)
        agreement.agreed += sum(1 for review in current if review.agreed)
        rows.append(CaseModeration(state.case, len(judgements), len(current), state.assessment.is_complete))
    return list(agreements.values()), rows


def review_rows(state: CaseState) -> list[dict[str, Any]]:
    """Each judgement to review: the question, the assessor's value and reasons, its review, and
    whether that review still applies."""
    reviews = {r.question_id: r for r in Review.objects.filter(assessment=state.assessment).select_related("reviewer")}
    rows = []
    for qid in judgements_to_review(state):
        review = reviews.get(qid)
        # An explanation may explain several judgements (3.8.1.1): its reasons are this judgement's
        # only when this judgement was the Insufficient one, or one of them. Each with its question, so
        # that the page can show the options in its language.
        reasons = [
            (state.answers[explanation.id], explanation) for explanation in state.bank.explanations_of(qid)
            if qid in state.route.insufficient
            and state.route.is_asked(explanation.id) and state.is_answered(explanation.id)
        ]  # fmt: skip
        question = state.bank.question(qid)
        factors = []
        if question.per_answer_of is not None:
            # (number as the form names it, factor, the assessor's answer, the reviewer's while it applies)
            source = state.bank.question(question.per_answer_of).options
            reviewed = review.reviewed_value if review and review_applies(review, state.answers) else {}
            factors = [
                (source.index(f) + 1, f, state.answers[qid].get(f), (reviewed or {}).get(f))
                for f in state.route.factors.get(qid, ())
            ]
        rows.append({
            "question": question, "value": state.answers[qid], "review": review,
            "applies": review_applies(review, state.answers), "reasons": reasons, "factors": factors,
        })  # fmt: skip
    return rows
