"""Forgotten passwords and deactivation (issue 9 §1)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from inspections.accounts import services
from inspections.enums import Language, StaffRole
from inspections.models import Invitation, User
from inspections.tests import factories as f

pytestmark = pytest.mark.django_db

OLD_PASSWORD = "correct horse battery"  # the factories' password
NEW_PASSWORD = "a very long new password 42"


def _reset_link(client, email: str) -> str:
    response = client.post(reverse("password_reset"), {"email": email})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    (message,) = mail.outbox
    return re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)


def _main(response) -> str:
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def test_sign_in_page_links_to_the_password_reset(client):
    page = client.get(reverse("login")).content.decode()
    assert '<a class="govuk-link" href="/accounts/password/reset/">Forgotten your password?</a>' in page


def test_password_reset_end_to_end(client):
    person = f.user(role=StaffRole.SSO, email="grace@example.gov.uk")
    assert "Reset your password" in client.get(reverse("password_reset")).content.decode()
    link = _reset_link(client, "grace@example.gov.uk")
    assert mail.outbox[0].to == ["grace@example.gov.uk"]
    assert f"Your username is {person.username}." in mail.outbox[0].body
    form_page = client.get(link, follow=True)
    assert "Create a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")
    assert "Your password has been changed" in client.get(done.url).content.decode()
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    # The link works once.
    assert "This link does not work" in client.get(link, follow=True).content.decode()


def test_password_reset_pages_do_not_need_sign_in(client):
    for name in ("password_reset", "password_reset_done", "password_reset_complete"):
        assert client.get(reverse(name)).status_code == 200, name


def test_password_reset_sent_page_does_not_say_whether_the_address_exists(client):
    f.user(email="grace@example.gov.uk")
    known = client.post(reverse("password_reset"), {"email": "grace@example.gov.uk"}, follow=True)
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.gov.uk"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain == [(reverse("password_reset_done"), 302)]
    assert _main(known) == _main(unknown)
    assert "If the address you entered belongs to an account" in _main(known)
    assert [m.to for m in mail.outbox] == [["grace@example.gov.uk"]]


def test_password_reset_email_is_rendered_in_the_persons_language(client):
    f.user(email="nia@example.gov.uk", language=Language.WELSH)
    _reset_link(client, "nia@example.gov.uk")
    (message,) = mail.outbox
    assert message.subject.startswith("Ailosod eich cyfrinair")
    assert "Gofynnodd rhywun am ailosod cyfrinair eich cyfrif" in message.body
    assert "Someone asked to reset the password" not in message.body
    assert translation.get_language() != "cy"  # and only while the email is rendered


def test_password_reset_bad_email_is_shown_on_the_form(client):
    response = client.post(reverse("password_reset"), {"email": "not-an-email"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter an email address in the correct format, like name@example.gov.uk" in page
    assert 'href="#id_email"' in page
    assert mail.outbox == []


def test_reset_link_of_a_deactivated_person_gets_a_clear_page_and_changes_nothing(client):
    person = f.user(email="gone@example.gov.uk")
    link = _reset_link(client, "gone@example.gov.uk")
    services.person_deactivate(person=person, by=f.user(role=StaffRole.ADMINISTRATOR))
    response = client.get(link)
    assert response.status_code == 410
    assert '<h1 class="govuk-heading-l">Your account has been deactivated</h1>' in response.content.decode()
    post = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert post.status_code == 410
    person.refresh_from_db()
    assert person.check_password(OLD_PASSWORD) and person.is_active is False


def test_deactivation_ends_the_persons_sessions(client):
    inspection = f.inspection()
    person = inspection.lead_inspector
    client.force_login(person)
    bystander = Client()
    bystander.force_login(f.user())
    url = reverse("inspections:detail", args=[inspection.reference])
    assert client.get(url).status_code == 200
    services.person_deactivate(person=person, by=f.user(role=StaffRole.ADMINISTRATOR))
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert bystander.get(reverse("inspections:list")).status_code == 200


def test_deactivation_through_the_page_ends_sessions_and_withdraws_invitations(client):
    admin_user = f.user(role=StaffRole.ADMINISTRATOR)
    person = f.user(role=StaffRole.SSO)
    invitation = services.invitation_send(user=person, by=admin_user)
    theirs = Client()
    theirs.force_login(person)
    client.force_login(admin_user)
    client.post(reverse("accounts:person_deactivate", args=[person.pk]), {"confirmed": "yes"})
    assert Invitation.objects.get(pk=invitation.pk).withdrawn_at is not None
    assert User.objects.get(pk=person.pk).is_active is False
    response = theirs.get(reverse("inspections:list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
