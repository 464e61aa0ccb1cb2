"""View 0's answers that the long-list already gives (issue 12 §3): offered, never assumed.

``long_list_answers`` is the one mapping from a long-list entry (and the person assessing) to the
information questions of View 0; the assessor's pages offer its values on the questions still
unanswered, marked "Taken from the long-list", and the demo answers with them. Nothing is saved
until the assessor saves a question or confirms the page (``assessment_prefill_confirm``): reading a
page writes nothing (issue 15 §6). Readings are in docs/rulebook.md ("Pre-filled from the long-list").

What is never used: the child's names (no question asks them) and the date of birth, which only
gives question 5 its age in whole years; the pages show neither.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from casework.domain.bank import Bank, Question
from casework.longlist.spec import age_on, ethnicity_group, normalise_value
from casework.models import Assessment, Case, LongListEntry
from casework.services.assessment import AnswerConflict, CaseState, assessment_answer, case_state, clean_answer
from inspections.models import AuditEvent, User
from inspections.rules import is_hmip_staff_on

# The bank's option for question 2 (both versions).
LOCAL_ASSESSOR = "Local Assessor"
HMIP_STAFF = "HMI Probation staff"
# Question 10.b: "If, exceptionally, an indeterminate custodial sentence is being inspected, record this as 999."
INDETERMINATE_MONTHS = "999"

# Question 10.a's options as case management systems and the long-list template's suggestions
# (casework/longlist/spec.py ORDER_SUGGESTIONS) write them; compared through ``normalise_value``.
ORDER_SYNONYMS = {
    "YRO": "Youth Rehabilitation Order",
    "Youth Rehabilitation Order with ISS": "Youth Rehabilitation Order with Intensive Supervision and Surveillance",
    "YRO with ISS": "Youth Rehabilitation Order with Intensive Supervision and Surveillance",
    "YRO ISS": "Youth Rehabilitation Order with Intensive Supervision and Surveillance",
    "Youth Rehabilitation Order with IF": "Youth Rehabilitation Order with Intensive Fostering",
    "YRO with Intensive Fostering": "Youth Rehabilitation Order with Intensive Fostering",
    "DTO": "Detention and Training Order",
    "Section 90": "Section 90/91",
    "Section 91": "Section 90/91",
    "Section 91 detention": "Section 90/91",
    "Section 90 detention": "Section 90/91",
    "Section 226": "Section 226/228",
    "Section 228": "Section 226/228",
    "Section 226/228 extended or indeterminate sentence": "Section 226/228",
}
_ORDER_KEYS = {normalise_value(text): option for text, option in ORDER_SYNONYMS.items()}
_LENGTH_PART = re.compile(r"(\d+)\s*(years?|yrs?|y|months?|mths?|m)\b")


@dataclass(frozen=True)
class LongListFacts:
    """What View 0 may take from one long-list row: no name, and the age rather than the birth date."""

    gender: str
    age_at_sentence: int | None
    ethnicity: str
    looked_after: bool
    home_host: str
    child_protection: bool
    order_type: str
    sentence_length: str

    @classmethod
    def of(cls, entry: LongListEntry) -> LongListFacts:
        age = entry.age_at_sentence
        if age is None and entry.date_of_birth is not None and entry.sentence_date is not None:
            age = age_on(entry.date_of_birth, entry.sentence_date)
        return cls(
            gender=entry.gender, age_at_sentence=age, ethnicity=entry.ethnicity, looked_after=entry.looked_after,
            home_host=entry.home_host, child_protection=entry.child_protection, order_type=entry.order_type,
            sentence_length=entry.sentence_length,
        )  # fmt: skip


def ethnicity_answer(question: Question, recorded: str) -> str | None:
    """Question 6's answer for the long-list's group, when exactly one of its answers is in that group.

    The long-list holds the 2011 group only ("White"), question 6 the detailed 2001 category: "White"
    fits three answers, so the assessor chooses; "Other ethnic group" and "Not known" fit one each.
    """
    group = ethnicity_group(recorded)
    if group is None:
        return None
    fitting = [option for option in question.options if ethnicity_group(option) == group]
    return fitting[0] if len(fitting) == 1 else None


def order_answer(question: Question, order_type: str) -> str | None:
    """Question 10.a's option for the long-list's order or sentence, when it names exactly one."""
    key = normalise_value(order_type)
    for option in question.options:
        if normalise_value(option) == key:
            return option
    option = _ORDER_KEYS.get(key)
    return option if option in question.options else None


def sentence_months(length: str) -> str | None:
    """Question 10.b's whole months from the long-list's "Length of sentence" ("12 months", "2 years",
    "1 year 6 months", a bare "12" read as months as the template's example is; "indeterminate" is 999).
    Weeks, days or anything else are left for the assessor."""
    text = length.strip().casefold()
    if not text:
        return None
    if "indeterminate" in text or text in ("life", "detention for life"):
        return INDETERMINATE_MONTHS
    if text.isdigit():
        return str(int(text)) if int(text) > 0 else None
    parts = _LENGTH_PART.findall(text)
    if not parts or _LENGTH_PART.sub("", text).strip(" ,and") != "":
        return None
    months = sum(int(n) * (12 if unit.startswith("y") else 1) for n, unit in parts)
    return str(months) if months > 0 else None


def long_list_answers(
    bank: Bank, facts: LongListFacts | None, *, assessor_name: str, local_assessor: bool
) -> dict[str, Any]:
    """View 0's answers the long-list row (and who is assessing) gives, by the bank's question id.

    A value the question cannot take (a gender of "Not known", an order the bank does not list) is
    left out: the assessor answers it from the case record. Routing is not applied here (see
    ``prefill_suggestions``).
    """
    known: dict[str, Any] = {"1": assessor_name, "2": LOCAL_ASSESSOR if local_assessor else HMIP_STAFF}
    if facts is not None:
        known["4"] = facts.gender
        known["5"] = str(facts.age_at_sentence) if facts.age_at_sentence is not None else None
        known["7.a"] = "Yes" if facts.looked_after else "No"
        # The long-list says Home or Host only for a looked after child; 7.b is asked only then.
        if facts.looked_after and facts.home_host in ("Home", "Host"):
            known["7.b"] = f"{facts.home_host} YOT"
        known["8"] = "Yes" if facts.child_protection else "No"
        known["10.b"] = sentence_months(facts.sentence_length)
    values: dict[str, Any] = {}
    for raw_id, value in known.items():
        question_id = bank.resolve_id(raw_id)
        if question_id is None or value is None or value == "":
            continue
        question = bank.question(question_id)
        if question.input == "choice" and value not in question.options:
            continue
        values[question_id] = value
    if facts is not None:
        for raw_id, answer, recorded in (
            ("6", ethnicity_answer, facts.ethnicity),
            ("10.a", order_answer, facts.order_type),
        ):
            question_id = bank.resolve_id(raw_id)
            value = answer(bank.question(question_id), recorded) if question_id is not None else None
            if value is not None:
                values[question_id] = value
    return _valid(bank, values)


def _valid(bank: Bank, values: Mapping[str, Any]) -> dict[str, Any]:
    """Each value as the bank stores it; one the bank refuses is left for the assessor."""
    cleaned = {}
    for question_id, value in values.items():
        try:
            cleaned[question_id] = clean_answer(bank.question(question_id), value)
        except ValidationError:
            continue
    return cleaned


def case_long_list_answers(bank: Bank, case: Case, user: User) -> dict[str, Any]:
    """``long_list_answers`` for ``user`` assessing ``case`` (its long-list row, if it has one)."""
    return long_list_answers(
        bank,
        LongListFacts.of(case.entry) if case.entry_id else None,
        assessor_name=user.get_full_name() or user.get_username(),
        local_assessor=not is_hmip_staff_on(user, case.inspection),
    )


def prefill_suggestions(state: CaseState, user: User) -> dict[str, Any]:
    """The long-list's answers to offer on a case's pages: questions the case's route asks (its
    ``when`` conditions applied to the answers saved so far) that have no answer yet.

    A case not started gets none.
    """
    if state.assessment is None:
        return {}
    offered = case_long_list_answers(state.bank, state.case, user)
    return {
        question_id: value
        for question_id, value in offered.items()
        if state.route.is_asked(question_id) and not state.is_answered(question_id)
    }


def assessment_prefill_confirm(*, assessment: Assessment, user: User) -> list[str]:
    """Save the long-list's answers the page offered (``prefill_suggestions``) as the assessor's own.

    Returns the ids saved. A question someone answered meanwhile keeps their answer. A question that
    a confirmed answer now asks (7.b after 7.a "Yes") is offered on the page, not saved unseen.
    """
    state = case_state(assessment.case, assessment)
    saved = []
    with transaction.atomic():
        for question_id, value in prefill_suggestions(state, user).items():
            try:
                assessment_answer(
                    assessment=assessment, question_id=question_id, value=value, user=user, expected_revision=0
                )
            except AnswerConflict:
                continue
            saved.append(question_id)
        if saved:
            AuditEvent.objects.create(
                inspection=assessment.case.inspection, actor=user, action="long_list_answers_confirmed",
                detail={"case": assessment.case.label, "questions": saved},
            )  # fmt: skip
    return saved
