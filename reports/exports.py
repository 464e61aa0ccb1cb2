"""The xlsx of the data behind each chart: one sheet per chart, written with openpyxl write-only.

Cells that begin with ``=``, ``+``, ``-`` or ``@`` are neutralised with a leading apostrophe-quote
so a spreadsheet program never runs them as formulas (pretix ``base/exporter.py``).

Each sheet is in its chart's language (``ChartSpec.language``): a chart pack in Wales gives the
English sheets, then the same sheets in Welsh, as its PDF gives the English pack then the Welsh. The
fixed lines of a sheet (the marking and the date it was produced) follow the same language, the date
written as Django writes it in that language ("3 Rhagfyr 2026").
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable

from django.utils import translation
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reports.domain.chartdata import ChartSpec

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
INTERNAL_USE = gettext_noop("For internal use within the YOT only – not for publication")


def neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def sheet_title(title: str, taken: set[str]) -> str:
    """A unique sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    base = re.sub(r"[\[\]:*?/\\]", " ", title)[:28].strip() or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        name = f"{base[:25]} {n}"
        n += 1
    taken.add(name.lower())
    return name


def sheet_preamble(spec: ChartSpec, *, heading: str, produced: dt.date | None) -> list[str]:
    """The lines above a sheet's table, in the spec's language."""
    with translation.override(spec.language):
        lines = [_(INTERNAL_USE), heading]
        if produced is not None:
            lines.append(_("Produced on %(date)s.") % {"date": date_format(produced, "j F Y")})
    return [*lines, spec.title]


def charts_xlsx(specs: Iterable[ChartSpec], *, heading: str, produced: dt.date | None = None) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    for spec in specs:
        sheet = workbook.create_sheet(sheet_title(spec.sheet or spec.title, taken))
        for line in sheet_preamble(spec, heading=heading, produced=produced):
            sheet.append([neutralise(line)])
        sheet.append([])
        sheet.append([neutralise(c) for c in spec.columns])
        for row in spec.rows:
            sheet.append([neutralise(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
