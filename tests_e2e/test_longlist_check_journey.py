"""Issue 10 item 2 in a real browser: a YOT manager uploads a long-list exported from their case
system with Appendix A's headings and its own values ("White British", "M", "Y"), checks how it was
read, and accepts it; then, in Welsh, one that they cancel. axe finds no serious or critical
violation on the check page in either language."""

from __future__ import annotations

from pathlib import Path

import pytest

from casework.models import LongList, PendingLongList
from casework.tests import factories_longlist as fl
from casework.tests.test_longlist_appendix_a import appendix_a_csv
from tests_e2e.conftest import assert_accessible, sign_in

PASSWORD = "correct horse battery"


@pytest.mark.django_db(transaction=True)
def test_an_export_is_checked_then_accepted_and_a_welsh_one_cancelled(page, live_server, tmp_path: Path):
    world = fl.team()
    inspection = world["inspection"]
    ref = inspection.reference
    base = live_server.url
    export = tmp_path / "case-system-export.csv"
    export.write_bytes(appendix_a_csv(fl.rows_for(inspection, 30)))

    sign_in(page, base, "owner_yot", PASSWORD)
    page.goto(f"{base}/inspections/{ref}/long-list/")
    page.set_input_files("input[name=upload]", str(export))
    page.click("main form button[type=submit], main form input[type=submit]")
    page.wait_for_selector("h1:has-text('Check how we read your long-list')")
    main = page.inner_text("main")
    assert "case-system-export.csv has 30 cases and no errors" in main
    assert "ASSET score from first assessment post sentence" in page.inner_text("#column-readings")
    assert "White British" in page.inner_text("#value-readings")
    assert fl.DISTINCTIVE not in main
    assert LongList.objects.count() == 0
    assert_accessible(page, "longlist-check-01-readings")

    page.click("button:has-text('Accept and store the long-list')")
    page.wait_for_selector(".govuk-notification-banner--success")
    assert "Long-list version 1 accepted from case-system-export.csv: 30 cases." in page.inner_text("main")
    assert LongList.objects.get().row_count == 30
    assert not PendingLongList.objects.exists()

    # The same manager switches the service to Welsh, sends another export and cancels it.
    page.goto(f"{base}/inspections/{ref}/long-list/")
    page.click("button[name=language][value=cy]")
    page.wait_for_selector("html[lang=cy]")
    page.set_input_files("input[name=upload]", str(export))
    page.click("main form button[type=submit], main form input[type=submit]")
    page.wait_for_selector("#value-readings")
    assert "Check how we read your long-list" not in page.inner_text("main")
    assert_accessible(page, "longlist-check-02-readings-cy")
    page.click("button[value=cancel]")
    page.wait_for_selector(".govuk-notification-banner")
    assert LongList.objects.count() == 1 and not PendingLongList.objects.exists()
