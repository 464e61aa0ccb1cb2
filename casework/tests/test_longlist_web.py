"""The long-list pages through the views: template, upload (good and bad files), versions, late flag."""

from __future__ import annotations

import html
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from casework.longlist.spec import DEFAULT_MAX_BYTES, Heading
from casework.longlist.template import HEADER_ROW
from casework.models import LongList, LongListEntry
from casework.services.longlist import announcement_date, versions_with_changes
from casework.tests import factories_longlist as fl
from inspections.enums import Status
from inspections.models import AuditEvent, Inspection

pytestmark = pytest.mark.django_db
FIRST = fl.FIRST


@pytest.fixture
def world():
    return fl.team()


def _url(world, name="casework:longlist", *args):
    return reverse(name, args=[world["inspection"].reference, *args])


def _upload(client, world, data: bytes, name: str = "long-list.xlsx"):
    client.force_login(world["people"]["yot_manager"])
    return client.post(_url(world), {"upload": SimpleUploadedFile(name, data)})


def _page(response) -> str:
    return html.unescape(response.content.decode())


def test_template_download_has_the_inspections_windows_and_yot_name(client, world):
    inspection = world["inspection"]
    client.force_login(world["people"]["yot_manager"])
    response = client.get(_url(world, "casework:longlist_template"))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="long-list-template-{inspection.reference}.xlsx"'
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Instructions", "1st tier", "Community", "Custodial"]
    window = fl.eligibility_windows(announcement_date(inspection))[Heading.FIRST_TIER]
    assert wb["1st tier"]["A2"].value.startswith(f"Only cases with a sentence date from {window.describe()}")
    assert "Northshire" in wb["1st tier"]["A1"].value


def test_valid_upload_stores_every_row_in_one_version_and_moves_the_inspection_on(client, world):
    inspection = world["inspection"]
    rows = fl.rows_for(inspection, 40)
    response = _upload(client, world, fl.filled_template(inspection, rows))
    assert response.status_code == 302
    long_list = LongList.objects.get(inspection=inspection)
    assert (long_list.version, long_list.row_count, long_list.late, long_list.file_format) == (1, 40, False, "xlsx")
    assert sorted(long_list.entries.values_list("case_id", flat=True)) == sorted(r.case_id for r in rows)
    stored = long_list.entries.get(case_id=rows[0].case_id)
    assert (stored.family_name, stored.date_of_birth, stored.rosh) == (
        fl.DISTINCTIVE,
        rows[0].date_of_birth,
        rows[0].rosh,
    )
    assert Inspection.objects.get(pk=inspection.pk).status == Status.LONG_LIST_RECEIVED
    page = _page(client.get(response["Location"]))
    assert "Long-list version 1 accepted from long-list.xlsx: 40 cases." in page


def test_valid_csv_upload_is_stored(client, world):
    inspection = world["inspection"]
    rows = fl.rows_for(inspection, 15)
    response = _upload(client, world, fl.csv_file(rows), "long-list.csv")
    assert response.status_code == 302
    long_list = LongList.objects.get(inspection=inspection)
    assert (long_list.row_count, long_list.file_format) == (15, "csv")


def test_second_upload_makes_version_two_and_the_changes_are_shown(client, world):
    inspection = world["inspection"]
    rows = fl.rows_for(inspection, 30)
    _upload(client, world, fl.workbook(inspection, rows))
    removed, changed = rows[1], rows[2]
    new_rows = [r for r in rows if r is not removed]
    new_rosh = "Low" if changed.rosh == "Very High" else "Very High"
    new_rows[new_rows.index(changed)] = fl.dataclasses.replace(changed, rosh=new_rosh, case_manager="Case Manager 999")
    added = fl.dataclasses.replace(
        rows[3], case_id="Y999999", family_name="Newcase", date_of_birth=rows[3].date_of_birth
    )
    new_rows.append(added)
    response = _upload(client, world, fl.workbook(inspection, new_rows), "long-list v2.xlsx")
    assert response.status_code == 302
    assert list(LongList.objects.filter(inspection=inspection).values_list("version", "row_count")) == [
        (2, 30),
        (1, 30),
    ]
    newest = versions_with_changes(inspection)[0]
    assert newest.diff.added == ("Y999999",)
    assert newest.diff.removed == (removed.case_id,)
    assert [(c.case_id, c.fields) for c in newest.diff.changed] == [(changed.case_id, ("Highest RoSH", "Case manager"))]
    client.force_login(world["people"]["sso"])
    page = _page(client.get(_url(world, "casework:longlist_versions")))
    assert "Y999999" in page and removed.case_id in page and f"{changed.case_id}: Highest RoSH, Case manager" in page
    # The current version is the new one, and the status moved only once.
    assert Inspection.objects.get(pk=inspection.pk).status == Status.LONG_LIST_RECEIVED
    assert LongListEntry.objects.filter(long_list__version=1).count() == 30


def test_late_upload_is_accepted_and_flagged(client):
    world = fl.team(fieldwork_weeks=-1)  # fieldwork has begun: the deadline has passed
    inspection = world["inspection"]
    response = _upload(client, world, fl.workbook(inspection, fl.rows_for(inspection, 12)))
    assert response.status_code == 302
    assert LongList.objects.get(inspection=inspection).late is True
    page = _page(client.get(response["Location"]))
    assert "It arrived after the deadline and is marked late." in page
    client.force_login(world["people"]["sso"])
    assert "Late" in _page(client.get(_url(world)))


def test_unsuitable_case_stays_on_the_list_with_its_note_shown_to_the_sso(client, world):
    inspection = world["inspection"]
    rows = fl.rows_for(inspection, 12)
    rows[5] = fl.dataclasses.replace(rows[5], suitability_note="Revoked before we met the child")
    _upload(client, world, fl.workbook(inspection, rows))
    assert LongListEntry.objects.get(case_id=rows[5].case_id).suitability_note == "Revoked before we met the child"
    client.force_login(world["people"]["sso"])
    page = _page(client.get(_url(world)))
    assert "Revoked before we met the child" in page and rows[5].case_id in page


# --- Bad files: a clear message, nothing stored ----------------------------------------------------


def _set(sheet: str, row: int, key: str, value):
    heading = next(h for h in Heading if h.label == sheet)

    def edit(wb):
        wb[sheet].cell(row=row, column=fl.column(heading, key)).value = value

    return edit


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<x/>")
        archive.writestr("xl/workbook.xml", b"<x/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (30 * 1024 * 1024))
    return buffer.getvalue()


def _merge(wb):
    wb["Custodial"].merge_cells(f"B{FIRST}:C{FIRST}")


def _extra(wb):
    wb["Community"].cell(row=HEADER_ROW, column=40, value="Risk notes")


def _rename(wb):
    wb["1st tier"].cell(row=HEADER_ROW, column=fl.column(Heading.FIRST_TIER, "date_of_birth"), value="Date of brith")


def _bad_files(inspection):
    rows = fl.rows_for(inspection, 24, seed=5)
    community = [r for r in rows if r.heading is Heading.COMMUNITY]

    last = FIRST + len(community) - 1

    def gap(wb):  # move the last community case down two rows, leaving two blank rows above it
        ws = wb["Community"]
        for col, value in enumerate(fl.cell_values(community[-1]), start=1):
            ws.cell(row=last, column=col).value = None
            ws.cell(row=last + 2, column=col, value=value)

    template = lambda edit: fl.filled_template(inspection, rows, edit)  # noqa: E731
    return {
        "not-a-spreadsheet": (
            b"%PDF-1.4 a letter",
            "letter.pdf",
            "This file is not a spreadsheet. Upload the long-list as an Excel workbook (.xlsx) made from the "
            "template, or as a CSV file.",
        ),
        "too-large": (
            b"x" * (DEFAULT_MAX_BYTES + 1024 * 1024),
            "huge.csv",
            "huge.csv is 6.0 MB, larger than the 5 MB limit. A long-list should be far smaller",
        ),
        "zip-bomb": (_zip_bomb(), "bomb.xlsx", "it may be a zip bomb and has not been opened"),
        "formula": (
            template(_set("Community", FIRST, "family_name", '=HYPERLINK("x")')),
            "formula.xlsx",
            f'Row {FIRST}, Family name: contains a formula (=HYPERLINK("x")); type the value itself, not a formula',
        ),
        "extra-column": (
            template(_extra),
            "extra.xlsx",
            f'Row {HEADER_ROW}, column AN: "Risk notes" is not a column of the template',
        ),
        "renamed-column": (
            template(_rename),
            "renamed.xlsx",
            'the column is headed "Date of brith" but the template calls it "Date of birth"; rename it',
        ),
        "merged-cells": (
            template(_merge),
            "merged.xlsx",
            f"Row {FIRST}: cells B{FIRST}:C{FIRST} are merged; unmerge them so that each cell holds one value",
        ),
        "blank-rows": (
            template(gap),
            "gaps.xlsx",
            f"Rows {last} to {last + 1} are blank; delete blank rows between cases",
        ),
        "date-as-text": (
            template(_set("Community", FIRST, "sentence_date", "12/12/2025")),
            "text-dates.xlsx",
            f"Row {FIRST}, Sentence date: 12/12/2025 is typed as text, not entered as a date",
        ),
    }


BAD = [
    "not-a-spreadsheet",
    "too-large",
    "zip-bomb",
    "formula",
    "extra-column",
    "renamed-column",
    "merged-cells",
    "blank-rows",
    "date-as-text",
]


@pytest.mark.parametrize("kind", BAD)
def test_bad_file_gives_a_clear_message_and_stores_nothing(client, world, kind):
    data, name, message = _bad_files(world["inspection"])[kind]
    response = _upload(client, world, data, name)
    assert response.status_code == 200
    page = _page(response)
    assert "There is a problem" in page
    assert f"{name} was not accepted" in page or kind == "too-large"
    assert message in page
    assert "Traceback" not in page
    assert LongList.objects.count() == 0
    assert LongListEntry.objects.count() == 0
    assert Inspection.objects.get(pk=world["inspection"].pk).status == Status.ANNOUNCED


def test_refused_file_lists_every_error_in_a_table_and_is_audited_without_contents(client, world):
    inspection = world["inspection"]
    rows = fl.rows_for(inspection, 24, seed=5)

    def two_errors(wb):
        _set("Community", FIRST, "sentence_date", "12/12/2025")(wb)
        _set("Community", FIRST + 1, "case_manager_email", None)(wb)

    response = _upload(client, world, fl.filled_template(inspection, rows, two_errors), "mine.xlsx")
    page = _page(response)
    assert "mine.xlsx was not accepted: there are 2 problems to fix. Nothing has been stored." in page
    assert page.count('id="longlist-error-') == 2
    assert "2 problems in mine.xlsx" in page
    assert f"Row {FIRST + 1}, Case manager email: is required" in page
    event = AuditEvent.objects.get(inspection=inspection, action="long_list_refused")
    assert event.detail == {"file": "mine.xlsx", "errors": 2, "rows": 24}


def test_a_five_megabyte_file_reaches_the_validator(client, world, settings):
    # Exactly at the limit: the form lets it through and the reader judges its contents (here in the
    # request; test_longlist_reads.py has the same file read by a worker, as it is by default).
    settings.LONG_LIST_BACKGROUND_BYTES = DEFAULT_MAX_BYTES
    response = _upload(client, world, b"\x00" * DEFAULT_MAX_BYTES, "five.bin")
    page = _page(response)
    assert "five.bin was not accepted: there is 1 problem to fix." in page
    assert "This file is not a spreadsheet." in page


def test_no_file_chosen_is_an_error(client, world):
    client.force_login(world["people"]["yot_manager"])
    response = client.post(_url(world), {})
    assert "Choose the long-list file to upload" in _page(response)
    assert LongList.objects.count() == 0


def test_upload_after_the_sample_is_final_is_refused(client, world):
    from casework.services.sample import sample_finalise, sample_select

    inspection = world["inspection"]
    fl.stored_long_list(inspection, world["people"]["yot_manager"])
    sample = sample_select(inspection=inspection, by=world["people"]["sso"], size=20, seed=1)
    sample_finalise(sample=sample, by=world["people"]["sso"])
    response = _upload(client, world, fl.workbook(inspection, fl.rows_for(inspection, 20)))
    assert "The sample has been made final, so the long-list can no longer be replaced." in _page(response)
    assert LongList.objects.count() == 1
