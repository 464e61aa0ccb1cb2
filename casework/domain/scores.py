"""An inspection's scores: the share of Sufficient among scored judgements, over many cases.

Each case is routed first, so answers to questions the case is no longer asked (hidden answers)
are left out. Only Sufficient and Insufficient count: N/A, unanswered judgements and judgements
marked ``scored: false`` are excluded from every tally. A judgement's worded answers count as
their ``counts_as`` verdict (4.18.1's "Yes (fully)" is Sufficient).

A judgement asked once per factor (``per_answer_of``: 3.7.1 and 4.12, once per priority factor
chosen at 2.1.0) counts **each factor's answer as one judgement**: a case with three priority
factors adds three to 3.7.1's tally (and to its criterion, theme and the overall score), and
``by_factor`` breaks the tally down by factor. Reading (docs/rulebook.md): the guide asks for a
Yes/No against each factor and prints no rule for combining them into one verdict, so none is
invented; the reports already speak of "judgements", not cases. Answers for factors no longer
chosen at 2.1.0 are kept but not counted. Its explanation (3.7.2) is asked once, so its reasons
count once for the case.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from casework.domain.bank import INSUFFICIENT, SUFFICIENT, Bank
from casework.domain.routing import Answers, Facts, current_answer, insufficient_explained, normalise_answer, route

__all__ = ["CaseAnswers", "Scores", "Tally", "percentage", "score"]


class CaseAnswers(NamedTuple):
    """One case's input to :func:`score`; a plain ``(key, facts, answers)`` tuple works too."""

    key: object
    facts: Facts
    answers: Answers


def percentage(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` as a percentage to one decimal place (halves round up); None if 0."""
    if whole == 0:
        return None
    exact = Decimal(100 * part) / Decimal(whole)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Tally:
    sufficient: int = 0
    insufficient: int = 0

    @property
    def total(self) -> int:
        return self.sufficient + self.insufficient

    @property
    def percentage(self) -> float | None:
        """Percentage Sufficient, one decimal; None when nothing was judged."""
        return percentage(self.sufficient, self.total)

    def add(self, answer: str) -> Tally:
        if answer == SUFFICIENT:
            return Tally(self.sufficient + 1, self.insufficient)
        return Tally(self.sufficient, self.insufficient + 1)

    def as_dict(self) -> dict[str, int | float | None]:
        return {
            "sufficient": self.sufficient,
            "insufficient": self.insufficient,
            "total": self.total,
            "percentage": self.percentage,
        }


@dataclass(frozen=True)
class Scores:
    """The outcome of :func:`score`. Dicts keep bank order (themes: meta.yaml order).

    ``by_question`` and ``by_criterion`` hold the scored judgements asked in at least one case (a
    judgement answered only N/A appears with a zero tally); ``by_theme`` holds every theme of the
    bank. ``explanation_reasons`` maps a judgement id to how often each of its explanation's options
    was chosen (every option listed, zero included), over the cases where the judgement was answered
    Insufficient and its explanation was asked. An explanation of several judgements (``explains`` a
    list, e.g. 3.8.1.1 for 3.8.1a-3.8.1e) counts its reasons once for *each* of those judgements that
    the case answered Insufficient, and not at all for those it answered Sufficient or N/A: a case with
    3.8.1b and 3.8.1d Insufficient adds its 3.8.1.1 reasons to both 3.8.1b and 3.8.1d. Sums over
    several judgements (a theme's reasons in ``reports.domain.findings``) therefore count such a case's
    reasons once per Insufficient judgement, as they do when separate explanations give the same reason.
    """

    cases: int
    overall: Tally
    by_question: dict[str, Tally] = field(default_factory=dict)
    by_criterion: dict[str, Tally] = field(default_factory=dict)
    by_theme: dict[str, Tally] = field(default_factory=dict)
    explanation_reasons: dict[str, dict[str, int]] = field(default_factory=dict)
    # Per-factor judgements only: question id -> factor -> tally (factors in the source's option order).
    by_factor: dict[str, dict[str, Tally]] = field(default_factory=dict)


def score(bank: Bank, cases: Iterable[tuple[object, Facts, Answers]]) -> Scores:
    """Tally the scored judgements of ``cases`` (``(case key, facts, answers)``) against ``bank``."""
    asked_judgements: set[str] = set()
    by_question: dict[str, Tally] = {}
    reasons: dict[str, dict[str, int]] = {}
    factor_tallies: dict[str, dict[str, Tally]] = {}
    count = 0
    for _key, facts, answers in cases:
        count += 1
        case_route = route(bank, facts, answers)
        for question_id in case_route.asked:
            question = bank.question(question_id)
            if question.is_scored_judgement and question.per_answer_of is not None:
                asked_judgements.add(question_id)
                given = current_answer(question, case_route, answers) or {}
                for factor, value in given.items():
                    verdict = question.verdict(value)
                    if verdict in (SUFFICIENT, INSUFFICIENT):
                        by_question[question_id] = by_question.get(question_id, Tally()).add(verdict)
                        per = factor_tallies.setdefault(question_id, {})
                        per[factor] = per.get(factor, Tally()).add(verdict)
            elif question.is_scored_judgement:
                asked_judgements.add(question_id)
                verdict = question.verdict(_single(current_answer(question, case_route, answers)))
                if verdict in (SUFFICIENT, INSUFFICIENT):
                    by_question[question_id] = by_question.get(question_id, Tally()).add(verdict)
            elif question.kind == "explanation":
                answer = normalise_answer(answers.get(question_id))
                chosen = answer if isinstance(answer, tuple) else (answer,) if answer else ()
                for judgement_id in insufficient_explained(question, case_route, answers):
                    counts = reasons.setdefault(judgement_id, {})
                    for option in question.options:
                        counts.setdefault(option, 0)
                    for option in dict.fromkeys(chosen):
                        if option in counts:
                            counts[option] += 1

    ordered_questions: dict[str, Tally] = {}
    by_criterion: dict[str, Tally] = {}
    by_theme: dict[str, Tally] = {theme.key: Tally() for theme in bank.themes}
    overall = Tally()
    for question in bank.questions:
        if question.id not in asked_judgements:
            continue
        tally = by_question.get(question.id, Tally())
        ordered_questions[question.id] = tally
        overall = _sum(overall, tally)
        if question.criterion is not None:
            by_criterion[question.criterion] = _sum(by_criterion.get(question.criterion, Tally()), tally)
        if question.theme is not None:
            by_theme[question.theme] = _sum(by_theme.get(question.theme, Tally()), tally)

    ordered_reasons = {question.id: reasons[question.id] for question in bank.questions if question.id in reasons}
    by_factor = {}
    for question in bank.questions:
        if question.id in factor_tallies:
            source = bank.question(question.per_answer_of or "")
            per = factor_tallies[question.id]
            by_factor[question.id] = {f: per[f] for f in source.options if f in per}
    return Scores(
        cases=count,
        overall=overall,
        by_question=ordered_questions,
        by_criterion=by_criterion,
        by_theme=by_theme,
        explanation_reasons=ordered_reasons,
        by_factor=by_factor,
    )


def _sum(left: Tally, right: Tally) -> Tally:
    return Tally(left.sufficient + right.sufficient, left.insufficient + right.insufficient)


def _single(answer: object) -> str | None:
    if isinstance(answer, tuple):
        return answer[0] if len(answer) == 1 else None
    return answer if isinstance(answer, str) else None
