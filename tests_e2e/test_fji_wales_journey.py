"""Issue 14 in a real browser: a Full Joint Inspection in Wales (Cardiff), from the partner cases to an
approved improvement plan.

Set up with factories at the factual-accuracy stage: six assessed cases of the final sample, an Estyn
partner inspector added through the service (which refuses an England inspectorate, Ofsted, on this
Welsh team), a YJB contact. Then in the browser: the lead inspector adds a suggested case for Estyn
on the Partner cases page; the Estyn partner inspector sees that case only, reads it without being
able to change it, and records a parent's view on the service users' page; the YOT manager, whose
language is Welsh, sends the improvement plan (the page is in Welsh); the lead inspector approves it;
the YJB contact approves it through the private link emailed to them; the plan page shows Approved.
axe finds no serious or critical violation on the partner cases, service users and improvement plan
pages. Screenshots go to test-artifacts/ (fji-wales-*.png).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casework.enums import PartnerReason
from casework.models import LongListEntry, PartnerCase
from casework.services import partner
from inspections import services
from inspections.enums import (
    PARTNER_INSPECTORATES,
    ContactRole,
    Country,
    Inspectorate,
    Language,
    Programme,
    StaffRole,
    Status,
    TeamRole,
)
from inspections.models import Notification, TeamMembership
from inspections.tests import factories as f
from reports.enums import PlanDecider, PlanDecisionKind, PlanStatus
from reports.models import ImprovementPlan, ImprovementPlanDecision, ServiceUserView
from reports.tests.factories import world
from tests_e2e.conftest import assert_accessible, sign_in

PASSWORD = "correct horse battery"
PDF = b"%PDF-1.4\n% Cynllun gwella Caerdydd: a made-up improvement plan\n%%EOF\n"
HELPED_MOST = "The case manager came to the house and explained the plan to us both."


def sign_out(page) -> None:
    page.click("header form[action$='/logout/'] button")  # in either language
    page.wait_for_selector("#id_username")
    page.context.clear_cookies()  # the next person uses their own browser (and language)


def cardiff_fji():
    """The FJI of Cardiff at the factual check, with its people, an Estyn partner inspector and a YJB contact."""
    inspection, people = world(
        country=Country.WALES, programme=Programme.FJI, status=Status.FACTUAL_ACCURACY, name="Cardiff"
    )
    lead = people["lead"]
    # The partner inspectors join through the service, which keeps to the Welsh set of inspectorates.
    assert set(PARTNER_INSPECTORATES[Country.WALES]) == {
        Inspectorate.HIW,
        Inspectorate.CSSIW,
        Inspectorate.ESTYN,
        Inspectorate.HMIC,
    }
    ofsted = f.user(role=StaffRole.PARTNER_INSPECTOR, inspectorate=Inspectorate.OFSTED, username="olwen")
    with pytest.raises(ValidationError) as refused:
        services.team_member_add(inspection=inspection, by=lead, user=ofsted, role=TeamRole.PARTNER_INSPECTOR)
    assert "does not take part in inspections in Wales" in str(refused.value.message_dict["user"])
    assert not TeamMembership.objects.filter(inspection=inspection, user=ofsted).exists()
    estyn = f.user(
        role=StaffRole.PARTNER_INSPECTOR, inspectorate=Inspectorate.ESTYN, username="emrys", first_name="Emrys",
        last_name="Rowlands",
    )  # fmt: skip
    services.team_member_add(inspection=inspection, by=lead, user=estyn, role=TeamRole.PARTNER_INSPECTOR)
    assert TeamMembership.objects.get(inspection=inspection, user=estyn).role == TeamRole.PARTNER_INSPECTOR
    people["estyn"] = estyn
    # The Welsh YOT manager has recorded Welsh as her language.
    manager = people["yot_manager"]
    manager.language, manager.first_name, manager.last_name = Language.WELSH, "Nia", "Evans"
    manager.save(update_fields=["language", "first_name", "last_name"])
    people["yjb"] = services.contact_add(
        inspection=inspection, by=lead, role=ContactRole.YJB, name="Yasmin Jones", email="yasmin@yjb.example.gov.uk"
    )
    return inspection, people


@pytest.mark.django_db(transaction=True)
def test_a_full_joint_inspection_in_wales_from_partner_cases_to_an_approved_plan(page, live_server):
    inspection, people = cardiff_fji()
    base, ref = live_server.url, inspection.reference
    cases = {c.reference: c for c in partner.week_one_cases(inspection)}
    # HMIP-05's long-list gives a high risk of serious harm: suggested to every inspectorate. HMIP-04's
    # answers show a shortfall in planning for education, training and employment: suggested to Estyn.
    LongListEntry.objects.filter(pk=cases["HMIP-05"].entry_id).update(rosh="High")
    estyn_suggested = {s.case.reference: s for s in partner.suggested_partner_cases(inspection)[Inspectorate.ESTYN]}
    assert estyn_suggested["HMIP-04"].reasons == (PartnerReason.DEFICIT,)
    assert estyn_suggested["HMIP-05"].reasons == (PartnerReason.RISK,)
    # Another inspectorate's case: Estyn's inspector must not see it.
    partner.partner_case_set(
        case=cases["HMIP-05"], inspectorate=Inspectorate.CSSIW, reasons=[PartnerReason.RISK], user=people["lead"]
    )
    partner_url = f"{base}{reverse('casework:partner_cases', args=[ref])}"
    voices_url = f"{base}{reverse('reports:service_users', args=[ref])}"
    plan_url = f"{base}{reverse('reports:improvement_plan', args=[ref])}"

    # 1. The lead inspector adds HMIP-04, one of Estyn's suggestions, on the Partner cases page.
    sign_in(page, base, people["lead"].username, PASSWORD)
    page.wait_for_selector("h1")
    page.goto(partner_url)
    page.wait_for_selector("h1:has-text('Partner cases')")
    sections = page.locator("main section[id]")
    assert [sections.nth(i).get_attribute("id") for i in range(sections.count())] == ["hiw", "cssiw", "estyn", "hmic"]
    estyn_section = page.locator("section#estyn")
    assert "HMIP-04" in estyn_section.inner_text() and "HMIP-05" in estyn_section.inner_text()
    assert_accessible(page, "fji-wales-01-partner-cases")
    estyn_section.locator(f"#estyn-suggest-{cases['HMIP-04'].pk}").check()
    estyn_section.locator("button:has-text('Add the selected cases for Estyn')").click()
    page.wait_for_selector("text=1 case added for Estyn.")
    assert page.locator(f"#estyn-case-{cases['HMIP-04'].pk}").count() == 1
    chosen = PartnerCase.objects.get(case=cases["HMIP-04"], inspectorate=Inspectorate.ESTYN)
    assert (chosen.reasons, chosen.chosen_by) == ([PartnerReason.DEFICIT], people["lead"])
    assert set(
        PartnerCase.objects.filter(case__inspection=inspection).values_list("case__reference", "inspectorate")
    ) == {
        ("HMIP-04", Inspectorate.ESTYN),
        ("HMIP-05", Inspectorate.CSSIW),
    }
    assert_accessible(page, "fji-wales-02-partner-case-added")
    sign_out(page)

    # 2. The Estyn partner inspector sees HMIP-04 only and reads it without being able to change it.
    sign_in(page, base, "emrys", PASSWORD)
    page.wait_for_selector("h1")
    page.goto(partner_url)
    page.wait_for_selector("h1:has-text('Your inspectorate’s cases')")
    listed = page.inner_text("main")
    assert "HMIP-04" in listed
    assert not re.search(r"HMIP-0[12356]", listed)
    assert_accessible(page, "fji-wales-03-estyn-cases")
    page.click("main a:has-text('HMIP-04')")
    page.wait_for_selector("h1:has-text('Case assessment')")
    assert "Start the assessment" not in page.inner_text("main")
    page.goto(f"{base}{reverse('casework:assess', args=[ref, cases['HMIP-04'].pk, 2])}")
    page.wait_for_selector("form[data-question='2.1.1']")
    # The answers are shown; every input is disabled and no question has a Save button.
    assert "You can read this assessment but not change it." in page.inner_text("main")
    assert page.locator("form[data-question] [name=value]").count() > 0
    assert page.locator("form[data-question] [name=value]:enabled").count() == 0
    assert page.locator("form[data-question] button").count() == 0
    other = page.goto(f"{base}{reverse('casework:case', args=[ref, cases['HMIP-05'].pk])}")
    assert other.status == 404  # CSSIW's case, not Estyn's
    assert "HMIP-05" not in page.content()
    # Fieldwork week 2's sessions (scheduling/views_week2.py): the partner inspector may read the page.
    page.goto(f"{base}{reverse('scheduling:week2', args=[ref])}")
    page.wait_for_selector("h1")

    # 3. The Estyn partner inspector records a parent's view, given at interview, about HMIP-04.
    page.goto(voices_url)
    page.wait_for_selector("h1")
    held_on = inspection.fieldwork_start + dt.timedelta(days=8)  # the Tuesday of the second week
    page.check("input[name=kind][value=parent]")
    page.check("input[name=method][value=interview]")
    page.select_option("select[name=case]", str(cases["HMIP-04"].pk))
    page.fill("input[name=held_on_0]", str(held_on.day))
    page.fill("input[name=held_on_1]", str(held_on.month))
    page.fill("input[name=held_on_2]", str(held_on.year))
    page.check("input[name=understood][value=yes]")
    page.check("input[name=listened][value=partly]")
    page.check("input[name=helped][value=yes]")
    page.fill("textarea[name=helped_most]", HELPED_MOST)
    page.check("input[name=may_quote]")
    page.click("main [type=submit][name=save]")
    page.wait_for_selector("text=The view is saved.")
    view = ServiceUserView.objects.get(inspection=inspection)
    assert (view.case, view.recorded_by, view.kind, view.method, view.held_on) == (
        cases["HMIP-04"], people["estyn"], "parent", "interview", held_on,
    )  # fmt: skip
    assert (view.understood, view.listened, view.helped, view.may_quote) == ("yes", "partly", "yes", True)
    assert view.helped_most == HELPED_MOST
    main = page.inner_text("main")
    assert "What 1 person told us" in main and "HMIP-04" in main and "Emrys Rowlands" in main
    assert_accessible(page, "fji-wales-04-service-users")
    sign_out(page)

    # 4. The YOT manager, in Welsh, sends the improvement plan as a PDF.
    sign_in(page, base, people["yot_manager"].username, PASSWORD)
    page.wait_for_selector("html[lang=cy] h1")
    page.goto(plan_url)
    page.wait_for_selector("html[lang=cy] h1")
    assert page.locator("input[type=file][name=upload]").count() == 1
    assert_accessible(page, "fji-wales-05-plan-send-welsh")
    page.set_input_files(
        "input[name=upload]", files=[{"name": "cynllun-gwella.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.click("main [type=submit][name=action]")
    page.wait_for_selector("html[lang=cy] #plan-version-1")
    plan = ImprovementPlan.objects.get(inspection=inspection)
    version = plan.versions.get()
    assert (plan.status, version.number, version.late, version.uploaded_by) == (
        PlanStatus.SUBMITTED, 1, False, people["yot_manager"],
    )  # fmt: skip
    assert version.file.read() == PDF and version.original_name == "cynllun-gwella.pdf"
    review = Notification.objects.get(kind="improvement_plan_review", inspection=inspection)
    assert review.to_email == "yasmin@yjb.example.gov.uk"
    assert Notification.objects.filter(kind="improvement_plan_sent", recipient=people["lead"]).exists()
    sign_out(page)

    # 5. The lead inspector approves version 1; the plan waits for the YJB.
    sign_in(page, base, people["lead"].username, PASSWORD)
    page.wait_for_selector("h1")
    page.goto(plan_url)
    page.wait_for_selector("h2:has-text('Decide on version 1')")
    page.check(f"input[name=kind][value={PlanDecisionKind.APPROVE}]")
    page.click("main [type=submit][name=decide]")
    page.wait_for_selector("text=Your decision on version 1 is recorded.")
    decision = ImprovementPlanDecision.objects.get(version=version)
    assert (decision.decider, decision.kind, decision.by_user) == (
        PlanDecider.HMIP, PlanDecisionKind.APPROVE, people["lead"],
    )  # fmt: skip
    assert ImprovementPlan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED  # not approved alone
    assert "Sent: being considered" in page.inner_text("#plan-status")
    sign_out(page)

    # 6. The YJB contact, with no account, opens the private link from their email and approves.
    token = re.search(r"/improvement-plan-review/([^/\s]+)/", review.body).group(1)
    page.goto(f"{base}{reverse('reports_plan_review:review', args=[token])}")
    page.wait_for_selector("h1")
    assert page.locator("#id_username").count() == 0  # not sent to sign in
    assert page.input_value("input[name=name]") == "Yasmin Jones"
    page.check(f"input[name=kind][value={PlanDecisionKind.APPROVE}]")
    page.click("main [type=submit][name=decide]")
    page.wait_for_selector("main")
    assert page.locator("input[name=kind]").count() == 0  # decided: the form is gone
    yjb = ImprovementPlanDecision.objects.get(version=version, decider=PlanDecider.YJB)
    assert (yjb.kind, yjb.by_name, yjb.by_user) == (PlanDecisionKind.APPROVE, "Yasmin Jones", None)
    plan = ImprovementPlan.objects.get(pk=plan.pk)
    assert plan.status == PlanStatus.APPROVED and plan.approved_at is not None
    assert Notification.objects.filter(kind="improvement_plan_approved", recipient=people["yot_manager"]).exists()

    # 7. The plan page shows Approved, to the lead inspector and (in Welsh) to the YOT manager.
    sign_in(page, base, people["lead"].username, PASSWORD)
    page.wait_for_selector("h1")
    page.goto(plan_url)
    page.wait_for_selector("#plan-status .govuk-tag--green")
    assert page.inner_text("#plan-status").startswith("Approved")
    assert page.locator("main [type=submit][name=decide]").count() == 0
    assert_accessible(page, "fji-wales-06-plan-approved")
    sign_out(page)
    sign_in(page, base, people["yot_manager"].username, PASSWORD)
    page.wait_for_selector("html[lang=cy] h1")
    page.goto(plan_url)
    page.wait_for_selector("html[lang=cy] #plan-status .govuk-tag--green")
    assert page.locator("input[name=upload]").count() == 0  # an approved plan takes no new version
    assert_accessible(page, "fji-wales-07-plan-approved-welsh")
