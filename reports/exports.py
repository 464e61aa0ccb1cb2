"""The xlsx of the data behind each chart: one sheet per chart, written with openpyxl write-only.

Cells that begin with ``=``, ``+``, ``-`` or ``@`` are neutralised with a leading apostrophe-quote
so a spreadsheet program never runs them as formulas (pretix ``base/exporter.py``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

from reports.domain.chartdata import ChartSpec

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
INTERNAL_USE = "For internal use within the YOT only – not for publication"


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


def charts_xlsx(specs: Iterable[ChartSpec], *, heading: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    for spec in specs:
        sheet = workbook.create_sheet(sheet_title(spec.sheet or spec.title, taken))
        sheet.append([neutralise(INTERNAL_USE)])
        sheet.append([neutralise(heading)])
        sheet.append([neutralise(spec.title)])
        sheet.append([])
        sheet.append([neutralise(c) for c in spec.columns])
        for row in spec.rows:
            sheet.append([neutralise(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
