"""Strengths and areas for improvement, from an inspection's scores. Pure functions, no database.

Seed 000 §3.5: the SQS report "identifies the most significant strengths and areas for
improvement". Seed 004's introduction: explanation answers (pre-coded reasons for an Insufficient
judgement) "will be used in inspection reports to assist readers in understanding why we have made
our judgements, and where specifically they need to focus improvement work".

The seeds give no thresholds. The readings taken here (docs: reports/README section of the lead's
rulebook page; listed in the issue report):

- A theme or a judgement question is a **strength** when at least ``STRENGTH_AT_LEAST`` (75%) of
  its judgements are Sufficient, and an **area for improvement** when fewer than
  ``IMPROVEMENT_BELOW`` (60%) are. Between the two it is neither: the commentary covers it.
  Why: three in four cases done well enough is a clear majority; below 60% more than two cases in
  five fell below the line, which a YOT would need to act on. The same lines are used by the FJI
  star proposal (``stars.py``) so a theme never reads as a strength and a two-star at once.
- Nothing is a finding on fewer than ``MIN_JUDGEMENTS`` (5) Sufficient/Insufficient judgements: a
  percentage of two or three cases says more about those cases than about the YOT's work.
- Criteria carry only a number in the bank (no wording), so they are charted but not written up as
  findings; themes and questions are.
- At most ``MAX_QUESTION_FINDINGS`` (5) questions of each kind ("the most significant"), ranked by
  distance from the line, then by the number of judgements, then in bank order.
- Each area for improvement names its most frequent reasons: pre-coded options chosen at least
  ``MIN_REASON_COUNT`` (2) times, at most ``REASONS_PER_FINDING`` (3), "Other" left out (its
  meaning is in the narrative, which the lead inspector reads as a prompt).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from casework.domain.bank import OTHER, Bank
from casework.domain.scores import Scores, Tally

STRENGTH_AT_LEAST = 75.0
IMPROVEMENT_BELOW = 60.0
MIN_JUDGEMENTS = 5
MAX_QUESTION_FINDINGS = 5
MIN_REASON_COUNT = 2
REASONS_PER_FINDING = 3

THEME = "theme"
QUESTION = "question"


@dataclass(frozen=True)
class Reason:
    text: str
    count: int


@dataclass(frozen=True)
class Finding:
    level: str  # THEME or QUESTION
    key: str  # theme key or question id
    label: str  # theme label or question text
    tally: Tally
    reasons: tuple[Reason, ...] = ()

    @property
    def percentage(self) -> float:
        return self.tally.percentage or 0.0


@dataclass(frozen=True)
class Findings:
    strengths: tuple[Finding, ...]
    improvements: tuple[Finding, ...]


def classify(tally: Tally) -> str | None:
    """'strength', 'improvement' or None for one tally, by the thresholds above."""
    if tally.total < MIN_JUDGEMENTS or tally.percentage is None:
        return None
    if tally.percentage >= STRENGTH_AT_LEAST:
        return "strength"
    if tally.percentage < IMPROVEMENT_BELOW:
        return "improvement"
    return None


def frequent_reasons(counts: dict[str, int], *, limit: int = REASONS_PER_FINDING) -> tuple[Reason, ...]:
    """The most often chosen pre-coded reasons, most frequent first (ties: the bank's option order)."""
    order = {option: index for index, option in enumerate(counts)}
    chosen = [(option, n) for option, n in counts.items() if option != OTHER and n >= MIN_REASON_COUNT]
    chosen.sort(key=lambda item: (-item[1], order[item[0]]))
    return tuple(Reason(option, n) for option, n in chosen[:limit])


def theme_reasons(bank: Bank, scores: Scores, theme_key: str) -> dict[str, int]:
    """Reason counts summed over the theme's judgements (the same wording recurs across questions)."""
    total: Counter[str] = Counter()
    for question_id, counts in scores.explanation_reasons.items():
        if bank.question(question_id).theme == theme_key:
            for option, n in counts.items():
                total[option] += n
    return dict(total)


def findings(bank: Bank, scores: Scores) -> Findings:
    strengths: list[Finding] = []
    improvements: list[Finding] = []
    for theme in bank.themes:
        tally = scores.by_theme.get(theme.key, Tally())
        kind = classify(tally)
        if kind == "strength":
            strengths.append(Finding(THEME, theme.key, theme.label, tally))
        elif kind == "improvement":
            reasons = frequent_reasons(theme_reasons(bank, scores, theme.key))
            improvements.append(Finding(THEME, theme.key, theme.label, tally, reasons))

    good: list[Finding] = []
    poor: list[Finding] = []
    for question_id, tally in scores.by_question.items():
        kind = classify(tally)
        question = bank.question(question_id)
        if kind == "strength":
            good.append(Finding(QUESTION, question_id, question.text, tally))
        elif kind == "improvement":
            reasons = frequent_reasons(scores.explanation_reasons.get(question_id, {}))
            poor.append(Finding(QUESTION, question_id, question.text, tally, reasons))
    position = {q.id: q.position for q in bank.questions}
    good.sort(key=lambda f: (-f.percentage, -f.tally.total, position[f.key]))
    poor.sort(key=lambda f: (f.percentage, -f.tally.total, position[f.key]))
    return Findings(
        strengths=tuple(strengths + good[:MAX_QUESTION_FINDINGS]),
        improvements=tuple(improvements + poor[:MAX_QUESTION_FINDINGS]),
    )


@dataclass(frozen=True)
class RankedReason:
    question_id: str
    text: str
    count: int


def top_insufficient_reasons(scores: Scores, *, limit: int = 10) -> tuple[RankedReason, ...]:
    """The pre-coded reasons chosen most often across every judgement ("Other" and zeros left out)."""
    rows = [
        (question_id, option, n, index)
        for question_id, counts in scores.explanation_reasons.items()
        for index, (option, n) in enumerate(counts.items())
        if option != OTHER and n > 0
    ]
    order = {question_id: i for i, question_id in enumerate(scores.explanation_reasons)}
    rows.sort(key=lambda r: (-r[2], order[r[0]], r[3]))
    return tuple(RankedReason(q, option, n) for q, option, n, _ in rows[:limit])
