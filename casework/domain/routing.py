"""Which questions a case is asked, and which answers it requires: a pure function of the bank,
the inspection's facts and the answers given so far.

The walk goes through the bank in order. A question is asked when, in this order:

1. the inspection's programme is among the question's ``programmes``;
2. the question has no ``modules``, or one of them is among the inspection's modules;
3. an explanation question: at least one of the judgements it ``explains`` was asked and answered
   Insufficient (the implicit rule; an explanation may explain one judgement or several);
4. a question asked once per answer of an earlier one (``per_answer_of``, 3.7.1 and 4.12 once per
   priority factor chosen at 2.1.0): that question was asked and has at least one option chosen;
   its answer is a mapping of each chosen option (a "factor") to the answer given for it;
5. its ``when`` condition holds, evaluated only over the answers of questions already asked in
   this walk.

Rule 5 is what makes a changed answer remove later questions transitively: an answer to a question
that is not asked does not exist for the conditions after it. Stored answers are never dropped; the
answers of questions not asked are reported as ``hidden`` (kept, left out of the scores) and come
back into the route as soon as their question is asked again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from casework.domain.bank import COUNTRIES, INSUFFICIENT, OTHER, PROGRAMMES, Bank, Question
from casework.domain.conditions import Answer, EvaluationContext

__all__ = [
    "Answers", "FactorAnswers", "Facts", "Route", "current_answer", "insufficient_explained",
    "normalise_answer", "route",
]  # fmt: skip

Answers = Mapping[str, "Answer | Sequence[str] | Mapping[str, str] | None"]
# A per-factor question's answer: each factor (an option chosen at its ``per_answer_of``) to its answer.
FactorAnswers = Mapping[str, str]


@dataclass(frozen=True)
class Facts:
    """What routing knows about the inspection and the case besides its answers.

    ``country`` is the inspection's ("England" or "Wales"), None when not known; ``alert`` is true
    when an Alert or Concern has been raised on the case.
    """

    programme: str
    country: str | None = None
    modules: frozenset[str] = frozenset()
    alert: bool = False

    def __post_init__(self) -> None:
        if self.programme not in PROGRAMMES:
            raise ValueError(f"programme must be one of {', '.join(PROGRAMMES)}, not {self.programme!r}")
        if self.country is not None and self.country not in COUNTRIES:
            raise ValueError(f"country must be one of {', '.join(COUNTRIES)} or None, not {self.country!r}")
        # Accept any iterable of module keys from callers, but keep the dataclass hashable.
        if not isinstance(self.modules, frozenset):
            object.__setattr__(self, "modules", frozenset(self.modules))


@dataclass(frozen=True)
class Route:
    """The outcome of :func:`route`. All three are question ids in bank order."""

    asked: tuple[str, ...]
    required: tuple[str, ...]
    hidden: tuple[str, ...]
    # Per-factor questions asked: their factors (the options chosen at ``per_answer_of``), in option order.
    factors: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}), compare=False)
    # Judgements asked that count as Insufficient (for a per-factor one: for at least one current factor).
    insufficient: frozenset[str] = field(default=frozenset(), compare=False)
    asked_set: frozenset[str] = field(default=frozenset(), compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "asked_set", frozenset(self.asked))

    def is_asked(self, question_id: str) -> bool:
        return question_id in self.asked_set


def normalise_answer(value: Answer | Sequence[str] | Mapping[str, str] | None) -> Answer | dict[str, str] | None:
    """An answer as the domain handles it: a str, a tuple of str, a dict of factor to str (a
    per-factor question), or None when unanswered.

    Lists become tuples; empty strings, empty sequences and mappings with no answer become None.
    """
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, Mapping):
        given = {str(k): v for k, v in value.items() if isinstance(v, str) and v.strip()}
        return given or None
    items = tuple(item for item in value if item)
    return items or None


def route(bank: Bank, facts: Facts, answers: Answers) -> Route:
    """The questions asked for this case, the ones that must be answered, and the hidden ones.

    ``answers`` maps canonical question ids to answers (option labels); ids not in the bank are
    ignored. Required: every asked information and judgement question, every asked explanation,
    and an asked narrative only when an asked explanation whose ``other_narrative`` it is has
    "Other" among its answers.
    """
    given: dict[str, Answer] = {}
    for question_id, raw in answers.items():
        answer = normalise_answer(raw)
        if answer is not None:
            given[question_id] = answer

    visible: dict[str, Answer] = {}
    context = EvaluationContext(
        answers=visible,  # filled in as the walk goes: conditions see only earlier, asked answers
        string_facts={"programme": facts.programme, "country": facts.country},
        boolean_facts={"alert": facts.alert},
        modules=facts.modules,
        definitions=bank.definitions,
    )
    asked: list[Question] = []
    asked_ids: set[str] = set()
    narratives_needed: set[str] = set()
    factors: dict[str, tuple[str, ...]] = {}
    insufficient: set[str] = set()
    for question in bank.questions:
        if facts.programme not in question.programmes:
            continue
        if question.modules and not (question.modules & facts.modules):
            continue
        if question.kind == "explanation" and not any(
            judgement_id in insufficient for judgement_id in question.explains
        ):
            continue
        if question.per_answer_of is not None:
            picked = _chosen(visible.get(question.per_answer_of))
            chosen = tuple(option for option in bank.question(question.per_answer_of).options if option in picked)
            if not chosen:
                continue
        if question.condition is not None and not question.condition.root.holds(context):
            continue
        asked.append(question)
        asked_ids.add(question.id)
        answer = given.get(question.id)
        if question.per_answer_of is not None:
            factors[question.id] = chosen
            # Only the current factors' answers count; those of factors no longer chosen are kept, unused.
            answer = {f: answer[f] for f in chosen if f in answer} or None if isinstance(answer, Mapping) else None
        elif isinstance(answer, Mapping):
            answer = None  # a per-factor answer stored for a question that is no longer per factor
        if answer is not None:
            visible[question.id] = answer
            if question.kind == "explanation" and question.other_narrative and _chose_other(answer):
                narratives_needed.add(question.other_narrative)
            if question.reasons_in is not None:
                narratives_needed.add(question.reasons_in)
            if question.kind == "judgement" and _counts_insufficient(question, answer):
                insufficient.add(question.id)

    required = tuple(
        question.id for question in asked if question.kind != "narrative" or question.id in narratives_needed
    )
    hidden = tuple(q.id for q in bank.questions if q.id in given and q.id not in asked_ids)
    return Route(
        asked=tuple(q.id for q in asked),
        required=required,
        hidden=hidden,
        factors=MappingProxyType(factors),
        insufficient=frozenset(insufficient),
    )


def current_answer(question: Question, case_route: Route, answers: Answers) -> Answer | dict[str, str] | None:
    """The answer that counts for an asked question: for a per-factor question, only the answers of
    the factors chosen now (a dict, in factor order); None when there is none."""
    answer = normalise_answer(answers.get(question.id))
    if question.per_answer_of is None:
        return None if isinstance(answer, dict) else answer
    if not isinstance(answer, dict):
        return None
    return {f: answer[f] for f in case_route.factors.get(question.id, ()) if f in answer} or None


def insufficient_explained(question: Question, case_route: Route, answers: Answers) -> tuple[str, ...]:
    """The judgements ``question`` explains that this case asked and answered Insufficient.

    In ``question.explains`` order (the bank's); empty for a question that is not an explanation, and
    for an explanation the case is not asked.
    """
    if question.kind != "explanation":
        return ()
    return tuple(judgement_id for judgement_id in question.explains if judgement_id in case_route.insufficient)


def _chose_other(answer: Answer) -> bool:
    return OTHER in answer if isinstance(answer, tuple) else answer == OTHER


def _counts_insufficient(question: Question, answer: Answer | Mapping[str, str]) -> bool:
    if isinstance(answer, Mapping):
        return any(question.verdict(value) == INSUFFICIENT for value in answer.values())
    return question.verdict(answer) == INSUFFICIENT


def _chosen(answer: object) -> tuple[str, ...]:
    if isinstance(answer, tuple):
        return answer
    if isinstance(answer, str):
        return (answer,)
    return ()
