"""The mix table: the long-list's and the sample's make-up side by side (issue 3 "the page shows the
sample's mix against the long-list's"), by heading, gender, ethnicity, age band, RoSH, vulnerability,
looked-after and child protection."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_noop

from .rows import LongListRow
from .spec import AGE_BANDS, ETHNICITIES, GENDERS, HEADING_LABELS, LEVELS, Heading


@dataclass(frozen=True)
class MixLine:
    dimension: str
    value: str
    list_count: int
    list_percent: float
    sample_count: int
    sample_percent: float


def _percent(k: int, n: int) -> float:
    return round(100 * k / n, 1) if n else 0.0


# Dimension names are English here and translated on the page ({% translate %} in _mix.html).
_DIMENSIONS = (
    (gettext_noop("Heading"), lambda r: HEADING_LABELS[r.heading], tuple(HEADING_LABELS[h] for h in Heading)),
    (gettext_noop("Gender"), lambda r: r.gender, GENDERS),
    (gettext_noop("Ethnicity"), lambda r: r.ethnicity, ETHNICITIES),
    (gettext_noop("Age band"), lambda r: r.age_band, tuple(label for label, _, _ in AGE_BANDS)),
    (gettext_noop("RoSH"), lambda r: r.rosh, LEVELS),
    (gettext_noop("Vulnerability"), lambda r: r.vulnerability, LEVELS),
    (gettext_noop("Looked after"), lambda r: "Yes" if r.looked_after else "No", ("Yes", "No")),
    (gettext_noop("Child protection"), lambda r: "Yes" if r.child_protection else "No", ("Yes", "No")),
)


def mix_table(rows: Sequence[LongListRow], selected: Sequence[LongListRow]) -> tuple[MixLine, ...]:
    """Counts and percentages of the long-list and the sample, dimension by dimension."""
    lines = []
    for name, get, values in _DIMENSIONS:
        on_list = Counter(get(r) for r in rows)
        in_sample = Counter(get(r) for r in selected)
        extra = sorted(set(on_list) - set(values))  # e.g. an age outside the bands
        for value in (*values, *extra):
            lines.append(
                MixLine(
                    name,
                    value,
                    on_list[value],
                    _percent(on_list[value], len(rows)),
                    in_sample[value],
                    _percent(in_sample[value], len(selected)),
                )
            )
    return tuple(lines)
