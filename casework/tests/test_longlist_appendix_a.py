"""A long-list written from Appendix A's own words, or exported from a case management system, is read
(issue 10 item 2): header aliases and value synonyms of the spec, each reading reported back; only
what cannot be mapped is an error; columns Appendix A does not ask for are never required;
out-of-court disposals are refused. Pure: no database."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook

from casework.longlist.rows import LongListRow
from casework.longlist.sample_data import synthetic_rows
from casework.longlist.spec import (
    ETHNICITIES,
    ETHNICITY_SYNONYMS,
    FIELDS,
    HEADER_LOOKUP,
    HEADING_LABELS,
    Heading,
    ethnicity_group,
    fields_for,
    non_statutory_disposal,
    normalise_header,
)
from casework.longlist.validate import validate_longlist

ANNOUNCED = dt.date(2026, 3, 13)
BANK = Path(__file__).resolve().parents[1] / "bank"

# Appendix A's list of fields, word for word (seed 000 Appendix A), as a YOT would type them as headers.
APPENDIX_A = {
    "case_id": "YOIS/Careworks/Childview ID",
    "family_name": "Family name",
    "first_names": "First names",
    "gender": "Gender",
    "date_of_birth": "Date of birth",
    "ethnicity": "Race/ethnicity",
    "order_type": "Type of order/sentence",
    "sentence_date": "Sentence date",
    "sentence_length": "Length of sentence",
    "termination_date": "Date sentence terminated (if applicable)",
    "termination_reason": "Reason terminated early",
    "asset_score": "ASSET score from first assessment post sentence",
    "scaled_approach": "The Scaled Approach level that applied at start of sentence",
    "vulnerability": "The highest vulnerability that applied during the specific sentence to date",
    "rosh": "The highest RoSH (Risk of Serious Harm to others) that applied during the specific sentence to date",
    "looked_after": "Whether the child or young person has been \u201cLooked After\u201d at any time during the "
    "specific sentence to date",
    "home_host": "If 'Looked After' were they the responsibility of local authority where the YOT is (i.e. YOT is "
    "in 'Home' authority) or were they placed from elsewhere (YOT is 'Host' authority)",
    "child_protection": "Whether the child or young person has been subject to a Child Protection Plan at any time "
    "during the specific sentence to date",
    "case_manager": "Name of allocated case manager",
    "case_manager_email": "Email address",
    "line_manager": "Name of line manager providing oversight of the allocated case manager",
    "case_manager_needs": "Any diversity or other needs of the case manager that should be taken into account if "
    "they were interviewed (e.g. part time working, learning difficulties, sight or hearing difficulties, "
    "religious observance etc)",
    "office": "Office location where the case manager is based",
    "release_date": "Date of release (actual or expected)",
    "release_reason": "Reason for release (if not on licence)",
    "licence_length": "Length of licence (if released)",
}
# What a case management export writes for the long-list's choices.
EXPORTED_ETHNICITY = {
    "White": "White British",
    "Mixed": "Mixed - White and Black Caribbean",
    "Asian or Asian British": "Pakistani",
    "Black or Black British": "Black or Black British - African",
    "Other ethnic group": "Any other ethnic group",
    "Not known": "Not stated",
}
EXPORTED = {
    "gender": {"Male": "M", "Female": "F", "Not known": "Unknown"},
    "looked_after": {True: "Y", False: "N"},
    "child_protection": {True: "Y", False: "N"},
    "ethnicity": EXPORTED_ETHNICITY,
}


def _rows(n: int = 24) -> list[LongListRow]:
    return synthetic_rows(n, announced=ANNOUNCED, seed=11)


def _value(key: str, value: object) -> object:
    if key in EXPORTED:
        return EXPORTED[key].get(value, value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return "" if value is None else value


def appendix_a_csv(rows, *, headers=APPENDIX_A, leave_out=("suitability_note", "other_information")) -> bytes:
    """A CSV long-list with Appendix A's headers and exported values, without the template's extra notes."""
    keys = [f.key for f in FIELDS if f.key not in leave_out]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Heading", *(headers.get(k, next(f.header for f in FIELDS if f.key == k)) for k in keys)])
    for row in rows:
        writer.writerow(
            [
                HEADING_LABELS[row.heading],
                *(
                    _value(k, getattr(row, k))
                    if row.heading is Heading.CUSTODIAL or not next(f for f in FIELDS if f.key == k).custodial_only
                    else ""
                    for k in keys
                ),
            ]
        )
    return out.getvalue().encode("utf-8")


def appendix_a_workbook(rows) -> bytes:
    """An xlsx of three sheets with Appendix A's headers and no title rows, as a report tool writes."""
    wb = Workbook()
    wb.remove(wb.active)
    for heading in Heading:
        ws = wb.create_sheet(HEADING_LABELS[heading])
        fields = [f for f in fields_for(heading) if f.appendix_a]
        ws.append([APPENDIX_A[f.key] for f in fields])
        for row in rows:
            if row.heading is heading:
                values = []
                for f in fields:
                    value = _value(f.key, getattr(row, f.key))
                    if isinstance(getattr(row, f.key), dt.date):
                        value = dt.datetime.combine(getattr(row, f.key), dt.time())
                    values.append(value if value != "" else None)
                ws.append(values)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- whole files -------------------------------------------------------------------------------------


def test_an_appendix_a_csv_with_exported_values_is_read_with_every_reading_reported():
    rows = _rows()
    result = validate_longlist(appendix_a_csv(rows), announced=ANNOUNCED, filename="export.csv")
    assert result.errors == ()
    assert len(result.rows) == len(rows)
    by_id = {r.case_id: r for r in result.rows}
    for row in rows:
        got = by_id[row.case_id]
        assert (got.gender, got.ethnicity, got.looked_after, got.child_protection) == (
            row.gender,
            row.ethnicity,
            row.looked_after,
            row.child_protection,
        )
    columns = {r.given: r.read_as for r in result.readings if r.kind == "column"}
    assert columns["ASSET score from first assessment post sentence"] == "ASSET score"
    assert columns["Reason terminated early"] == "Reason if terminated early"
    assert columns["Name of allocated case manager"] == "Case manager"
    assert "Family name" not in columns  # the template's own words are not a reading
    values = {(r.column, r.given): (r.read_as, r.rows) for r in result.readings if r.kind == "value"}
    whites = sum(1 for r in rows if r.ethnicity == "White")
    assert values[("Race/ethnicity", "White British")] == ("White", whites)
    assert values[("Gender", "M")] == ("Male", sum(1 for r in rows if r.gender == "Male"))
    assert values[("Looked After", "Y")][0] == "Yes"


def test_an_appendix_a_workbook_without_the_note_columns_is_read():
    rows = _rows()
    result = validate_longlist(appendix_a_workbook(rows), announced=ANNOUNCED, filename="export.xlsx")
    assert result.errors == ()
    assert len(result.rows) == len(rows)
    assert all(r.suitability_note == "" and r.other_information == "" for r in result.rows)
    sheets = {r.given: r.sheets for r in result.readings if r.kind == "column"}
    assert sheets["Office location where the case manager is based"] == ("1st tier", "Community", "Custodial")
    assert "Reason for release (if not on licence)" not in sheets  # the template's own header


def test_the_template_itself_gives_no_readings():
    rows = [dataclasses.replace(r, gender="Male") for r in _rows(6)]
    headers = {k: next(f.header for f in FIELDS if f.key == k) for k in APPENDIX_A}
    data = appendix_a_csv(rows, headers=headers, leave_out=())
    data = data.replace(b",M,", b",Male,").replace(b",Y,", b",Yes,").replace(b",N,", b",No,")
    for exported, choice in EXPORTED_ETHNICITY.items():
        data = data.replace(f",{choice},".encode(), f",{exported},".encode())
    result = validate_longlist(data, announced=ANNOUNCED, filename="template.csv")
    assert result.errors == ()
    assert result.readings == ()


def test_a_column_appendix_a_asks_for_is_still_required():
    rows = _rows(6)
    data = appendix_a_csv(rows, leave_out=("suitability_note", "other_information", "line_manager"))
    result = validate_longlist(data, announced=ANNOUNCED, filename="export.csv")
    assert result.rows == ()
    assert [e.message for e in result.errors] == [
        'The column "Line manager" is missing; add it back as it is in the template'
    ]


def test_an_alias_beside_the_template_header_is_a_duplicate_naming_both_columns():
    rows = _rows(3)
    data = appendix_a_csv(rows)
    text = data.decode().splitlines()
    text[0] = text[0] + ",Surname"
    text[1:] = [line + ",Extra" for line in text[1:]]
    result = validate_longlist("\n".join(text).encode(), announced=ANNOUNCED, filename="x.csv")
    messages = [e.message for e in result.errors]
    assert any('"Surname" is read as "Family name", which column C already gives' in m for m in messages), messages


def test_a_value_that_maps_to_nothing_is_an_error_naming_row_field_and_choices():
    rows = _rows(4)
    data = appendix_a_csv(rows).decode().splitlines()
    data[2] = data[2].replace(",M,", ",Non-binary,").replace(",F,", ",Non-binary,").replace(",Unknown,", ",Non-binary,")
    result = validate_longlist("\n".join(data).encode(), announced=ANNOUNCED, filename="x.csv")
    assert [e.message for e in result.errors] == ["Row 3, Gender: Non-binary is not one of Male, Female, Not known"]
    assert result.readings == ()


# --- out-of-court disposals --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("order", "named"),
    [
        ("Youth Caution", "a youth caution"),
        ("Youth Conditional Caution", "a youth conditional caution"),
        ("YCC", "a youth conditional caution"),
        ("Triage", "triage"),
        ("Community Resolution", "a community resolution"),
        ("Reprimand", "a reprimand"),
        ("Final Warning", "a final warning"),
        ("Outcome 22", "an Outcome 21 or 22 decision"),
        ("Out of court disposal", "an out-of-court disposal"),
    ],
)
def test_out_of_court_disposals_are_refused_by_name(order, named):
    assert non_statutory_disposal(order) == named
    rows = _rows(3)
    rows[1] = dataclasses.replace(rows[1], order_type=order)
    result = validate_longlist(appendix_a_csv(rows), announced=ANNOUNCED, filename="x.csv")
    assert [e.message for e in result.errors] == [
        f"Row 3, Type of order/sentence: {order} is not a court order or sentence ({named}); the long-list lists "
        "statutory cases only, so remove this row"
    ]


@pytest.mark.parametrize(
    "order",
    [
        "Referral Order",
        "Referral Order following a youth caution",
        "Youth Rehabilitation Order",
        "Detention and Training Order",
        "Section 91 detention",
        "Reparation Order",
    ],
)
def test_court_orders_are_not_disposals(order):
    assert non_statutory_disposal(order) is None


# --- the two ethnicity lists ------------------------------------------------------------------------


def _question_6_options(version: str) -> list[str]:
    view0 = yaml.safe_load((BANK / version / "view0.yaml").read_text())
    return next(q["options"] for q in view0["questions"] if str(q["id"]) == "6")


@pytest.mark.parametrize("version", ["2015-01", "2026-12"])
def test_every_answer_of_question_6_has_its_long_list_group(version):
    groups = {option: ethnicity_group(option) for option in _question_6_options(version)}
    assert None not in groups.values(), groups
    assert groups["White - British"] == "White"
    assert groups["Mixed - White and Asian"] == "Mixed"
    assert groups["Chinese or other ethnic group - Chinese"] == "Asian or Asian British"  # 2011 grouping
    assert groups["Chinese or other ethnic group - Any other ethnic group"] == "Other ethnic group"
    assert groups["Not known / not stated"] == "Not known"
    assert set(groups.values()) == set(ETHNICITIES)


@pytest.mark.parametrize(
    ("recorded", "group"),
    [
        ("W1", "White"),
        ("WBRI", "White"),
        ("Gypsy or Irish Traveller", "White"),
        ("White and Black Caribbean", "Mixed"),  # not White, although it starts with "White"
        ("MWBA", "Mixed"),
        ("Black - Caribbean", "Black or Black British"),
        ("Asian/Asian British: Indian", "Asian or Asian British"),
        ("Arab", "Other ethnic group"),
        ("Refused", "Not known"),
        ("white", "White"),
    ],
)
def test_recorded_ethnicities_read_as_their_group(recorded, group):
    assert ethnicity_group(recorded) == group


def test_ambiguous_words_are_not_guessed():
    assert ethnicity_group("British") is None
    assert ethnicity_group("Purple") is None
    assert "british" not in ETHNICITY_SYNONYMS


def test_every_header_alias_belongs_to_one_field_and_the_template_headers_are_in_the_lookup():
    for f in FIELDS:
        assert HEADER_LOOKUP[normalise_header(f.header)] is f
        for alias in f.aliases:
            assert HEADER_LOOKUP[normalise_header(alias)] is f
