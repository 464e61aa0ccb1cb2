"""Issue 6 in a real browser: a local assessor completes a whole SQS case in Wales, answering as
they go (htmx); a judgement left Insufficient without its explanation is shown in the completion
error summary, fixed and completed; the supervising inspector changes one judgement with a reason;
the lead inspector sees the scores. axe finds no serious or critical violation on the view page,
the task list, the moderation page and the scores page."""

from __future__ import annotations

import pytest

from casework.models import Answer, Assessment, Review
from casework.services.assessment import inspection_scores
from casework.tests import factories as cf
from inspections.enums import Country, StaffRole, TeamRole
from inspections.tests import factories as f
from tests_e2e.conftest import assert_accessible, sign_in

PASSWORD = "correct horse battery"

# The first empty question on the page: its id, how it is answered, and its HTML id.
FIRST_EMPTY = """() => {
  for (const form of document.querySelectorAll('form[data-question]')) {
    const inputs = [...form.querySelectorAll('[name=value]')];
    const filled = inputs.some(i => (i.type === 'radio' || i.type === 'checkbox') ? i.checked : i.value.trim() !== '');
    if (!filled) return {id: form.dataset.question, input: form.dataset.input, slug: form.id.replace('question-', '')};
  }
  return null;
}"""


def answer_every_question(page) -> int:
    """Answer each empty question with its first option or some text, re-reading the page after each
    save (an answer may show or hide later questions). Returns how many were answered."""
    answered = 0
    while (question := page.evaluate(FIRST_EMPTY)) is not None:
        field = f"#q-{question['slug']}"
        if question["input"] == "choice":
            page.check(field)
        else:
            page.fill(field, "12" if question["input"] == "number" else "Seen in the case record.")
            page.press(field, "Tab")  # leaving the field saves it
        page.wait_for_selector(f"[data-saved='{question['id']}']")
        answered += 1
        assert answered < 200, "answering does not settle"
    return answered


@pytest.mark.django_db(transaction=True)
def test_a_local_assessor_completes_an_sqs_case_in_wales_and_it_is_moderated_and_scored(page, live_server):
    cardiff = f.yot(name="Cardiff", country=Country.WALES)
    lead = f.user(role=StaffRole.LEAD_INSPECTOR, username="lena", first_name="Lena", last_name="Hughes")
    inspection = f.inspection(lead=lead, yot_=cardiff)
    supervisor = f.member(inspection, TeamRole.ASSISTANT_INSPECTOR, username="ari", first_name="Ari", last_name="Evans")
    assessor = cf.local_assessor(
        inspection, supervisor=supervisor, username="lowri", first_name="Lowri", last_name="Price"
    )
    case = cf.case(inspection, assessor=assessor, reference="HMIP-01")
    base = live_server.url
    ref = inspection.reference

    # The local assessor opens their case and works through every view.
    sign_in(page, base, "lowri", PASSWORD)
    page.goto(f"{base}/inspections/{ref}/cases/")
    page.click("text=HMIP-01")
    page.wait_for_selector("h1:has-text('Case assessment')")
    # Opening the case starts nothing; the assessor starts it and lands on View 0.
    page.click("button:has-text('Start the assessment')")
    page.wait_for_selector("h1:has-text('View 0')")
    # View 0 offers the long-list's answers, marked and not saved until confirmed.
    assert page.locator("[data-prefilled]").count() >= 5
    assert not Answer.objects.filter(assessment__case=case, question_id="4").exists()
    page.click("button:has-text('Confirm the answers taken from the long-list')")
    page.wait_for_selector("text=taken from the long-list saved")
    assert Answer.objects.get(assessment__case=case, question_id="4").value == "Female"
    page.goto(f"{base}/inspections/{ref}/cases/{case.pk}/")
    assert_accessible(page, "assess-01-task-list")
    for view in range(6):
        page.goto(f"{base}/inspections/{ref}/cases/{case.pk}/views/{view}/")
        answer_every_question(page)
        if view == 1:
            assert_accessible(page, "assess-02-view-1")
    assessment = Assessment.objects.get(case=case)
    answers = dict(Answer.objects.filter(assessment=assessment).values_list("question_id", "value"))
    assert (answers["3b"], answers["9a"], answers["1.1.1"]) == ("Wales", "English", "Sufficient")
    assert cf.CHILD_FAMILY_NAME not in page.content()

    # A judgement changed to Insufficient, its explanation left empty: completion names the gap.
    page.goto(f"{base}/inspections/{ref}/cases/{case.pk}/views/1/")
    page.check("#q-1-1-1-2")
    page.wait_for_selector("#question-1-1-3")
    page.goto(f"{base}/inspections/{ref}/cases/{case.pk}/check/")
    assert page.locator("[data-check='4'] a:has-text('Change')").count() == 1
    assert_accessible(page, "assess-03a-check-answers")
    page.click("button:has-text('Complete the case')")
    page.wait_for_selector(".govuk-error-summary")
    summary = page.inner_text(".govuk-error-summary")
    assert "1.1.3: choose at least one reason why 1.1.1 was Insufficient" in summary
    assert_accessible(page, "assess-03-completion-errors")
    page.click(".govuk-error-summary a[data-problem='1.1.3']")
    page.wait_for_selector("#q-1-1-3")
    page.check("#q-1-1-3")
    page.wait_for_selector("[data-saved='1.1.3']")
    page.goto(f"{base}/inspections/{ref}/cases/{case.pk}/")
    page.click("a:has-text('Check your answers')")
    page.wait_for_selector("h1:has-text('Check your answers')")
    page.click("button:has-text('Complete the case')")
    page.wait_for_selector("text=Assessment complete")
    assert Assessment.objects.get(pk=assessment.pk).completed_by == assessor

    # The supervising inspector changes one judgement, with a reason.
    page.context.clear_cookies()
    sign_in(page, base, "ari", PASSWORD)
    page.goto(f"{base}/inspections/{ref}/moderation/")
    page.wait_for_selector("h1:has-text('Moderation')")
    assert_accessible(page, "assess-04-moderation")
    page.click("a:has-text('Case HMIP-01')")
    page.wait_for_selector("h1:has-text('Review the judgements')")
    form = page.locator("#review-1-10-1")
    form.locator("input[value=Insufficient]").check()
    form.locator("textarea[name=reason]").fill("The risk of harm analysis does not use the police information.")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#review-1-10-1 :text('Changed to Insufficient')")
    review = Review.objects.get(assessment=assessment, question_id="1.10.1")
    assert (review.original_value, review.reviewed_value, review.agreed) == ("Sufficient", "Insufficient", False)

    # The lead inspector sees the scores, with the reviewed judgement.
    page.context.clear_cookies()
    sign_in(page, base, "lena", PASSWORD)
    page.goto(f"{base}/inspections/{ref}/scores/")
    page.wait_for_selector("h1:has-text('Scores')")
    overall = inspection_scores(inspection).scores.overall
    assert overall.insufficient == 2  # 1.1.1 by the assessor, 1.10.1 by the reviewer
    assert f"{overall.percentage}% Sufficient" in page.inner_text("[data-score=overall]")
    row = page.inner_text("[data-score='question-1.10.1']")
    assert row.split("\t")[-3:] == ["0", "1", "0.0%"]
    assert_accessible(page, "assess-05-scores")
