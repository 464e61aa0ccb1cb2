"""Issue 5 in a real browser: the lead inspector generates, edits and sends the SQS draft; the YOT
manager comments on a section; the lead inspector resolves the comment and publishes. axe finds no
serious or critical accessibility violation on the reports pages."""

import datetime as dt
import math

import pytest
from django.utils import timezone

from inspections.enums import Status
from inspections.models import Inspection
from reports.models import FactualComment, Report
from reports.tests.factories import after_the_check, finish_sections, world
from tests_e2e.conftest import assert_accessible, sign_in

PASSWORD = "correct horse battery"


def sign_out(page) -> None:
    page.click("header button:has-text('Sign out')")
    page.wait_for_selector("#id_username")


@pytest.mark.django_db(transaction=True)
def test_the_draft_goes_from_generation_to_publication(page, live_server):
    inspection, people = world(status=Status.DRAFT_REPORT)
    base = live_server.url
    reports_url = f"{base}/inspections/{inspection.reference}/reports/"

    sign_in(page, base, people["lead"].username, PASSWORD)
    page.wait_for_selector("h1")
    page.goto(reports_url)
    page.wait_for_selector("h1:has-text('Reports')")
    assert "No draft yet" in page.inner_text("main")
    assert_accessible(page, "reports-01-empty")

    page.click("form[action$='/generate/draft/'] button")  # Celery runs in-process here
    page.wait_for_selector("text=Download")
    assert f"{inspection.reference}-letter-draft.pdf" in page.inner_text("main")
    assert_accessible(page, "reports-02-generated")

    page.click("text=Read and edit the draft")
    page.wait_for_selector("h1:has-text('Draft report')")
    main = page.inner_text("main")
    assert "83.3% Sufficient (5 of 6 judgements)" in main
    assert_accessible(page, "reports-03-draft")

    page.click("a:has-text('Change'):has-text('Strengths')")
    page.wait_for_selector("h1:has-text('Strengths')")
    assert_accessible(page, "reports-04-section")
    page.fill("textarea[name=text]", "- Assessments were thorough and timely in most cases.")
    page.click("main form [type=submit]")
    page.wait_for_selector("text=Saved as version 2.")
    assert "Assessments were thorough and timely in most cases." in page.inner_text("main")

    # The other sections still hold the draft's prompts in square brackets: the confirmation page
    # names them and offers no button.
    page.goto(reports_url)
    page.click("a:has-text('Send the draft to the YOT manager')")
    page.wait_for_selector("h1:has-text('Send the draft to the YOT manager')")
    problems = page.inner_text(".govuk-error-summary")
    assert "You cannot do this yet" in problems
    assert "Strengths" not in problems
    assert page.locator("main form button:has-text('Send the draft')").count() == 0
    assert_accessible(page, "reports-04b-send-refused")
    report = Report.objects.get(inspection=inspection)
    finish_sections(report, people["lead"])

    page.reload()
    page.wait_for_selector("main form button:has-text('Send the draft')")
    assert "Once sent, the draft cannot be taken back." in page.inner_text("main")
    assert_accessible(page, "reports-04c-send-confirm")
    page.click("main form button:has-text('Send the draft')")
    page.wait_for_selector("text=Draft sent to the YOT manager")
    assert Inspection.objects.get(pk=inspection.pk).status == Status.FACTUAL_ACCURACY
    sign_out(page)

    sign_in(page, base, people["yot_manager"].username, PASSWORD)
    page.wait_for_selector("h1")
    page.goto(reports_url)
    page.click("text=Read the draft and its comments")
    page.wait_for_selector("h1:has-text('Draft report')")
    assert "The YOT manager can comment on each section until" in page.inner_text("main")
    section = Report.objects.get(inspection=inspection).sections.get(key="commentary")
    page.fill(f"#comment-{section.pk}", "We inspected six cases: the second paragraph says seven.")
    page.click(f"form[action$='/sections/{section.pk}/comment/'] button")
    page.wait_for_selector("text=Comment added")
    assert "We inspected six cases: the second paragraph says seven." in page.inner_text("main")
    assert_accessible(page, "reports-05-yot-comments")
    sign_out(page)

    sign_in(page, base, people["lead"].username, PASSWORD)
    page.wait_for_selector("h1")
    page.goto(f"{base}/inspections/{inspection.reference}/reports/draft/")
    page.click("text=Resolve this comment")
    page.wait_for_selector("h1:has-text('Resolve a comment')")
    page.click("main form [type=submit]")  # nothing chosen: the errors are named
    page.wait_for_selector(".govuk-error-summary")
    assert "Choose whether you accept the comment" in page.inner_text(".govuk-error-summary")
    assert_accessible(page, "reports-06-resolve-errors")
    page.check("input[name=status][value=rejected]")
    page.fill("textarea[name=note]", "The report already says six cases.")
    page.click("main form [type=submit]")
    page.wait_for_selector("text=Comment resolved.")
    assert FactualComment.objects.get().status == "rejected"

    # The YOT's three working days have not ended: publishing is refused and says until when.
    page.goto(reports_url)
    page.click("a:has-text('Publish the report')")
    page.wait_for_selector("h1:has-text('Publish the report')")
    assert page.locator("main form button:has-text('Publish the report')").count() == 0
    assert "You cannot do this yet" in page.inner_text(".govuk-error-summary")

    # The check closes: move the inspection (and the moment the draft went) back by whole weeks,
    # so its weekdays stay as planned, until the YOT's deadline has passed.
    report = Report.objects.get(pk=report.pk)
    earlier = dt.timedelta(weeks=math.ceil((after_the_check(report) - timezone.now()) / dt.timedelta(weeks=1)) + 1)
    Inspection.objects.filter(pk=inspection.pk).update(
        fieldwork_start=Inspection.objects.get(pk=inspection.pk).fieldwork_start - earlier
    )
    Report.objects.filter(pk=report.pk).update(sent_at=Report.objects.get(pk=report.pk).sent_at - earlier)
    page.reload()
    page.wait_for_selector("main form button:has-text('Publish the report')")
    assert_accessible(page, "reports-06b-publish-confirm")
    page.click("main form button:has-text('Publish the report')")
    page.wait_for_selector("text=Report published.")
    assert "The published version is frozen." in page.inner_text("main")
    assert_accessible(page, "reports-07-published")
    report = Report.objects.get(inspection=inspection)
    assert Inspection.objects.get(pk=inspection.pk).status == Status.PUBLISHED
    assert report.published_file.filename == f"{inspection.reference}-letter-published.pdf"
