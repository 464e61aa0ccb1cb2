"""Issue 2 in a real browser: the lead inspector plans an SQS in Wales, sees its timeline and
switches to Welsh; a YOT manager of another YOT is refused; axe finds no serious or critical
accessibility violation on these pages."""

import pytest
from django.utils import translation

from inspections.enums import StaffRole
from inspections.models import Inspection
from inspections.tests import factories as f
from tests_e2e.conftest import assert_accessible, future_clear_monday, sign_in

PASSWORD = "correct horse battery"


@pytest.mark.django_db(transaction=True)
def test_lead_inspector_plans_an_sqs_in_wales_and_reads_its_timeline_in_welsh(page, live_server):
    cardiff = f.yot(name="Cardiff", country="wales")
    f.yot(name="Newport", country="wales")
    f.user(role=StaffRole.LEAD_INSPECTOR, username="lena", first_name="Lena", last_name="Hughes")
    base = live_server.url

    page.goto(f"{base}/accounts/login/")
    assert_accessible(page, "01-sign-in")
    sign_in(page, base, "lena", PASSWORD)
    page.wait_for_selector("h1:has-text('What’s next')")
    assert_accessible(page, "02-home")

    page.click("text=Plan an inspection")
    page.click("main form [type=submit]")  # submit empty: every error is named
    page.wait_for_selector(".govuk-error-summary")
    summary = page.inner_text(".govuk-error-summary")
    assert "Choose the inspection programme" in summary
    assert "Enter the fieldwork start date" in summary
    assert_accessible(page, "03-create-errors")

    start = future_clear_monday("wales")
    page.check("input[name=programme][value=sqs]")
    page.select_option("select[name=yot]", label="Cardiff")
    page.fill("input[name=fieldwork_start_0]", str(start.day))
    page.fill("input[name=fieldwork_start_1]", str(start.month))
    page.fill("input[name=fieldwork_start_2]", str(start.year))
    page.click("main form [type=submit]")
    page.wait_for_selector("h1:has-text('Cardiff')")
    inspection = Inspection.objects.get(yot=cardiff)
    assert inspection.fieldwork_start == start
    assert_accessible(page, "04-inspection-detail")

    page.click("nav[aria-label='Inspection sections'] >> text=Timeline")
    page.wait_for_selector("h1:has-text('Timeline')")
    body = page.inner_text("main")
    assert "YOT sends the long-list of cases" in body
    assert "Report sent for Welsh translation" in body  # Wales only
    assert start.strftime("%-d %b %Y") in body
    assert_accessible(page, "05-timeline")

    page.click("button[name=language][value=cy]")
    page.wait_for_selector("html[lang=cy]")
    with translation.override("cy"):
        welsh_heading = translation.gettext("Timeline")
        welsh_milestone = translation.gettext("YOT sends the long-list of cases, with case manager availability")
    assert welsh_heading != "Timeline"
    assert not welsh_milestone.startswith("YOT sends")
    assert page.inner_text("h1") == welsh_heading
    assert welsh_milestone in page.inner_text("main")
    assert_accessible(page, "06-timeline-welsh")


@pytest.mark.django_db(transaction=True)
def test_a_yot_manager_of_another_yot_is_refused(page, live_server):
    inspection = f.inspection(yot_=f.yot(name="Cardiff", country="wales"))
    f.user(role=StaffRole.YOT_MANAGER, yot=f.yot(name="Newport", country="wales"), username="newport")
    sign_in(page, live_server.url, "newport", PASSWORD)
    page.wait_for_selector("h1:has-text('What’s next')")
    assert inspection.reference not in page.inner_text("main")
    response = page.goto(f"{live_server.url}/inspections/{inspection.reference}/timeline/")
    assert response.status == 404
    assert "Page not found" in page.inner_text("h1")
    assert_accessible(page, "07-not-found")
