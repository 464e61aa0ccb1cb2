"""The data behind each chart of the chart pack (seed 000 §3.5: "a set of charts summarising the key
data from the inspection"), as plain tuples. Pure functions; ``reports/charts.py`` draws them and
``reports/exports.py`` writes the same rows to the xlsx.

Readings: the key data are the sample's make-up (heading, gender, age band), the % Sufficient per
theme, criterion and question, and the most frequent pre-coded reasons for Insufficient judgements
(issue 5 §4). Age bands are the long-list's (casework/longlist/spec.py, the one place they are
defined), so the chart pack and the sample's mix table agree. Only counts leave this module: no
child is named or identifiable (a band with one child is still shown; the pack is for the YOT,
which knows its children, and never published).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from casework.domain.bank import Bank
from casework.domain.scores import Scores
from casework.longlist.spec import AGE_BANDS as LONG_LIST_AGE_BANDS
from casework.longlist.spec import age_band as long_list_age_band
from reports.domain.findings import top_insufficient_reasons

OUTSIDE_BANDS = "other"  # what the long-list's age_band calls an age outside 10 to 17
AGE_BANDS = (*(label for label, _, _ in LONG_LIST_AGE_BANDS), OUTSIDE_BANDS)
NOT_KNOWN = "Not known"
QUESTIONS_PER_CHART = 14  # keeps a horizontal bar chart legible on an A4 page


@dataclass(frozen=True)
class CaseProfile:
    heading: str
    gender: str | None
    age: int | None


@dataclass(frozen=True)
class ChartSpec:
    key: str
    title: str
    labels: tuple[str, ...]
    values: tuple[float, ...]
    unit: str  # "%" or "cases"
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    sheet: str = ""  # the xlsx sheet's name: at most 31 characters

    @property
    def alt(self) -> str:
        """A text alternative for the image: every bar's value, in order."""
        suffix = "%" if self.unit == "%" else " cases"
        parts = "; ".join(f"{label}: {value:g}{suffix}" for label, value in zip(self.labels, self.values, strict=True))
        return f"Bar chart. {self.title}. {parts}."


def age_band(age: int | None) -> str:
    """The long-list's age band, or "Not known" where no age was recorded."""
    return NOT_KNOWN if age is None else long_list_age_band(age)


def _count_chart(
    key: str, title: str, what: str, values: Iterable[str], order: Iterable[str] = (), *, sheet: str
) -> ChartSpec:
    counts = Counter(values)
    labels = [label for label in order if counts.get(label)] + sorted(k for k in counts if k not in set(order))
    return ChartSpec(
        key=key,
        title=title,
        labels=tuple(labels),
        values=tuple(float(counts[label]) for label in labels),
        unit="cases",
        columns=(what, "Cases"),
        rows=tuple((label, counts[label]) for label in labels),
        sheet=sheet,
    )


def _percent_chart(key: str, title: str, what: str, items: Iterable[tuple[str, object]], *, sheet: str) -> ChartSpec:
    labels, values, rows = [], [], []
    for label, tally in items:
        if tally.total == 0:  # asked but never judged Sufficient or Insufficient: nothing to chart
            continue
        labels.append(label)
        values.append(tally.percentage)
        rows.append((label, tally.sufficient, tally.insufficient, tally.total, tally.percentage))
    return ChartSpec(
        key=key,
        title=title,
        labels=tuple(labels),
        values=tuple(values),
        unit="%",
        columns=(what, "Sufficient", "Insufficient", "Judgements", "% Sufficient"),
        rows=tuple(rows),
        sheet=sheet,
    )


def chart_specs(bank: Bank, scores: Scores, profiles: list[CaseProfile]) -> list[ChartSpec]:
    specs = [
        _count_chart(
            "sample_heading",
            "Cases in the sample, by heading",
            "Heading",
            (p.heading for p in profiles),
            sheet="Sample by heading",
        ),
        _count_chart(
            "sample_gender",
            "Cases in the sample, by gender",
            "Gender",
            (p.gender or NOT_KNOWN for p in profiles),
            order=("Male", "Female"),
            sheet="Sample by gender",
        ),
        _count_chart(
            "sample_age",
            "Cases in the sample, by age at the start of the sentence",
            "Age band",
            (age_band(p.age) for p in profiles),
            order=AGE_BANDS,
            sheet="Sample by age",
        ),
        _percent_chart(
            "theme",
            "Work judged Sufficient, by theme",
            "Theme",
            ((t.label, scores.by_theme.get(t.key)) for t in bank.themes if scores.by_theme.get(t.key) is not None),
            sheet="Sufficient by theme",
        ),
        _percent_chart(
            "criterion",
            "Work judged Sufficient, by criterion",
            "Criterion",
            scores.by_criterion.items(),
            sheet="Sufficient by criterion",
        ),
    ]
    questions = [(qid, tally) for qid, tally in scores.by_question.items() if tally.total]
    chunks = [questions[i : i + QUESTIONS_PER_CHART] for i in range(0, len(questions), QUESTIONS_PER_CHART)]
    for number, chunk in enumerate(chunks, start=1):
        title = "Work judged Sufficient, by question"
        if len(chunks) > 1:
            title += f" (part {number} of {len(chunks)})"
        sheet = f"Sufficient by question {number}" if len(chunks) > 1 else "Sufficient by question"
        specs.append(_percent_chart(f"question_{number}", title, "Question", chunk, sheet=sheet))
    reasons = top_insufficient_reasons(scores, limit=10)
    specs.append(
        ChartSpec(
            key="reasons",
            title="Most frequent reasons for Insufficient judgements",
            labels=tuple(f"{r.question_id}: {r.text}" for r in reasons),
            values=tuple(float(r.count) for r in reasons),
            unit="cases",
            columns=("Question", "Reason", "Cases"),
            rows=tuple((r.question_id, r.text, r.count) for r in reasons),
            sheet="Reasons for Insufficient",
        )
    )
    return specs
