"""Five bad passwords lock the person out at that address only, and the person is told by email."""

import pytest
from django.core import mail
from django.urls import reverse

from inspections.tests import factories as f

pytestmark = pytest.mark.django_db


def _try(client, username, password, address):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_a_lock_out_holds_one_address_and_tells_the_person(client, settings, django_capture_on_commit_callbacks):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    person = f.user(username="lena")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            _try(client, "lena", "wrong password", "203.0.113.9")
    locked = _try(client, "lena", "correct horse battery", "203.0.113.9")
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.content.decode()
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert "203.0.113.9" in mail.outbox[0].body

    # The person can still sign in from their own address.
    elsewhere = _try(client, "lena", "correct horse battery", "198.51.100.7")
    assert elsewhere.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)
