"""Two-phase validation of a long-list file: every row of every sheet is read and checked first, then
either all the clean rows are returned or all the errors, never a partial result (STYLE.md "Imports and
exports").

Decisions recorded here:
- Dates in an xlsx must be real dates. A date typed as text ("12/03/2026" as a string) is refused with a
  message saying so, because Excel may already have misread other dates in the same column (US order).
  In a CSV every value is text, so dates there must be written dd/mm/yyyy (or yyyy-mm-dd).
- Yes/No fields also accept Y/N, and Gender accepts M/F, because case management exports use them.
- A child appears once: the same case ID twice, or the same family name, first names and date of birth
  twice (case-insensitive), is an error naming both rows. A child with two sentences in the window is
  listed under the more recent one, with the other mentioned in "Other relevant information".
- Errors are capped (max_errors, default 500) with a last entry saying how many more there were.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.utils import get_column_letter

from .cells import Converters, Invalid, fmt_date, show
from .reader import (
    FileRejected,
    ReadLimits,
    decode_csv,
    is_defused_error,
    iter_csv_rows,
    merged_ranges,
    sniff,
    xml_bomb_message,
)
from .rows import LongListError, LongListReading, LongListResult, LongListRow
from .spec import (
    CSV_HEADING_COLUMN,
    EXCLUSION_MESSAGE,
    FIELDS,
    HEADER_LOOKUP,
    HEADING_BY_LABEL,
    HEADING_LABELS,
    INSTRUCTIONS_SHEET,
    MAX_AGE_AT_SENTENCE,
    MIN_AGE_AT_SENTENCE,
    EligibilityWindow,
    Field,
    Heading,
    age_on,
    eligibility_windows,
    fields_for,
    is_standalone_attendance_centre,
    non_statutory_disposal,
    normalise_header,
)

HEADER_SEARCH_ROWS = 10
ORDER = "Type of order/sentence"
DEFAULT_MAX_ERRORS = 500
PROGRESS_EVERY = 500  # rows between two progress calls


@dataclass
class _Column:
    index: int
    field: Field
    convert: Callable[[object], object]
    applies_to: frozenset[Heading]


@dataclass
class _Table:
    """One sheet (or the CSV file) after its header row has been matched."""

    sheet: str | None
    heading: Heading | None  # None for a CSV file: each row says its heading
    columns: list[_Column] = field(default_factory=list)
    heading_index: int | None = None  # CSV: the Heading column
    width: int = 0  # columns with a header; values beyond are an error
    header_row: int = 0
    unheaded: list[int] = field(default_factory=list)  # blank header cells between headed columns
    reported: set[int] = field(default_factory=set)


class _Collector:
    def __init__(self, max_errors: int):
        self.errors: list[LongListError] = []
        self.max_errors = max_errors
        self.dropped = 0

    def add(self, sheet: str | None, row: int | None, column: str | None, message: str) -> None:
        if len(self.errors) >= self.max_errors:
            self.dropped += 1
            return
        self.errors.append(LongListError(sheet, row, column, message))

    def finish(self) -> tuple[LongListError, ...]:
        errors = list(self.errors)
        if self.dropped:
            errors.append(
                LongListError(
                    None,
                    None,
                    None,
                    ngettext(
                        "... and %(n)d more error not shown. Fix the errors above and upload again.",
                        "... and %(n)d more errors not shown. Fix the errors above and upload again.",
                        self.dropped,
                    )
                    % {"n": self.dropped},
                )
            )
        return tuple(errors)


def _filled(value: object) -> bool:
    return bool(value.strip()) if type(value) is str else value is not None


def _at(row: int, column: str) -> dict[str, object]:
    return {"row": row, "column": column}


def _row_where(sheet: str | None, row: int) -> str:
    if sheet:
        return _("row %(row)d of the %(sheet)s sheet") % {"row": row, "sheet": sheet}
    return _("row %(row)d") % {"row": row}


class _Validator:
    def __init__(self, *, announced: dt.date, is_csv: bool, max_errors: int, progress=None):
        # Called with the rows read so far, every PROGRESS_EVERY rows (a worker's progress and heartbeat).
        self.progress = progress
        self.windows: dict[Heading, EligibilityWindow] = eligibility_windows(announced)
        self.converters = Converters(is_csv=is_csv)
        self.is_csv = is_csv
        self.out = _Collector(max_errors)
        self.rows: list[LongListRow] = []
        self.row_count = 0
        # Duplicate detection keeps one small key and one int per row: memory stays near the file's size.
        self.sheets: list[str | None] = []
        self.seen_ids: dict[str, int] = {}
        self.seen_people: dict[str, int] = {}
        # (header as written, template header) -> sheets: columns read through an alias.
        self.columns_read_as: dict[tuple[str, str], list[str]] = {}

    # --- headers -------------------------------------------------------------------------------------
    def match_header(self, sheet: str | None, heading: Heading | None, header: tuple, header_row: int) -> _Table:
        table = _Table(sheet=sheet, heading=heading, header_row=header_row)
        expected = list(FIELDS) if heading is None else list(fields_for(heading))
        expected_keys = {f.key for f in expected}
        found: dict[str, int] = {}  # field key -> column index
        unknown: list[tuple[int, str]] = []
        last = 0
        for index, cell in enumerate(header):
            name = normalise_header(cell)
            if not name:
                continue
            last = index + 1
            letter = get_column_letter(index + 1)
            given = str(cell).strip()
            if heading is None and name == normalise_header(CSV_HEADING_COLUMN):
                table.heading_index = index
                continue
            target = HEADER_LOOKUP.get(name)
            if target is None:
                unknown.append((index, given))
                continue
            if target.key not in expected_keys:  # a custodial field on another heading's sheet
                self.out.add(
                    sheet,
                    header_row,
                    target.header,
                    _(
                        'Row %(row)d, column %(letter)s: "%(column)s" is a custodial field and belongs on the '
                        "Custodial sheet only; delete this column"
                    )
                    % {"row": header_row, "letter": letter, "column": target.header},
                )
                continue
            if target.key in found:
                first = get_column_letter(found[target.key] + 1)
                if name == normalise_header(header[found[target.key]]):
                    text = _('Row %(row)d, column %(letter)s: the column "%(given)s" appears twice; delete one of them')
                else:
                    text = _(
                        'Row %(row)d, column %(letter)s: "%(given)s" is read as "%(column)s", which '
                        "column %(first)s already gives; delete one of them"
                    )
                text %= {"row": header_row, "letter": letter, "given": given, "column": target.header, "first": first}
                self.out.add(sheet, header_row, given, text)
                continue
            found[target.key] = index
            if name != normalise_header(target.header):
                self.columns_read_as.setdefault((given, target.header), []).append(sheet or "")
            applies = frozenset({Heading.CUSTODIAL}) if target.custodial_only else frozenset(Heading)
            table.columns.append(_Column(index, target, self.converters.for_field(target), applies))
        table.width = last
        table.unheaded = [i for i in range(last) if not normalise_header(header[i])]
        # Only the fields Appendix A asks for must have a column; the template's extra note columns
        # may be left out of a file made from a case management export.
        missing_by_name = {normalise_header(f.header): f for f in expected if f.key not in found and f.appendix_a}
        for index, text in unknown:
            letter = get_column_letter(index + 1)
            guess = difflib.get_close_matches(normalise_header(text), list(missing_by_name), n=1, cutoff=0.6)
            if guess:
                f = missing_by_name.pop(guess[0])
                self.out.add(
                    sheet,
                    header_row,
                    text,
                    _(
                        'Row %(row)d, column %(letter)s: the column is headed "%(given)s" but the template calls '
                        'it "%(column)s"; rename it'
                    )
                    % {"row": header_row, "letter": letter, "given": text, "column": f.header},
                )
            else:
                self.out.add(
                    sheet,
                    header_row,
                    text,
                    _(
                        'Row %(row)d, column %(letter)s: "%(given)s" is not a column of the template; delete the '
                        'column (put extra notes in "Other relevant information")'
                    )
                    % {"row": header_row, "letter": letter, "given": text},
                )
        for f in missing_by_name.values():
            self.out.add(
                sheet,
                header_row,
                f.header,
                _('The column "%(column)s" is missing; add it back as it is in the template') % {"column": f.header},
            )
        if heading is None and table.heading_index is None:
            self.out.add(
                sheet,
                header_row,
                CSV_HEADING_COLUMN,
                _(
                    'The column "%(column)s" is missing; a CSV long-list needs it to say whether each case is '
                    "1st tier, Community or Custodial"
                )
                % {"column": CSV_HEADING_COLUMN},
            )
        return table

    def readings(self) -> tuple[LongListReading, ...]:
        columns = [
            LongListReading("column", header, given, header, sheets=tuple(sheets))
            for (given, header), sheets in self.columns_read_as.items()
        ]
        values = [
            LongListReading("value", header, given, choice, rows=rows)
            for (header, given, choice), rows in self.converters.read_as.items()
        ]
        order = {f.header: i for i, f in enumerate(FIELDS)}
        values.sort(key=lambda r: (order.get(r.column, 0), -r.rows, r.given.casefold()))
        return tuple(columns) + tuple(values)

    # --- rows ----------------------------------------------------------------------------------------
    def read_table(self, table: _Table, rows: Iterator[tuple[int, tuple]]) -> None:
        blank_run: list[int] = []
        for number, values in rows:
            if not any(v.strip() if type(v) is str else v is not None for v in values):
                blank_run.append(number)
                continue
            if blank_run:
                self._report_blank(table.sheet, blank_run)
                blank_run = []
            self.row_count += 1
            if self.progress is not None and self.row_count % PROGRESS_EVERY == 0:
                self.progress(self.row_count)
            self.check_row(table, number, values)
        # Trailing blank rows are fine.

    def _report_blank(self, sheet: str | None, run: list[int]) -> None:
        if len(run) == 1:
            text = _("Row %(row)d is blank; delete blank rows between cases") % {"row": run[0]}
        else:
            text = _("Rows %(first)d to %(last)d are blank; delete blank rows between cases") % {
                "first": run[0],
                "last": run[-1],
            }
        self.out.add(sheet, run[0], None, text)

    def check_row(self, table: _Table, number: int, values: tuple) -> None:
        sheet = table.sheet
        add = self.out.add
        heading = table.heading
        if heading is None:
            raw = (
                values[table.heading_index]
                if table.heading_index is not None and table.heading_index < len(values)
                else None
            )
            label = str(raw).strip() if raw is not None else ""
            heading = HEADING_BY_LABEL.get(" ".join(label.split()).casefold())
            if heading is None:
                if table.heading_index is not None:
                    if label:
                        text = _("Row %(row)d, %(column)s: %(value)s is not one of 1st tier, Community, Custodial")
                    else:
                        text = _("Row %(row)d, %(column)s: blank; it must be one of 1st tier, Community, Custodial")
                    add(
                        sheet,
                        number,
                        CSV_HEADING_COLUMN,
                        text % {"row": number, "column": CSV_HEADING_COLUMN, "value": show(label)},
                    )
                return
        width = len(values)
        record: dict[str, object] = {}
        for column in table.columns:
            f = column.field
            value = values[column.index] if column.index < width else None
            if value is None or (type(value) is str and not value.strip()):
                if f.required and heading in column.applies_to:
                    add(sheet, number, f.header, _("Row %(row)d, %(column)s: is required") % _at(number, f.header))
                record[f.key] = None
                continue
            if heading not in column.applies_to:
                add(
                    sheet,
                    number,
                    f.header,
                    _(
                        "Row %(row)d, %(column)s: custodial fields are for Custodial rows only; this row is "
                        "%(heading)s, so leave it blank"
                    )
                    % {**_at(number, f.header), "heading": _(HEADING_LABELS[heading])},
                )
                continue
            try:
                record[f.key] = column.convert(value)
            except Invalid as problem:
                add(
                    sheet,
                    number,
                    f.header,
                    _("Row %(row)d, %(column)s: %(problem)s") % {**_at(number, f.header), "problem": problem},
                )
        stray = [i for i in table.unheaded if i < width and _filled(values[i])]
        if width > table.width:
            stray += [i for i in range(table.width, width) if _filled(values[i])]
        for i in stray:
            if i not in table.reported:  # once per column, not once per row
                table.reported.add(i)
                add(
                    sheet,
                    number,
                    None,
                    _(
                        "Row %(row)d, column %(letter)s: has a value but no column header; move it into a "
                        "template column or delete it"
                    )
                    % {"row": number, "letter": get_column_letter(i + 1)},
                )
        self._cross_checks(sheet, number, heading, record)
        if not self.out.errors:  # once anything is wrong no rows are returned, so stop keeping them
            self.rows.append(self._build(table, number, heading, record))

    def _cross_checks(self, sheet: str | None, number: int, heading: Heading, r: dict[str, object]) -> None:
        add = self.out.add
        sentence = r.get("sentence_date")
        born = r.get("date_of_birth")
        order = r.get("order_type")
        if isinstance(order, str) and is_standalone_attendance_centre(order):
            add(
                sheet,
                number,
                ORDER,
                _("Row %(row)d, %(column)s: %(problem)s") % {**_at(number, ORDER), "problem": _(EXCLUSION_MESSAGE)},
            )
        elif isinstance(order, str) and (disposal := non_statutory_disposal(order)):
            add(
                sheet,
                number,
                ORDER,
                _(
                    "Row %(row)d, %(column)s: %(value)s is not a court order or sentence (%(disposal)s); the "
                    "long-list lists statutory cases only, so remove this row"
                )
                % {**_at(number, ORDER), "value": show(order), "disposal": _(disposal)},
            )
        if isinstance(sentence, dt.date):
            window = self.windows[heading]
            if not window.contains(sentence):
                add(
                    sheet,
                    number,
                    "Sentence date",
                    _("Row %(row)d, %(column)s: %(date)s is outside the window for %(heading)s cases (%(window)s)")
                    % {
                        **_at(number, "Sentence date"),
                        "date": fmt_date(sentence),
                        "heading": _(HEADING_LABELS[heading]),
                        "window": window.describe(),
                    },
                )
            if isinstance(born, dt.date):
                age = age_on(born, sentence)
                if not MIN_AGE_AT_SENTENCE <= age <= MAX_AGE_AT_SENTENCE:
                    add(
                        sheet,
                        number,
                        "Date of birth",
                        _(
                            "Row %(row)d, %(column)s: %(date)s makes the child %(age)d on the sentence date; a child "
                            "must be %(low)d to %(high)d"
                        )
                        % {
                            **_at(number, "Date of birth"),
                            "date": fmt_date(born),
                            "age": age,
                            "low": MIN_AGE_AT_SENTENCE,
                            "high": MAX_AGE_AT_SENTENCE,
                        },
                    )
            for key, header in (
                ("termination_date", "Date sentence terminated"),
                ("release_date", "Date of release (actual or expected)"),
            ):
                day = r.get(key)
                if isinstance(day, dt.date) and day < sentence:
                    add(
                        sheet,
                        number,
                        header,
                        _("Row %(row)d, %(column)s: %(date)s is before the sentence date %(sentence)s")
                        % {**_at(number, header), "date": fmt_date(day), "sentence": fmt_date(sentence)},
                    )
        looked_after = r.get("looked_after")
        home_host = r.get("home_host")
        if looked_after == "Yes" and "home_host" in r and home_host is None:
            add(
                sheet,
                number,
                "Home or Host authority",
                _("Row %(row)d, %(column)s: is required when Looked After is Yes")
                % _at(number, "Home or Host authority"),
            )
        if looked_after == "No" and home_host:
            add(
                sheet,
                number,
                "Home or Host authority",
                _("Row %(row)d, %(column)s: leave it blank when Looked After is No")
                % _at(number, "Home or Host authority"),
            )
        if not self.sheets or self.sheets[-1] != sheet:
            self.sheets.append(sheet)
        where = (len(self.sheets) - 1) << 32 | number
        case_id = r.get("case_id")
        if isinstance(case_id, str):
            key = case_id.casefold()
            first = self.seen_ids.get(key)
            if first is not None:
                add(
                    sheet,
                    number,
                    "YOIS/Careworks/Childview ID",
                    _("Row %(row)d, %(column)s: %(value)s is also on %(where)s; list each child once")
                    % {**_at(number, "YOIS/Careworks/Childview ID"), "value": case_id, "where": self._where(first)},
                )
                return
            self.seen_ids[key] = where
        family, given = r.get("family_name"), r.get("first_names")
        if isinstance(family, str) and isinstance(given, str) and isinstance(born, dt.date):
            person = f"{' '.join(family.split())}\x1f{' '.join(given.split())}\x1f{born.toordinal()}".casefold()
            first = self.seen_people.get(person)
            if first is not None:
                add(
                    sheet,
                    number,
                    "Family name",
                    _(
                        "Row %(row)d: the same family name, first names and date of birth are also on %(where)s; "
                        "list each child once"
                    )
                    % {"row": number, "where": self._where(first)},
                )
            else:
                self.seen_people[person] = where

    def _where(self, packed: int) -> str:
        return _row_where(self.sheets[packed >> 32], packed & 0xFFFFFFFF)

    def _build(self, table: _Table, number: int, heading: Heading, r: dict[str, object]) -> LongListRow:
        def text(key: str) -> str:
            value = r.get(key)
            return value if isinstance(value, str) else ""

        return LongListRow(
            heading=heading,
            sheet=table.sheet,
            row_number=number,
            case_id=r["case_id"],  # type: ignore[arg-type]
            family_name=r["family_name"],  # type: ignore[arg-type]
            first_names=r["first_names"],  # type: ignore[arg-type]
            gender=r["gender"],  # type: ignore[arg-type]
            date_of_birth=r["date_of_birth"],  # type: ignore[arg-type]
            ethnicity=r["ethnicity"],  # type: ignore[arg-type]
            order_type=r["order_type"],  # type: ignore[arg-type]
            sentence_date=r["sentence_date"],  # type: ignore[arg-type]
            sentence_length=r["sentence_length"],  # type: ignore[arg-type]
            termination_date=r.get("termination_date"),  # type: ignore[arg-type]
            termination_reason=text("termination_reason"),
            asset_score=r.get("asset_score"),  # type: ignore[arg-type]
            scaled_approach=r["scaled_approach"],  # type: ignore[arg-type]
            vulnerability=r["vulnerability"],  # type: ignore[arg-type]
            rosh=r["rosh"],  # type: ignore[arg-type]
            looked_after=r["looked_after"] == "Yes",
            home_host=text("home_host"),
            child_protection=r["child_protection"] == "Yes",
            case_manager=r["case_manager"],  # type: ignore[arg-type]
            case_manager_email=r["case_manager_email"],  # type: ignore[arg-type]
            line_manager=r["line_manager"],  # type: ignore[arg-type]
            case_manager_needs=text("case_manager_needs"),
            office=r["office"],  # type: ignore[arg-type]
            suitability_note=text("suitability_note"),
            other_information=text("other_information"),
            release_date=r.get("release_date"),  # type: ignore[arg-type]
            release_reason=text("release_reason"),
            licence_length=text("licence_length"),
        )

    # --- tables --------------------------------------------------------------------------------------
    def read_rows(self, sheet: str | None, heading: Heading | None, rows: Iterable[tuple]) -> _Table | None:
        """Find the header in the first rows, match it, then check every row after it."""
        numbered = enumerate(rows, start=1)
        known = set(HEADER_LOOKUP) | {normalise_header(CSV_HEADING_COLUMN)}
        seen_content = False
        for number, values in numbered:
            hits = sum(1 for v in values if normalise_header(v) in known)
            if hits >= 3:
                table = self.match_header(sheet, heading, values, number)
                self.read_table(table, numbered)
                return table
            seen_content = seen_content or any(v.strip() if type(v) is str else v is not None for v in values)
            if number >= HEADER_SEARCH_ROWS:
                break
        if seen_content:
            if sheet:
                text = _(
                    "The %(sheet)s sheet has no header row in its first %(n)d rows; keep the template's header "
                    "row above the cases"
                )
            else:
                text = _(
                    "The CSV file has no header row in its first %(n)d rows; keep the template's header row "
                    "above the cases"
                )
            self.out.add(sheet, None, None, text % {"sheet": sheet, "n": HEADER_SEARCH_ROWS})
        return None


def _cell_ref(ref: str) -> tuple[int, int]:
    match = re.match(r"([A-Z]+)(\d+)", ref)
    if not match:
        return 0, 0
    letters, row = match.groups()
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(row), col


def _read_xlsx(data: bytes, v: _Validator) -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(filename=io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    try:
        present: set[Heading] = set()
        for ws in workbook.worksheets:
            title = ws.title
            name = " ".join(title.split()).casefold()
            if name == INSTRUCTIONS_SHEET.casefold():
                continue
            heading = HEADING_BY_LABEL.get(name)
            if heading is None or heading in present:
                if any(any(c is not None for c in row) for row in ws.iter_rows(values_only=True)):
                    v.out.add(
                        title,
                        None,
                        None,
                        _(
                            'The workbook has a sheet "%(sheet)s" that is not part of the template; the long-list '
                            "goes on the 1st tier, Community and Custodial sheets only"
                        )
                        % {"sheet": title},
                    )
                continue
            present.add(heading)
            table = v.read_rows(title, heading, ws.iter_rows(values_only=True))
            path = getattr(ws, "_worksheet_path", None)
            if table is not None and path:
                names = {c.index: c.field.header for c in table.columns}
                for ref in merged_ranges(data, path):
                    row, col = _cell_ref(ref)
                    if row < table.header_row and ":" in ref and _cell_ref(ref.split(":")[1])[0] < table.header_row:
                        continue  # merged titles above the table are harmless
                    v.out.add(
                        title,
                        row,
                        names.get(col - 1),
                        _("Row %(row)d: cells %(cells)s are merged; unmerge them so that each cell holds one value")
                        % {"row": row, "cells": ref},
                    )
        for heading in Heading:
            if heading not in present:
                v.out.add(
                    None,
                    None,
                    None,
                    _(
                        'The workbook has no "%(sheet)s" sheet; use the template, which has one sheet for each '
                        "heading (leave a sheet empty if there are no cases under that heading)"
                    )
                    % {"sheet": HEADING_LABELS[heading]},
                )
    finally:
        workbook.close()


def validate_longlist(
    data: bytes,
    *,
    announced: dt.date,
    filename: str | None = None,
    limits: ReadLimits | None = None,
    max_errors: int = DEFAULT_MAX_ERRORS,
    progress: Callable[[int], None] | None = None,
) -> LongListResult:
    """Check a whole long-list file; return every clean row, or every error and no rows.

    ``progress`` is called with the number of rows read so far, every ``PROGRESS_EVERY`` rows."""
    try:
        kind = sniff(data, filename=filename, limits=limits)
    except FileRejected as rejected:
        return LongListResult((), (LongListError(None, None, None, rejected.message),), 0)
    v = _Validator(announced=announced, is_csv=kind == "csv", max_errors=max_errors, progress=progress)
    try:
        if kind == "xlsx":
            _read_xlsx(data, v)
        else:
            text = decode_csv(data)
            if v.read_rows(None, None, iter_csv_rows(text)) is None and not v.out.errors:
                v.out.add(
                    None,
                    None,
                    None,
                    _(
                        "The CSV file is empty or has no header row; use the template's headers with a Heading "
                        "column first"
                    ),
                )
    except FileRejected as rejected:
        return LongListResult((), (LongListError(None, None, None, rejected.message),), v.row_count)
    except Exception as exc:
        message = (
            xml_bomb_message()
            if is_defused_error(exc)
            else _(
                "The workbook is damaged or not a long-list and cannot be read. Save it again from Excel as an "
                "Excel Workbook (.xlsx) made from the template."
            )
        )
        return LongListResult((), (LongListError(None, None, None, message),), v.row_count)
    errors = v.out.finish()
    if errors:
        return LongListResult((), errors, v.row_count)
    return LongListResult(tuple(v.rows), (), v.row_count, v.readings())
