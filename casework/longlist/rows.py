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

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "rows": self.row_count, "errors": [e.as_dict() for e in self.errors]}
