"""Issue 9 §5 in inspections: the gates on the status moves whose facts are here, the lead
inspector's own "Mark as" button, the two kinds of clash, and removing a person from the team.

Every refusal checks that nothing was written. The gates whose facts live in casework, scheduling
and reports are tested in reports/tests/test_gates.py.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from inspections import services
from inspections.enums import Programme, StaffRole, Status, TeamRole
from inspections.models import AuditEvent, Inspection, StatusChange, TeamMembership
from inspections.tests import factories as f

pytestmark = pytest.mark.django_db


def snapshot(inspection: Inspection) -> tuple:
    """What a refused move must leave as it was."""
    row = Inspection.objects.get(pk=inspection.pk)
    return (
        row.status,
        row.version,
        StatusChange.objects.filter(inspection=inspection).count(),
        AuditEvent.objects.filter(inspection=inspection).count(),
    )


def moment(inspection: Inspection, key: str) -> dt.datetime:
    return inspection.timeline.get(key).moment


# --- Gates refused, nothing written --------------------------------------------------------------


def _announced_without_contacts():
    return f.inspection(status=Status.PLANNED), Status.ANNOUNCED, None


def _sqs_draft_during_fieldwork():
    inspection = f.inspection(status=Status.FIELDWORK)
    return inspection, Status.DRAFT_REPORT, moment(inspection, "fieldwork_end") - dt.timedelta(minutes=1)


def _fji_draft_between_the_two_weeks():
    inspection = f.inspection(status=Status.FIELDWORK, programme=Programme.FJI)
    return inspection, Status.DRAFT_REPORT, moment(inspection, "fieldwork_end") + dt.timedelta(days=3)


def _fieldwork_before_the_team_arrives():
    inspection = f.inspection(status=Status.SCHEDULE_FINAL)
    return inspection, Status.FIELDWORK, moment(inspection, "fieldwork_start") - dt.timedelta(minutes=1)


def _skipping_a_step():
    return f.inspection(status=Status.FIELDWORK), Status.FACTUAL_ACCURACY, None


REFUSED = [
    pytest.param(
        _announced_without_contacts,
        "Add the contact details of everyone who receives the confirmation email first: Local authority chief "
        "executive, Chair of the YOT Management Board, Director of Children's Services, YOT manager.",
        id="announced-without-the-contacts",
    ),
    pytest.param(
        _sqs_draft_during_fieldwork,
        "Fieldwork ends at 6pm on Wednesday 10 February 2027: the draft report can be started after that.",
        id="sqs-draft-report-before-fieldwork-ends",
    ),
    pytest.param(
        _fji_draft_between_the_two_weeks,
        "Fieldwork ends at 10am on Friday 26 February 2027: the draft report can be started after that.",
        id="fji-draft-report-after-week-one-before-week-two-ends",
    ),
    pytest.param(
        _fieldwork_before_the_team_arrives,
        "Fieldwork starts at 1pm on Monday 8 February 2027: the inspection can be marked as in fieldwork from then.",
        id="fieldwork-before-the-team-is-due-on-site",
    ),
    pytest.param(
        _skipping_a_step,
        "An inspection cannot move from “Fieldwork” to “Factual accuracy check”: the next step is “Draft report”.",
        id="skipping-a-step",
    ),
]


@pytest.mark.parametrize(("make", "message"), REFUSED)
def test_a_gated_move_is_refused_saying_why_and_writes_nothing(make, message):
    inspection, to_status, now = make()
    before = snapshot(inspection)
    with pytest.raises(ValidationError) as exc:
        services.inspection_set_status(
            inspection=inspection, to_status=to_status, by=inspection.lead_inspector, now=now
        )
    assert message in exc.value.messages
    assert snapshot(inspection) == before


@pytest.mark.parametrize(
    ("programme", "end_key"),
    [
        pytest.param(Programme.SQS, "fieldwork_end", id="sqs"),
        pytest.param(Programme.FJI, "fieldwork_week2_end", id="fji"),
    ],
)
def test_the_draft_report_may_start_once_fieldwork_has_ended(programme, end_key):
    inspection = f.inspection(status=Status.FIELDWORK, programme=programme)
    services.inspection_set_status(
        inspection=inspection,
        to_status=Status.DRAFT_REPORT,
        by=inspection.lead_inspector,
        now=moment(inspection, end_key),
    )
    assert Inspection.objects.get(pk=inspection.pk).status == Status.DRAFT_REPORT
    assert StatusChange.objects.filter(inspection=inspection, to_status=Status.DRAFT_REPORT).count() == 1


def test_several_problems_are_all_listed():
    inspection = f.inspection(status=Status.SCHEDULE_FINAL)  # no final schedule either
    early = moment(inspection, "fieldwork_start") - dt.timedelta(days=1)
    assert services.status_move_problems(inspection, Status.FIELDWORK, early) == [
        "Fieldwork starts at 1pm on Monday 8 February 2027: the inspection can be marked as in fieldwork from then.",
        "The fieldwork schedule has not been made final yet.",
    ]


# --- The "Mark as" button: only the lead inspector's own moves ------------------------------------


@pytest.mark.parametrize(
    ("status", "to_status", "message"),
    [
        pytest.param(
            Status.ANNOUNCED,
            Status.LONG_LIST_RECEIVED,
            "The inspection moves to “Long-list received” when the YOT uploads its long-list of cases.",
            id="long-list",
        ),
        pytest.param(
            Status.LONG_LIST_RECEIVED,
            Status.SAMPLE_SELECTED,
            "The inspection moves to “Sample selected” when the case sample is made final.",
            id="sample",
        ),
        pytest.param(
            Status.SAMPLE_SELECTED,
            Status.SCHEDULE_FINAL,
            "The inspection moves to “Schedule final” when the fieldwork schedule is made final.",
            id="schedule",
        ),
        pytest.param(
            Status.DRAFT_REPORT,
            Status.FACTUAL_ACCURACY,
            "The inspection moves to “Factual accuracy check” when you send the draft report to the YOT manager.",
            id="send-the-report",
        ),
        pytest.param(
            Status.FACTUAL_ACCURACY,
            Status.PUBLISHED,
            "The inspection moves to “Published” when you publish the report.",
            id="publish",
        ),
    ],
)
def test_the_button_refuses_moves_that_have_their_own_action(client, status, to_status, message):
    inspection = f.inspection(status=status)
    before = snapshot(inspection)
    client.force_login(inspection.lead_inspector)
    response = client.post(
        reverse("inspections:status", args=[inspection.reference]),
        {"to_status": to_status, "expected": status},
        follow=True,
    )
    assert message in response.content.decode()
    assert snapshot(inspection) == before


def test_the_button_refusal_shows_the_gate_problem(client, monkeypatch):
    inspection = f.inspection(status=Status.FIELDWORK)
    during = moment(inspection, "fieldwork_end") - dt.timedelta(hours=2)
    monkeypatch.setattr("django.utils.timezone.now", lambda: during)
    before = snapshot(inspection)
    client.force_login(inspection.lead_inspector)
    response = client.post(
        reverse("inspections:status", args=[inspection.reference]),
        {"to_status": Status.DRAFT_REPORT, "expected": Status.FIELDWORK},
        follow=True,
    )
    page = response.content.decode()
    assert "Fieldwork ends at 6pm on Wednesday 10 February 2027: the draft report can be started after that." in page
    assert "Mark as “Draft report”" not in page  # the overview shows why instead of the button
    assert snapshot(inspection) == before


def test_the_overview_says_which_action_moves_the_inspection_on(client):
    inspection = f.inspection(status=Status.SAMPLE_SELECTED)
    client.force_login(inspection.lead_inspector)
    page = client.get(reverse("inspections:detail", args=[inspection.reference])).content.decode()
    assert "The inspection moves to “Schedule final” when the fieldwork schedule is made final." in page
    assert f'href="{reverse("scheduling:schedule", args=[inspection.reference])}">Go to the schedule</a>' in page
    assert 'name="to_status"' not in page


def test_the_overview_offers_the_button_once_the_gate_is_open(client, monkeypatch):
    inspection = f.inspection(status=Status.FIELDWORK)
    after = moment(inspection, "fieldwork_end") + dt.timedelta(hours=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: after)
    client.force_login(inspection.lead_inspector)
    page = client.get(reverse("inspections:detail", args=[inspection.reference])).content.decode()
    assert 'name="to_status" value="draft_report"' in page
    response = client.post(
        reverse("inspections:status", args=[inspection.reference]),
        {"to_status": Status.DRAFT_REPORT, "expected": Status.FIELDWORK},
        follow=True,
    )
    assert "Status is now “Draft report”." in response.content.decode()
    assert Inspection.objects.get(pk=inspection.pk).status == Status.DRAFT_REPORT


# --- Clashes ------------------------------------------------------------------------------------


def test_a_second_live_inspection_of_a_yot_is_refused_naming_the_first():
    first = f.inspection(status=Status.DRAFT_REPORT)
    count = Inspection.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.inspection_create(
            created_by=f.user(),
            programme=Programme.SQS,
            yot=first.yot,
            fieldwork_start=f.FIELDWORK_MONDAY + dt.timedelta(weeks=3),
            today=f.TODAY,
        )
    assert exc.value.message_dict["yot"] == [
        f"{first.yot.name} already has an inspection that is not yet published: {first.reference}, fieldwork from "
        "Monday 8 February 2027. Plan the next one once that report is published."
    ]
    assert Inspection.objects.count() == count


def test_a_yot_whose_last_inspection_is_published_can_be_inspected_again():
    first = f.inspection(status=Status.PUBLISHED)
    second = services.inspection_create(
        created_by=f.user(), programme=Programme.SQS, yot=first.yot, fieldwork_start=f.FIELDWORK_MONDAY, today=f.TODAY
    )
    assert second.yot == first.yot


def test_the_creator_already_on_site_elsewhere_that_week_is_refused():
    lead = f.user(role=StaffRole.LEAD_INSPECTOR, first_name="Lena", last_name="Hughes")
    other = f.inspection(lead=lead, programme=Programme.FJI)
    count = Inspection.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.inspection_create(
            created_by=lead,
            programme=Programme.SQS,
            yot=f.yot(),
            fieldwork_start=f.FIELDWORK_MONDAY + dt.timedelta(weeks=2),  # the FJI's second week
            today=f.TODAY,
        )
    assert exc.value.message_dict["fieldwork_start"] == [
        f"Lena Hughes is already on {other.reference} ({other.yot.name}), on site in the week beginning "
        "Monday 22 February 2027: they cannot also be on this inspection that week."
    ]
    assert Inspection.objects.count() == count


def test_the_create_page_shows_the_yot_clash_on_the_yot_field(client):
    first = f.inspection(status=Status.ANNOUNCED)
    lead = f.user(role=StaffRole.LEAD_INSPECTOR)
    client.force_login(lead)
    monday = f.FIELDWORK_MONDAY + dt.timedelta(weeks=52)  # a Monday a year on, in the future
    response = client.post(
        reverse("inspections:create"),
        {
            "programme": Programme.SQS,
            "yot": first.yot.pk,
            "fieldwork_start_0": monday.day,
            "fieldwork_start_1": monday.month,
            "fieldwork_start_2": monday.year,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f"already has an inspection that is not yet published: {first.reference}" in page
    assert Inspection.objects.count() == 1


def test_a_person_on_another_inspection_that_week_is_refused_naming_both():
    other = f.inspection()
    assistant = f.member(other, TeamRole.ASSISTANT_INSPECTOR, first_name="Sam", last_name="Okafor")
    inspection = f.inspection()
    before = (TeamMembership.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as exc:
        services.team_member_add(
            inspection=inspection, by=inspection.lead_inspector, user=assistant, role=TeamRole.ASSISTANT_INSPECTOR
        )
    assert exc.value.message_dict["user"] == [
        f"Sam Okafor is already on {other.reference} ({other.yot.name}), on site in the week beginning "
        f"Monday 8 February 2027: they cannot also be on {inspection.reference} that week."
    ]
    assert (TeamMembership.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize(
    ("other_status", "other_start"),
    [
        pytest.param(Status.ANNOUNCED, f.FIELDWORK_MONDAY + dt.timedelta(weeks=1), id="another-week"),
        pytest.param(Status.PUBLISHED, f.FIELDWORK_MONDAY, id="same-week-but-published"),
    ],
)
def test_a_person_free_that_week_joins(other_status, other_start):
    other = f.inspection(status=other_status, fieldwork_start=other_start)
    assistant = f.member(other, TeamRole.ASSISTANT_INSPECTOR)
    inspection = f.inspection()
    membership = services.team_member_add(
        inspection=inspection, by=inspection.lead_inspector, user=assistant, role=TeamRole.ASSISTANT_INSPECTOR
    )
    assert membership.inspection == inspection


# --- Removing a person: a confirmation page first -------------------------------------------------


@pytest.fixture
def team():
    inspection = f.inspection()
    assistant = f.member(inspection, TeamRole.ASSISTANT_INSPECTOR, first_name="Sam", last_name="Okafor")
    membership = TeamMembership.objects.get(inspection=inspection, user=assistant)
    url = reverse("inspections:team_remove", args=[inspection.reference, membership.pk])
    return inspection, assistant, membership, url


def test_remove_asks_for_confirmation_first(client, team):
    inspection, _assistant, _membership, url = team
    client.force_login(inspection.lead_inspector)
    page = client.get(url).content.decode()
    assert "Remove Sam Okafor from the team?" in page
    assert "Sam Okafor (Assistant inspector) will no longer be on this inspection and will not see it." in page
    assert 'name="confirmed" value="yes"' in page
    detail = client.get(reverse("inspections:detail", args=[inspection.reference])).content.decode()
    assert f'href="{url}"' in detail  # a link to this page, not a button that removes at once


def test_remove_without_the_confirmation_changes_nothing(client, team):
    inspection, _assistant, membership, url = team
    client.force_login(inspection.lead_inspector)
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == url
    assert TeamMembership.objects.filter(pk=membership.pk).exists()


def test_remove_confirmed_removes_once_and_a_second_click_changes_nothing(client, team):
    inspection, _assistant, membership, url = team
    client.force_login(inspection.lead_inspector)
    client.post(url, {"confirmed": "yes"})
    assert not TeamMembership.objects.filter(pk=membership.pk).exists()
    response = client.post(url, {"confirmed": "yes"}, follow=True)
    assert "That person is no longer on the team; nothing changed." in response.content.decode()
    assert AuditEvent.objects.filter(inspection=inspection, action="team_removed").count() == 1


def test_remove_page_for_the_lead_inspector_says_why_and_offers_no_button(client, team):
    inspection = team[0]
    lead_membership = TeamMembership.objects.get(inspection=inspection, role=TeamRole.LEAD_INSPECTOR)
    client.force_login(inspection.lead_inspector)
    page = client.get(reverse("inspections:team_remove", args=[inspection.reference, lead_membership.pk])).content
    assert "The lead inspector cannot be removed from their inspection." in page.decode()
    assert b'name="confirmed"' not in page


@pytest.mark.parametrize(("persona", "expected"), [("assistant", 403), ("stranger", 404)])
def test_remove_page_is_for_the_lead_inspector_only(client, team, persona, expected):
    _inspection, assistant, membership, url = team
    client.force_login(assistant if persona == "assistant" else f.user())
    assert client.get(url).status_code == expected
    assert client.post(url, {"confirmed": "yes"}).status_code == expected
    assert TeamMembership.objects.filter(pk=membership.pk).exists()


def test_moving_the_dates_onto_a_team_members_other_week_is_refused_naming_both():
    other = f.inspection(fieldwork_start=f.FIELDWORK_MONDAY)
    sam = f.member(other, TeamRole.ASSISTANT_INSPECTOR, first_name="Sam", last_name="Okafor")
    inspection = f.inspection(status=Status.PLANNED, fieldwork_start=f.FIELDWORK_MONDAY + dt.timedelta(weeks=3))
    TeamMembership.objects.create(inspection=inspection, user=sam, role=TeamRole.ASSISTANT_INSPECTOR)
    before = snapshot(inspection)
    with pytest.raises(ValidationError) as exc:
        services.inspection_update(
            inspection=inspection, by=inspection.lead_inspector, fieldwork_start=f.FIELDWORK_MONDAY, modules=[],
            today=f.TODAY,
        )  # fmt: skip
    assert exc.value.message_dict["fieldwork_start"] == [
        f"Sam Okafor is already on {other.reference} ({other.yot.name}), on site in the week beginning "
        f"Monday 8 February 2027: they cannot also be on {inspection.reference} that week."
    ]
    assert snapshot(Inspection.objects.get(pk=inspection.pk)) == before
