"""The long-list reader and validator: every kind of bad file gives its plain-English message, and a
filled template reads back with no errors. Pure: no database."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import load_workbook

from casework.longlist.export import LONGLIST_HEADERS, longlist_rows, render
from casework.longlist.reader import XML_BOMB_MESSAGE, ReadLimits
from casework.longlist.sample_data import cell_values, synthetic_rows
from casework.longlist.spec import HEADING_LABELS, Heading, eligibility_windows, fields_for
from casework.longlist.template import HEADER_ROW, build_template
from casework.longlist.validate import validate_longlist

ANNOUNCED = dt.date(2026, 3, 13)
WINDOWS = eligibility_windows(ANNOUNCED)
FIRST = HEADER_ROW + 1  # the first case row of a template sheet


def _rows():
    rows = synthetic_rows(12, announced=ANNOUNCED, seed=7)
    # Make sure every heading has at least one row, whatever the generator drew.
    return rows


def _filled(rows=None, edit=None) -> bytes:
    """The real template filled with valid rows, optionally edited (non-read-only) before saving."""
    rows = _rows() if rows is None else rows
    wb = load_workbook(io.BytesIO(build_template(yot_name="Testshire YOT", announced=ANNOUNCED, windows=WINDOWS)))
    next_row = {h: FIRST for h in Heading}
    for row in rows:
        ws = wb[HEADING_LABELS[row.heading]]
        for col, value in enumerate(cell_values(row), start=1):
            ws.cell(row=next_row[row.heading], column=col, value=value)
        next_row[row.heading] += 1
    if edit:
        edit(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _messages(data: bytes, **kwargs) -> list[str]:
    result = validate_longlist(data, announced=ANNOUNCED, **kwargs)
    assert result.rows == ()
    return [e.message for e in result.errors]


def _column(heading: Heading, key: str) -> int:
    return next(i for i, f in enumerate(fields_for(heading), start=1) if f.key == key)


def _set(sheet: str, row: int, key: str, value):
    heading = next(h for h, label in HEADING_LABELS.items() if label == sheet)

    def edit(wb):
        cell = wb[sheet].cell(row=row, column=_column(heading, key))
        cell.value = value  # ws.cell(value=None) would leave the old value in place
        if isinstance(value, (int, float)):
            cell.number_format = "General"

    return edit


def test_template_round_trip_reads_every_row_with_no_errors():
    rows = _rows()
    result = validate_longlist(_filled(rows), announced=ANNOUNCED)
    assert result.errors == ()
    assert result.row_count == len(rows) == len(result.rows)
    by_id = {r.case_id: r for r in result.rows}
    for row in rows:
        got = by_id[row.case_id]
        assert (got.family_name, got.date_of_birth, got.rosh, got.looked_after, got.release_date) == (
            row.family_name,
            row.date_of_birth,
            row.rosh,
            row.looked_after,
            row.release_date,
        )


def test_empty_template_is_valid_with_no_rows():
    result = validate_longlist(build_template(yot_name="X", announced=ANNOUNCED, windows=WINDOWS), announced=ANNOUNCED)
    assert (result.ok, result.row_count) == (True, 0)


def test_template_writes_windows_and_headers():
    wb = load_workbook(io.BytesIO(build_template(yot_name="Testshire YOT", announced=ANNOUNCED, windows=WINDOWS)))
    assert wb.sheetnames == ["Instructions", "1st tier", "Community", "Custodial"]
    assert wb["1st tier"]["A2"].value.startswith("Only cases with a sentence date from 30/10/2025 to 30/01/2026")
    assert wb["Custodial"]["A2"].value.startswith("Only cases with a sentence date from 30/07/2025 to 30/01/2026")
    assert [c.value for c in wb["Custodial"][HEADER_ROW]] == [f.header for f in fields_for(Heading.CUSTODIAL)]
    assert len(wb["Community"].data_validations.dataValidation) >= 8


def test_csv_export_reads_back_as_a_valid_long_list():
    rows = _rows()
    data = render(longlist_rows(rows), headers=LONGLIST_HEADERS, fmt="csv")
    result = validate_longlist(data, announced=ANNOUNCED, filename="list.csv")
    assert result.errors == ()
    assert sorted(r.case_id for r in result.rows) == sorted(r.case_id for r in rows)


@pytest.mark.parametrize(
    "data, filename, message",
    [
        (
            b"%PDF-1.4 hello",
            "list.pdf",
            "This file is not a spreadsheet. Upload the long-list as an Excel "
            "workbook (.xlsx) made from the template, or as a CSV file.",
        ),
        (
            b"\x00\x01\x02binary",
            None,
            "This file is not a spreadsheet. Upload the long-list as an Excel "
            "workbook (.xlsx) made from the template, or as a CSV file.",
        ),
        (
            b"hello",
            "list.xlsx",
            "list.xlsx is named as an Excel file but is not one. Upload the .xlsx long-list made from the template.",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
            "list.xls",
            "This is an old-style Excel 97-2003 (.xls) file or a password-protected workbook. Save it as an Excel "
            "Workbook (.xlsx) without a password and upload it again.",
        ),
        (b"", None, "The file is empty."),
        (
            b"PK\x03\x04garbage",
            None,
            "The file looks like an Excel workbook but is damaged and cannot be opened. "
            "Save it again as an Excel Workbook (.xlsx).",
        ),
    ],
    ids=["pdf", "binary", "xlsx-name-not-zip", "old-xls", "empty", "damaged-zip"],
)
def test_not_a_spreadsheet_is_refused(data, filename, message):
    assert _messages(data, filename=filename) == [message]


def test_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert _messages(buffer.getvalue()) == [
        "This is a zip file but not an Excel workbook (.xlsx). Upload the long-list made from the template."
    ]


def test_file_over_the_size_limit_is_refused():
    assert _messages(b"x" * 2048, limits=ReadLimits(max_bytes=1024)) == [
        "The file is 2 KB, larger than the 1 KB limit. A long-list should be far smaller: check that it holds "
        "only the long-list."
    ]


def _zip_with(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_zip_bomb_by_ratio_is_refused():
    data = _zip_with(
        {
            "[Content_Types].xml": b"<x/>",
            "xl/workbook.xml": b"<x/>",
            "xl/worksheets/sheet1.xml": b"\x00" * (30 * 1024 * 1024),
        }
    )
    assert _messages(data) == [
        "Part xl/worksheets/sheet1.xml of the workbook would unpack to 30 MB from 29 KB, more than 200 times its "
        "size; it may be a zip bomb and has not been opened."
    ]


def test_zip_bomb_by_total_size_is_refused():
    data = _filled()
    unpacked = sum(e.file_size for e in zipfile.ZipFile(io.BytesIO(data)).infolist()) // 1024
    assert _messages(data, limits=ReadLimits(max_uncompressed=10 * 1024)) == [
        f"The workbook would unpack to {unpacked} KB, "
        "more than the 10 KB limit; it may be a zip bomb and has not been opened."
    ]


def _replace_part(data: bytes, name: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            content = source.read(info.filename)
            out.writestr(info.filename, change(content) if info.filename == name else content)
    return buffer.getvalue()


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
)


def _body(content: bytes) -> bytes:
    return content.split(b"?>", 1)[1] if content.startswith(b"<?xml") else content


def test_xml_bomb_is_refused_before_parsing():
    data = _replace_part(_filled(), "xl/worksheets/sheet2.xml", lambda content: BILLION_LAUGHS + _body(content))
    assert _messages(data) == [XML_BOMB_MESSAGE]


def test_xml_bomb_hidden_after_a_long_comment_is_refused_by_defusedxml():
    def bomb(content: bytes) -> bytes:
        return b'<?xml version="1.0"?><!--' + b"x" * 8000 + b"-->" + BILLION_LAUGHS[21:] + _body(content)

    data = _replace_part(_filled(), "xl/worksheets/sheet2.xml", bomb)
    assert _messages(data) == [XML_BOMB_MESSAGE]


def test_formula_is_refused():
    assert _messages(_filled(edit=_set("Community", FIRST, "family_name", '=HYPERLINK("x")'))) == [
        f'Row {FIRST}, Family name: contains a formula (=HYPERLINK("x")); type the value itself, not a formula'
    ]


def test_formula_in_a_date_cell_is_refused():
    assert _messages(_filled(edit=_set("1st tier", FIRST, "date_of_birth", "=TODAY()"))) == [
        f"Row {FIRST}, Date of birth: contains a formula (=TODAY()); type the date itself"
    ]


def test_merged_cells_are_refused():
    def merge(wb):
        wb["Custodial"].merge_cells(f"B{FIRST}:C{FIRST}")

    # Merging keeps only the top-left value, so the merged-over cell is also reported as empty.
    assert _messages(_filled(edit=merge)) == [
        f"Row {FIRST}, First names: is required",
        f"Row {FIRST}: cells B{FIRST}:C{FIRST} are merged; unmerge them so that each cell holds one value",
    ]


def test_merged_title_cells_above_the_table_are_fine():
    def merge(wb):
        wb["Custodial"].merge_cells("A1:F1")

    assert validate_longlist(_filled(edit=merge), announced=ANNOUNCED).ok


def test_extra_column_is_refused():
    def extra(wb):
        wb["Community"].cell(row=HEADER_ROW, column=40, value="Risk notes")

    assert _messages(_filled(edit=extra)) == [
        f'Row {HEADER_ROW}, column AN: "Risk notes" is not a column of the template; delete the column '
        '(put extra notes in "Other relevant information")'
    ]


def test_renamed_column_is_refused_with_the_expected_header():
    def rename(wb):
        wb["1st tier"].cell(row=HEADER_ROW, column=_column(Heading.FIRST_TIER, "date_of_birth"), value="Date of brith")

    assert _messages(_filled(edit=rename)) == [
        f'Row {HEADER_ROW}, column E: the column is headed "Date of brith" but the template calls it "Date of birth"; '
        "rename it"
    ]


def test_missing_column_is_refused():
    def remove(wb):
        wb["Community"].cell(row=HEADER_ROW, column=_column(Heading.COMMUNITY, "office")).value = None

    assert _messages(_filled(edit=remove)) == [
        'The column "Office location" is missing; add it back as it is in the template',
        f"Row {FIRST}, column W: has a value but no column header; move it into a template column or delete it",
    ]


def test_custodial_column_on_another_sheet_is_refused():
    def add(wb):
        wb["1st tier"].cell(row=HEADER_ROW, column=26, value="Date of release (actual or expected)")

    assert _messages(_filled(edit=add)) == [
        f'Row {HEADER_ROW}, column Z: "Date of release (actual or expected)" is a custodial field and belongs on '
        "the Custodial sheet only; delete this column"
    ]


def test_blank_rows_between_cases_are_refused_but_trailing_blanks_are_fine():
    rows = [r for r in _rows() if r.heading is Heading.COMMUNITY][:2]

    def gap(wb):
        ws = wb["Community"]
        for col, value in enumerate(cell_values(rows[1]), start=1):
            ws.cell(row=FIRST + 1, column=col).value = None
            ws.cell(row=FIRST + 3, column=col, value=value)

    assert _messages(_filled(rows, edit=gap)) == [
        f"Rows {FIRST + 1} to {FIRST + 2} are blank; delete blank rows between cases"
    ]


def test_date_typed_as_text_is_refused():
    assert _messages(_filled(edit=_set("Community", FIRST, "sentence_date", "12/12/2025"))) == [
        f"Row {FIRST}, Sentence date: 12/12/2025 is typed as text, not entered as a date; retype it as a date "
        "(or format the column as Date, dd/mm/yyyy)"
    ]


def test_impossible_date_is_not_a_date():
    assert _messages(_filled(edit=_set("Community", FIRST, "date_of_birth", "31/02/2009"))) == [
        f"Row {FIRST}, Date of birth: 31/02/2009 is not a date"
    ]


def test_number_in_a_date_cell_is_refused():
    assert _messages(_filled(edit=_set("Community", FIRST, "date_of_birth", 45000))) == [
        f"Row {FIRST}, Date of birth: 45000 is a number, not a date; format the cell as a date (dd/mm/yyyy)"
    ]


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("family_name", None, "Family name: is required"),
        ("case_manager_email", None, "Case manager email: is required"),
        ("case_manager_email", "j.smith at yot", "Case manager email: j.smith at yot is not an email address"),
        ("gender", "Non-binary", "Gender: Non-binary is not one of Male, Female, Not known"),
        ("rosh", "Extreme", "Highest RoSH: Extreme is not one of Low, Medium, High, Very High"),
        ("scaled_approach", "Max", "Scaled Approach level: Max is not one of Standard, Enhanced, Intensive"),
        ("asset_score", 70, "ASSET score: 70 is not between 0 and 64"),
        ("asset_score", "high", "ASSET score: high is not a whole number"),
        (
            "order_type",
            "YRO - attendance centre requirement only",
            "Type of order/sentence: standalone attendance centre requirements are not required on the long-list; "
            "remove this row",
        ),
    ],
    ids=[
        "required",
        "email-required",
        "email-format",
        "gender",
        "rosh",
        "scaled-approach",
        "asset-range",
        "asset-text",
        "attendance-centre",
    ],
)
def test_bad_cell_gives_row_and_column(key, value, message):
    assert _messages(_filled(edit=_set("Community", FIRST, key, value))) == [f"Row {FIRST}, {message}"]


def test_sentence_date_outside_the_window_is_refused():
    edit = _set("1st tier", FIRST, "sentence_date", dt.datetime(2025, 8, 1))
    messages = _messages(_filled(edit=edit))
    assert messages[0] == (
        f"Row {FIRST}, Sentence date: 01/08/2025 is outside the window for 1st tier cases (30/10/2025 to 30/01/2026)"
    )


def test_child_outside_youth_ages_is_refused():
    rows = _rows()
    row = next(r for r in rows if r.heading is Heading.COMMUNITY)
    born = dt.date(row.sentence_date.year - 20, 1, 1)
    messages = _messages(_filled(rows, edit=_set("Community", FIRST, "date_of_birth", dt.datetime(born.year, 1, 1))))
    assert messages == [
        f"Row {FIRST}, Date of birth: 01/01/{born.year} makes the child "
        f"{row.sentence_date.year - born.year} on the sentence date; a child must be 10 to 17"
    ]


def test_termination_before_sentence_is_refused():
    rows = _rows()
    row = next(r for r in rows if r.heading is Heading.COMMUNITY)
    before = row.sentence_date - dt.timedelta(days=1)
    edit = _set("Community", FIRST, "termination_date", dt.datetime.combine(before, dt.time()))
    assert _messages(_filled(rows, edit=edit)) == [
        f"Row {FIRST}, Date sentence terminated: {before:%d/%m/%Y} is before the sentence date "
        f"{row.sentence_date:%d/%m/%Y}"
    ]


def test_duplicate_case_id_names_both_rows():
    rows = _rows()
    other = next(r for r in rows if r.heading is Heading.FIRST_TIER)
    first_tier_row = FIRST + [r for r in rows if r.heading is Heading.FIRST_TIER].index(other)
    assert _messages(_filled(rows, edit=_set("Custodial", FIRST, "case_id", other.case_id.lower()))) == [
        f"Row {FIRST}, YOIS/Careworks/Childview ID: {other.case_id.lower()} is also on row {first_tier_row} of the "
        "1st tier sheet; list each child once"
    ]


def test_duplicate_name_and_birth_date_names_both_rows():
    rows = _rows()
    community = [r for r in rows if r.heading is Heading.COMMUNITY]
    a = community[0]

    def copy(wb):
        ws = wb["Community"]
        ws.cell(row=FIRST + 1, column=_column(Heading.COMMUNITY, "family_name"), value=a.family_name.upper())
        ws.cell(row=FIRST + 1, column=_column(Heading.COMMUNITY, "first_names"), value=a.first_names)
        ws.cell(
            row=FIRST + 1,
            column=_column(Heading.COMMUNITY, "date_of_birth"),
            value=dt.datetime.combine(a.date_of_birth, dt.time()),
        )

    messages = _messages(_filled(rows, edit=copy))
    assert (
        f"Row {FIRST + 1}: the same family name, first names and date of birth are also on row {FIRST} of the "
        "Community sheet; list each child once" in messages
    )


def test_home_host_required_when_looked_after():
    edit_la = _set("Community", FIRST, "looked_after", "Yes")

    def edit(wb):
        edit_la(wb)
        _set("Community", FIRST, "home_host", None)(wb)

    assert _messages(_filled(edit=edit)) == [
        f"Row {FIRST}, Home or Host authority: is required when Looked After is Yes"
    ]


def test_missing_sheet_is_refused():
    def drop(wb):
        del wb["Custodial"]

    assert _messages(_filled([r for r in _rows() if r.heading is not Heading.CUSTODIAL], edit=drop)) == [
        'The workbook has no "Custodial" sheet; use the template, which has one sheet for each heading (leave a '
        "sheet empty if there are no cases under that heading)"
    ]


def test_unsuitable_case_stays_on_the_list_with_its_note():
    edit = _set("Community", FIRST, "suitability_note", "Revoked before we met the child")
    result = validate_longlist(_filled(edit=edit), announced=ANNOUNCED)
    noted = [r for r in result.rows if r.noted_unsuitable]
    assert [r.suitability_note for r in noted] == ["Revoked before we met the child"]


def test_csv_custodial_field_on_a_community_row_is_refused():
    rows = [r for r in _rows() if r.heading is Heading.COMMUNITY][:1]
    table = list(longlist_rows(rows))
    table[0][LONGLIST_HEADERS.index("Date of release (actual or expected)")] = "01/02/2026"
    assert _messages(render(table, headers=LONGLIST_HEADERS, fmt="csv")) == [
        "Row 2, Date of release (actual or expected): custodial fields are for Custodial rows only; this row is "
        "Community, so leave it blank"
    ]


def test_csv_heading_must_be_known():
    rows = _rows()[:1]
    table = list(longlist_rows(rows))
    table[0][0] = "Secure"
    assert _messages(render(table, headers=LONGLIST_HEADERS, fmt="csv")) == [
        "Row 2, Heading: Secure is not one of 1st tier, Community, Custodial"
    ]


def test_csv_dates_accept_uk_text_and_refuse_two_digit_years():
    rows = [r for r in _rows() if r.heading is Heading.COMMUNITY][:1]
    table = list(longlist_rows(rows))
    table[0][LONGLIST_HEADERS.index("Date of birth")] = "01/02/09"
    assert _messages(render(table, headers=LONGLIST_HEADERS, fmt="csv")) == [
        "Row 2, Date of birth: 01/02/09 has a two-digit year; write dates as dd/mm/yyyy"
    ]


def test_errors_are_capped():
    rows = synthetic_rows(30, announced=ANNOUNCED, seed=3)

    def blank_emails(wb):
        for heading in Heading:
            ws = wb[HEADING_LABELS[heading]]
            for r in range(FIRST, FIRST + 30):
                if ws.cell(row=r, column=1).value:
                    ws.cell(row=r, column=_column(heading, "case_manager_email")).value = None

    messages = _messages(_filled(rows, edit=blank_emails), max_errors=5)
    assert messages[5] == "... and 25 more errors not shown. Fix the errors above and upload again."
    assert len(messages) == 6


def _varied_sheet(rows: int, cells_per_row: int) -> bytes:
    """Sheet XML of numbered cells: varied enough to compress well under the ratio limit."""
    import random

    rng = random.Random(7)
    out = [b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r in range(1, rows + 1):
        cells = b"".join(b'<c r="A%d"><v>%d</v></c>' % (r, rng.randrange(10**9)) for _ in range(cells_per_row))
        out.append(b'<row r="%d">%s</row>' % (r, cells))
    out.append(b"</sheetData></worksheet>")
    return b"".join(out)


@pytest.mark.parametrize(
    ("parts", "says"),
    [
        pytest.param(
            {"xl/worksheets/sheet1.xml": _varied_sheet(20_001, 1)},
            "A sheet of the workbook (sheet1) has more than 10,000 rows",
            id="many-rows",
        ),
        pytest.param(
            {"xl/worksheets/sheet1.xml": _varied_sheet(2_000, 250)},
            "A sheet of the workbook (sheet1) has more than 400,000 cells",
            id="many-cells-under-the-ratio-limit",
        ),
        pytest.param(
            {"xl/sharedStrings.xml": b"<sst>" + b"".join(b"<si><t>%d</t></si>" % i for i in range(400_001)) + b"</sst>"},
            "The workbook holds more than 400,000 different texts",
            id="huge-shared-strings",
        ),
    ],
)  # fmt: skip
def test_bombs_that_evade_the_ratio_check_are_refused_fast_by_counting(parts, says):
    import time

    data = _zip_with({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>", **parts})
    info = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert all(e.file_size < 200 * max(e.compress_size, 1) for e in info)  # the ratio check lets it by
    started = time.process_time()
    (message,) = _messages(data)
    assert time.process_time() - started < 2
    assert message.startswith(says)
