"""The administrator's people and YOT pages (issue 9 §1)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from inspections.enums import Country, Inspectorate, Language, StaffRole
from inspections.models import Invitation, Notification, User, YouthOffendingTeam
from inspections.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return f.user(role=StaffRole.ADMINISTRATOR, first_name="Alex", last_name="Morgan")


@pytest.fixture
def someone():
    return f.user(role=StaffRole.ASSISTANT_INSPECTOR, first_name="Sam", last_name="Okafor", email="sam@example.gov.uk")


def _pages(someone, yot):
    return [
        (reverse("accounts:people"), "People"),
        (reverse("accounts:person_add"), "Add a person"),
        (reverse("accounts:person", args=[someone.pk]), "Sam Okafor"),
        (reverse("accounts:person_deactivate", args=[someone.pk]), "Deactivate Sam Okafor?"),
        (reverse("accounts:person_reactivate", args=[someone.pk]), "Reactivate Sam Okafor?"),
        (reverse("accounts:yots"), "Youth offending teams"),
        (reverse("accounts:yot_add"), "Add a youth offending team"),
        (reverse("accounts:yot", args=[yot.pk]), f"Change {yot.name}"),
    ]


def test_administrator_pages_open_for_an_administrator(client, admin_user, someone):
    client.force_login(admin_user)
    for url, heading in _pages(someone, f.yot()):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f">{heading}</h1>" in response.content.decode(), url


def test_administrator_pages_are_forbidden_to_a_lead_inspector(client, someone):
    client.force_login(f.user(role=StaffRole.LEAD_INSPECTOR))
    for url, _heading in _pages(someone, f.yot()):
        assert client.get(url).status_code == 403, url


def test_administrator_pages_send_a_stranger_to_sign_in(client, someone):
    for url, _heading in _pages(someone, f.yot()):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


def test_header_links_to_people_only_for_administrators(client, admin_user):
    client.force_login(admin_user)
    assert 'href="/people/">People</a>' in client.get(reverse("inspections:list")).content.decode()
    client.force_login(f.user(role=StaffRole.LEAD_INSPECTOR))
    assert 'href="/people/"' not in client.get(reverse("inspections:list")).content.decode()


def test_superuser_is_an_administrator(client):
    boss = User.objects.create_superuser("boss", "boss@example.gov.uk", "a long enough password 1")
    client.force_login(boss)
    assert client.get(reverse("accounts:people")).status_code == 200


def test_forbidden_posts_change_nothing(client, someone):
    client.force_login(f.user(role=StaffRole.LEAD_INSPECTOR))
    data = {"first_name": "Eve", "last_name": "Intruder", "email": "eve@example.gov.uk", "role": "administrator"}
    assert client.post(reverse("accounts:person_add"), {**data, "language": "en-gb"}).status_code == 403
    assert (
        client.post(reverse("accounts:person_deactivate", args=[someone.pk]), {"confirmed": "yes"}).status_code == 403
    )
    assert client.post(reverse("accounts:person_invite", args=[someone.pk])).status_code == 403
    assert not User.objects.filter(email="eve@example.gov.uk").exists()
    assert User.objects.get(pk=someone.pk).is_active is True
    assert Invitation.objects.count() == 0


def test_people_list_searches_and_filters(client, admin_user):
    yot = f.yot(name="Northshire")
    f.user(role=StaffRole.YOT_MANAGER, yot=yot, first_name="Tom", last_name="Barnes")
    f.user(role=StaffRole.YOT_MANAGER, first_name="Ruth", last_name="Collins")
    f.user(role=StaffRole.SSO, first_name="Grace", last_name="Kelly", is_active=False)
    client.force_login(admin_user)

    def names(**query):
        page = client.get(reverse("accounts:people"), query).context["rows"]
        return [str(person) for person, _state, _tag in page]

    assert names(q="barn") == ["Tom Barnes"]
    assert names(role="yot_manager") == ["Tom Barnes", "Ruth Collins"]  # by last name
    assert names(yot=yot.code) == ["Tom Barnes"]
    assert names(active="no") == ["Grace Kelly"]
    assert "Grace Kelly" not in names(active="yes")


def test_people_list_is_paginated(client, admin_user):
    for n in range(30):
        f.user(role=StaffRole.SSO, first_name="Paged", last_name=f"Person{n:02d}")
    client.force_login(admin_user)
    first = client.get(reverse("accounts:people"), {"q": "Paged"})
    second = client.get(reverse("accounts:people"), {"q": "Paged", "page": 2})
    assert len(first.context["rows"]) == 25
    assert len(second.context["rows"]) == 5
    assert "31 people" not in first.content.decode() and "30 people" in first.content.decode()


def test_people_list_shows_each_account_state(client, admin_user, django_capture_on_commit_callbacks):
    from inspections.accounts import services

    invited = User.objects.create(username="new@example.gov.uk", email="new@example.gov.uk", first_name="New")
    invited.set_unusable_password()
    invited.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_send(user=invited, by=admin_user)
    f.user(role=StaffRole.SSO, first_name="Gone", is_active=False)
    client.force_login(admin_user)
    rows = {str(p): state for p, state, _tag in client.get(reverse("accounts:people")).context["rows"]}
    assert rows["New"] == "Invited"
    assert rows["Alex Morgan"] == "Active"
    assert [state for name, state in rows.items() if name.startswith("Gone")] == ["Deactivated"]


def test_add_person_creates_an_account_without_password_and_invites_them(
    client, admin_user, django_capture_on_commit_callbacks
):
    yot = f.yot(name="Northshire")
    client.force_login(admin_user)
    data = {
        "first_name": "Tom",
        "last_name": "Barnes",
        "email": "Tom.Barnes@Northshire.gov.uk",
        "role": StaffRole.YOT_MANAGER,
        "yot": yot.pk,
        "inspectorate": "",
        "language": Language.ENGLISH,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:person_add"), data)
    person = User.objects.get(email="Tom.Barnes@Northshire.gov.uk")
    assert response.status_code == 302 and response.url == reverse("accounts:person", args=[person.pk])
    assert person.username == "tom.barnes@northshire.gov.uk"
    assert person.has_usable_password() is False and person.is_active is True
    assert (person.role, person.yot) == (StaffRole.YOT_MANAGER, yot)
    assert [m.to for m in mail.outbox] == [["Tom.Barnes@Northshire.gov.uk"]]
    body = mail.outbox[0].body
    assert (
        "Alex Morgan has invited you to HMI Probation's youth offending inspections service as a YOT manager." in body
    )
    assert "Your username is tom.barnes@northshire.gov.uk." in body
    assert "http://testserver/accounts/invitation/" in body


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"email": "SAM@example.gov.uk"}, "email", "Someone already has an account with the email address"),
        ({"role": StaffRole.YOT_MANAGER}, "yot", "Choose the youth offending team this YOT manager manages."),
        ({"role": StaffRole.PARTNER_INSPECTOR}, "inspectorate", "Choose the inspectorate this partner inspector"),
        ({"email": "not-an-email"}, "email", "Enter an email address in the correct format"),
    ],
    ids=["same-email-other-case", "yot-manager-without-yot", "partner-without-inspectorate", "bad-email"],
)
def test_add_person_refuses_bad_input_and_keeps_what_was_typed(client, admin_user, someone, change, field, message):
    client.force_login(admin_user)
    data = {
        "first_name": "Pat",
        "last_name": "Jones",
        "email": "pat@example.gov.uk",
        "role": StaffRole.SSO,
        "language": Language.ENGLISH,
        **change,
    }
    response = client.post(reverse("accounts:person_add"), data)
    assert response.status_code == 200
    assert any(e.startswith(message) for e in response.context["form"].errors[field])
    page = response.content.decode()
    assert f'href="#id_{field}' in page  # the error summary links to the field
    assert 'value="Jones"' in page
    assert User.objects.count() == 2 and Invitation.objects.count() == 0


def test_edit_person_changes_details_and_a_username_made_from_the_email(client, admin_user):
    person = User.objects.create(username="old@example.gov.uk", email="old@example.gov.uk", role=StaffRole.SSO)
    client.force_login(admin_user)
    data = {
        "first_name": "Grace",
        "last_name": "Kelly",
        "email": "grace@example.gov.uk",
        "role": StaffRole.PARTNER_INSPECTOR,
        "inspectorate": Inspectorate.OFSTED,
        "language": Language.WELSH,
    }
    response = client.post(reverse("accounts:person", args=[person.pk]), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.username, person.email, person.role, person.inspectorate, person.language) == (
        "grace@example.gov.uk",
        "grace@example.gov.uk",
        StaffRole.PARTNER_INSPECTOR,
        Inspectorate.OFSTED,
        Language.WELSH,
    )


def test_administrator_cannot_deactivate_themselves(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("accounts:person_deactivate", args=[admin_user.pk])).content.decode()
    assert "You cannot deactivate your own account. Ask another administrator." in page
    client.post(reverse("accounts:person_deactivate", args=[admin_user.pk]), {"confirmed": "yes"})
    assert User.objects.get(pk=admin_user.pk).is_active is True


def test_deactivate_and_reactivate_with_a_fresh_invitation(
    client, admin_user, someone, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    page = client.get(reverse("accounts:person_deactivate", args=[someone.pk])).content.decode()
    assert "govuk-button--warning" in page
    response = client.post(reverse("accounts:person_deactivate", args=[someone.pk]), {"confirmed": "yes"})
    assert response.status_code == 302
    assert User.objects.get(pk=someone.pk).is_active is False
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:person_reactivate", args=[someone.pk]), {"confirmed": "yes"})
    assert User.objects.get(pk=someone.pk).is_active is True
    assert Invitation.objects.filter(user=someone, used_at=None, withdrawn_at=None).count() == 1
    assert [m.to for m in mail.outbox] == [["sam@example.gov.uk"]]


def test_send_a_new_invitation_withdraws_the_earlier_one(client, admin_user, someone):
    client.force_login(admin_user)
    client.post(reverse("accounts:person_invite", args=[someone.pk]))
    client.post(reverse("accounts:person_invite", args=[someone.pk]))
    first, second = Invitation.objects.filter(user=someone).order_by("id")
    assert first.withdrawn_at is not None and second.withdrawn_at is None
    assert Notification.objects.filter(key__startswith="invitation:").count() == 2


def test_deactivated_person_gets_no_new_invitation(client, admin_user, someone):
    User.objects.filter(pk=someone.pk).update(is_active=False)
    client.force_login(admin_user)
    response = client.post(reverse("accounts:person_invite", args=[someone.pk]), follow=True)
    assert "Sam Okafor&#x27;s account is deactivated: reactivate it first." in response.content.decode()
    assert Invitation.objects.count() == 0


def test_add_and_edit_a_yot(client, admin_user):
    client.force_login(admin_user)
    data = {"code": "northshire", "name": "Northshire", "country": Country.WALES, "local_authorities": "A, B"}
    assert client.post(reverse("accounts:yot_add"), data).status_code == 302
    yot = YouthOffendingTeam.objects.get(code="northshire")
    assert (yot.name, yot.country, yot.local_authorities) == ("Northshire", Country.WALES, "A, B")
    response = client.post(reverse("accounts:yot", args=[yot.pk]), {**data, "name": "North Shire"})
    assert response.status_code == 302
    assert YouthOffendingTeam.objects.get(pk=yot.pk).name == "North Shire"


def test_add_yot_refuses_a_name_taken_in_another_case(client, admin_user):
    f.yot(name="Northshire")
    client.force_login(admin_user)
    data = {"code": "north-2", "name": "NORTHSHIRE", "country": Country.ENGLAND}
    response = client.post(reverse("accounts:yot_add"), data)
    assert response.context["form"].errors["name"] == ["There is already a YOT called NORTHSHIRE."]
    assert YouthOffendingTeam.objects.filter(code="north-2").exists() is False


def test_person_page_shows_their_account_state_and_a_working_form(client, admin_user, someone):
    client.force_login(admin_user)
    page = client.get(reverse("accounts:person", args=[someone.pk])).content.decode()
    assert '<strong class="govuk-tag govuk-tag--green">Active</strong>' in page
    assert '<div id="div_id_first_name" class="govuk-form-group">' in page
    assert 'value="sam@example.gov.uk"' in page
