"""Issue 13 in a real browser: a local assessor in Wales reads the Case Assessment Tool in Welsh (the
bank's own Welsh: question, options, guidance), answers in Welsh (view 4) and the answer is stored as the
English option; the task list and the view page have no serious or critical axe violation.
Screenshots go to test-artifacts/ (welsh-*.png)."""

from __future__ import annotations

import pytest

from casework.domain.bank import load_bank
from casework.models import Answer, Assessment
from casework.tests import factories as cf
from inspections.enums import Country, StaffRole, TeamRole
from inspections.tests import factories as f
from tests_e2e.conftest import assert_accessible, sign_in

PASSWORD = "correct horse battery"


@pytest.mark.django_db(transaction=True)
def test_a_local_assessor_in_wales_answers_in_welsh(page, live_server):
    cardiff = f.yot(name="Cardiff", country=Country.WALES)
    lead = f.user(role=StaffRole.LEAD_INSPECTOR, username="lena", first_name="Lena", last_name="Hughes")
    inspection = f.inspection(lead=lead, yot_=cardiff)
    supervisor = f.member(inspection, TeamRole.ASSISTANT_INSPECTOR, username="ari", first_name="Ari", last_name="Evans")
    assessor = cf.local_assessor(
        inspection, supervisor=supervisor, username="lowri", first_name="Lowri", last_name="Price"
    )
    case = cf.case(inspection, assessor=assessor, reference="HMIP-01")
    base, ref = live_server.url, inspection.reference
    bank = load_bank()

    sign_in(page, base, "lowri", PASSWORD)
    page.goto(f"{base}/inspections/{ref}/cases/{case.pk}/")
    page.click("button[name=language][value=cy]")
    page.wait_for_selector("html[lang=cy]")
    page.click("main form button[type=submit]")  # start the assessment (its words are Welsh now)
    page.wait_for_selector("html[lang=cy] h1")
    page.goto(f"{base}/inspections/{ref}/cases/{case.pk}/")
    assert_accessible(page, "welsh-01-task-list")

    page.goto(f"{base}/inspections/{ref}/cases/{case.pk}/views/4/")
    first = page.locator("form[data-question][data-input=choice]").first
    question = bank.question(first.get_attribute("data-question"))
    slug = first.get_attribute("id").removeprefix("question-")
    assert question.cy, f"{question.id} has its Welsh"
    body = page.inner_text("main")
    assert question.cy["text"] in body
    assert question.text not in body
    label = page.locator(f"label[for='q-{slug}-2']").inner_text()
    assert label == question.cy["options"][1]
    page.check(f"#q-{slug}")
    page.wait_for_selector(f"[data-saved='{question.id}']")
    page.click(f"#question-{slug} .govuk-details__summary")
    assert_accessible(page, "welsh-02-view-4")
    answer = Answer.objects.get(assessment=Assessment.objects.get(case=case), question_id=question.id)
    assert answer.value == question.options[0]  # stored as the English option
