"""The xlsx and PDF schedules: one page per team member, references and case managers, never a child's name."""

from __future__ import annotations

import io
import subprocess

import pytest
from openpyxl import load_workbook

from casework.models import Case
from scheduling import exports, services
from scheduling import selectors as S
from scheduling.tests.test_schedule_services import CHILD_SURNAME, SOLVER_SECONDS, sqs_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_solver(settings):
    settings.SCHEDULE_SOLVER_SECONDS = SOLVER_SECONDS


@pytest.fixture
def solved():
    inspection, people, cases = sqs_world(n_cases=20)
    # A case manager whose name would run as a formula in a spreadsheet.
    Case.objects.filter(pk=cases[6].pk).update(case_manager='=HYPERLINK("http://evil")')
    services.schedule_solve(inspection=inspection, by=people["sso"])
    version = S.latest_version(inspection)
    return inspection, people, cases, version


def _all_text(workbook) -> str:
    return "\n".join(
        str(c.value) for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row if c.value is not None
    )


def test_xlsx_has_one_sheet_per_team_member_laid_out_by_day(solved):
    inspection, _people, cases, version = solved
    inputs = S.schedule_inputs(inspection)
    workbook = load_workbook(io.BytesIO(exports.schedule_xlsx(inputs, version, S.entries_of(version))))
    assert workbook.sheetnames == ["Lena Lead", "Ali Second", "Lou Assessor"]
    sheet = workbook["Lena Lead"]
    assert sheet["A1"].value == "LEAD INSPECTOR: Lena Lead"
    headers = [sheet.cell(3, col).value for col in range(1, 7)]
    assert headers[0] == "Time"
    assert [h.split()[0] for h in headers[1:]] == ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"]
    text = _all_text(workbook)
    assert "No inspection fieldwork today" in text
    assert "IT/HEALTH & SAFETY BRIEFING" in text and "INSPECTION DEBRIEF" in text
    entry = version.entries.select_related("case").get(case=cases[0])
    assert f"{entry.case.reference} / CM: J. Smith" in text


def test_xlsx_never_shows_a_childs_name_and_neutralises_formulas(solved):
    inspection, _people, _cases, version = solved
    inputs = S.schedule_inputs(inspection)
    workbook = load_workbook(io.BytesIO(exports.schedule_xlsx(inputs, version, S.entries_of(version))))
    text = _all_text(workbook)
    assert CHILD_SURNAME not in text and "Zebedee" not in text
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert not (isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")))
    assert "HMIP-07 / CM: =HYPERLINK" in text  # inside the cell's text, not at its start


def test_sheet_titles_are_unique_and_valid():
    taken: set[str] = set()
    assert exports._sheet_title("A/B: C*", taken) == "A B  C"
    assert exports._sheet_title("A/B: C*", taken) == "A B  C (2)"
    assert len(exports._sheet_title("x" * 40, taken)) == 31


def test_pdf_has_the_references_and_no_childs_name(solved, tmp_path):
    inspection, _people, cases, version = solved
    inputs = S.schedule_inputs(inspection)
    pdf = exports.schedule_pdf(inputs, version, S.entries_of(version))
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "schedule.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["/usr/bin/pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for case in cases:
        assert case.reference in text
    assert "CM: J. Smith" in text
    assert "LEAD INSPECTOR: Lena Lead" in text and "LOCAL ASSESSOR: Lou Assessor" in text
    assert CHILD_SURNAME not in text and "Zebedee" not in text
    info = subprocess.run(["/usr/bin/pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           3" in info
    assert "841.89 x 595.276 pts (A4)" in info  # landscape
