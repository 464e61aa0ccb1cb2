"""Case managers' availability as plain data: one day's answer and its checks, and the spreadsheet a
YOT manager can fill in instead of the form (the template they download and the upload read back).

No database here. The spreadsheet is read in two phases (STYLE.md "Imports and exports"): every row
is read and checked first, collecting errors that each name the sheet, row and column; the caller
writes nothing unless there are none.

Layout of the sheet, chosen so that a YOT manager fills it in easily: one row per case manager (their
name and email already filled in from the long-list), and for each fieldwork day one column saying
when they can attend (a drop-down offers "All day" and "Not available"; times such as 09:00-12:30 or
09:00-12:30, 14:00-17:00 can be typed), followed by an optional "other commitments" column for that
day. Then whether they were absent the week before, the most interviews in one day, and their needs
at interview. A blank day is "not given yet", never "available".

Decisions recorded here:
- A row with nothing but the name and email changes nothing for that case manager.
- A row with anything else given replaces everything given before for that case manager: the
  template is filled in with what has been given so far, so a day that is blank on an upload is a day
  the YOT has cleared or never gave.
- Day columns are recognised by the date in their header (dd/mm/yyyy), so a template downloaded in
  Welsh reads back in English and the other way round; a date outside fieldwork is an error (the
  dates moved since the template was downloaded).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from scheduling.domain.model import DAY_NAMES

MAX_INTERVIEWS_PER_DAY = 6
DEFAULT_MAX_PER_DAY = 2
# Seed 000 §11.3: the team has the office from 8.30am to 6pm; a window that leaves out its start or
# end runs from or until then.
OFFICE_OPENS = dt.time(8, 30)
OFFICE_CLOSES = dt.time(18, 0)
MAX_NEEDS = 1000
MAX_COMMITMENTS = 500

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_ROW = 5  # rows 1-4 hold the title and the instructions
HEADER_SEARCH_ROWS = 10
SPARE_ROWS = 50  # rows under the case managers that keep the drop-downs, for anyone added by hand
MAX_ROWS = 2000
MAX_ERRORS = 200
_DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")


# --- One day ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayEntry:
    """What the YOT has given for one fieldwork day. A day with no DayEntry is not given yet."""

    day: dt.date
    available: bool = True
    from_1: dt.time | None = None
    until_1: dt.time | None = None
    from_2: dt.time | None = None
    until_2: dt.time | None = None
    commitments: str = ""

    @property
    def windows(self) -> list[tuple[dt.time, dt.time]]:
        """The windows given, with a missing start or end filled in from the office hours."""
        out = []
        for start, end in ((self.from_1, self.until_1), (self.from_2, self.until_2)):
            if start is not None or end is not None:
                out.append((start or OFFICE_OPENS, end or OFFICE_CLOSES))
        return out


def day_label(day: dt.date) -> str:
    return _(DAY_NAMES[day.weekday()])


def day_errors(*, name: str, index: int, entry: DayEntry) -> list[tuple[str, str]]:
    """(field, message) for one day of one case manager; fields are named ``d<index>_<part>``.

    Times are ignored on a day they are not available. A window may leave out its start (from
    8.30am) or its end (until 6pm), seed 000 §11.3.
    """
    if not entry.available:
        return []
    day = day_label(entry.day)
    errors: list[tuple[str, str]] = []
    windows = []
    for k, (start, end) in enumerate(((entry.from_1, entry.until_1), (entry.from_2, entry.until_2)), start=1):
        if start is not None and end is not None and end <= start:
            errors.append(
                (
                    f"d{index}_until_{k}",
                    _("%(name)s, %(day)s: the end time must be after the start time") % {"name": name, "day": day},
                )
            )
        elif start is not None or end is not None:
            windows.append((k, start or OFFICE_OPENS, end or OFFICE_CLOSES))
    if len(windows) == 2:
        (_k1, s1, e1), (_k2, s2, e2) = windows
        if s1 < e2 and s2 < e1:
            errors.append(
                (
                    f"d{index}_from_2",
                    _(
                        "%(name)s, %(day)s: the second window overlaps the first; "
                        "enter one window or two that do not overlap"
                    )
                    % {"name": name, "day": day},
                )
            )
    return errors


# --- The spreadsheet: words and headers ------------------------------------------------------------


@functools.cache
def _in_every_language(make) -> frozenset[str]:
    """``make()`` in each of the service's languages, normalised (a header or a word may come back in
    a language other than the one the template was downloaded in)."""
    out = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            out.add(_normalise(str(make())))
    return frozenset(out)


def _normalise(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).casefold()


def all_day_word() -> str:
    return _("All day")


def not_available_word() -> str:
    return _("Not available")


def _header_name() -> str:
    return _("Case manager")


def _header_email() -> str:
    return _("Email")


def _header_returning() -> str:
    return _("Absent the week before fieldwork (Yes or No)")


def _header_max() -> str:
    return _("Most interviews in one day (1 to %(max)d)") % {"max": MAX_INTERVIEWS_PER_DAY}


def _header_needs() -> str:
    return _("Needs to take into account at interview")


def day_header(day: dt.date) -> str:
    return f"{day_label(day)} {day:%d/%m/%Y}"


def commitments_header(day: dt.date) -> str:
    return _("%(day)s: other commitments") % {"day": day_header(day)}


_FIXED_HEADERS = {
    "name": _header_name,
    "email": _header_email,
    "returning": _header_returning,
    "max_per_day": _header_max,
    "needs": _header_needs,
}
# Short forms a YOT manager may have typed over the template's headers.
_FIXED_ALIASES = {
    "name": {"case manager name", "name"},
    "email": {"case manager email", "email address", "e-mail"},
    "returning": {"absent the week before fieldwork", "absent the week before"},
    "max_per_day": {"most interviews in one day", "most interviews a day"},
    "needs": {"needs", "needs at interview"},
}
_DATE_IN_HEADER = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def _yes() -> str:
    return _("Yes")


def _no() -> str:
    return _("No")


def _yes_words() -> frozenset[str]:
    return frozenset({"yes", "y"}) | _in_every_language(_yes)


def _no_words() -> frozenset[str]:
    return frozenset({"no", "n"}) | _in_every_language(_no)


# --- The template ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prefill:
    """One case manager's row of the template, with what has been given for them so far."""

    email: str
    name: str
    days: Mapping[dt.date, DayEntry] = field(default_factory=dict)
    returning_from_absence: bool | None = None
    max_per_day: int | None = None
    needs: str = ""


def _fmt_time(value: dt.time) -> str:
    return f"{value:%H:%M}"


def day_text(entry: DayEntry | None) -> str:
    """How a day reads in the spreadsheet (and reads back): blank, All day, Not available or times."""
    if entry is None:
        return ""
    if not entry.available:
        return not_available_word()
    windows = entry.windows
    if not windows:
        return all_day_word()
    return ", ".join(f"{_fmt_time(a)}-{_fmt_time(b)}" for a, b in windows)


def _safe(value: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (the reader takes it off)."""
    return "'" + value if value.startswith(_DANGEROUS_FIRST) else value


def build_template(*, yot_name: str, days: Sequence[dt.date], people: Iterable[Prefill]) -> bytes:
    """The xlsx an inspection's YOT manager fills in: one row per case manager."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    people = list(people)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Availability")[:31]
    ws["A1"] = _safe(
        _("%(yot)s: case managers’ availability for fieldwork, %(first)s to %(last)s")
        % {"yot": yot_name, "first": day_header(days[0]), "last": day_header(days[-1])}
    )
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = _(
        "One row per case manager. For each day write %(all)s, %(none)s, or the times they can attend, "
        "like 09:00-12:30 or 09:00-12:30, 14:00-17:00. Leave a day blank if you do not know yet."
    ) % {"all": all_day_word(), "none": not_available_word()}
    ws["A3"] = _(
        "The case manager joins the inspector 30 minutes into each 2-hour slot and stays until 15 minutes "
        "before its end. The inspectors are in the office from 8:30am to 6pm."
    )
    ws["A4"] = _("Do not change the email addresses or the column headings.")
    headers = [_header_name(), _header_email()]
    for day in days:
        headers += [day_header(day), commitments_header(day)]
    headers += [_header_returning(), _header_max(), _header_needs()]
    fill = PatternFill("solid", fgColor="DDDDDD")
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=_safe(header))
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(col)].width = 28 if col > 2 else 30
    for offset, person in enumerate(people, start=1):
        row = HEADER_ROW + offset
        values: list[object] = [_safe(person.name), person.email]
        for day in days:
            entry = person.days.get(day)
            values += [day_text(entry), _safe(entry.commitments) if entry and entry.commitments else ""]
        returning = person.returning_from_absence
        values += [
            "" if returning is None else (_yes() if returning else _no()),
            person.max_per_day if person.max_per_day is not None else "",
            _safe(person.needs),
        ]
        for col, value in enumerate(values, start=1):
            if value != "":
                ws.cell(row=row, column=col, value=value)
    last_row = HEADER_ROW + len(people) + SPARE_ROWS
    first_day_col = 3
    day_cols = [get_column_letter(first_day_col + 2 * i) for i in range(len(days))]
    choices = DataValidation(
        type="list",
        formula1='"' + ",".join((all_day_word(), not_available_word())) + '"',
        allow_blank=True,
        showErrorMessage=False,  # times are typed: the list only offers the two words
        showInputMessage=True,
        promptTitle=_("When can they attend?")[:32],
        prompt=_("%(all)s, %(none)s, or times like 09:00-12:30")
        % {"all": all_day_word(), "none": not_available_word()},
    )
    for letter in day_cols:
        choices.add(f"{letter}{HEADER_ROW + 1}:{letter}{last_row}")
    ws.add_data_validation(choices)
    base = first_day_col + 2 * len(days)
    yes_no = DataValidation(
        type="list",
        formula1='"' + ",".join((_yes(), _no())) + '"',
        allow_blank=True,
        showErrorMessage=True,
        error=_("Choose Yes or No."),
    )
    yes_no.add(f"{get_column_letter(base)}{HEADER_ROW + 1}:{get_column_letter(base)}{last_row}")
    ws.add_data_validation(yes_no)
    whole = DataValidation(
        type="whole",
        operator="between",
        formula1="1",
        formula2=str(MAX_INTERVIEWS_PER_DAY),
        allow_blank=True,
        showErrorMessage=True,
        error=_("Enter a whole number from 1 to %(max)d.") % {"max": MAX_INTERVIEWS_PER_DAY},
    )
    whole.add(f"{get_column_letter(base + 1)}{HEADER_ROW + 1}:{get_column_letter(base + 1)}{last_row}")
    ws.add_data_validation(whole)
    ws.row_dimensions[HEADER_ROW].height = 45
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=3)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- Reading an upload -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetError:
    sheet: str | None  # None for the file as a whole
    row: int | None  # the row number as the spreadsheet shows it
    column: str | None  # "D (Tuesday 13/10/2026)"
    message: str

    def describe(self) -> str:
        """The error with where it is, in one sentence for the error summary."""
        where = []
        if self.sheet:
            where.append(_("sheet %(sheet)s") % {"sheet": self.sheet})
        if self.row is not None:
            where.append(_("row %(row)d") % {"row": self.row})
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        if not where:
            return self.message
        text = ", ".join(where)
        return f"{text[:1].upper()}{text[1:]}: {self.message}"


@dataclass(frozen=True)
class SheetRow:
    """One case manager's availability as read from the upload (only the days given)."""

    row_number: int
    email: str
    name: str
    returning_from_absence: bool
    max_per_day: int
    needs: str
    days: tuple[DayEntry, ...]


@dataclass(frozen=True)
class SheetResult:
    rows: tuple[SheetRow, ...]
    errors: tuple[SheetError, ...]
    blank_rows: int = 0  # case managers whose row held nothing: nothing changes for them

    @property
    def ok(self) -> bool:
        return not self.errors


class _Errors:
    def __init__(self) -> None:
        self.items: list[SheetError] = []
        self.dropped = 0

    def add(self, sheet: str | None, row: int | None, column: str | None, message: str) -> None:
        if len(self.items) >= MAX_ERRORS:
            self.dropped += 1
        else:
            self.items.append(SheetError(sheet, row, column, message))

    def finish(self) -> tuple[SheetError, ...]:
        if self.dropped:
            more = _("… and %(n)d more problems not shown. Fix the problems above and upload again.") % {
                "n": self.dropped
            }
            return (*self.items, SheetError(None, None, None, more))
        return tuple(self.items)


@dataclass
class _Column:
    index: int
    kind: str  # name, email, returning, max_per_day, needs, day, commitments
    label: str  # "D (Tuesday 13/10/2026)"
    day: dt.date | None = None


def _file_problem(data: bytes, max_bytes: int) -> str | None:
    # Reading a workbook means unzipping it: the long-list's checks on size, zip bombs and XML
    # entities are the ones that matter here too, so they are reused (casework's public reader).
    from casework.longlist.reader import FileRejected, ReadLimits, check_zip

    if not data:
        return _("The file is empty.")
    if len(data) > max_bytes:
        return _(
            "The file is larger than %(mb)d MB. An availability spreadsheet is far smaller: check that it holds "
            "only the availability."
        ) % {"mb": max_bytes // (1024 * 1024)}
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return _(
            "This is an old-style Excel 97-2003 (.xls) file or a password-protected workbook. Save it as an "
            "Excel Workbook (.xlsx) without a password and upload it again."
        )
    if data[:4] != b"PK\x03\x04":
        return _("The file is not an Excel workbook. Upload the availability template (.xlsx) once filled in.")
    try:
        check_zip(data, ReadLimits(max_bytes=max_bytes))
    except FileRejected as rejected:
        # Its messages speak of the long-list; this upload is the availability spreadsheet.
        return (
            rejected.message.replace("the long-list made from the template", "the availability template")
            .replace("a long-list", "an availability spreadsheet")
            .replace("the long-list", "the availability spreadsheet")
        )
    return None


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text[:1] == "'" and text[1:2] in _DANGEROUS_FIRST:
        text = text[1:]
    return text


def _header_kind(value: object, days: Sequence[dt.date]) -> tuple[str, dt.date | None] | None:
    """(kind, day) of a header cell, ("unknown", None) for a header not in the template, None for blank."""
    if isinstance(value, dt.datetime):
        return "day", value.date()
    if isinstance(value, dt.date):
        return "day", value
    text = _text(value)
    if not text:
        return None
    normal = _normalise(text)
    for kind, make in _FIXED_HEADERS.items():
        if normal in _in_every_language(make) or normal in _FIXED_ALIASES[kind]:
            return kind, None
    match = _DATE_IN_HEADER.search(text)
    if match:
        day_number, month, year = (int(g) for g in match.groups())
        try:
            day = dt.date(year, month, day_number)
        except ValueError:
            return "unknown", None
        rest = text[match.end() :].strip(" :-–")
        return ("commitments" if rest else "day"), day
    return "unknown", None


_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*([ap]\.?m\.?)?$", re.IGNORECASE)
_BETWEEN_WINDOWS = re.compile(r"\s*(?:,|;|&|\+|\band\b)\s*", re.IGNORECASE)
_WITHIN_WINDOW = re.compile(r"\s*(?:-|–|—|\bto\b|\buntil\b)\s*", re.IGNORECASE)


def parse_time(text: str) -> dt.time:
    """'09:30', '9.30', '9', '2pm', '2:30pm' -> a time of day; ValueError otherwise."""
    match = _TIME.match(text.strip())
    if not match:
        raise ValueError(text)
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    meridiem = (match.group(3) or "").lower().replace(".", "")
    if meridiem:
        if not 1 <= hours <= 12:
            raise ValueError(text)
        hours = hours % 12 + (12 if meridiem == "pm" else 0)
    if hours > 23 or minutes > 59:
        raise ValueError(text)
    return dt.time(hours, minutes)


class _CellProblem(ValueError):
    pass


def parse_day(value: object, day: dt.date, commitments: str) -> DayEntry | None:
    """A day cell as the YOT wrote it: None when blank (not given yet); _CellProblem when unreadable."""
    if isinstance(value, dt.time | dt.date):
        raise _CellProblem(_("write the times they can attend as a window, like 09:00-12:30"))
    text = _text(value)
    if not text:
        return None
    normal = _normalise(text)
    if normal in _in_every_language(all_day_word) | _yes_words():
        return DayEntry(day=day, commitments=commitments)
    if normal in _in_every_language(not_available_word) | _no_words() | {"unavailable", "off", "absent"}:
        return DayEntry(day=day, available=False, commitments=commitments)
    pieces = [p for p in _BETWEEN_WINDOWS.split(text) if p.strip()]
    wrong = _(
        "“%(text)s” is not a time window: write %(all)s, %(none)s, or times like 09:00-12:30 or "
        "09:00-12:30, 14:00-17:00"
    ) % {"text": text, "all": all_day_word(), "none": not_available_word()}
    if len(pieces) > 2:
        raise _CellProblem(_("give at most two windows of time in one day, like 09:00-12:30, 14:00-17:00"))
    times: list[dt.time] = []
    for piece in pieces:
        ends = _WITHIN_WINDOW.split(piece.strip())
        if len(ends) != 2 or not ends[0] or not ends[1]:
            raise _CellProblem(wrong)
        try:
            times += [parse_time(ends[0]), parse_time(ends[1])]
        except ValueError:
            raise _CellProblem(wrong) from None
    times += [None] * (4 - len(times))
    return DayEntry(
        day=day, from_1=times[0], until_1=times[1], from_2=times[2], until_2=times[3], commitments=commitments
    )


def _find_header(rows: Iterator[tuple], days: Sequence[dt.date]) -> tuple[int, tuple] | None:
    for number, values in enumerate(rows, start=1):
        if any(_header_kind(v, days) == ("email", None) for v in values):
            return number, values
        if number >= HEADER_SEARCH_ROWS:
            return None
    return None


def read_upload(
    data: bytes,
    *,
    days: Sequence[dt.date],
    people: Mapping[str, str],
    max_bytes: int | None = None,
) -> SheetResult:
    """Check a whole availability workbook; return every clean row, or every error and no rows.

    ``people`` maps each case manager's email (lower-cased) to their name: the only case managers
    the sheet may name.
    """
    from casework.longlist.reader import is_defused_error
    from casework.longlist.spec import DEFAULT_MAX_BYTES

    problem = _file_problem(data, max_bytes or DEFAULT_MAX_BYTES)
    if problem:
        return SheetResult((), (SheetError(None, None, None, problem),))
    from openpyxl import load_workbook

    errors = _Errors()
    rows: list[SheetRow] = []
    blank = 0
    try:
        workbook = load_workbook(filename=io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        return SheetResult((), (SheetError(None, None, None, _unreadable(is_defused_error(exc))),))
    try:
        for ws in workbook.worksheets:
            found = _find_header(ws.iter_rows(values_only=True, max_row=HEADER_SEARCH_ROWS), days)
            if found is None:
                continue
            header_row, header = found
            reader = _SheetReader(ws.title, header_row, header, days, people, errors)
            if reader.columns is not None:
                for number, values in enumerate(ws.iter_rows(values_only=True, min_row=header_row + 1), header_row + 1):
                    if number > header_row + MAX_ROWS:
                        errors.add(
                            ws.title,
                            number,
                            None,
                            _(
                                "The sheet has more than %(n)d rows of case managers; "
                                "keep one row for each case manager."
                            )
                            % {"n": MAX_ROWS},
                        )
                        break
                    outcome = reader.read(number, values)
                    if outcome == "blank":
                        blank += 1
                    elif outcome is not None:
                        rows.append(outcome)
            reader.check_merged(data, getattr(ws, "_worksheet_path", None))
            break
        else:
            errors.add(
                None,
                None,
                None,
                _(
                    "No sheet of the workbook has the template’s header row (with a “%(email)s” column) in its "
                    "first %(n)d rows. Download the availability template and fill it in."
                )
                % {"email": _header_email(), "n": HEADER_SEARCH_ROWS},
            )
    except Exception as exc:
        return SheetResult((), (SheetError(None, None, None, _unreadable(is_defused_error(exc))),))
    finally:
        workbook.close()
    found_errors = errors.finish()
    if found_errors:
        return SheetResult((), found_errors)
    return SheetResult(tuple(rows), (), blank)


def _unreadable(bomb: bool) -> str:
    if bomb:
        return _(
            "The workbook contains XML entity declarations, which Excel never writes; it has not been read. "
            "Save it again from Excel as an Excel Workbook (.xlsx)."
        )
    return _(
        "The workbook is damaged and cannot be read. Save it again from Excel as an Excel Workbook (.xlsx) "
        "made from the availability template."
    )


class _SheetReader:
    """The columns of one sheet, matched once from its header row, and each row read against them."""

    def __init__(self, sheet, header_row, header, days, people, errors: _Errors):
        self.sheet = sheet
        self.header_row = header_row
        self.days = list(days)
        self.people = people
        self.errors = errors
        self.seen: dict[str, int] = {}
        self.columns: list[_Column] | None = self._match(header)

    def _match(self, header: tuple) -> list[_Column] | None:
        columns: list[_Column] = []
        taken: dict[tuple[str, dt.date | None], str] = {}
        fieldwork = ", ".join(day_header(d) for d in self.days)
        for index, value in enumerate(header):
            kind = _header_kind(value, self.days)
            if kind is None:
                continue
            what, day = kind
            shown = day_header(day) if isinstance(value, dt.date) and day else _text(value)
            label = f"{_column_letter(index)} ({shown})"
            if what == "unknown":
                self.errors.add(
                    self.sheet,
                    self.header_row,
                    label,
                    _(
                        "“%(header)s” is not a column of the availability template: remove the column, or download "
                        "the template again"
                    )
                    % {"header": _text(value)},
                )
                continue
            if day is not None and day not in self.days:
                self.errors.add(
                    self.sheet,
                    self.header_row,
                    label,
                    _(
                        "%(date)s is not a fieldwork day (fieldwork is %(days)s): the dates may have changed since "
                        "the template was downloaded, so download it again"
                    )
                    % {"date": f"{day:%d/%m/%Y}", "days": fieldwork},
                )
                continue
            if (what, day) in taken:
                self.errors.add(
                    self.sheet,
                    self.header_row,
                    label,
                    _("this column repeats column %(other)s: keep one of them") % {"other": taken[(what, day)]},
                )
                continue
            taken[(what, day)] = label
            columns.append(_Column(index, what, label, day))
        if not any(c.kind == "email" for c in columns):
            return None  # _find_header only returns a header with an email column
        if self.errors.items:
            return None
        return columns

    def _cell(self, values: tuple, kind: str, day: dt.date | None = None) -> tuple[object, _Column | None]:
        for column in self.columns or ():
            if column.kind == kind and column.day == day:
                return (values[column.index] if column.index < len(values) else None), column
        return None, None

    def read(self, number: int, values: tuple) -> SheetRow | str | None:
        """The clean row, "blank" for a case manager's row with nothing given, None for an empty or bad row."""
        if not any(_text(v) for v in values):
            return None
        sheet, add = self.sheet, self.errors.add
        headed = {c.index for c in self.columns}
        before = len(self.errors.items) + self.errors.dropped
        for index, value in enumerate(values):
            if index not in headed and _text(value):
                add(
                    sheet,
                    number,
                    _column_letter(index),
                    _("this column has no heading: remove the value, or put it in the column it belongs to"),
                )
            elif isinstance(value, str) and value.strip().startswith("="):
                column = next(c.label for c in self.columns if c.index == index)
                add(sheet, number, column, _("formulas are not accepted: type the value itself"))
        if len(self.errors.items) + self.errors.dropped > before:
            return None  # a formula's text is not the value: read nothing more of this row
        email_value, email_column = self._cell(values, "email")
        email = _text(email_value).lower()
        given = [
            c
            for c in self.columns
            if c.kind not in ("name", "email") and c.index < len(values) and _text(values[c.index])
        ]
        if not email:
            if given:
                add(
                    sheet,
                    number,
                    email_column.label,
                    _("give the email address of this row’s case manager, as on the long-list"),
                )
            return None
        if email not in self.people:
            add(
                sheet,
                number,
                email_column.label,
                _(
                    "%(email)s is not the email of a case manager on the long-list or the sample: check the address, "
                    "or add their cases to the long-list first"
                )
                % {"email": email},
            )
            return None
        if email in self.seen:
            add(
                sheet,
                number,
                email_column.label,
                _("%(email)s is also on row %(row)d: give each case manager one row")
                % {"email": email, "row": self.seen[email]},
            )
            return None
        self.seen[email] = number
        name = self.people[email]
        if not given:
            return "blank"
        entries: list[DayEntry] = []
        for index, day in enumerate(self.days):
            value, column = self._cell(values, "day", day)
            commitments_value, commitments_column = self._cell(values, "commitments", day)
            commitments = _text(commitments_value)
            if len(commitments) > MAX_COMMITMENTS:
                add(
                    sheet,
                    number,
                    commitments_column.label,
                    _("%(name)s, %(day)s: write the other commitments in %(n)d characters or fewer")
                    % {"name": name, "day": day_label(day), "n": MAX_COMMITMENTS},
                )
            try:
                entry = parse_day(value, day, commitments)
            except _CellProblem as problem:
                add(sheet, number, column.label, f"{name}, {day_label(day)}: {problem}")
                continue
            if entry is None:
                if commitments:
                    add(
                        sheet,
                        number,
                        (column or commitments_column).label,
                        _(
                            "%(name)s, %(day)s: other commitments are given but not when they can attend; "
                            "write %(all)s, %(none)s or their times"
                        )
                        % {"name": name, "day": day_label(day), "all": all_day_word(), "none": not_available_word()},
                    )
                continue
            for _field, message in day_errors(name=name, index=index, entry=entry):
                add(sheet, number, column.label, message)
            entries.append(entry)
        returning_value, returning_column = self._cell(values, "returning")
        returning_text = _normalise(_text(returning_value))
        returning = False
        if returning_text in _yes_words():
            returning = True
        elif returning_text and returning_text not in _no_words():
            add(
                sheet,
                number,
                returning_column.label,
                _("%(name)s: write Yes or No for whether they were absent the week before fieldwork") % {"name": name},
            )
        max_value, max_column = self._cell(values, "max_per_day")
        max_per_day = DEFAULT_MAX_PER_DAY
        if _text(max_value):
            try:
                number_value = float(_text(max_value))
                if not number_value.is_integer():
                    raise ValueError
                max_per_day = int(number_value)
                if not 1 <= max_per_day <= MAX_INTERVIEWS_PER_DAY:
                    raise ValueError
            except ValueError:
                add(
                    sheet,
                    number,
                    max_column.label,
                    _("%(name)s: enter a number of interviews a day from 1 to %(max)d")
                    % {"name": name, "max": MAX_INTERVIEWS_PER_DAY},
                )
        needs_value, needs_column = self._cell(values, "needs")
        needs = _text(needs_value)
        if len(needs) > MAX_NEEDS:
            add(
                sheet,
                number,
                needs_column.label,
                _("%(name)s: write their needs at interview in %(n)d characters or fewer")
                % {"name": name, "n": MAX_NEEDS},
            )
        if len(self.errors.items) + self.errors.dropped > before:
            return None
        return SheetRow(
            row_number=number,
            email=email,
            name=name,
            returning_from_absence=returning,
            max_per_day=max_per_day,
            needs=needs,
            days=tuple(entries),
        )

    def check_merged(self, data: bytes, path: str | None) -> None:
        """Merged cells hide values from a read-only reader: name them."""
        if not path or self.columns is None:
            return
        from casework.longlist.reader import merged_ranges

        for ref in merged_ranges(data, path):
            start = re.match(r"([A-Z]+)(\d+)", ref)
            if start and int(start.group(2)) > self.header_row:
                self.errors.add(
                    self.sheet,
                    int(start.group(2)),
                    start.group(1),
                    _("cells %(ref)s are merged: unmerge them so that each cell holds one value") % {"ref": ref},
                )
