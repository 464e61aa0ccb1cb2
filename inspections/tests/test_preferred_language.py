"""A recorded Welsh preference chooses the interface's language after sign-in (Welsh Language
Standards: honoured from then on) until the person uses the language switch."""

import pytest
from django.conf import settings
from django.urls import reverse

from inspections.enums import StaffRole
from inspections.tests import factories as f

pytestmark = pytest.mark.django_db


def _home_language(client) -> str:
    response = client.get(reverse("inspections:home"))
    assert response.status_code == 200
    return response.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize(("recorded", "shown"), [("cy", "cy"), ("en-gb", "en"), ("", "en")])
def test_the_recorded_language_is_the_first_page_language(client, recorded, shown):
    person = f.user(role=StaffRole.YOT_MANAGER, yot=f.yot(name="Cardiff", country="wales"))
    person.language = recorded
    person.save()
    client.force_login(person)
    assert _home_language(client).startswith(shown)
    if recorded == "cy":
        assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"
    else:  # English is every account's default: the browser's language still counts
        assert settings.LANGUAGE_COOKIE_NAME not in client.cookies


def test_the_switch_wins_over_the_recorded_language(client):
    person = f.user(role=StaffRole.YOT_MANAGER, yot=f.yot(name="Cardiff", country="wales"))
    person.language = "cy"
    person.save()
    client.force_login(person)
    assert _home_language(client) == "cy"
    client.post(reverse("set_language"), {"language": "en-gb", "next": "/"})
    assert _home_language(client).startswith("en")
    assert _home_language(client).startswith("en")  # and stays so


def test_signed_out_pages_follow_the_browser_not_a_preference(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-GB")
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_thread_is_not_left_in_welsh_after_the_request(client):
    from django.utils import translation

    person = f.user(role=StaffRole.YOT_MANAGER, yot=f.yot(name="Cardiff", country="wales"))
    person.language = "cy"
    person.save()
    client.force_login(person)
    with translation.override("en-gb"):
        response = client.get(reverse("inspections:home"))
        assert response["Content-Language"] == "cy"
        assert translation.get_language() == "en-gb"
