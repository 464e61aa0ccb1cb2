"""What stops a case assessment from being completed: missing and inconsistent answers.

Only questions on the case's route are checked; hidden answers (to questions no longer asked) are
kept but never block completion.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

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
    message: str


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
                problems.append(Problem(question.id, question.view, problem.code, f"{problem.message} ({factor})"))
    missing = [factor for factor in factors if factor not in given]
    if missing and question.id in case_route.required:
        source = bank.question(question.per_answer_of or "")
        problems.append(
            _problem(
                question,
                "missing",
                f"choose {_or_list(question.options)} for each answer chosen at {source.id}; still to answer:"
                f" {_and_list(missing)}",
            )
        )
    return problems


def _problem(question: Question, code: ProblemCode, message: str) -> Problem:
    return Problem(question.id, question.view, code, f"{question.id}: {message}")


def _missing(bank: Bank, question: Question, case_route: Route, answers: Answers) -> Problem:
    if question.kind == "explanation":
        # Name only the explained judgements that were answered Insufficient (those that made it asked).
        judgements = list(insufficient_explained(question, case_route, answers)) or list(question.explains)
        verb = "was" if len(judgements) == 1 else "were"
        return _problem(
            question, "missing", f"choose at least one reason why {_and_list(judgements)} {verb} {INSUFFICIENT}"
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
            f"write the reasons for 'Other', which was chosen at {_and_list(chosen_at)}",
        )
    if question.kind == "judgement":
        return _problem(question, "missing", f"choose {_or_list(question.options)}")
    if question.input == "choice":
        how = "choose one or more answers" if question.multiple else "choose an answer"
        return _problem(question, "missing", how)
    if question.input == "number":
        return _problem(question, "missing", "enter a number")
    return _problem(question, "missing", "enter an answer")


def _inconsistency(question: Question, answer: Answer) -> Problem | None:
    if question.input == "number":
        if isinstance(answer, tuple) or not _is_number(answer):
            return _problem(question, "not_a_number", f"{_shown(answer)} is not a number")
        return None
    if question.input != "choice":
        if isinstance(answer, tuple):
            return _problem(question, "one_answer_only", "give one written answer")
        return None
    chosen = answer if isinstance(answer, tuple) else (answer,)
    if len(chosen) > 1 and not question.multiple:
        return _problem(question, "one_answer_only", "choose only one answer")
    if NOT_APPLICABLE in chosen and question.kind == "judgement" and not question.na_allowed:
        return _problem(question, "na_not_allowed", f"N/A is not allowed here: choose {_or_list(question.options)}")
    unknown = [option for option in chosen if option not in question.options]
    if unknown:
        return _problem(
            question,
            "not_an_option",
            f"{_and_list([repr(option) for option in unknown])} is not one of the options"
            f" ({', '.join(question.options)})",
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


def _or_list(items: tuple[str, ...] | list[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} or {items[-1]}"


def _and_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"
