"""Moderation at speed (issue 12 §5) in a real browser: the supervising inspector sees on the
moderation list how many judgements await review, agrees with every judgement of a view in one
click, changes one judgement (refused without a reason, the choice kept; recorded with one), opens
an answer's history on the review page, and the lead inspector reaches a view's history from the
view page. axe finds no serious or critical violation on the moderation list, the review page (also
with its error), and the history page."""

from __future__ import annotations

import pytest

from casework.models import Answer, Review
from casework.services import assessment as services
from casework.tests import factories as cf
from inspections.enums import StaffRole, TeamRole
from inspections.tests import factories as f
from tests_e2e.conftest import assert_accessible, sign_in

PASSWORD = "correct horse battery"


def give(assessment, user, answers):
    for question_id, value in answers.items():
        current = Answer.objects.filter(assessment=assessment, question_id=question_id).first()
        services.assessment_answer(
            assessment=assessment, question_id=question_id, value=value, user=user,
            expected_revision=current.revision if current else 0,
        )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_the_supervisor_agrees_with_a_view_at_once_and_changes_one_judgement(page, live_server):
    lead = f.user(role=StaffRole.LEAD_INSPECTOR, username="lena", first_name="Lena", last_name="Hughes")
    inspection = f.inspection(lead=lead)
    supervisor = f.member(inspection, TeamRole.ASSISTANT_INSPECTOR, username="ari", first_name="Ari", last_name="Evans")
    assessor = cf.local_assessor(
        inspection, supervisor=supervisor, username="lowri", first_name="Lowri", last_name="Price"
    )
    case = cf.case(inspection, assessor=assessor, reference="HMIP-01")
    assessment = services.assessment_start(case=case, user=assessor)
    give(assessment, assessor, {
        "1.1.1": "Sufficient", "1.10.1": "Sufficient", "1.13.1": "Insufficient",
        "1.20a": "Fifteen, first offence.", "2.8.1": "Sufficient",
    })  # fmt: skip
    give(assessment, assessor, {"1.1.1": "Insufficient"})  # a second save: the history has two rows
    give(assessment, assessor, {"1.1.3": ["Assessment not timely"]})
    base, ref = live_server.url, inspection.reference

    sign_in(page, base, "ari", PASSWORD)
    page.goto(f"{base}/inspections/{ref}/moderation/")
    page.wait_for_selector("h1:has-text('Moderation')")
    assert page.inner_text("[data-awaiting='HMIP-01']") == "4"
    assert_accessible(page, "moderation-01-list")
    page.click("a:has-text('Case HMIP-01')")
    page.wait_for_selector("h1:has-text('Review the judgements')")
    assert "Assessment not timely" in page.inner_text("#judgement-1-1-1")
    page.click("[data-history='1.1.1'] summary")
    assert page.locator("[data-history='1.1.1'] [data-revision]").count() == 2
    assert_accessible(page, "moderation-02-review")

    # View 1 in one click: three judgements agreed; view 2 still waits.
    page.click("[data-agree-view='1'] button")
    page.wait_for_selector("text=You agreed with 3 judgements.")
    assert sorted(Review.objects.filter(agreed=True).values_list("question_id", flat=True)) == [
        "1.1.1", "1.10.1", "1.13.1",
    ]  # fmt: skip
    assert page.locator("[data-agree-view='1']").count() == 0
    assert page.locator("[data-agree-view='2']").count() == 1

    # Change 2.8.1: refused without a reason (the choice stays), recorded with one.
    form = page.locator("#review-2-8-1")
    form.locator("input[value=Insufficient]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".govuk-error-summary")
    assert "2.8.1: give the reason for changing the judgement" in page.inner_text(".govuk-error-summary")
    assert page.locator("#review-2-8-1 input[value=Insufficient]").is_checked()
    assert_accessible(page, "moderation-03-review-error")
    page.click(".govuk-error-summary a")
    page.fill("#review-2-8-1-reason", "The plan does not address the risk to others.")
    page.locator("#review-2-8-1 button[type=submit]").click()
    page.wait_for_selector("#review-2-8-1 :text('Changed to Insufficient')")
    review = Review.objects.get(question_id="2.8.1")
    assert (review.original_value, review.reviewed_value, review.agreed) == ("Sufficient", "Insufficient", False)

    page.goto(f"{base}/inspections/{ref}/moderation/")
    assert page.locator("[data-table='awaiting']").count() == 0
    assert "Every judgement of the local assessors’ cases has been reviewed." in page.inner_text("main")

    # The lead inspector: from the view page to its answers' history in one click.
    page.context.clear_cookies()
    sign_in(page, base, "lena", PASSWORD)
    page.goto(f"{base}/inspections/{ref}/cases/{case.pk}/views/1/")
    page.click("[data-history-link='1']")
    page.wait_for_selector("h1:has-text('History of the answers in view 1')")
    rows = page.locator("#history-1-1-1 [data-revision]")
    assert rows.count() == 2
    assert rows.nth(1).inner_text().split("\t")[1:] == ["Lowri Price", "Sufficient", "Insufficient"]
    assert_accessible(page, "moderation-04-history")
