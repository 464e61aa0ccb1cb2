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
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType


def N_(text: str) -> str:
    """Marks a text for the translation catalogue (makemessages reads N_) without translating it:
    this module stays free of Django, and the text is translated where it is shown."""
    return text


class Heading(StrEnum):
    """The three headings of Appendix A, in the order the template shows them."""

    FIRST_TIER = "first_tier"
    COMMUNITY = "community"
    CUSTODIAL = "custodial"

    @property
    def label(self) -> str:
        return HEADING_LABELS[self]


HEADING_LABELS: dict[Heading, str] = {
    Heading.FIRST_TIER: N_("1st tier"),
    Heading.COMMUNITY: N_("Community"),
    Heading.CUSTODIAL: N_("Custodial"),
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
        "1st tier cases": Heading.FIRST_TIER,
        "first tier cases": Heading.FIRST_TIER,
        "community cases": Heading.COMMUNITY,
        "custodial cases": Heading.CUSTODIAL,
        "custody cases": Heading.CUSTODIAL,
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
    # Other headers a YOT may give this column: Appendix A's own wording of the field first, then the
    # shorter names case management exports use. Compared as normalise_header does.
    aliases: tuple[str, ...] = ()
    # For CHOICE fields: other values read as one of the choices, keyed by normalise_value(value).
    # Each use is shown back to the YOT before the long-list is stored.
    synonyms: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # False for the columns the template adds beyond Appendix A's list: a file may leave them out.
    appendix_a: bool = True

    @property
    def headers(self) -> tuple[str, ...]:
        """The template header and every alias, as written."""
        return (self.header, *self.aliases)


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


# --- Value synonyms ----------------------------------------------------------------------------------
# Appendix A names the fields, not their values, and a YOT's case management system exports its own
# words ("White British", "M", "Y"). The tables below say which of those words are read as which
# choice. Nothing is read silently: every value read through a synonym is shown back to the YOT, with
# the number of rows, before the long-list is stored, and a value that is in no table is an error.


def normalise_value(text: object) -> str:
    """How values are looked up: case, punctuation and spacing do not matter ("White - British" ==
    "white: british" == "WHITE BRITISH")."""
    return " ".join(re.findall(r"[^\W_]+", str(text).casefold()))


def _table(pairs: Mapping[str, str] | list[tuple[str, str]]) -> Mapping[str, str]:
    items = pairs.items() if isinstance(pairs, Mapping) else pairs
    return MappingProxyType({normalise_value(k): v for k, v in items})


YES_NO_SYNONYMS = _table({"Y": "Yes", "N": "No", "True": "Yes", "False": "No"})
GENDER_SYNONYMS = _table(
    {
        "M": "Male",
        "F": "Female",
        "Boy": "Male",
        "Girl": "Female",
        "U": "Not known",
        "Unknown": "Not known",
        "Not stated": "Not known",
        "Not recorded": "Not known",
        "Prefer not to say": "Not known",
    }
)
LEVEL_SYNONYMS = _table(
    {"L": "Low", "Med": "Medium", "M": "Medium", "H": "High", "VH": "Very High", "V High": "Very High"}
)
SCALED_APPROACH_SYNONYMS = _table({"Std": "Standard", "Enh": "Enhanced", "Int": "Intensive"})
HOME_HOST_SYNONYMS = _table(
    {
        "Home authority": "Home",
        "Host authority": "Host",
        "Home YOT": "Home",
        "Host YOT": "Host",
        "Home LA": "Home",
        "Host LA": "Host",
    }
)

# Ethnicity. The long-list takes the five groups of the 2011 Census (ETHNICITIES above); question 6 of
# the Case Assessment Tool and most case management systems record the detailed categories of the
# 2001 Census ("White - British" ... "Chinese or other ethnic group - Chinese"), often with the 2001
# codes (W1 ... O9) or the codes of the school census (WBRI ... NOBT). Each detailed category is read
# as its 2011 group. The two lists differ in one place: in 2001 "Chinese" sat under "Chinese or other
# ethnic group", in 2011 under "Asian or Asian British"; the long-list follows 2011, so a child
# recorded as Chinese is counted as Asian or Asian British in the sample's mix, and "Arab" (2011 only)
# is read as Other ethnic group.
WHITE, MIXED, ASIAN, BLACK, OTHER, NOT_KNOWN = ETHNICITIES
_GROUP_NAMES: dict[str, tuple[str, ...]] = {
    WHITE: ("White",),
    MIXED: ("Mixed", "Mixed/Multiple ethnic groups", "Mixed or multiple ethnic groups", "Dual heritage"),
    ASIAN: ("Asian", "Asian or Asian British", "Asian/Asian British"),
    BLACK: (
        "Black",
        "Black or Black British",
        "Black/African/Caribbean/Black British",
        "Black, African, Caribbean or Black British",
    ),
    OTHER: ("Other", "Other ethnic group", "Chinese or other ethnic group"),
}
_DETAILS: dict[str, tuple[str, ...]] = {
    WHITE: (
        "British",
        "English",
        "Welsh",
        "Scottish",
        "Northern Irish",
        "English/Welsh/Scottish/Northern Irish/British",
        "Irish",
        "Gypsy or Irish Traveller",
        "Gypsy/Roma",
        "Traveller of Irish heritage",
        "Roma",
        "Any other White background",
        "Other White",
        "Other",
    ),
    MIXED: (
        "White and Black Caribbean",
        "White and Black African",
        "White and Asian",
        "Any other mixed background",
        "Any other Mixed/Multiple ethnic background",
        "Other Mixed",
        "Other",
    ),
    ASIAN: ("Indian", "Pakistani", "Bangladeshi", "Chinese", "Any other Asian background", "Other Asian", "Other"),
    BLACK: ("Caribbean", "African", "Any other Black background", "Other Black", "Other"),
    OTHER: ("Arab", "Any other ethnic group", "Other ethnic group", "Other"),
}
# A detail said without its group, where it names one group only.
_ALONE = {
    detail: group
    for group, details in _DETAILS.items()
    for detail in details
    if detail not in ("British", "Other", "Other ethnic group")
}
_CODES = {
    # 2001 Census codes, as youth justice returns used them.
    "W1": WHITE, "W2": WHITE, "W9": WHITE,
    "M1": MIXED, "M2": MIXED, "M3": MIXED, "M9": MIXED,
    "A1": ASIAN, "A2": ASIAN, "A3": ASIAN, "A9": ASIAN, "O1": ASIAN,
    "B1": BLACK, "B2": BLACK, "B9": BLACK,
    "O9": OTHER,
    # School census codes (Department for Education), which council systems such as Childview share.
    "WBRI": WHITE, "WIRI": WHITE, "WIRT": WHITE, "WROM": WHITE, "WOTH": WHITE,
    "MWBC": MIXED, "MWBA": MIXED, "MWAS": MIXED, "MOTH": MIXED,
    "AIND": ASIAN, "APKN": ASIAN, "ABAN": ASIAN, "AOTH": ASIAN, "CHNE": ASIAN,
    "BCRB": BLACK, "BAFR": BLACK, "BOTH": BLACK,
    "OOTH": OTHER,
    "NS": NOT_KNOWN, "REFU": NOT_KNOWN, "NOBT": NOT_KNOWN,
}  # fmt: skip
_NOT_KNOWN_WORDS = (
    "Unknown",
    "Not stated",
    "Not recorded",
    "Not known / not stated",
    "Refused",
    "Declined",
    "Information refused",
    "Information not obtained",
    "Information not yet obtained",
    "Prefer not to say",
)


def _ethnicity_synonyms() -> Mapping[str, str]:
    pairs: list[tuple[str, str]] = []
    for group, names in _GROUP_NAMES.items():
        for name in names:
            pairs.append((name, group))
            for detail in _DETAILS[group]:
                pairs.append((f"{name} {detail}", group))
    # 2001's "Chinese or other ethnic group - Chinese" is 2011's Asian or Asian British (see above).
    pairs.append(("Chinese or other ethnic group Chinese", ASIAN))
    pairs += list(_ALONE.items()) + list(_CODES.items()) + [(word, NOT_KNOWN) for word in _NOT_KNOWN_WORDS]
    table: dict[str, str] = {}
    for text, group in pairs:
        key = normalise_value(text)
        if table.setdefault(key, group) != group:
            raise ValueError(f"ethnicity synonym {text!r} names two groups: {table[key]} and {group}")
    for choice in ETHNICITIES:  # the choices themselves are not synonyms
        table.pop(normalise_value(choice), None)
    return MappingProxyType(table)


ETHNICITY_SYNONYMS = _ethnicity_synonyms()


def ethnicity_group(recorded: str) -> str | None:
    """The long-list's group for an ethnicity as a case record or question 6 writes it, or None."""
    key = normalise_value(recorded)
    for choice in ETHNICITIES:
        if normalise_value(choice) == key:
            return choice
    return ETHNICITY_SYNONYMS.get(key)


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
        aliases=("YOIS ID", "Careworks ID", "Childview ID", "Case ID", "Case reference", "Client ID", "Person ID"),
    ),
    Field("family_name", "Family name", FieldType.TEXT, True, aliases=("Surname", "Last name")),
    Field(
        "first_names",
        "First names",
        FieldType.TEXT,
        True,
        aliases=("First name", "Forename", "Forenames", "Given names"),
    ),
    Field("gender", "Gender", FieldType.CHOICE, True, GENDERS, aliases=("Sex",), synonyms=GENDER_SYNONYMS),
    Field("date_of_birth", "Date of birth", FieldType.DATE, True, aliases=("DOB", "Birth date")),
    Field(
        "ethnicity",
        "Race/ethnicity",
        FieldType.CHOICE,
        True,
        ETHNICITIES,
        aliases=("Race and ethnicity", "Ethnicity", "Ethnic group", "Ethnic origin", "Race"),
        synonyms=ETHNICITY_SYNONYMS,
    ),
    Field(
        "order_type",
        "Type of order/sentence",
        FieldType.TEXT,
        True,
        help="For example Referral Order, Youth Rehabilitation Order, Detention and Training Order.",
        aliases=("Type of order", "Type of sentence", "Order type", "Sentence type", "Order/sentence", "Disposal"),
    ),
    Field(
        "sentence_date",
        "Sentence date",
        FieldType.DATE,
        True,
        help="Must fall inside the date window written on this heading's sheet.",
        aliases=("Date of sentence", "Sentenced on", "Order start date", "Start date"),
    ),
    Field(
        "sentence_length",
        "Length of sentence",
        FieldType.TEXT,
        True,
        max_length=50,
        help="For example 12 months.",
        aliases=("Sentence length", "Order length", "Length of order"),
    ),
    Field(
        "termination_date",
        "Date sentence terminated",
        FieldType.DATE,
        False,
        help="Leave blank if the sentence is still running.",
        aliases=(
            "Date sentence terminated (if applicable)",
            "Date terminated",
            "Termination date",
            "End date",
            "Date order ended",
        ),
    ),
    Field(
        "termination_reason",
        "Reason if terminated early",
        FieldType.TEXT,
        False,
        max_length=500,
        # Appendix A: "Date sentence terminated (if applicable), plus a reason if terminated early".
        aliases=(
            "Plus a reason if terminated early",
            "Reason terminated early",
            "Reason for early termination",
            "Reason sentence terminated early",
            "Termination reason",
            "Reason for termination",
        ),
    ),
    Field(
        "asset_score",
        "ASSET score",
        FieldType.NUMBER,
        False,
        minimum=0,
        maximum=64,
        help="From the first assessment after sentence (0 to 64).",
        aliases=(
            "ASSET score from first assessment post sentence",
            "ASSET score from first assessment after sentence",
            "First ASSET score",
            "Asset score post sentence",
        ),
    ),
    Field(
        "scaled_approach",
        "Scaled Approach level",
        FieldType.CHOICE,
        True,
        SCALED_APPROACH,
        help="The level that applied at the start of the sentence.",
        aliases=(
            "The Scaled Approach level that applied at start of sentence",
            "Scaled Approach level that applied at start of sentence",
            "Scaled Approach level at start of sentence",
            "Scaled Approach",
            "Intervention level",
        ),
        synonyms=SCALED_APPROACH_SYNONYMS,
    ),
    Field(
        "vulnerability",
        "Highest vulnerability",
        FieldType.CHOICE,
        True,
        LEVELS,
        help="The highest vulnerability during this sentence to date.",
        aliases=(
            "The highest vulnerability that applied during the specific sentence to date",
            "Highest vulnerability that applied during the specific sentence to date",
            "Highest vulnerability during sentence",
            "Vulnerability",
            "Vulnerability level",
        ),
        synonyms=LEVEL_SYNONYMS,
    ),
    Field(
        "rosh",
        "Highest RoSH",
        FieldType.CHOICE,
        True,
        LEVELS,
        help="The highest Risk of Serious Harm to others during this sentence to date.",
        aliases=(
            "The highest RoSH (Risk of Serious Harm to others) that applied during the specific sentence to date",
            "Highest RoSH (Risk of Serious Harm to others) that applied during the specific sentence to date",
            "Highest RoSH during sentence",
            "Highest Risk of Serious Harm",
            "RoSH",
            "RoSH level",
            "Risk of Serious Harm",
        ),
        synonyms=LEVEL_SYNONYMS,
    ),
    Field(
        "looked_after",
        "Looked After",
        FieldType.CHOICE,
        True,
        YES_NO,
        help="Looked After at any time during this sentence to date.",
        aliases=(
            'Whether the child or young person has been "Looked After" at any time during the specific sentence'
            " to date",
            "Looked After at any time during the specific sentence to date",
            "Looked After at any time during sentence",
            "Looked After Child",
            "Child Looked After",
            "LAC",
            "CLA",
        ),
        synonyms=YES_NO_SYNONYMS,
    ),
    Field(
        "home_host",
        "Home or Host authority",
        FieldType.CHOICE,
        False,
        HOME_HOST,
        help="Only if Looked After: Home if this YOT's local authority is responsible, Host if placed from elsewhere.",
        aliases=(
            "If 'Looked After' were they the responsibility of local authority where the YOT is (i.e. YOT is in"
            " 'Home' authority) or were they placed from elsewhere (YOT is 'Host' authority)",
            "Home or Host",
            "Home/Host",
            "Home/Host authority",
            "Home or Host YOT",
        ),
        synonyms=HOME_HOST_SYNONYMS,
    ),
    Field(
        "child_protection",
        "Child Protection Plan",
        FieldType.CHOICE,
        True,
        YES_NO,
        help="Subject to a Child Protection Plan at any time during this sentence to date.",
        aliases=(
            "Whether the child or young person has been subject to a Child Protection Plan at any time during the"
            " specific sentence to date",
            "Subject to a Child Protection Plan at any time during the specific sentence to date",
            "Subject to a Child Protection Plan",
            "Child Protection Plan at any time during sentence",
            "CPP",
        ),
        synonyms=YES_NO_SYNONYMS,
    ),
    Field(
        "case_manager",
        "Case manager",
        FieldType.TEXT,
        True,
        help="The case manager who would best represent the case.",
        aliases=("Name of allocated case manager", "Allocated case manager", "Case manager name", "Case worker"),
    ),
    Field(
        "case_manager_email",
        "Case manager email",
        FieldType.EMAIL,
        True,
        max_length=254,
        aliases=(
            "Case manager email address",
            "Case manager's email address",
            "Email address of allocated case manager",
            "Their email address",
            "Email address",
            "Email",
        ),
    ),
    Field(
        "line_manager",
        "Line manager",
        FieldType.TEXT,
        True,
        help="The line manager providing oversight of the case manager.",
        aliases=(
            "Name of line manager providing oversight of the allocated case manager",
            "Name of line manager",
            "Line manager name",
            "Team manager",
        ),
    ),
    Field(
        "case_manager_needs",
        "Case manager diversity or other needs",
        FieldType.TEXT,
        False,
        max_length=500,
        help="For example part-time working, sight or hearing difficulties, religious observance.",
        aliases=(
            "Any diversity or other needs of the case manager that should be taken into account if they were"
            " interviewed",
            "Any diversity or other needs of the case manager that should be taken into account if they were"
            " interviewed (e.g. part time working, learning difficulties, sight or hearing difficulties,"
            " religious observance etc)",
            "Diversity or other needs of the case manager",
            "Case manager needs",
            "Diversity or other needs",
        ),
    ),
    Field(
        "office",
        "Office location",
        FieldType.TEXT,
        True,
        aliases=("Office location where the case manager is based", "Office", "Base", "Team location"),
    ),
    Field(
        "suitability_note",
        "Note on suitability",
        FieldType.TEXT,
        False,
        max_length=1000,
        help="If you think the case may not be suitable, keep it on the list and say why here.",
        aliases=("Suitability", "Suitability note", "Note"),
        appendix_a=False,  # seed 000 §10.4's note, offered as a column; a file may leave it out
    ),
    Field(
        "other_information",
        "Other relevant information",
        FieldType.TEXT,
        False,
        max_length=1000,
        help="Anything an inspector should know before the case assessment.",
        aliases=("Other information", "Notes", "Comments"),
        appendix_a=False,  # seed 000 §10.4's "other relevant information"; a file may leave it out
    ),
    # Appendix A: "The following additional fields will be required for custodial cases".
    Field(
        "release_date",
        "Date of release (actual or expected)",
        FieldType.DATE,
        True,
        custodial_only=True,
        aliases=("Release date", "Date of release", "Actual or expected release date"),
    ),
    Field(
        "release_reason",
        "Reason for release (if not on licence)",
        FieldType.TEXT,
        False,
        custodial_only=True,
        max_length=500,
        aliases=("Reason for release", "Release reason"),
    ),
    Field(
        "licence_length",
        "Length of licence (if released)",
        FieldType.TEXT,
        False,
        custodial_only=True,
        max_length=50,
        aliases=("Length of licence", "Licence length", "Licence period"),
    ),
)
FIELDS_BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}


def fields_for(heading: Heading) -> tuple[Field, ...]:
    """The columns of one heading's sheet, in template order."""
    if heading is Heading.CUSTODIAL:
        return FIELDS
    return tuple(f for f in FIELDS if not f.custodial_only)


def normalise_header(text: object) -> str:
    """How headers are compared: case, punctuation, spacing and a required-marker (*) do not matter, so
    'Whether ... "Looked After" ...' matches however the quotes were typed."""
    if text is None:
        return ""
    return normalise_value(text)


def _header_lookup() -> Mapping[str, Field]:
    table: dict[str, Field] = {}
    for f in FIELDS:
        for header in f.headers:
            key = normalise_header(header)
            if table.setdefault(key, f) is not f:
                raise ValueError(f"header {header!r} is given for two fields: {table[key].key} and {f.key}")
    return MappingProxyType(table)


# Every header a long-list may use, template header or alias, to its field.
HEADER_LOOKUP: Mapping[str, Field] = _header_lookup()


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


EXCLUSION_MESSAGE = N_("standalone attendance centre requirements are not required on the long-list; remove this row")

# Appendix A asks for "recent statutory cases" under 1st tier, community and custodial headings: court
# orders and sentences. Out-of-court disposals are not statutory cases, so a row whose order/sentence
# names one is refused (with its name) unless the text also names a court order or sentence ("Referral
# Order following a youth caution" stays). The disposals named are those of youth justice practice
# before and after LASPO 2012; the seeds name none, so this list is our reading.
NON_STATUTORY_DISPOSALS: tuple[tuple[str, str], ...] = (
    (r"youth\s+conditional\s+caution|\byc{2}\b", N_("a youth conditional caution")),
    (r"youth\s+caution|\bcaution\b", N_("a youth caution")),
    (r"community\s+resolution|\bcr\b", N_("a community resolution")),
    (r"\btriage\b", N_("triage")),
    (r"\breprimand\b", N_("a reprimand")),
    (r"final\s+warning", N_("a final warning")),
    (r"outcome\s*(?:22|21)\b", N_("an Outcome 21 or 22 decision")),
    (r"out[\s-]+of[\s-]+court|\boocd\b", N_("an out-of-court disposal")),
    (r"no\s+further\s+action|\bnfa\b", N_("no further action")),
)
_COURT_ORDER = re.compile(
    r"\border\b|\bsentence|\bdetention\b|\bdto\b|\byro\b|\bcustod|\blicen[cs]e\b|\bsection\s*\d|\bs\s*\d{2,3}\b"
)
_DISPOSALS = tuple((re.compile(pattern), name) for pattern, name in NON_STATUTORY_DISPOSALS)


def non_statutory_disposal(order_type: str) -> str | None:
    """The out-of-court disposal an order/sentence text names ("a youth caution"), or None."""
    text = order_type.casefold()
    if _COURT_ORDER.search(text):
        return None
    for pattern, name in _DISPOSALS:
        if pattern.search(text):
            return name
    return None


# --- Limits ------------------------------------------------------------------------------------------
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
