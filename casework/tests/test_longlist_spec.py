"""Appendix A as data: windows, exclusions, ages and the export renderer. Pure."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from casework.longlist.export import neutralise, render
from casework.longlist.spec import (
    FIELDS,
    Heading,
    age_band,
    age_on,
    eligibility_windows,
    fields_for,
    is_standalone_attendance_centre,
)


@pytest.mark.parametrize(
    "announced, first_tier, others",
    [
        (
            dt.date(2026, 3, 13),
            (dt.date(2025, 10, 30), dt.date(2026, 1, 30)),
            (dt.date(2025, 7, 30), dt.date(2026, 1, 30)),
        ),
        # 6 weeks before 12/07/2024 is 31/05/2024; 3 months before that is clamped to 29/02/2024 (leap year).
        (
            dt.date(2024, 7, 12),
            (dt.date(2024, 2, 29), dt.date(2024, 5, 31)),
            (dt.date(2023, 11, 30), dt.date(2024, 5, 31)),
        ),
        (dt.date(2026, 2, 13), (dt.date(2025, 10, 2), dt.date(2026, 1, 2)), (dt.date(2025, 7, 2), dt.date(2026, 1, 2))),
    ],
    ids=["march", "month-end-clamped", "across-new-year"],
)
def test_eligibility_windows_from_the_announcement(announced, first_tier, others):
    windows = eligibility_windows(announced)
    assert (windows[Heading.FIRST_TIER].earliest, windows[Heading.FIRST_TIER].latest) == first_tier
    for heading in (Heading.COMMUNITY, Heading.CUSTODIAL):
        assert (windows[heading].earliest, windows[heading].latest) == others


def test_window_ends_are_inclusive():
    window = eligibility_windows(dt.date(2026, 3, 13))[Heading.FIRST_TIER]
    assert [
        window.contains(d)
        for d in (dt.date(2025, 10, 29), dt.date(2025, 10, 30), dt.date(2026, 1, 30), dt.date(2026, 1, 31))
    ] == [False, True, True, False]


@pytest.mark.parametrize(
    "order, excluded",
    [
        ("Attendance Centre Order", True),
        ("YRO - attendance centre requirement only", True),
        ("Youth Rehabilitation Order with Attendance Centre Requirement", True),
        ("Standalone ACR", True),
        ("YRO with supervision and attendance centre requirements", False),
        ("Youth Rehabilitation Order", False),
        ("Referral Order", False),
    ],
    ids=["aco", "yro-acr-only", "yro-with-acr", "standalone-acr", "acr-plus-supervision", "yro", "referral"],
)
def test_standalone_attendance_centre_exclusion(order, excluded):
    assert is_standalone_attendance_centre(order) is excluded


@pytest.mark.parametrize(
    "born, on, age, band",
    [
        (dt.date(2010, 3, 14), dt.date(2026, 3, 13), 15, "14-15"),
        (dt.date(2010, 3, 13), dt.date(2026, 3, 13), 16, "16-17"),
        (dt.date(2015, 1, 1), dt.date(2026, 1, 1), 11, "10-13"),
    ],
    ids=["day-before-birthday", "on-birthday", "young"],
)
def test_age_and_band(born, on, age, band):
    assert (age_on(born, on), age_band(age_on(born, on))) == (age, band)


def test_custodial_sheet_has_the_extra_fields_and_the_notes():
    headers = [f.header for f in fields_for(Heading.CUSTODIAL)]
    assert headers[-3:] == [
        "Date of release (actual or expected)",
        "Reason for release (if not on licence)",
        "Length of licence (if released)",
    ]
    assert {"Note on suitability", "Other relevant information", "Case manager email"} <= set(headers)
    assert len(fields_for(Heading.COMMUNITY)) == len(FIELDS) - 3
    assert len({f.header for f in FIELDS}) == len(FIELDS)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+2", "'=1+2"),
        ("+44 161", "'+44 161"),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Smith", "Smith"),
        (12, 12),
        (None, None),
    ],
    ids=["equals", "plus", "minus", "at", "tab", "cr", "text", "number", "none"],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_csv_export_neutralises_formulas():
    data = render([['=HYPERLINK("http://x")', dt.date(2026, 1, 2), True, 5]], headers=["A", "B", "C", "D"], fmt="csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["A", "B", "C", "D"], ['\'=HYPERLINK("http://x")', "02/01/2026", "Yes", "5"]]


def test_xlsx_export_neutralises_formulas_and_keeps_dates():
    data = render([["@cmd", "-2+3", dt.date(2026, 1, 2)]], headers=["=A", "B", "C"], fmt="xlsx", title="Sample")
    ws = load_workbook(io.BytesIO(data))["Sample"]
    assert [c.value for c in ws[1]] == ["'=A", "B", "C"]
    assert [c.value for c in ws[2]] == ["'@cmd", "'-2+3", dt.datetime(2026, 1, 2)]
    assert ws["C2"].number_format == "DD/MM/YYYY"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_unknown_export_format_is_refused():
    with pytest.raises(ValueError, match="Unknown export format"):
        render([], headers=["A"], fmt="pdf")
