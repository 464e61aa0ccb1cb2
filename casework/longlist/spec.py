"""The long-list specification: seed 000 Appendix A as one declarative module.

Sources:
- seed 000 Appendix A: the three headings, every case field, the extra custodial fields, the date
  windows and the "standalone attendance centre requirements" exclusion;
- seed 000 §10.4: a case the YOT thinks unsuitable stays on the list with a brief note, and other
  relevant information may be sent as a note with the long-list;
- seed 000 §11.8: every case manager's email address must be given.

Appendix A names the fields but not their allowed values. Where a field has a fixed set of values the
choice made here is written beside it. The template (template.py), the reader (reader.py) and the
validator (validate.py) all read this module; nothing else defines a header or a choice list.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum


class Heading(StrEnum):
    """The three headings of Appendix A, in the order the template shows them."""

    FIRST_TIER = "first_tier"
    COMMUNITY = "community"
    CUSTODIAL = "custodial"

    @property
    def label(self) -> str:
        return HEADING_LABELS[self]


HEADING_LABELS: dict[Heading, str] = {
    Heading.FIRST_TIER: "1st tier",
    Heading.COMMUNITY: "Community",
    Heading.CUSTODIAL: "Custodial",
}
# The sheet names of the template are the labels; the CSV "Heading" column takes the same labels.
HEADING_BY_LABEL: dict[str, Heading] = {label.casefold(): h for h, label in HEADING_LABELS.items()}
# Spellings a YOT is likely to type in the CSV "Heading" column.
HEADING_BY_LABEL.update(
    {
        "first tier": Heading.FIRST_TIER,
        "1st-tier": Heading.FIRST_TIER,
        "first-tier": Heading.FIRST_TIER,
        "custody": Heading.CUSTODIAL,
    }
)
INSTRUCTIONS_SHEET = "Instructions"
CSV_HEADING_COLUMN = "Heading"


class FieldType(StrEnum):
    TEXT = "text"
    DATE = "date"
    CHOICE = "choice"
    EMAIL = "email"
    NUMBER = "number"


@dataclass(frozen=True)
class Field:
    key: str  # attribute name on LongListRow
    header: str  # column header, exactly as the template writes it
    type: FieldType
    required: bool
    choices: tuple[str, ...] = ()
    help: str = ""
    custodial_only: bool = False
    max_length: int = 200
    # For NUMBER fields: inclusive bounds.
    minimum: int | None = None
    maximum: int | None = None


YES_NO = ("Yes", "No")
# Appendix A does not list RoSH or vulnerability levels; these are the four levels Asset uses and the
# seeds' own wording ("high vulnerability or high risk of serious harm", §10.4).
LEVELS = ("Low", "Medium", "High", "Very High")
HIGH_LEVELS = frozenset({"High", "Very High"})
# The Scaled Approach's three intervention levels.
SCALED_APPROACH = ("Standard", "Enhanced", "Intensive")
# Appendix A does not list gender values. Choice: Male, Female, and "Not known" for a record that does not
# say; anything finer belongs in the case record, not on the long-list.
GENDERS = ("Male", "Female", "Not known")
# Appendix A says "Race/ethnicity" with no list. Choice: the five top-level groups of the 2011 Census
# classification used by youth justice statistics, plus "Not known", so that the sample's mix can be
# compared with the long-list's (seed 000 §10.4 "a representative mix of gender, ethnicity and age").
ETHNICITIES = (
    "White",
    "Mixed",
    "Asian or Asian British",
    "Black or Black British",
    "Other ethnic group",
    "Not known",
)
HOME_HOST = ("Home", "Host")

# Suggested order/sentence types, offered as a non-binding drop-down in the template (any text is
# accepted: order names vary between case management systems).
ORDER_SUGGESTIONS: dict[Heading, tuple[str, ...]] = {
    Heading.FIRST_TIER: ("Referral Order", "Reparation Order"),
    Heading.COMMUNITY: (
        "Youth Rehabilitation Order",
        "Youth Rehabilitation Order with ISS",
    ),
    Heading.CUSTODIAL: (
        "Detention and Training Order",
        "Section 91 detention",
        "Section 226/228 extended or indeterminate sentence",
    ),
}

FIELDS: tuple[Field, ...] = (
    Field(
        "case_id",
        "YOIS/Careworks/Childview ID",
        FieldType.TEXT,
        True,
        max_length=50,
        help="The case's ID in the YOT case management system.",
    ),
    Field("family_name", "Family name", FieldType.TEXT, True),
    Field("first_names", "First names", FieldType.TEXT, True),
    Field("gender", "Gender", FieldType.CHOICE, True, GENDERS),
    Field("date_of_birth", "Date of birth", FieldType.DATE, True),
    Field("ethnicity", "Race/ethnicity", FieldType.CHOICE, True, ETHNICITIES),
    Field(
        "order_type",
        "Type of order/sentence",
        FieldType.TEXT,
        True,
        help="For example Referral Order, Youth Rehabilitation Order, Detention and Training Order.",
    ),
    Field(
        "sentence_date",
        "Sentence date",
        FieldType.DATE,
        True,
        help="Must fall inside the date window written on this heading's sheet.",
    ),
    Field("sentence_length", "Length of sentence", FieldType.TEXT, True, max_length=50, help="For example 12 months."),
    Field(
        "termination_date",
        "Date sentence terminated",
        FieldType.DATE,
        False,
        help="Leave blank if the sentence is still running.",
    ),
    Field("termination_reason", "Reason if terminated early", FieldType.TEXT, False, max_length=500),
    Field(
        "asset_score",
        "ASSET score",
        FieldType.NUMBER,
        False,
        minimum=0,
        maximum=64,
        help="From the first assessment after sentence (0 to 64).",
    ),
    Field(
        "scaled_approach",
        "Scaled Approach level",
        FieldType.CHOICE,
        True,
        SCALED_APPROACH,
        help="The level that applied at the start of the sentence.",
    ),
    Field(
        "vulnerability",
        "Highest vulnerability",
        FieldType.CHOICE,
        True,
        LEVELS,
        help="The highest vulnerability during this sentence to date.",
    ),
    Field(
        "rosh",
        "Highest RoSH",
        FieldType.CHOICE,
        True,
        LEVELS,
        help="The highest Risk of Serious Harm to others during this sentence to date.",
    ),
    Field(
        "looked_after",
        "Looked After",
        FieldType.CHOICE,
        True,
        YES_NO,
        help="Looked After at any time during this sentence to date.",
    ),
    Field(
        "home_host",
        "Home or Host authority",
        FieldType.CHOICE,
        False,
        HOME_HOST,
        help="Only if Looked After: Home if this YOT's local authority is responsible, Host if placed from elsewhere.",
    ),
    Field(
        "child_protection",
        "Child Protection Plan",
        FieldType.CHOICE,
        True,
        YES_NO,
        help="Subject to a Child Protection Plan at any time during this sentence to date.",
    ),
    Field(
        "case_manager",
        "Case manager",
        FieldType.TEXT,
        True,
        help="The case manager who would best represent the case.",
    ),
    Field("case_manager_email", "Case manager email", FieldType.EMAIL, True, max_length=254),
    Field(
        "line_manager",
        "Line manager",
        FieldType.TEXT,
        True,
        help="The line manager providing oversight of the case manager.",
    ),
    Field(
        "case_manager_needs",
        "Case manager diversity or other needs",
        FieldType.TEXT,
        False,
        max_length=500,
        help="For example part-time working, sight or hearing difficulties, religious observance.",
    ),
    Field("office", "Office location", FieldType.TEXT, True),
    Field(
        "suitability_note",
        "Note on suitability",
        FieldType.TEXT,
        False,
        max_length=1000,
        help="If you think the case may not be suitable, keep it on the list and say why here.",
    ),
    Field(
        "other_information",
        "Other relevant information",
        FieldType.TEXT,
        False,
        max_length=1000,
        help="Anything an inspector should know before the case assessment.",
    ),
    # Appendix A: "The following additional fields will be required for custodial cases".
    Field("release_date", "Date of release (actual or expected)", FieldType.DATE, True, custodial_only=True),
    Field(
        "release_reason",
        "Reason for release (if not on licence)",
        FieldType.TEXT,
        False,
        custodial_only=True,
        max_length=500,
    ),
    Field(
        "licence_length", "Length of licence (if released)", FieldType.TEXT, False, custodial_only=True, max_length=50
    ),
)
FIELDS_BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}


def fields_for(heading: Heading) -> tuple[Field, ...]:
    """The columns of one heading's sheet, in template order."""
    if heading is Heading.CUSTODIAL:
        return FIELDS
    return tuple(f for f in FIELDS if not f.custodial_only)


def normalise_header(text: object) -> str:
    """How headers are compared: case, spacing and a trailing required-marker do not matter."""
    if text is None:
        return ""
    return " ".join(str(text).replace("*", " ").split()).casefold()


# --- Eligibility windows -------------------------------------------------------------------------------
# Appendix A: "1st tier cases that commenced at least 6 weeks, and going back up to a further 3 months
# before the inspection announcement, and community and custodial cases that commenced at least 6 weeks
# and going back up to a further 6 months before the announcement."
#
# The arithmetic chosen (both ends inclusive):
#   latest   = announcement date - 42 days (6 calendar weeks)
#   earliest = latest - 3 calendar months (1st tier) or - 6 calendar months (community, custodial),
#              same day of the month, clamped to the month's last day (31 May - 3 months = 28/29 Feb).
# "A further 3 months" is read as further back than the 6 weeks, so the 1st tier window is 3 months long.
# Example: announced Fri 13/03/2026 -> latest 30/01/2026; 1st tier from 30/10/2025, others from 30/07/2025.
# The arithmetic itself lives in one place, inspections/domain/eligibility.py (the announcement email
# states the same windows); this module only gives it the long-list's Heading type.


@dataclass(frozen=True)
class EligibilityWindow:
    heading: Heading
    earliest: dt.date
    latest: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.earliest <= day <= self.latest

    def describe(self) -> str:
        return f"{self.earliest:%d/%m/%Y} to {self.latest:%d/%m/%Y}"


def eligibility_windows(announced: dt.date) -> dict[Heading, EligibilityWindow]:
    """The sentence-date window for each heading, from the announcement date."""
    from inspections.domain.eligibility import eligibility_windows as windows_by_key

    return {
        Heading(key): EligibilityWindow(Heading(key), window.start, window.end)
        for key, window in windows_by_key(announced).items()
    }


# --- Ages --------------------------------------------------------------------------------------------
# Reading of "date of birth plausibility": a youth justice sentence is passed on a child aged 10 (the age
# of criminal responsibility in England and Wales) to 17, so the age in completed years on the sentence
# date must be 10 to 17 inclusive.
MIN_AGE_AT_SENTENCE = 10
MAX_AGE_AT_SENTENCE = 17
# Age bands for the representative mix (seed 000 §10.4 "age"): two-year bands across the youth range.
AGE_BANDS: tuple[tuple[str, int, int], ...] = (("10-13", 10, 13), ("14-15", 14, 15), ("16-17", 16, 17))


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Age in completed years on `day`."""
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def age_band(age: int) -> str:
    for label, low, high in AGE_BANDS:
        if low <= age <= high:
            return label
    return "other"


# --- Exclusions --------------------------------------------------------------------------------------
# Appendix A: "There are certain exceptions (e.g. standalone attendance centre requirements) which are not
# required." The seeds name no other exception. Reading of "standalone": the order/sentence text mentions
# an attendance centre and names nothing else but generic order words (YRO, order, requirement, only...),
# so "YRO - attendance centre requirement only" and "Attendance Centre Order" are excluded, while
# "YRO with supervision and attendance centre requirements" is not.
_ATTENDANCE_CENTRE = re.compile(r"attendance\s*cent(re|er)|\bacr\b")
_GENERIC_WORDS = frozenset(
    {
        "yro",
        "youth",
        "rehabilitation",
        "order",
        "orders",
        "requirement",
        "requirements",
        "attendance",
        "centre",
        "center",
        "centres",
        "acr",
        "standalone",
        "stand",
        "alone",
        "only",
        "with",
        "a",
        "an",
        "the",
        "of",
        "sole",
        "single",
    }
)


def is_standalone_attendance_centre(order_type: str) -> bool:
    text = order_type.casefold()
    if not _ATTENDANCE_CENTRE.search(text):
        return False
    words = re.findall(r"[a-z0-9]+", text)
    return all(word in _GENERIC_WORDS for word in words)


EXCLUSION_MESSAGE = "standalone attendance centre requirements are not required on the long-list; remove this row"

# --- Limits ------------------------------------------------------------------------------------------
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
