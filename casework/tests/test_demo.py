"""load_demo with the apps' demo steps: the data the app could have made itself, through its services."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from casework.enums import AlertKind, CaseStatus
from casework.models import Alert, Answer, Assessment, Case, LongList, PartnerCase, Review, Sample
from casework.services.assessment import case_state
from casework.services.partner import partner_cases_of
from inspections.demo import steps
from inspections.enums import PARTNER_INSPECTORATES, ContactRole, Country, Inspectorate, Status
from inspections.models import Inspection, User
from reports.models import ServiceUserView
from scheduling.enums import VersionState
from scheduling.models import CaseManagerAvailability, ScheduleVersion


def test_the_apps_register_their_steps_in_installed_apps_order():
    assert [name for name, _step in steps()] == ["casework", "scheduling", "reports"]


@pytest.mark.django_db(transaction=True)
def test_load_demo_takes_manchester_to_a_final_schedule_and_cardiff_to_a_proposed_sample():
    out = StringIO()
    call_command("load_demo", stdout=out)

    manchester = Inspection.objects.get(yot__code="manchester")
    assert manchester.status == Status.SCHEDULE_FINAL
    sample = Sample.objects.get(inspection=manchester)
    assert sample.is_final and sample.unmet_rules == []
    cases = list(Case.objects.filter(inspection=manchester, status=CaseStatus.SELECTED).order_by("position"))
    assert [c.reference for c in cases] == [f"HMIP-{n:02d}" for n in range(1, 21)]
    assert LongList.objects.get(inspection=manchester).row_count == 60

    # Every case manager's availability, one returning from absence and one part-time on the Tuesday.
    availability = list(CaseManagerAvailability.objects.filter(inspection=manchester))
    assert {c.case_manager_email for c in cases} == {a.email for a in availability}
    assert sum(a.returning_from_absence for a in availability) == 1
    assert any(d.until_1 and d.until_1.hour < 13 for a in availability for d in a.days.all())

    version = ScheduleVersion.objects.get(inspection=manchester)
    assert version.state == VersionState.FINAL and version.sent_at is not None
    assert {e.case_id for e in version.entries.all()} == {c.pk for c in cases}
    # Making the schedule final allocated each case; the local assessor has some.
    assert all(c.assessor_id for c in cases)
    assert any(c.assessor.username == "assessor" for c in cases)

    assessments = list(Assessment.objects.filter(case__inspection=manchester, completed_at__isnull=False))
    assert len(assessments) == 3
    for assessment in assessments:
        state = case_state(assessment.case, assessment)
        assert state.problems == [] and all(state.is_answered(q) for q in state.route.required)
        assert assessment.completed_by == assessment.case.assessor
    values = [a.value for a in Answer.objects.filter(assessment__in=assessments)]
    assert values.count("Sufficient") > values.count("Insufficient") >= 3
    alert = Alert.objects.get(case__inspection=manchester)
    assert alert.kind == AlertKind.CONCERN
    changed = Review.objects.get(assessment__case__inspection=manchester, agreed=False)
    assert changed.reason and changed.assessment.case.assessor.username == "assessor"
    assert changed.reviewer.username == "assistant"  # the local assessor's supervisor

    cardiff = Inspection.objects.get(yot__code="cardiff")
    assert cardiff.status == Status.LONG_LIST_RECEIVED
    assert LongList.objects.filter(inspection=cardiff).count() == 1
    proposed = Sample.objects.get(inspection=cardiff)
    assert not proposed.is_final
    assert Case.objects.filter(inspection=cardiff, status=CaseStatus.SELECTED, reference="").count() == 20

    bristol = Inspection.objects.get(yot__code="bristol")
    assert bristol.status == Status.PLANNED and not Case.objects.filter(inspection=bristol).exists()
    assert bristol.contacts.filter(role=ContactRole.YJB, name="Yasmin Jones").count() == 1  # for the plan

    # Wales's FJI: a final sample, three cases assessed, partner cases for the Welsh inspectorates (Estyn
    # among them, whose partner inspector sees only those), service users' views, a YJB contact.
    newport = Inspection.objects.get(yot__code="newport")
    assert (newport.programme, newport.status) == ("fji", Status.SAMPLE_SELECTED)
    assert Sample.objects.get(inspection=newport).is_final
    assert Assessment.objects.filter(case__inspection=newport, completed_at__isnull=False).count() == 3
    estyn = User.objects.get(username="partner.wales")
    assert newport.team.get(user=estyn).role == "partner_inspector" and not bristol.team.filter(user=estyn).exists()
    chosen = PartnerCase.objects.filter(case__inspection=newport)
    assert set(chosen.values_list("inspectorate", flat=True)) <= set(PARTNER_INSPECTORATES[Country.WALES])
    mine = partner_cases_of(newport, Inspectorate.ESTYN)
    assert 1 <= len(mine) <= 2 and all(row.reasons for row in mine)
    views = ServiceUserView.objects.filter(inspection=newport)
    assert sorted(views.values_list("kind", flat=True)) == ["child", "parent", "victim"]
    assert views.get(kind="parent").recorded_by == estyn and views.get(kind="parent").case == mine[0].case
    assert newport.contacts.filter(role=ContactRole.YJB).count() == 1


@pytest.mark.django_db(transaction=True)
def test_load_demo_takes_leicester_through_both_fieldwork_weeks_to_an_approved_improvement_plan():
    from reports.enums import PlanStatus, ReportStage
    from reports.models import ImprovementPlan, Report
    from scheduling.models import Week2Session

    out = StringIO()
    call_command("load_demo", stdout=out)
    leicester = Inspection.objects.get(yot__code="leicester")
    assert leicester.status == Status.FACTUAL_ACCURACY
    assert "both fieldwork weeks done, draft report sent to the YOT, improvement plan approved" in out.getvalue()
    assert Assessment.objects.filter(case__inspection=leicester, completed_at__isnull=False).count() == 3
    assert ScheduleVersion.objects.filter(inspection=leicester, state=VersionState.FINAL).exists()
    focus_group = Week2Session.objects.get(inspection=leicester, title="Focus group with case managers")
    assert focus_group.findings and focus_group.informs == ["theme-child"]
    assert leicester.milestone_completions.filter(key="week2_schedule_due").exists()
    assert ServiceUserView.objects.filter(inspection=leicester).count() == 2
    report = Report.objects.get(inspection=leicester)
    assert report.stage == ReportStage.FACTUAL_ACCURACY and report.judgements.filter(stars__isnull=True).count() == 0
    assert ImprovementPlan.objects.get(inspection=leicester).status == PlanStatus.APPROVED
    # The week-2 finding is beside the judgement it informs.
    child = report.sections.get(key="theme-child")
    assert any("rarely assessed" in prompt for prompt in child.prompts)
