"""The plain results of reading a long-list: one clean case, one error, the whole outcome."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .spec import HIGH_LEVELS, Heading, age_band, age_on


@dataclass(frozen=True)
class LongListError:
    sheet: str | None  # the sheet's name; None for a CSV file or for the file as a whole
    row: int | None  # the spreadsheet row number as Excel shows it (CSV: the line number)
    column: str | None  # the column header
    message: str  # a whole plain-English sentence, e.g. "Row 14, Date of birth: 31/02/2009 is not a date"

    def as_dict(self) -> dict[str, object]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


@dataclass(frozen=True)
class LongListReading:
    """One way the file was read that is not the template's own wording, to show the YOT before the
    long-list is stored: a column header read as a template column, or a value read as a choice."""

    kind: str  # "column" or "value"
    column: str  # the template's header of the column
    given: str  # what the file has: its header, or the value as written
    read_as: str  # the template header (column) or the choice (value)
    rows: int = 0  # value readings: how many rows hold it
    sheets: tuple[str, ...] = ()  # column readings: the sheets whose header has it ("" for a CSV file)

    def describe(self) -> str:
        """One plain line, for the command line (the page words it in the reader's language)."""
        if self.kind == "column":
            return f'The column "{self.given}" is read as "{self.read_as}"'
        rows = "1 row" if self.rows == 1 else f"{self.rows} rows"
        return f'{self.column}: "{self.given}" is read as {self.read_as} ({rows})'

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "column": self.column,
            "given": self.given,
            "read_as": self.read_as,
            "rows": self.rows,
            "sheets": list(self.sheets),
        }

    @classmethod
    def from_dict(cls, data: dict) -> LongListReading:
        return cls(
            kind=data["kind"],
            column=data["column"],
            given=data["given"],
            read_as=data["read_as"],
            rows=int(data.get("rows", 0)),
            sheets=tuple(data.get("sheets", ())),
        )


@dataclass(frozen=True, slots=True)
class LongListRow:
    """One clean case of the long-list. Optional text is "" when blank; optional dates and numbers None."""

    heading: Heading
    sheet: str | None
    row_number: int
    case_id: str
    family_name: str
    first_names: str
    gender: str
    date_of_birth: dt.date
    ethnicity: str
    order_type: str
    sentence_date: dt.date
    sentence_length: str
    termination_date: dt.date | None
    termination_reason: str
    asset_score: int | None
    scaled_approach: str
    vulnerability: str
    rosh: str
    looked_after: bool
    home_host: str
    child_protection: bool
    case_manager: str
    case_manager_email: str
    line_manager: str
    case_manager_needs: str
    office: str
    suitability_note: str
    other_information: str
    release_date: dt.date | None = None
    release_reason: str = ""
    licence_length: str = ""

    @property
    def age_at_sentence(self) -> int:
        return age_on(self.date_of_birth, self.sentence_date)

    @property
    def age_band(self) -> str:
        return age_band(self.age_at_sentence)

    @property
    def high_rosh(self) -> bool:
        return self.rosh in HIGH_LEVELS

    @property
    def high_vulnerability(self) -> bool:
        return self.vulnerability in HIGH_LEVELS

    @property
    def noted_unsuitable(self) -> bool:
        return bool(self.suitability_note)


@dataclass(frozen=True)
class LongListResult:
    rows: tuple[LongListRow, ...]  # every clean row when ok, else ()
    errors: tuple[LongListError, ...]
    row_count: int  # data rows read (blank rows not counted), whether or not they passed
    # Headers and values read through the spec's aliases and synonyms (empty when the file uses the
    # template's own words); only meaningful when ok.
    readings: tuple[LongListReading, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "rows": self.row_count,
            "errors": [e.as_dict() for e in self.errors],
            "readings": [r.as_dict() for r in self.readings],
        }
