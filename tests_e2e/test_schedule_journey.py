"""Issue 4 in a real browser: the YOT manager enters a case manager's availability (and is
told clearly what is wrong first), the SSO solves the schedule, moves a case, makes it final
and downloads the xlsx and the PDF; axe finds no serious or critical violation on the
availability and schedule pages."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from inspections.enums import Status
from inspections.models import Inspection
from scheduling import selectors as S
from scheduling.enums import VersionState
from scheduling.models import CaseManagerAvailability
from scheduling.tests.test_schedule_services import CHILD_SURNAME, sqs_world
from tests_e2e.conftest import assert_accessible, sign_in

PASSWORD = "correct horse battery"


@pytest.mark.django_db(transaction=True)
def test_yot_manager_enters_availability_and_the_sso_solves_moves_finalises_and_downloads(
    page, browser, live_server, settings, tmp_path
):
    settings.SCHEDULE_SOLVER_SECONDS = 3
    managers = [
        ("J. Smith", "j.smith@northshire.example.gov.uk"),
        ("P. Patel", "p.patel@northshire.example.gov.uk"),
        ("K. Jones", "k.jones@northshire.example.gov.uk"),
    ]
    inspection, _people, cases = sqs_world(n_cases=9, managers=managers)
    CaseManagerAvailability.objects.filter(email="j.smith@northshire.example.gov.uk").delete()
    base = live_server.url
    schedule_url = f"{base}/inspections/{inspection.reference}/schedule/"

    # The YOT manager enters J. Smith's week.
    sign_in(page, base, "owner_yot", PASSWORD)
    page.goto(schedule_url + "availability/")
    page.wait_for_selector("h1:has-text('Case managers’ availability')")
    assert "Not given yet" in page.inner_text("main")
    assert_accessible(page, "schedule-01-availability-list")
    page.click("text=Enter availability for J. Smith")
    page.wait_for_selector("h1:has-text('Availability of J. Smith')")
    page.check("#id_d0_available_1")  # not on Monday
    page.check("#id_d1_available_0")  # nothing is pre-set: each day is answered
    page.check("#id_d2_available_0")
    page.fill("#id_d1_from_1", "14:00")
    page.fill("#id_d1_until_1", "10:00")
    page.click("main button[type=submit]")
    page.wait_for_selector(".govuk-error-summary")
    assert "J. Smith, Tuesday: the end time must be after the start time" in page.inner_text(".govuk-error-summary")
    assert_accessible(page, "schedule-02-availability-errors")
    page.fill("#id_d1_from_1", "09:00")
    page.fill("#id_d1_until_1", "17:30")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Availability saved for J. Smith.")
    assert (
        CaseManagerAvailability.objects.get(email="j.smith@northshire.example.gov.uk")
        .days.filter(available=False)
        .count()
        == 1
    )

    # The SSO solves, moves a case, makes the schedule final and downloads it.
    context = browser.new_context(
        bypass_csp=True, locale="en-GB", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    sso = context.new_page()
    sso.set_default_timeout(20_000)
    sign_in(sso, base, "sso", PASSWORD)
    sso.goto(schedule_url)
    sso.wait_for_selector("h1:has-text('Fieldwork schedule')")
    sso.click("#schedule-work button:has-text('Build the schedule')")
    sso.wait_for_selector("text=Schedule built (version 1)")
    assert "HMIP-01" in sso.inner_text("#schedule-work")
    assert CHILD_SURNAME not in sso.content()
    assert_accessible(sso, "schedule-03-solved")

    version = S.latest_version(inspection)
    case = cases[0]
    before = version.entries.get(case=case).slot_id
    sso.select_option("#move_case", value=str(case.pk))
    slot_value = sso.eval_on_selector("#move_slot", "el => el.options[1].value")
    sso.select_option("#move_slot", value=slot_value)
    sso.click("#schedule-work button:has-text('Move')")
    sso.wait_for_selector("text=HMIP-01 moved from")
    after = S.latest_version(inspection).entries.get(case=case).slot_id
    assert (before, after) != (after, after) and after == slot_value
    assert_accessible(sso, "schedule-04-moved")

    if sso.locator("#schedule-work button:has-text('Make version 1 final')").count() == 0:
        # The move broke a hard rule: put the case back before finalising.
        sso.select_option("#move_case", value=str(case.pk))
        sso.select_option("#move_slot", value=before)
        sso.click("#schedule-work button:has-text('Move')")
        sso.wait_for_selector("text=HMIP-01 moved from")
    sso.click("#schedule-work button:has-text('Make version 1 final')")
    sso.wait_for_selector("h1:has-text('Make')")
    assert_accessible(sso, "schedule-05-confirm-final")
    sso.click("main button:has-text('Make version 1 final')")
    sso.wait_for_selector("text=Version 1 is final.")
    assert Inspection.objects.get(pk=inspection.pk).status == Status.SCHEDULE_FINAL
    assert S.latest_version(inspection).state == VersionState.FINAL

    with sso.expect_download() as download_info:
        sso.click("text=Spreadsheet (xlsx)")
    xlsx_path = tmp_path / "schedule.xlsx"
    download_info.value.save_as(xlsx_path)
    workbook = load_workbook(io.BytesIO(xlsx_path.read_bytes()))
    assert workbook.sheetnames == ["Lena Lead", "Ali Second", "Lou Assessor"]

    with sso.expect_download() as download_info:
        sso.click("text=PDF to print")
    pdf_path = tmp_path / "schedule.pdf"
    download_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    context.close()
