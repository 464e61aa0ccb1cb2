"""One renderer for every tabular export: rows in, xlsx (openpyxl write-only) or CSV bytes out.

Cells that a spreadsheet would run as a formula (text starting with =, +, - or @, or with a tab or
carriage return that some spreadsheets strip before looking) are written with a leading apostrophe, so
they show as text (STYLE.md "Imports and exports"; pretix base/exporter.py does the same).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence

from .rows import LongListRow
from .spec import CSV_HEADING_COLUMN, FIELDS, HEADING_LABELS

FORMATS = ("xlsx", "csv")
_DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Make a text cell safe to open in a spreadsheet; other values pass through."""
    if isinstance(value, str) and value.startswith(_DANGEROUS_FIRST):
        return "'" + value
    return value


def render(rows: Iterable[Sequence[object]], *, headers: Sequence[str], fmt: str, title: str = "Export") -> bytes:
    """Write `headers` then `rows` as xlsx or CSV bytes. Dates are written dd/mm/yyyy."""
    if fmt == "csv":
        return _render_csv(rows, headers)
    if fmt == "xlsx":
        return _render_xlsx(rows, headers, title)
    raise ValueError(f"Unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}.")


def _render_csv(rows: Iterable[Sequence[object]], headers: Sequence[str]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_value(neutralise(v)) for v in row])
    # utf-8-sig so that Excel opens accented names correctly.
    return buffer.getvalue().encode("utf-8-sig")


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return value


def _render_xlsx(rows: Iterable[Sequence[object]], headers: Sequence[str], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    ws.append([neutralise(h) for h in headers])
    for row in rows:
        out: list[object] = []
        for value in row:
            value = neutralise(value)
            if isinstance(value, bool):
                value = "Yes" if value else "No"
            if isinstance(value, (dt.date, dt.datetime)):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = "DD/MM/YYYY"
                out.append(cell)
            else:
                out.append(value)
        ws.append(out)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


LONGLIST_HEADERS: tuple[str, ...] = (CSV_HEADING_COLUMN, *(f.header for f in FIELDS))


def longlist_rows(rows: Iterable[LongListRow]) -> Iterator[list[object]]:
    """Long-list rows in the CSV layout the reader accepts (Heading, then every field)."""
    for row in rows:
        values: list[object] = [HEADING_LABELS[row.heading]]
        for f in FIELDS:
            value = getattr(row, f.key)
            if isinstance(value, bool):
                value = "Yes" if value else "No"
            values.append(value if value != "" else None)
        yield values
