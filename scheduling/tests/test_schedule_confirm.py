"""Sending the schedule to the YOT and making it final: a GOV.UK confirmation page first, done once,
and the emails (to the YOT managers, and each assessor's own cases) created once, in the
recipient's language, with absolute links, visible on the inspection's Emails page."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from inspections.enums import Language, NotificationStatus, Programme
from inspections.models import Notification
from scheduling import selectors as S
from scheduling import services
from scheduling.enums import VersionState
from scheduling.models import CaseManagerAvailability
from scheduling.tests.test_schedule_services import SOLVER_SECONDS, sqs_world

pytestmark = pytest.mark.django_db
SITE = "https://inspections.example.gov.uk"


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.SCHEDULE_SOLVER_SECONDS = SOLVER_SECONDS
    settings.SITE_URL = SITE


def url(name, inspection):
    return reverse(f"scheduling:{name}", args=[inspection.reference])


@pytest.fixture
def solved():
    inspection, people, cases = sqs_world(n_cases=6)
    services.schedule_solve(inspection=inspection, by=people["sso"])
    return inspection, people, cases


def test_send_asks_for_confirmation_first_and_changes_nothing(client, solved):
    inspection, people, _cases = solved
    client.force_login(people["sso"])
    page = client.get(url("send", inspection), {"expected": 1}).content.decode()
    assert '<h1 class="govuk-heading-l">Send version 1 of the schedule to the YOT?</h1>' in page
    assert "The YOT manager sees it on the schedule page and is emailed a link to it: Yan Manager" in page
    assert "Once sent, version 1 does not change" in page
    assert 'name="confirmed" value="yes"' in page and 'name="expected" value="1"' in page
    assert ">Send it to the YOT</button>" in page
    assert S.latest_version(inspection).state == VersionState.DRAFT
    # The schedule page's button opens this page; it no longer sends by itself.
    schedule = client.get(url("schedule", inspection)).content.decode()
    assert f'<form method="get" action="{url("send", inspection)}">' in schedule
    unconfirmed = client.post(url("send", inspection), {"expected": 1})
    assert unconfirmed.status_code == 302 and unconfirmed["Location"] == url("send", inspection) + "?expected=1"
    assert S.latest_version(inspection).state == VersionState.DRAFT
    assert Notification.objects.count() == 0


def test_confirmed_send_sends_once_and_a_second_click_changes_nothing(
    client, solved, django_capture_on_commit_callbacks
):
    inspection, people, _cases = solved
    client.force_login(people["sso"])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url("send", inspection), {"expected": 1, "confirmed": "yes"}, follow=True)
    assert "Version 1 sent to the YOT." in first.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(url("send", inspection), {"expected": 1, "confirmed": "yes"}, follow=True)
    assert "Version 1 has already been sent to the YOT; nothing was sent twice." in second.content.decode()
    assert S.latest_version(inspection).number == 1
    notification = Notification.objects.get()
    assert (notification.kind, notification.recipient, notification.inspection, notification.status) == (
        "schedule_sent",
        people["yot_manager"],
        inspection,
        NotificationStatus.SENT,
    )
    assert f"{SITE}/inspections/{inspection.reference}/schedule/" in notification.body
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["yot.manager@northshire.example.gov.uk"]
    emails_page = client.get(reverse("inspections:notifications", args=[inspection.reference]))
    assert notification.subject in emails_page.content.decode()


def test_send_confirmation_says_what_stops_it_and_offers_no_button(client, solved):
    inspection, people, cases = solved
    CaseManagerAvailability.objects.filter(email=cases[0].case_manager_email).delete()
    client.force_login(people["sso"])
    page = client.get(url("send", inspection), {"expected": 1}).content.decode()
    assert "You cannot do this yet" in page
    assert "Fix these first, then send it:" in page
    assert 'name="confirmed"' not in page
    response = client.post(url("send", inspection), {"expected": 1, "confirmed": "yes"})
    assert response.status_code == 200 and "Fix these first, then send it:" in response.content.decode()
    assert S.latest_version(inspection).state == VersionState.DRAFT


def test_finalise_confirmation_then_emails_the_yot_and_each_assessor_their_cases(
    client, solved, django_capture_on_commit_callbacks
):
    inspection, people, _cases = solved
    client.force_login(people["sso"])
    page = client.get(url("finalise", inspection), {"expected": 1}).content.decode()
    assert "Make version 1 of the schedule final?" in page
    assert "Each case is allocated to the team member whose slot it is in" in page
    assert "The inspection moves on to “Schedule final”." in page
    assert ">Make version 1 final</button>" in page and "govuk-button--warning" in page
    assert S.latest_version(inspection).state == VersionState.DRAFT
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("finalise", inspection), {"expected": 1, "confirmed": "yes"}, follow=True)
    assert "Version 1 is final." in response.content.decode()
    version = S.latest_version(inspection)
    assert version.state == VersionState.FINAL
    keys = sorted(Notification.objects.values_list("key", flat=True))
    assessors = [people[p] for p in ("lead", "assistant", "assessor")]
    assert keys == sorted(
        [f"schedule_final:{version.pk}:{people['yot_manager'].pk}"]
        + [f"schedule_final_assessor:{version.pk}:{p.pk}" for p in assessors]
    )
    cases_link = f"{SITE}/inspections/{inspection.reference}/cases/"
    for person in assessors:
        theirs = {
            e.case.reference
            for e in version.entries.select_related("case")
            if S.member_of_slot(e.slot_id) == S.member_id(person.pk)
        }
        body = Notification.objects.get(key=f"schedule_final_assessor:{version.pk}:{person.pk}").body
        assert {line[2:9] for line in body.splitlines() if line.startswith("- HMIP-")} == set(theirs)
        assert cases_link in body and "Quixleywhistle" not in body
    # Asked again (a retry, a second click): nothing more is created or sent.
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.version_notify(version=version) == []
        again = client.post(url("finalise", inspection), {"expected": 1, "confirmed": "yes"}, follow=True)
    assert "Version 1 is already final; nothing changed." in again.content.decode()
    assert Notification.objects.count() == 4 and len(mail.outbox) == sent == 4


def test_emails_are_written_in_each_recipients_language(solved, django_capture_on_commit_callbacks):
    inspection, people, _cases = solved
    people["yot_manager"].language = Language.WELSH
    people["yot_manager"].save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_send(inspection=inspection, by=people["sso"])
    assert Notification.objects.get(kind="schedule_sent").language == Language.WELSH


def test_fji_send_confirmation_is_for_approval_by_the_lead_inspector(client, django_capture_on_commit_callbacks):
    inspection, people, cases = sqs_world(n_cases=3, programme=Programme.FJI)
    inputs = S.schedule_inputs(inspection)
    tuesday = [s for s in inputs.slots if s.day == 1]
    for case, slot in zip(cases, tuesday, strict=False):
        services.schedule_move(inspection=inspection, case=case, slot_id=slot.id, by=people["yot_manager"])
    client.force_login(people["yot_manager"])
    page = client.get(url("send", inspection), {"expected": 1}).content.decode()
    assert "Send version 1 of the schedule to the lead inspector for approval?" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("send", inspection), {"expected": 1, "confirmed": "yes"})
    assert sorted(Notification.objects.values_list("kind", "recipient__username")) == [
        ("schedule_submitted", "lead"),
        ("schedule_submitted", "sso"),
    ]
    client.force_login(people["lead"])
    page = client.get(url("finalise", inspection), {"expected": 1}).content.decode()
    assert "Approve version 1 of the schedule?" in page


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("assistant", 403), ("assessor", 403), ("yot_manager", 403), ("stranger", 404), ("other_lead", 404)],
)
@pytest.mark.parametrize("name", ["send", "finalise"])
def test_confirmation_pages_are_for_the_builders_only(client, solved, persona, expected, name):
    inspection, people, _cases = solved
    client.force_login(people[persona])
    assert client.get(url(name, inspection)).status_code == expected
    assert client.post(url(name, inspection), {"expected": 1, "confirmed": "yes"}).status_code == expected
    assert S.latest_version(inspection).state == VersionState.DRAFT
    assert Notification.objects.count() == 0
