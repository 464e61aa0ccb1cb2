"""The "What's next" home page (issue 9 §4): each role's tasks, with their links, soonest first.

The clock is fixed at Wednesday 27 January 2027, 10am: for the SQS inspection in England with
fieldwork from Monday 8 February, the planning meeting (Tuesday 26th) is overdue, the long-list
(Thursday 28th, midday) is due soon, and the rest is open.
"""

import datetime as dt
import re
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.enums import AlertKind
from casework.models import Alert, LongList, Sample
from casework.tests import factories as cf
from inspections import todo
from inspections.enums import Programme, StaffRole, Status, TeamRole
from inspections.models import Inspection, YouthOffendingTeam
from inspections.tests import factories as f
from reports.enums import ReportStage, SectionKind
from reports.models import FactualComment, Report, ReportSection
from reports.tests.factories import assessed_case
from scheduling.enums import VersionState
from scheduling.models import CaseManagerAvailability, CaseManagerDay, ScheduleVersion

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2027, 1, 27, 10, 0, tzinfo=LONDON)
TASK = re.compile(
    r'<a class="govuk-link govuk-task-list__link" href="([^"]+)"[^>]*>([^<]+)</a>.*?'
    r'class="govuk-task-list__status"[^>]*>\s*<strong class="govuk-tag[^"]*">([^<]+)</strong>',
    re.S,
)


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def tasks_on_home(client, user) -> list[tuple[str, str, str]]:
    """(title, link, state) of each task, in the order the page lists them."""
    client.force_login(user)
    page = client.get(reverse("inspections:home")).content.decode()
    return [(unescape(title), unescape(url), state) for url, title, state in TASK.findall(page)]


def home_text(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("inspections:home")).content.decode()


@pytest.fixture
def sqs():
    yot = f.yot(name="Northshire")
    lead = f.user(role=StaffRole.LEAD_INSPECTOR, username="lead")
    inspection = f.inspection(lead=lead, yot_=yot, status=Status.ANNOUNCED)
    return {
        "inspection": inspection,
        "lead": lead,
        "sso": f.member(inspection, TeamRole.SSO, username="sso"),
        "assistant": f.member(inspection, TeamRole.ASSISTANT_INSPECTOR, username="assistant"),
        "yot_manager": f.user(role=StaffRole.YOT_MANAGER, yot=yot, username="yot_manager"),
        "stranger": f.user(role=StaffRole.YOT_MANAGER, yot=f.yot(name="Southshire"), username="stranger"),
    }


def url(name: str, inspection, *args, anchor: str = "") -> str:
    path = reverse(name, args=[inspection.reference, *args])
    return f"{path}#{anchor}" if anchor else path


# --- The URLs ---------------------------------------------------------------------------------------------


def test_home_is_the_root_and_the_list_moved_to_inspections():
    assert reverse("inspections:home") == "/"
    assert reverse("inspections:list") == "/inspections/"


def test_signing_in_lands_on_the_home_page(client, sqs):
    response = client.post(reverse("login"), {"username": "lead", "password": "correct horse battery"})
    assert response.status_code == 302
    assert response["Location"] == "/"


# --- YOT manager -----------------------------------------------------------------------------------------


def test_yot_manager_sees_their_yots_deadlines_soonest_first(client, sqs):
    inspection = sqs["inspection"]
    assert tasks_on_home(client, sqs["yot_manager"]) == [
        ("Send the long-list of cases", url("casework:longlist", inspection), "Due soon"),
        ("Send Information in Advance", url("inspections:documents", inspection), "To do"),
        ("Check the draft report for factual accuracy when it arrives", url("reports:reports", inspection), "To do"),
    ]
    page = home_text(client, sqs["yot_manager"])
    assert f"{inspection.reference} · Northshire · due Thursday 28 January 2027, midday" in page
    assert "Inspections you lead" not in page


def test_another_yots_manager_sees_none_of_these_tasks(client, sqs):
    page = home_text(client, sqs["stranger"])
    assert tasks_on_home(client, sqs["stranger"]) == []
    assert "Nothing is waiting for you." in page
    assert sqs["inspection"].reference not in page


def test_yot_manager_sees_nothing_of_an_inspection_not_yet_announced(client, sqs):
    f.force_status(sqs["inspection"], Status.PLANNED)
    assert tasks_on_home(client, sqs["yot_manager"]) == []


def test_yot_manager_enters_the_availability_of_case_managers_still_missing(client, sqs):
    inspection = f.force_status(sqs["inspection"], Status.SAMPLE_SELECTED)
    first = cf.case(inspection)
    first.case_manager_email = "casey@yot.example.gov.uk"
    first.save()
    second = cf.case(inspection)
    second.case_manager_email = "robin@yot.example.gov.uk"
    second.save()
    casey = CaseManagerAvailability.objects.create(
        inspection=inspection, email="casey@yot.example.gov.uk", name="Casey", updated_by=sqs["yot_manager"]
    )
    for day in inspection.fieldwork_days:  # Casey's every day is given; Robin's none
        CaseManagerDay.objects.create(availability=casey, day=day, available=True)
    tasks = tasks_on_home(client, sqs["yot_manager"])
    assert (
        "Give the case managers’ availability: 1 case manager still to give",
        url("scheduling:availability", inspection),
        "Due soon",  # due with the long-list
    ) in tasks


def test_yot_manager_gives_availability_with_the_long_list_before_any_sample(client):
    from scheduling.tests import factories as sf

    inspection, people = sf.long_list_world()
    (manager_name, manager_email), *_ = sf.MANAGERS
    given = CaseManagerAvailability.objects.create(
        inspection=inspection, email=manager_email, name=manager_name, updated_by=people["yot_manager"]
    )
    CaseManagerDay.objects.create(availability=given, day=inspection.fieldwork_days[0], available=True)
    titles = [title for title, *_ in tasks_on_home(client, people["yot_manager"])]
    # Three case managers on the long-list; one has given a day but not all three: all three still to give.
    assert "Give the case managers’ availability: 3 case managers still to give" in titles


def test_yot_manager_checks_the_draft_report_once_it_is_sent(client, sqs):
    inspection = f.force_status(sqs["inspection"], Status.FACTUAL_ACCURACY)
    Report.objects.create(inspection=inspection, stage=ReportStage.FACTUAL_ACCURACY)
    tasks = tasks_on_home(client, sqs["yot_manager"])
    assert tasks == [("Check the draft report for factual accuracy", url("reports:draft", inspection), "To do")]


def test_fji_yot_manager_fills_the_week_1_schedule_and_sends_it_again_when_returned(client):
    yot = f.yot(name="Eastshire")
    inspection = f.inspection(yot_=yot, programme=Programme.FJI)
    manager = f.user(role=StaffRole.YOT_MANAGER, yot=yot)
    schedule = (
        "Fill in the fieldwork week 1 schedule and send it to the lead inspector",
        url("scheduling:schedule", inspection),
        "To do",
    )
    assert schedule in tasks_on_home(client, manager)
    ScheduleVersion.objects.create(inspection=inspection, number=1, state=VersionState.RETURNED)
    titles = [title for title, _link, _state in tasks_on_home(client, manager)]
    assert "Change the fieldwork week 1 schedule and send it again: the lead inspector returned it" in titles
    assert schedule[0] not in titles
    assert "Send your improvement plan" in titles


# --- Lead inspector --------------------------------------------------------------------------------------


def test_lead_inspector_sees_the_hmip_milestones_and_open_alerts_last(client, sqs):
    inspection = sqs["inspection"]
    case = cf.case(inspection, reference="HMIP-03", with_entry=False)
    Alert.objects.create(case=case, kind=AlertKind.ALERT, description="Risk to a child", raised_by=sqs["assistant"])
    timeline = "inspections:timeline"
    assert tasks_on_home(client, sqs["lead"]) == [
        ("Hold the planning meeting with the YOT manager", url(timeline, inspection, anchor="milestone-planning_meeting"), "Overdue"),
        ("Select the case sample when the YOT has sent its long-list", url("casework:sample", inspection), "To do"),
        ("Build the fieldwork schedule and send it to the YOT", url("scheduling:schedule", inspection), "To do"),
        ("Draft the short report", url(timeline, inspection, anchor="milestone-report_drafted"), "To do"),
        ("Have the draft report edited and quality assured", url(timeline, inspection, anchor="milestone-report_quality_assured"), "To do"),
        ("Send the draft report to the YOT manager to check", url("reports:reports", inspection), "To do"),
        ("Publish the report", url("reports:reports", inspection), "To do"),
        ("Record the action taken on the Alert about case HMIP-03", url("casework:alerts", inspection), "To do"),
    ]  # fmt: skip


def test_lead_inspector_records_the_announcement_of_a_planned_inspection(client, sqs):
    inspection = f.force_status(sqs["inspection"], Status.PLANNED)
    first = tasks_on_home(client, sqs["lead"])[0]
    assert first == ("Record the announcement call", url("inspections:announce", inspection), "Overdue")


def test_lead_inspector_sees_every_inspection_they_lead_at_a_glance(client, sqs):
    fji = f.inspection(
        lead=sqs["lead"], yot_=f.yot(name="Westshire"), programme=Programme.FJI, fieldwork_start=dt.date(2027, 3, 1)
    )
    f.inspection(yot_=f.yot(name="Farshire"))  # led by someone else
    page = home_text(client, sqs["lead"])
    table = page.split('id="inspections-you-lead"')[1].split("</table>")[0]
    rows = [unescape(re.sub(r"<[^>]+>", " ", row)) for row in table.split('<tr class="govuk-table__row">')[2:]]
    rows = [" ".join(row.split()) for row in rows]
    assert rows == [
        f"{sqs['inspection'].reference} Northshire Short Quality Screening (SQS) Announced 8 Feb to 10 Feb 2027 "
        "Inspection planning meeting by telephone (at least an hour) Tuesday 26 January Overdue",
        f"{fji.reference} Westshire Full Joint Inspection (FJI) Announced 1 Mar to 5 Mar 2027 15 Mar to 19 Mar 2027 "
        "Planning meeting between lead inspector and YOT manager Tuesday 16 February",
    ]
    assert '<strong class="govuk-tag govuk-tag--blue">Announced</strong>' in table


def test_lead_inspector_answers_the_yot_managers_comments_then_publishes(client, sqs):
    inspection = f.force_status(sqs["inspection"], Status.FACTUAL_ACCURACY)
    report = Report.objects.create(inspection=inspection, stage=ReportStage.FACTUAL_ACCURACY)
    section = ReportSection.objects.create(
        report=report, key="strengths", kind=SectionKind.STRENGTHS, title="Strengths", position=1
    )
    for text in ("The date is wrong", "The name of the board is wrong"):
        FactualComment.objects.create(section=section, author=sqs["yot_manager"], text=text)
    assert tasks_on_home(client, sqs["lead"]) == [
        ("Answer 2 comments from the YOT manager on the draft report", url("reports:draft", inspection), "To do"),
        ("Publish the report", url("reports:reports", inspection), "To do"),
    ]


def test_fji_lead_inspector_approves_the_schedule_the_yot_sent(client):
    lead = f.user(role=StaffRole.LEAD_INSPECTOR)
    inspection = f.inspection(lead=lead, programme=Programme.FJI, status=Status.SAMPLE_SELECTED)
    ScheduleVersion.objects.create(inspection=inspection, number=1, state=VersionState.SUBMITTED)
    assert (
        "Approve or return the YOT’s fieldwork week 1 schedule",
        url("scheduling:schedule", inspection),
        "To do",
    ) in tasks_on_home(client, lead)


def test_published_inspection_leaves_nothing_for_the_lead_inspector(client, sqs):
    f.force_status(sqs["inspection"], Status.PUBLISHED)
    assert tasks_on_home(client, sqs["lead"]) == []
    assert "Nothing left on the timeline" in home_text(client, sqs["lead"])


# --- SSO ---------------------------------------------------------------------------------------------


def test_sso_has_nothing_to_do_before_the_long_list_arrives(client, sqs):
    assert tasks_on_home(client, sqs["sso"]) == []
    assert "Nothing is waiting for you." in home_text(client, sqs["sso"])


def test_sso_selects_the_sample_once_the_long_list_is_in_then_builds_the_schedule(client, sqs):
    inspection = sqs["inspection"]
    long_list = LongList.objects.create(
        inspection=inspection, version=1, original_name="l.xlsx", file_format="xlsx", uploaded_by=sqs["yot_manager"], row_count=1
    )  # fmt: skip
    f.force_status(inspection, Status.LONG_LIST_RECEIVED)
    assert tasks_on_home(client, sqs["sso"]) == [
        ("Select the case sample", url("casework:sample", inspection), "To do")
    ]
    sample = Sample.objects.create(inspection=inspection, long_list=long_list, size=10, selected_by=sqs["sso"])
    assert tasks_on_home(client, sqs["sso"]) == [
        ("Check the case sample and make it final", url("casework:sample", inspection), "To do")
    ]
    sample.finalised_at = timezone.now()
    sample.save()
    f.force_status(inspection, Status.SAMPLE_SELECTED)
    assert tasks_on_home(client, sqs["sso"]) == [
        ("Build the fieldwork schedule and send it to the YOT", url("scheduling:schedule", inspection), "To do")
    ]
    ScheduleVersion.objects.create(inspection=inspection, number=1, state=VersionState.SENT)
    assert tasks_on_home(client, sqs["sso"]) == [
        ("Make the fieldwork schedule final", url("scheduling:schedule", inspection), "To do")
    ]
    ScheduleVersion.objects.create(inspection=inspection, number=2, state=VersionState.FINAL)
    assert tasks_on_home(client, sqs["sso"]) == []


# --- Inspectors and local assessors -------------------------------------------------------------------


def test_assessor_sees_their_cases_not_yet_complete_due_by_the_end_of_fieldwork(client, sqs):
    inspection = sqs["inspection"]
    assessor = cf.local_assessor(inspection, supervisor=sqs["assistant"])
    waiting = cf.case(inspection, assessor=assessor, reference="HMIP-07")
    started = assessed_case(inspection, {}, by=assessor, position=8, completed=False)
    started.assessor = assessor
    started.save()
    done = assessed_case(inspection, {}, by=assessor, position=9)
    done.assessor = assessor
    done.save()
    done.assessment.completed_at = timezone.now()
    done.assessment.save()
    cf.case(inspection, assessor=sqs["assistant"], reference="HMIP-10")  # someone else's
    assert tasks_on_home(client, assessor) == [
        ("Assess case HMIP-07", url("casework:case", inspection, waiting.pk), "To do"),
        ("Finish assessing case HMIP-08", url("casework:case", inspection, started.pk), "To do"),
    ]
    assert "due Wednesday 10 February 2027, 6pm" in home_text(client, assessor)


def _completed_by_local_assessor(inspection, assessor, position, answers, reviewed=None):
    case = assessed_case(inspection, answers, by=assessor, position=position, reviewed=reviewed)
    case.assessor = assessor
    case.save()
    case.assessment.completed_at = timezone.now()
    case.assessment.save()
    return case


def test_supervisor_reviews_each_case_and_the_lead_inspector_moderates_the_inspection(client, sqs):
    inspection = sqs["inspection"]
    assessor = cf.local_assessor(inspection, supervisor=sqs["assistant"])
    to_review = _completed_by_local_assessor(inspection, assessor, 11, {"1.1.1": "Sufficient"})
    _completed_by_local_assessor(inspection, assessor, 12, {"1.1.1": "Sufficient"}, reviewed={"1.1.1": "Sufficient"})
    assert tasks_on_home(client, sqs["assistant"]) == [
        (
            "Review the local assessor’s judgements on case HMIP-11",
            url("casework:review", inspection, to_review.pk),
            "To do",
        )
    ]
    assert (
        "Moderate the local assessors’ judgements: 1 case to review",
        url("casework:moderation", inspection),
        "To do",
    ) in tasks_on_home(client, sqs["lead"])
    other_inspector = f.member(inspection, TeamRole.ASSISTANT_INSPECTOR)
    assert tasks_on_home(client, other_inspector) == []


# --- Administrator -----------------------------------------------------------------------------------


def test_administrator_is_sent_to_the_people_pages(client):
    admin = f.user(role=StaffRole.ADMINISTRATOR)
    assert tasks_on_home(client, admin) == [
        ("Manage people and their access to the service", reverse("accounts:people"), "To do")
    ]


# --- The registry ---------------------------------------------------------------------------------------


def test_tasks_come_soonest_first_with_the_undated_last(monkeypatch):
    inspection = Inspection(
        reference="SQS-T-1", programme=Programme.SQS, fieldwork_start=f.FIELDWORK_MONDAY, status=Status.ANNOUNCED
    )
    inspection.yot = YouthOffendingTeam(name="Northshire", country="england")
    timeline = inspection.timeline

    def provider(user, inspections):
        return [
            todo.Task("No deadline", "/a/", inspection),
            todo.Task("Later", "/b/", inspection, timeline.get("final_schedule_due")),
            todo.Task("Sooner", "/c/", inspection, timeline.get("long_list_due")),
            todo.Task("Past", "/d/", inspection, timeline.get("planning_meeting")),
        ]

    monkeypatch.setattr(todo, "_providers", [provider])
    tasks = todo.tasks_for(None, [inspection], now=NOW)
    assert [(t.title, t.state) for t in tasks] == [
        ("Past", "overdue"),
        ("Sooner", "due_soon"),
        ("Later", "open"),
        ("No deadline", "open"),
    ]
    assert tasks[1].due == dt.datetime(2027, 1, 28, 12, 0, tzinfo=LONDON)
    assert tasks[3].due is None


# --- Queries ----------------------------------------------------------------------------------------------


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def _busy_inspection(lead, yot):
    """An inspection with something for every provider: cases, an alert, a local assessor's
    completed case, a schedule version and a report with a comment."""
    inspection = f.inspection(lead=lead, yot_=yot, status=Status.SAMPLE_SELECTED)
    assessor = cf.local_assessor(inspection, supervisor=lead)
    _completed_by_local_assessor(inspection, assessor, 1, {"1.1.1": "Sufficient"})
    case = cf.case(inspection, assessor=lead, reference="HMIP-02")
    case.case_manager_email = "casey@yot.example.gov.uk"
    case.save()
    Alert.objects.create(case=case, kind=AlertKind.CONCERN, description="Concern", raised_by=lead)
    ScheduleVersion.objects.create(inspection=inspection, number=1, state=VersionState.SENT)
    report = Report.objects.create(inspection=inspection)
    section = ReportSection.objects.create(report=report, key="s", kind=SectionKind.STRENGTHS, title="S", position=1)
    FactualComment.objects.create(section=section, author=lead, text="Comment")
    return inspection


@pytest.mark.parametrize("persona", ["lead", "yot_manager"])
def test_home_queries_do_not_grow_with_the_number_of_inspections(client, persona):
    lead = f.user(role=StaffRole.LEAD_INSPECTOR)
    yot = f.yot()
    manager = f.user(role=StaffRole.YOT_MANAGER, yot=yot)
    for _ in range(2):
        _busy_inspection(lead, yot)
    client.force_login(lead if persona == "lead" else manager)
    two = _queries(client, "/")
    for _ in range(4):
        _busy_inspection(lead, yot)
    assert _queries(client, "/") == two


def test_a_draft_sent_late_gives_the_yot_manager_the_moved_deadline(client, sqs):
    from reports.services import comments_close_at

    inspection = f.force_status(sqs["inspection"], Status.FACTUAL_ACCURACY)
    planned = inspection.timeline.get("factual_accuracy_due").moment
    late = planned - dt.timedelta(hours=1)  # sent an hour before the planned close: three working days from then
    report = Report.objects.create(inspection=inspection, stage=ReportStage.FACTUAL_ACCURACY, sent_at=late)
    moved = comments_close_at(report)
    assert moved > planned
    (task,) = [t for t in todo.tasks_for(sqs["yot_manager"], [inspection]) if "factual accuracy" in t.title]
    assert task.due == moved
    assert moved.strftime("%A %-d %B %Y") in home_text(client, sqs["yot_manager"])
