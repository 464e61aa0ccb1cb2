"""Issue 14 §3 and §5 in a real browser: fieldwork week 2 and the report's disagreements.

The YOT manager proposes a week-2 session and sends the schedule to the lead inspector; the lead
inspector confirms it with a partner inspector; the partner inspector records what it found and the
judgements it informs; the partner inspector raises a disagreement on a judgement section of the
draft; the lead inspector refers it to the quality assurance managers and records what was agreed.
axe finds no serious or critical violation on the week-2, findings and disagreement pages.
Screenshots go to test-artifacts/ (fji-week2-*.png).
"""

from __future__ import annotations

import pytest

from inspections.enums import Inspectorate, Programme, StaffRole, TeamRole
from inspections.tests import factories as f
from reports.enums import DisputeLevel, DisputeStatus
from reports.models import EditorialDispute, Report, ReportSection
from scheduling.enums import Week2Status
from scheduling.models import Week2Session
from tests_e2e.conftest import assert_accessible, sign_in

PASSWORD = "correct horse battery"


@pytest.mark.django_db(transaction=True)
def test_week2_findings_and_a_disagreement_settled(page, live_server):
    yot = f.yot(name="Northshire")
    lead = f.user(role=StaffRole.LEAD_INSPECTOR, username="lena", first_name="Lena", last_name="Hughes")
    inspection = f.inspection(lead=lead, yot_=yot, programme=Programme.FJI, modules=["governance"])
    f.announcement_contacts(inspection)
    partner = f.member(
        inspection, TeamRole.PARTNER_INSPECTOR, inspectorate=Inspectorate.CQC, username="cara",
        first_name="Cara", last_name="Health",
    )  # fmt: skip
    f.user(role=StaffRole.YOT_MANAGER, yot=yot, username="tom", first_name="Tom", last_name="Barnes")
    report = Report.objects.create(inspection=inspection)
    ReportSection.objects.create(
        report=report, key="theme-child", kind="judgement", title="Protecting the child or young person", position=1
    )
    base, ref = live_server.url, inspection.reference

    # The YOT manager proposes a session and sends the schedule.
    sign_in(page, base, "tom", PASSWORD)
    page.goto(f"{base}/inspections/{ref}/week2/new/")
    page.check("input[name=kind][value=focus_group]")
    page.fill("input[name=title]", "Focus group with case managers")
    page.select_option("select[name=when]", index=3)  # a Tuesday morning time
    page.fill("textarea[name=attendees]", "A. Khan, case manager\nB. Jones, case manager")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".govuk-notification-banner, .govuk-error-summary")
    session = Week2Session.objects.get(inspection=inspection, title="Focus group with case managers")
    page.click("text=Send the week 2 schedule to the lead inspector")
    page.wait_for_selector("#week2-sent")
    assert inspection.milestone_completions.filter(key="week2_schedule_due").exists()
    page.click("text=Sign out")

    # The lead inspector confirms it with the partner inspector.
    sign_in(page, base, "lena", PASSWORD)
    page.goto(f"{base}/inspections/{ref}/week2/{session.pk}/confirm/")
    page.check(f"input[name=inspectors][value='{partner.pk}']")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".govuk-notification-banner")
    session.refresh_from_db()
    assert session.status == Week2Status.CONFIRMED
    assert_accessible(page, "fji-week2-01-week2-page")
    page.click("text=Sign out")

    # The partner inspector records what it found.
    sign_in(page, base, "cara", PASSWORD)
    page.goto(f"{base}/inspections/{ref}/week2/")
    page.click(f"#session-{session.pk} >> text=Record what it found")
    page.click("main form button[type=submit]")  # nothing written: both gaps named
    page.wait_for_selector(".govuk-error-summary")
    page.fill("textarea[name=findings]", "Case managers rarely ask for health assessments.")
    page.check("input[name=informs][value=theme-child]")
    assert_accessible(page, "fji-week2-02-findings")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".govuk-notification-banner")
    session.refresh_from_db()
    assert session.informs == ["theme-child"] and session.findings_by == partner

    # ...and disagrees with the judgement section.
    page.goto(f"{base}/inspections/{ref}/reports/disagreements/")
    page.select_option("select[name=section]", label="Protecting the child or young person")
    page.fill("textarea[name=matter]", "Two stars understates the health work we saw.")
    assert_accessible(page, "fji-week2-03-disagreements")
    page.click("main form [name=raise]")
    page.wait_for_selector("text=Two stars understates the health work we saw.")
    dispute = EditorialDispute.objects.get()
    assert dispute.raised_by == partner and dispute.section.key == "theme-child"
    page.click("text=Sign out")

    # The lead inspector refers it, then records what was agreed.
    sign_in(page, base, "lena", PASSWORD)
    page.goto(f"{base}/inspections/{ref}/reports/disagreements/{dispute.pk}/")
    page.check("input[name=action][value=refer]")
    page.fill("textarea[name=note]", "Not agreed between us; to the quality assurance managers.")
    page.click("main form [name=step]")
    page.wait_for_selector(".govuk-notification-banner")
    page.check("input[name=action][value=settle]")
    page.fill("textarea[name=note]", "Three stars, naming the health work.")
    assert_accessible(page, "fji-week2-04-dispute")
    page.click("main form [name=step]")
    page.wait_for_selector(".govuk-notification-banner")
    dispute.refresh_from_db()
    assert (dispute.level, dispute.status) == (DisputeLevel.QUALITY, DisputeStatus.RESOLVED)
    assert "Three stars, naming the health work." in page.inner_text("main")
