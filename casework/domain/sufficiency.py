"""What stops a case assessment from being completed: missing and inconsistent answers.

Only questions on the case's route are checked; hidden answers (to questions no longer asked) are
kept but never block completion.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from django.utils import translation

from casework.domain.bank import INSUFFICIENT, NOT_APPLICABLE, OTHER, Bank, Question
from casework.domain.conditions import Answer
from casework.domain.routing import (
    Answers,
    Facts,
    Route,
    current_answer,
    insufficient_explained,
    normalise_answer,
    route,
)
from inspections.domain.messages import Msg, _, either, join, ngettext

__all__ = ["Problem", "ProblemCode", "completion_problems"]

ProblemCode = Literal[
    "missing", "other_needs_narrative", "not_an_option", "na_not_allowed", "one_answer_only", "not_a_number"
]


@dataclass(frozen=True)
class Problem:
    """One gap or inconsistency, on the question the assessor must go to (``view`` for the link)."""

    question_id: str
    view: int
    code: ProblemCode
    message: Msg


def completion_problems(
    bank: Bank, facts: Facts, answers: Answers, *, case_route: Route | None = None
) -> list[Problem]:
    """Every reason the case cannot be completed yet, in bank order; empty when it can.

    ``case_route`` may be passed when the caller already has ``route(bank, facts, answers)``.
    """
    case_route = case_route or route(bank, facts, answers)
    required = set(case_route.required)
    problems: list[Problem] = []
    for question_id in case_route.asked:
        question = bank.question(question_id)
        if question.per_answer_of is not None:
            problems.extend(_per_factor_problems(bank, question, case_route, answers))
            continue
        answer = normalise_answer(answers.get(question_id))
        if isinstance(answer, dict):
            answer = None
        if answer is None:
            if question_id in required:
                problems.append(_missing(bank, question, case_route, answers))
            continue
        problem = _inconsistency(question, answer)
        if problem is not None:
            problems.append(problem)
    return problems


def _per_factor_problems(bank: Bank, question: Question, case_route: Route, answers: Answers) -> list[Problem]:
    """A question asked once per factor: every current factor needs a valid answer."""
    factors = case_route.factors.get(question.id, ())
    given = current_answer(question, case_route, answers) or {}
    problems = []
    for factor in factors:
        value = given.get(factor)
        if value is not None:
            problem = _inconsistency(question, value)
            if problem is not None:
                problems.append(
                    Problem(
                        question.id,
                        question.view,
                        problem.code,
                        Msg("%(message)s (%(factor)s)", {"message": problem.message, "factor": factor}),
                    )
                )
    missing = [factor for factor in factors if factor not in given]
    if missing and question.id in case_route.required:
        source = bank.question(question.per_answer_of or "")
        problems.append(
            _problem(
                question,
                "missing",
                _(
                    "choose %(options)s for each answer chosen at %(source)s; still to answer: %(missing)s",
                    options=_options(question),
                    source=source.id,
                    missing=join(missing),
                ),
            )
        )
    return problems


def _problem(question: Question, code: ProblemCode, message: Msg) -> Problem:
    return Problem(
        question.id, question.view, code, Msg("%(id)s: %(message)s", {"id": question.id, "message": message})
    )


class _Option:
    """An option's label in the reader's language: the bank's Welsh when the page is Welsh."""

    def __init__(self, question: Question, option: str) -> None:
        self.question, self.option = question, option

    def __str__(self) -> str:
        welsh = self.question.cy.get("options") if translation.get_language() == "cy" else None
        if welsh and self.option in self.question.options:
            return str(welsh[self.question.options.index(self.option)])
        if self.option in (INSUFFICIENT, NOT_APPLICABLE, "Sufficient"):
            return translation.gettext(self.option)
        return self.option


def _options(question: Question) -> Msg:
    return either([_Option(question, option) for option in question.options])


def _missing(bank: Bank, question: Question, case_route: Route, answers: Answers) -> Problem:
    if question.kind == "explanation":
        # Name only the explained judgements that were answered Insufficient (those that made it asked).
        judgements = list(insufficient_explained(question, case_route, answers)) or list(question.explains)
        return _problem(
            question,
            "missing",
            ngettext(
                "choose at least one reason why %(judgements)s was Insufficient",
                "choose at least one reason why %(judgements)s were Insufficient",
                len(judgements),
                judgements=join(judgements),
            ),
        )
    if question.kind == "narrative":
        chosen_at = [
            explanation.id
            for explanation in bank.questions
            if explanation.other_narrative == question.id
            and case_route.is_asked(explanation.id)
            and _chose_other(normalise_answer(answers.get(explanation.id)))
        ]
        return _problem(
            question,
            "other_needs_narrative",
            _("write the reasons for 'Other', which was chosen at %(questions)s", questions=join(chosen_at)),
        )
    if question.kind == "judgement":
        return _problem(question, "missing", _("choose %(options)s", options=_options(question)))
    if question.input == "choice":
        how = _("choose one or more answers") if question.multiple else _("choose an answer")
        return _problem(question, "missing", how)
    if question.input == "number":
        return _problem(question, "missing", _("enter a number"))
    return _problem(question, "missing", _("enter an answer"))


def _inconsistency(question: Question, answer: Answer) -> Problem | None:
    if question.input == "number":
        if isinstance(answer, tuple) or not _is_number(answer):
            return _problem(question, "not_a_number", _("%(answer)s is not a number", answer=_shown(answer)))
        return None
    if question.input != "choice":
        if isinstance(answer, tuple):
            return _problem(question, "one_answer_only", _("give one written answer"))
        return None
    chosen = answer if isinstance(answer, tuple) else (answer,)
    if len(chosen) > 1 and not question.multiple:
        return _problem(question, "one_answer_only", _("choose only one answer"))
    if NOT_APPLICABLE in chosen and question.kind == "judgement" and not question.na_allowed:
        return _problem(
            question, "na_not_allowed", _("N/A is not allowed here: choose %(options)s", options=_options(question))
        )
    unknown = [option for option in chosen if option not in question.options]
    if unknown:
        return _problem(
            question,
            "not_an_option",
            ngettext(
                "%(unknown)s is not one of the options (%(options)s)",
                "%(unknown)s are not among the options (%(options)s)",
                len(unknown),
                unknown=join([repr(option) for option in unknown]),
                options=", ".join(str(_Option(question, option)) for option in question.options),
            ),
        )
    return None


def _chose_other(answer: Answer | None) -> bool:
    if isinstance(answer, tuple):
        return OTHER in answer
    return answer == OTHER


def _is_number(text: str) -> bool:
    try:
        return Decimal(text.strip()).is_finite()
    except InvalidOperation:
        return False


def _shown(answer: Answer) -> str:
    return repr(answer) if isinstance(answer, str) else repr(list(answer))
