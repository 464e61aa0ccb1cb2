"""Issue 3 in a real browser: the YOT manager downloads the long-list template, fills it, uploads a
file with errors, sees them, fixes it and uploads again; the SSO selects the sample, swaps a case
with a reason and marks the sample final. axe finds no serious or critical violation on the upload,
errors, sample and review pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from casework.enums import CaseStatus, SampleChangeKind
from casework.models import Case, LongList, SampleChange
from casework.tests import factories_longlist as fl
from inspections.enums import Status
from inspections.models import Inspection
from tests_e2e.conftest import assert_accessible, sign_in

PASSWORD = "correct horse battery"


@pytest.mark.django_db(transaction=True)
def test_long_list_upload_selection_swap_and_final(page, live_server, tmp_path: Path):
    world = fl.team()
    inspection = world["inspection"]
    ref = inspection.reference
    base = live_server.url

    # The YOT manager: template, a file with an error, the fix.
    sign_in(page, base, "owner_yot", PASSWORD)
    page.goto(f"{base}/inspections/{ref}/")
    page.click("nav[aria-label='Inspection sections'] >> text=Long-list")
    page.wait_for_selector("h1:has-text('Long-list')")
    assert_accessible(page, "longlist-01-upload")
    with page.expect_download() as download:
        page.click("text=Download the long-list template")
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    rows = fl.rows_for(inspection, 45)
    community = next(i for i, r in enumerate(rows) if r.heading.value == "community")
    community_row = fl.FIRST + sum(1 for r in rows[:community] if r.heading.value == "community")

    def date_as_text(wb):
        ws = wb["Community"]
        ws.cell(row=community_row, column=fl.column(rows[community].heading, "date_of_birth")).value = "31/02/2009"

    bad = tmp_path / "our long-list.xlsx"
    bad.write_bytes(fl.filled_template(inspection, rows, date_as_text, template=template.read_bytes()))
    page.set_input_files("input[name=upload]", str(bad))
    page.click("main form button[type=submit], main form input[type=submit]")
    page.wait_for_selector(".govuk-error-summary")
    summary = page.inner_text(".govuk-error-summary")
    assert "our long-list.xlsx was not accepted: there is 1 problem to fix." in summary
    assert f"Row {community_row}, Date of birth: 31/02/2009 is not a date" in summary
    assert page.inner_text("#longlist-errors").count("31/02/2009") == 1
    assert LongList.objects.count() == 0
    assert_accessible(page, "longlist-02-errors")

    good = tmp_path / "our long-list fixed.xlsx"
    good.write_bytes(fl.filled_template(inspection, rows, template=template.read_bytes()))
    page.set_input_files("input[name=upload]", str(good))
    page.click("main form button[type=submit], main form input[type=submit]")
    page.wait_for_selector(".govuk-notification-banner--success")
    assert "Long-list version 1 accepted from our long-list fixed.xlsx: 45 cases." in page.inner_text("main")
    assert Inspection.objects.get(pk=inspection.pk).status == Status.LONG_LIST_RECEIVED
    assert_accessible(page, "longlist-03-accepted")

    # The SSO: select, swap with a reason, mark final.
    page.context.clear_cookies()
    sign_in(page, base, "sso", PASSWORD)
    page.goto(f"{base}/inspections/{ref}/long-list/")
    assert "Current long-list: version 1" in page.inner_text("main")
    assert_accessible(page, "longlist-04a-sso-longlist")
    page.click("text=Versions and what changed")
    page.wait_for_selector("h1:has-text('Long-list versions')")
    assert_accessible(page, "longlist-04b-versions")
    page.goto(f"{base}/inspections/{ref}/sample/")
    page.check("input[name=size][value='20']")
    page.click("main form button[type=submit], main form input[type=submit]")
    page.wait_for_selector("#sample-cases")
    assert "20 cases in the sample" in page.inner_text("#sample-cases caption")
    assert_accessible(page, "longlist-04-sample")

    first = Case.objects.filter(status=CaseStatus.SELECTED).order_by("position").first()
    page.click(f"tr[data-case-id='{first.entry.case_id}'] >> text=Swap")
    page.wait_for_selector(f"h1:has-text('Swap case {first.entry.case_id}')")
    page.click("main form button[type=submit], main form input[type=submit]")  # nothing chosen: errors
    page.wait_for_selector(".govuk-error-summary")
    assert "Enter the reason for the change" in page.inner_text(".govuk-error-summary")
    assert_accessible(page, "longlist-05-review-swap")
    option = page.locator("select[name=entry] option").nth(1)
    page.select_option("select[name=entry]", value=option.get_attribute("value"))
    page.fill("textarea[name=reason]", "The child moved to another YOT before the first assessment")
    page.click("main form button[type=submit], main form input[type=submit]")
    page.wait_for_selector(".govuk-notification-banner--success")
    swap = SampleChange.objects.get(kind=SampleChangeKind.SWAPPED)
    assert swap.reason == "The child moved to another YOT before the first assessment"
    assert "The child moved to another YOT before the first assessment" in page.inner_text("#sample-changes")

    page.click("text=Mark the sample final")
    page.wait_for_selector("h1:has-text('Mark the sample final')")
    assert_accessible(page, "longlist-06-review-final")
    page.click("#finalise")
    page.wait_for_selector("text=The sample is final")
    assert Inspection.objects.get(pk=inspection.pk).status == Status.SAMPLE_SELECTED
    references = list(
        Case.objects.filter(status=CaseStatus.SELECTED).order_by("position").values_list("reference", flat=True)
    )
    assert references == [f"HMIP-{n:02d}" for n in range(1, 21)]
    assert "HMIP-01" in page.inner_text("#sample-cases")
    assert_accessible(page, "longlist-07-final")

    # The YOT manager now sees the final sample.
    page.context.clear_cookies()
    sign_in(page, base, "owner_yot", PASSWORD)
    page.goto(f"{base}/inspections/{ref}/sample/")
    assert "HMIP-20" in page.inner_text("#sample-cases")
    assert_accessible(page, "longlist-08-yot-final")
