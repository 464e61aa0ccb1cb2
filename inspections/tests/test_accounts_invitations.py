"""Invitations: accepting one, at announcement, and the lead inspector's team invitations (issue 9 §1)."""

from __future__ import annotations

import datetime as dt
import hashlib
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from inspections import services as inspection_services
from inspections.accounts import services
from inspections.enums import ContactRole, Language, Programme, StaffRole, Status, TeamRole
from inspections.models import AuditEvent, Contact, Invitation, Notification, TeamMembership, User
from inspections.tests import factories as f

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a very long new password 42"


def _invited(**extra) -> tuple[User, str]:
    person = User(username="pat@example.gov.uk", email="pat@example.gov.uk", first_name="Pat", last_name="Jones")
    for name, value in extra.items():
        setattr(person, name, value)
    person.set_unusable_password()
    person.save()
    invitation = services.invitation_send(user=person, by=f.user(first_name="Lena", last_name="Hughes"))
    return person, reverse("accept_invitation", args=[invitation.token])


def test_invitation_stores_only_a_hash_of_its_token():
    person, url = _invited()
    invitation = Invitation.objects.get(user=person)
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert round((invitation.expires_at - invitation.created_at).total_seconds()) == 7 * 24 * 3600


def test_accept_page_asks_for_a_password_without_signing_in(client):
    _person, url = _invited()
    page = client.get(url).content.decode()
    assert '<h1 class="govuk-heading-l">Create your password</h1>' in page
    assert "pat@example.gov.uk" in page
    assert 'type="password"' in page


def test_accept_sets_the_password_signs_in_and_the_link_then_stops_working(client):
    person, url = _invited()
    response = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == "/"
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(person.pk)
    assert Invitation.objects.get(user=person).used_at is not None
    client.logout()
    again = client.post(url, {"new_password1": "another password 1234", "new_password2": "another password 1234"})
    assert again.status_code == 410
    assert "This invitation has already been used" in again.content.decode()
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_accept_shows_the_password_rules_when_they_are_broken(client):
    person, url = _invited()
    response = client.post(url, {"new_password1": "short", "new_password2": "shorter"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "The two password fields didn’t match." in page
    assert 'href="#id_new_password2"' in page
    person.refresh_from_db()
    assert person.has_usable_password() is False
    assert Invitation.objects.get(user=person).used_at is None


@pytest.mark.parametrize(
    ("spoil", "status", "says"),
    [
        ({"expires_at": timezone.now() - dt.timedelta(minutes=1)}, 410, "This invitation has expired"),
        ({"withdrawn_at": timezone.now()}, 410, "This invitation has been replaced"),
        ({"used_at": timezone.now()}, 410, "This invitation has already been used"),
    ],
    ids=["expired", "withdrawn", "used"],
)
def test_a_spoilt_invitation_gets_a_clear_page_and_changes_nothing(client, spoil, status, says):
    person, url = _invited()
    Invitation.objects.filter(user=person).update(**spoil)
    for response in (client.get(url), client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})):
        assert response.status_code == status
        page = response.content.decode()
        assert f'<h1 class="govuk-heading-l">{says}</h1>' in page
        assert "Nothing has changed." in page
    person.refresh_from_db()
    assert person.has_usable_password() is False
    assert "_auth_user_id" not in client.session


def test_an_expired_invitation_says_who_to_ask(client):
    person, url = _invited()
    Invitation.objects.filter(user=person).update(expires_at=timezone.now() - dt.timedelta(days=1))
    page = client.get(url).content.decode()
    assert "Ask the lead inspector of your inspection, or an HMI Probation administrator" in page


def test_an_unknown_invitation_is_not_found(client):
    response = client.get(reverse("accept_invitation", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert '<h1 class="govuk-heading-l">This link does not work</h1>' in response.content.decode()


def test_the_invitation_of_a_deactivated_person_changes_nothing(client):
    person, url = _invited()
    User.objects.filter(pk=person.pk).update(is_active=False)
    response = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 410
    assert "Your account has been deactivated" in response.content.decode()
    person.refresh_from_db()
    assert (person.is_active, person.has_usable_password()) == (False, False)


def test_someone_signed_in_cannot_use_another_persons_invitation(client):
    person, url = _invited()
    other = f.user()
    client.force_login(other)
    response = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 403
    page = response.content.decode()
    assert "This invitation is for someone else" in page
    assert "Sign out and open the invitation" in page
    person.refresh_from_db()
    assert person.has_usable_password() is False
    assert Invitation.objects.get(user=person).used_at is None
    assert client.session["_auth_user_id"] == str(other.pk)
    signed_out = client.post(reverse("logout"), {"next": url})
    assert signed_out.status_code == 302 and signed_out.url == url
    assert "Create your password" in client.get(url).content.decode()


def test_the_invitation_of_a_welsh_speaker_is_in_welsh():
    person, _url = _invited(language=Language.WELSH)
    notification = Notification.objects.get(recipient=person)
    assert notification.language == "cy"
    assert notification.key == f"invitation:{Invitation.objects.get(user=person).pk}"


def test_invitation_email_names_the_inspection_and_when_the_link_expires(django_capture_on_commit_callbacks):
    inspection = f.inspection(yot_=f.yot(name="Westshire"))
    person = f.user(role=StaffRole.LOCAL_ASSESSOR)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_send(user=person, by=inspection.lead_inspector, inspection=inspection)
    body = mail.outbox[0].body
    expires = timezone.localtime(invitation.expires_at)
    assert (
        f"This is for the inspection of Westshire ({inspection.reference}). Fieldwork starts on Monday 8 February 2027."
        in body
    )
    assert f"on {expires:%A} {expires.day} {expires:%B %Y}." in body
    assert f"http://testserver/accounts/invitation/{invitation.token}/" in body


# --- At announcement ------------------------------------------------------------------------


def _planned_with_contacts(**manager):
    inspection = f.inspection(status=Status.PLANNED, yot_=f.yot(name="Westshire"))
    f.announcement_contacts(inspection)
    if manager:
        Contact.objects.filter(inspection=inspection, role=ContactRole.YOT_MANAGER).update(**manager)
    return inspection


def _announce(inspection, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return inspection_services.inspection_announce(
            inspection=inspection,
            by=inspection.lead_inspector,
            received_by="Pat Jones",
            now=dt.datetime(2027, 1, 22, 9, 45, tzinfo=dt.UTC),
        )


def test_announcement_creates_and_invites_the_yot_manager(django_capture_on_commit_callbacks):
    inspection = _planned_with_contacts(name="Mary Ann Smith", language=Language.WELSH)
    announced = _announce(inspection, django_capture_on_commit_callbacks)
    manager = User.objects.get(email="yot_manager@council.example.gov.uk")
    assert (manager.username, manager.first_name, manager.last_name) == (
        "yot_manager@council.example.gov.uk",
        "Mary Ann",
        "Smith",
    )
    assert (manager.role, manager.yot, manager.language) == (StaffRole.YOT_MANAGER, inspection.yot, "cy")
    assert manager.has_usable_password() is False
    assert Contact.objects.get(inspection=inspection, role=ContactRole.YOT_MANAGER).user == manager
    assert Invitation.objects.get(user=manager).inspection == inspection
    invitation_mail = [
        m for m in mail.outbox if m.to == ["yot_manager@council.example.gov.uk"] and "invitation" in m.body
    ]
    assert len(invitation_mail) == 1
    assert Notification.objects.get(recipient=manager).language == "cy"
    assert announced.invitation_warnings == []


def test_announcement_tells_a_yot_manager_with_a_password_to_sign_in(django_capture_on_commit_callbacks):
    inspection = _planned_with_contacts()
    manager = f.user(role=StaffRole.YOT_MANAGER, yot=inspection.yot, email="YOT_manager@council.example.gov.uk")
    _announce(inspection, django_capture_on_commit_callbacks)
    assert Invitation.objects.filter(user=manager).count() == 0
    notification = Notification.objects.get(recipient=manager)
    assert notification.key == f"announced:{inspection.pk}:{manager.pk}"
    assert notification.subject == f"Inspection {inspection.reference} of Westshire has been announced"
    assert f"http://testserver/inspections/{inspection.reference}/" in notification.body
    assert Contact.objects.get(inspection=inspection, role=ContactRole.YOT_MANAGER).user == manager


def test_announcement_leaves_an_account_of_another_yot_alone_and_warns(django_capture_on_commit_callbacks):
    inspection = _planned_with_contacts(name="Ruth Collins")
    other_yot = f.yot(name="Eastshire")
    stranger = f.user(role=StaffRole.YOT_MANAGER, yot=other_yot, email="yot_manager@council.example.gov.uk")
    announced = _announce(inspection, django_capture_on_commit_callbacks)
    stranger.refresh_from_db()
    assert stranger.yot == other_yot
    assert Invitation.objects.count() == 0
    assert Contact.objects.get(inspection=inspection, role=ContactRole.YOT_MANAGER).user is None
    assert len(announced.invitation_warnings) == 1
    assert announced.invitation_warnings[0].startswith("Ruth Collins was not invited:")
    assert "YOT manager, Eastshire" in announced.invitation_warnings[0]
    event = AuditEvent.objects.get(inspection=inspection, action="contacts_not_invited")
    assert event.detail == {"warnings": announced.invitation_warnings}


# --- The lead inspector invites team members ------------------------------------------------


def _invite_data(inspection, **extra):
    return {
        "first_name": "Priya",
        "last_name": "Shah",
        "email": "priya.shah@leeds.gov.uk",
        "role": TeamRole.LOCAL_ASSESSOR,
        "yot": f.yot(name="Leeds").pk,
        "supervisor": inspection.lead_inspector.pk,
        "language": Language.ENGLISH,
        **extra,
    }


def test_lead_inspector_invites_a_local_assessor(client, django_capture_on_commit_callbacks):
    inspection = f.inspection()
    client.force_login(inspection.lead_inspector)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:team_invite", args=[inspection.reference]), _invite_data(inspection))
    assert response.status_code == 302
    assessor = User.objects.get(email="priya.shah@leeds.gov.uk")
    assert (assessor.role, assessor.yot.name) == (StaffRole.LOCAL_ASSESSOR, "Leeds")
    membership = TeamMembership.objects.get(inspection=inspection, user=assessor)
    assert (membership.role, membership.supervisor) == (TeamRole.LOCAL_ASSESSOR, inspection.lead_inspector)
    assert Invitation.objects.get(user=assessor).inspection == inspection
    assert [m.to for m in mail.outbox] == [["priya.shah@leeds.gov.uk"]]


def test_a_failing_team_check_saves_nothing(client):
    inspection = f.inspection()
    client.force_login(inspection.lead_inspector)
    response = client.post(
        reverse("accounts:team_invite", args=[inspection.reference]), _invite_data(inspection, supervisor="")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["supervisor"] == [
        "Choose the HMI Probation inspector on this team who supervises this local assessor."
    ]
    assert 'value="priya.shah@leeds.gov.uk"' in response.content.decode()
    assert not User.objects.filter(email="priya.shah@leeds.gov.uk").exists()
    assert Invitation.objects.count() == 0 and inspection.team.count() == 1


def test_a_local_assessor_from_the_inspected_yot_is_refused_on_the_yot_field(client):
    inspection = f.inspection()
    client.force_login(inspection.lead_inspector)
    response = client.post(
        reverse("accounts:team_invite", args=[inspection.reference]), _invite_data(inspection, yot=inspection.yot.pk)
    )
    assert any("a local assessor comes from another YOT" in e for e in response.context["form"].errors["yot"])
    assert not User.objects.filter(email="priya.shah@leeds.gov.uk").exists()


def test_inviting_an_existing_account_reuses_it_when_the_role_fits(client):
    inspection = f.inspection(programme=Programme.FJI)
    partner = f.user(role=StaffRole.PARTNER_INSPECTOR, inspectorate="ofsted", email="Ade@Ofsted.gov.uk")
    client.force_login(inspection.lead_inspector)
    data = _invite_data(inspection, email="ade@ofsted.gov.uk", role=TeamRole.PARTNER_INSPECTOR, inspectorate="ofsted")
    response = client.post(reverse("accounts:team_invite", args=[inspection.reference]), data)
    assert response.status_code == 302
    assert TeamMembership.objects.get(inspection=inspection, user=partner).role == TeamRole.PARTNER_INSPECTOR
    assert User.objects.filter(email__iexact="ade@ofsted.gov.uk").count() == 1
    assert Invitation.objects.count() == 0  # they already have a password


def test_inviting_an_existing_account_of_another_role_is_refused(client):
    inspection = f.inspection()
    f.user(role=StaffRole.SSO, email="priya.shah@leeds.gov.uk")
    client.force_login(inspection.lead_inspector)
    response = client.post(reverse("accounts:team_invite", args=[inspection.reference]), _invite_data(inspection))
    assert "who cannot join as a Local assessor" in response.context["form"].errors["email"][0]
    assert inspection.team.count() == 1


def test_only_the_lead_inspector_invites_to_the_team(client):
    inspection = f.inspection()
    assistant = f.member(inspection, TeamRole.ASSISTANT_INSPECTOR)
    url = reverse("accounts:team_invite", args=[inspection.reference])
    client.force_login(assistant)
    assert client.get(url).status_code == 403
    assert client.post(url, _invite_data(inspection)).status_code == 403
    client.force_login(f.user())
    assert client.get(url).status_code == 404
    assert not User.objects.filter(email="priya.shah@leeds.gov.uk").exists()


def test_inspection_page_links_to_the_team_invitation(client):
    inspection = f.inspection()
    client.force_login(inspection.lead_inspector)
    page = client.get(reverse("inspections:detail", args=[inspection.reference])).content.decode()
    assert f'href="/inspections/{inspection.reference}/team/invite/">Invite someone new to the team</a>' in page


def test_the_announce_page_says_beforehand_who_is_invited_and_who_is_not(client):
    inspection = _planned_with_contacts(name="Mary Ann Smith")
    f.user(role=StaffRole.YOT_MANAGER, username="bob", email="bob@elsewhere.gov.uk", yot=f.yot(name="Elsewhere"))
    Contact.objects.create(
        inspection=inspection, role=ContactRole.YOT_MANAGER, name="Bob Other", email="bob@elsewhere.gov.uk"
    )
    client.force_login(inspection.lead_inspector)
    page = unescape(client.get(reverse("inspections:announce", args=[inspection.reference])).content.decode())
    assert "Mary Ann Smith (yot_manager@council.example.gov.uk) has no password yet" in page
    assert "Bob Other was not invited: bob@elsewhere.gov.uk belongs to the account of" in page
    # Reading the page writes nothing.
    assert not User.objects.filter(email="yot_manager@council.example.gov.uk").exists()
    assert Invitation.objects.count() == 0
