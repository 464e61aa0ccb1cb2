"""FJI judgements on the four-star scale, proposed from the case scores (seed 001 §12).

Seed 001 §12: "Judgements are made by the inspection team about each of the main themes … as well
as each additional module", on "an easily accessible four point star system; with four stars the
highest award and one star the lowest … one star equates to a judgement of 'poor' that will require
urgent and major improvement and four stars 'very good' describes high quality work". Scores for
the quality of casework "are included in FJI reports within the overall judgements".

Readings (the seed gives the two ends and no thresholds):

- The two middle grades are 'good' (three stars) and 'requires improvement' (two stars): the
  wording sits between the seed's two ends and reads as a scale a child or young person can follow
  on the poster.
- Proposal from the % Sufficient of the theme's (or module's) judgements: 80 or more → four stars;
  65 to 79.9 → three; 50 to 64.9 → two; under 50 → one. The 60% and 75% lines of ``findings.py``
  fall inside the two- and three-star bands, so a strength never sits under two stars and an area
  for improvement never under four.
- Fewer than ``findings.MIN_JUDGEMENTS`` judgements (or a module with no case questions: most
  modules are inspected through other evidence, seed 001 §6): no proposal; the lead inspector
  judges from the rest of the evidence.
- The proposal is only that: the lead inspector sets the judgement (the team's, seed 001 §12).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from casework.domain.bank import Bank
from casework.domain.scores import Scores, Tally
from reports.domain.findings import MIN_JUDGEMENTS

# (lowest % Sufficient, stars), highest first.
STAR_BANDS: tuple[tuple[float, int], ...] = ((80.0, 4), (65.0, 3), (50.0, 2), (0.0, 1))

GRADES = {
    4: (_("Very good"), _("High quality work.")),
    3: (_("Good"), _("Work of a good standard, with some aspects to improve.")),
    2: (_("Requires improvement"), _("Too much work falls below the required standard; improvement is needed.")),
    1: (_("Poor"), _("Requires urgent and major improvement.")),
}


def propose_stars(tally: Tally) -> int | None:
    if tally.total < MIN_JUDGEMENTS or tally.percentage is None:
        return None
    for lowest, stars in STAR_BANDS:
        if tally.percentage >= lowest:
            return stars
    return 1  # unreachable: the last band starts at 0


@dataclass(frozen=True)
class JudgementArea:
    """A theme or an additional module of an FJI, with its score and proposed star rating."""

    key: str  # "theme-<key>" or "module-<key>"
    label: str
    tally: Tally
    proposed: int | None


def module_tally(bank: Bank, scores: Scores, module_key: str) -> Tally:
    sufficient = insufficient = 0
    for question_id, tally in scores.by_question.items():
        if module_key in bank.question(question_id).modules:
            sufficient += tally.sufficient
            insufficient += tally.insufficient
    return Tally(sufficient, insufficient)


def judgement_areas(bank: Bank, scores: Scores, modules: list[str] | tuple[str, ...]) -> list[JudgementArea]:
    """The four themes (meta.yaml order), then the inspection's additional modules."""
    areas = [JudgementArea(f"theme-{t.key}", t.label, scores.by_theme.get(t.key, Tally()), None) for t in bank.themes]
    labels = {m.key: m.label for m in bank.modules}
    areas += [
        JudgementArea(f"module-{key}", labels.get(key, key), module_tally(bank, scores, key), None) for key in modules
    ]
    return [JudgementArea(a.key, a.label, a.tally, propose_stars(a.tally)) for a in areas]
