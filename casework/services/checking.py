"""Reads for the Check your answers page (issue 12 §4): every answer of a case by view, the gaps,
and the fingerprint that ties a completion to the answers the assessor last checked."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from casework.domain.bank import Question, View
from casework.domain.sufficiency import Problem
from casework.services.assessment import CaseState


@dataclass(frozen=True)
class CheckRow:
    question: Question
    value: Any
    answered: bool
    required: bool
    problems: tuple[Problem, ...] = ()
    # The question whose options a per-factor answer's keys are (3.7.1 and 4.12 follow 2.1.0).
    factors_of: Question | None = None


@dataclass(frozen=True)
class CheckView:
    view: View
    rows: list[CheckRow] = field(default_factory=list)

    @property
    def gaps(self) -> int:
        return sum(1 for row in self.rows if row.problems)


def check_rows(state: CaseState) -> list[CheckView]:
    """Each view with a row per question the route asks that is answered, or required, or has a problem
    (an unanswered optional question is left out), in bank order. Views with no such row are left out."""
    by_question: dict[str, list[Problem]] = {}
    for problem in state.problems:
        by_question.setdefault(problem.question_id, []).append(problem)
    views = {view.id: CheckView(view) for view in state.bank.views}
    for question_id in state.route.asked:
        question = state.bank.question(question_id)
        answered = state.is_answered(question_id)
        required = question_id in state.required
        problems = tuple(by_question.get(question_id, ()))
        if not (answered or required or problems):
            continue
        views[question.view].rows.append(
            CheckRow(
                question=question,
                value=state.answers.get(question_id),
                answered=answered,
                required=required,
                problems=problems,
                factors_of=state.bank.question(question.per_answer_of) if question.per_answer_of else None,
            )
        )
    return [view for view in views.values() if view.rows]


def answers_fingerprint(state: CaseState) -> str:
    """A short digest of every stored answer's revision (and whether the case has an alert, which adds
    questions): it changes whenever an answer does, so a completion sent from an older Check your
    answers page is sent back to it."""
    parts = [f"{question_id}:{row.revision}" for question_id, row in sorted(state.rows.items())]
    parts.append(f"alert:{state.facts.alert}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]
