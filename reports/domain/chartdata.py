"""The data behind each chart of the chart pack (seed 000 §3.5: "a set of charts summarising the key
data from the inspection"), as plain tuples. Pure functions; ``reports/charts.py`` draws them and
``reports/exports.py`` writes the same rows to the xlsx.

Readings: the key data are the sample's make-up (heading, gender, age band), the % Sufficient per
theme, criterion and question, and the most frequent pre-coded reasons for Insufficient judgements
(issue 5 §4). Age bands are the long-list's (casework/longlist/spec.py, the one place they are
defined), so the chart pack and the sample's mix table agree. Only counts leave this module: no
child is named or identifiable (a band with one child is still shown; the pack is for the YOT,
which knows its children, and never published).

Language: a spec is built in one language (``chart_specs(..., language=...)``), for the English and
the Welsh part of a chart pack in Wales. What is counted, compared and ordered is always the English
(the profiles hold English headings and the bank's English options), so both languages show the bars
in the same order; only the labels are translated, last. The bank's own Welsh (each question's
``cy``) gives the Welsh of an option; the reports and main catalogues give the rest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from casework.domain.bank import Bank, Question
from casework.domain.scores import Scores
from casework.longlist.spec import AGE_BANDS as LONG_LIST_AGE_BANDS
from casework.longlist.spec import age_band as long_list_age_band
from reports.domain.findings import top_insufficient_reasons

OUTSIDE_BANDS = "other"  # what the long-list's age_band calls an age outside 10 to 17
AGE_BANDS = (*(label for label, _lowest, _highest in LONG_LIST_AGE_BANDS), OUTSIDE_BANDS)
NOT_KNOWN = gettext_noop("Not known")  # the value counted; translated when the chart is built
QUESTIONS_PER_CHART = 14  # keeps a horizontal bar chart legible on an A4 page
ENGLISH = "en-gb"
# Bank view 0: the gender and the age at the start of the sentence, when the long-list has none.
GENDER_QUESTION = "4"
AGE_QUESTION = "5"


@dataclass(frozen=True)
class CaseProfile:
    heading: str  # the heading's English label (casework.enums.Heading), whatever the job's language
    gender: str | None  # English: the bank's option (Male, Female) or the long-list's word
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
    language: str = ENGLISH  # the language of every text above

    @property
    def alt(self) -> str:
        """A text alternative for the image, in the spec's language: every bar's value, in order."""
        with translation.override(self.language):
            if self.unit == "%":
                bars = [
                    _("%(label)s: %(value)s%%") % {"label": label, "value": f"{value:g}"}
                    for label, value in zip(self.labels, self.values, strict=True)
                ]
            else:
                bars = [
                    ngettext("%(label)s: %(value)s case", "%(label)s: %(value)s cases", int(value))
                    % {"label": label, "value": f"{value:g}"}
                    for label, value in zip(self.labels, self.values, strict=True)
                ]
            return _("Bar chart. %(title)s. %(bars)s.") % {"title": self.title, "bars": "; ".join(bars)}


def age_band(age: int | None) -> str:
    """The long-list's age band, or "Not known" where no age was recorded."""
    return NOT_KNOWN if age is None else long_list_age_band(age)


def option_label(question: Question | None, option: str) -> str:
    """An English option of ``question`` in the active language: the bank's Welsh when the language
    is Welsh and the bank has it, else the catalogue's (for words such as "Not known"), else as it is."""
    if question is not None and translation.get_language() == "cy":
        welsh = question.cy.get("options")
        if welsh and option in question.options:
            return str(welsh[question.options.index(option)])
    return _(option) if option else option


def _question(bank: Bank, question_id: str) -> Question | None:
    try:
        return bank.question(question_id)
    except KeyError:
        return None


def _reason_label(bank: Bank, question_id: str, reason: str) -> str:
    """A pre-coded reason for an Insufficient judgement, in the active language: the Welsh of the
    option of the explanation question that offers it."""
    for explanation in bank.explanations_of(question_id):
        if reason in explanation.options:
            return option_label(explanation, reason)
    return reason


def _count_chart(
    key: str,
    title: str,
    what: str,
    values: Iterable[str],
    order: Iterable[str] = (),
    *,
    sheet: str,
    label: Callable[[str], str] = str,
) -> ChartSpec:
    """Counts of English ``values``, ordered on the English (``order`` first, then the rest sorted),
    then labelled with ``label`` in the active language."""
    counts = Counter(values)
    order = tuple(order)
    ordered = [value for value in order if counts.get(value)] + sorted(k for k in counts if k not in set(order))
    labels = tuple(label(value) for value in ordered)
    return ChartSpec(
        key=key,
        title=title,
        labels=labels,
        values=tuple(float(counts[value]) for value in ordered),
        unit="cases",
        columns=(what, _("Cases")),
        rows=tuple((shown, counts[value]) for shown, value in zip(labels, ordered, strict=True)),
        sheet=sheet,
        language=translation.get_language() or ENGLISH,
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
        columns=(what, _("Sufficient"), _("Insufficient"), _("Judgements"), _("% Sufficient")),
        rows=tuple(rows),
        sheet=sheet,
        language=translation.get_language() or ENGLISH,
    )


def chart_specs(bank: Bank, scores: Scores, profiles: list[CaseProfile], *, language: str = ENGLISH) -> list[ChartSpec]:
    """The chart pack's charts with every text in ``language``, whatever the request's or worker's."""
    with translation.override(language):
        return _chart_specs(bank, scores, profiles)


def _age_label(band: str) -> str:
    return _("Other") if band == OUTSIDE_BANDS else _(band)


def _chart_specs(bank: Bank, scores: Scores, profiles: list[CaseProfile]) -> list[ChartSpec]:
    gender = _question(bank, GENDER_QUESTION)
    specs = [
        _count_chart(
            "sample_heading",
            _("Cases in the sample, by heading"),
            _("Heading"),
            (p.heading for p in profiles),
            sheet=_("Sample by heading"),
            label=_,
        ),
        _count_chart(
            "sample_gender",
            _("Cases in the sample, by gender"),
            _("Gender"),
            (p.gender or NOT_KNOWN for p in profiles),
            order=gender.options if gender is not None and gender.options else ("Male", "Female"),
            sheet=_("Sample by gender"),
            label=lambda value: option_label(gender, value),
        ),
        _count_chart(
            "sample_age",
            _("Cases in the sample, by age at the start of the sentence"),
            _("Age band"),
            (age_band(p.age) for p in profiles),
            order=AGE_BANDS,
            sheet=_("Sample by age"),
            label=_age_label,
        ),
        _percent_chart(
            "theme",
            _("Work judged Sufficient, by theme"),
            _("Theme"),
            ((_(t.label), scores.by_theme.get(t.key)) for t in bank.themes if scores.by_theme.get(t.key) is not None),
            sheet=_("Sufficient by theme"),
        ),
        _percent_chart(
            "criterion",
            _("Work judged Sufficient, by criterion"),
            _("Criterion"),
            scores.by_criterion.items(),
            sheet=_("Sufficient by criterion"),
        ),
    ]
    questions = [(qid, tally) for qid, tally in scores.by_question.items() if tally.total]
    chunks = [questions[i : i + QUESTIONS_PER_CHART] for i in range(0, len(questions), QUESTIONS_PER_CHART)]
    for number, chunk in enumerate(chunks, start=1):
        if len(chunks) > 1:
            title = _("Work judged Sufficient, by question (part %(n)d of %(total)d)") % {
                "n": number,
                "total": len(chunks),
            }
            sheet = _("Sufficient by question %(n)d") % {"n": number}
        else:
            title, sheet = _("Work judged Sufficient, by question"), _("Sufficient by question")
        specs.append(_percent_chart(f"question_{number}", title, _("Question"), chunk, sheet=sheet))
    reasons = [(r, _reason_label(bank, r.question_id, r.text)) for r in top_insufficient_reasons(scores, limit=10)]
    specs.append(
        ChartSpec(
            key="reasons",
            title=_("Most frequent reasons for Insufficient judgements"),
            labels=tuple(f"{r.question_id}: {text}" for r, text in reasons),
            values=tuple(float(r.count) for r, _text in reasons),
            unit="cases",
            columns=(_("Question"), _("Reason"), _("Cases")),
            rows=tuple((r.question_id, text, r.count) for r, text in reasons),
            sheet=_("Reasons for Insufficient"),
            language=translation.get_language() or ENGLISH,
        )
    )
    return specs
