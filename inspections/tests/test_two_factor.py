"""Two-factor sign-in (issue 11 §5): with TWO_FACTOR_REQUIRED, a code from an authenticator app (or
a recovery code) after the password, before any page; set-up, recovery codes, throttling, reset."""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from inspections.accounts import services, two_factor
from inspections.enums import IIAKind, StaffRole, Status
from inspections.services import iia_upload
from inspections.tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # the factories' password
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True
    return settings


def _code(device: TOTPDevice) -> str:
    """The code the person's app shows now, computed from the device's key as an app would. A code
    is accepted once (django-otp refuses a time step already used), so a second sign-in in the same
    30 seconds takes the next step's code, as a person waiting for the next code would."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if totp.t() <= device.last_t:
        totp.drift += device.last_t + 1 - totp.t()
    return f"{totp.token():0{device.digits}d}"


def _wrong_code(device: TOTPDevice) -> str:
    right = {_code(device)}
    return next(code for code in ("000000", "111111", "222222") if code not in right)


def _app(person) -> TOTPDevice:
    return TOTPDevice.objects.create(user=person, name="Authenticator app", confirmed=True)


def _sign_in(client, person, next_url: str = ""):
    data = {"username": person.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def _verified(client, person) -> TOTPDevice:
    """Sign ``person`` in with their password and a code from their app (made if they have none)."""
    device = TOTPDevice.objects.filter(user=person, confirmed=True).first() or _app(person)
    _sign_in(client, person)
    response = client.post(reverse("two_factor_verify"), {"code": _code(device)})
    assert response.status_code == 302, response.content.decode()
    return device


def _error_summary(response) -> list[str]:
    return re.findall(r'<a href="#id_code">\s*(.*?)\s*</a>', response.content.decode(), re.S)


# --- Set-up -----------------------------------------------------------------------------------


def test_sign_in_without_an_app_goes_to_set_up(client, required):
    person = f.user()
    signed_in = _sign_in(client, person)
    assert signed_in.status_code == 302
    response = client.get(signed_in.url)
    assert response.status_code == 302
    assert response.url == reverse("two_factor_setup") + "?next=/"

    page = client.get(response.url)
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=person)
    assert device.confirmed is False
    assert ">Set up two-factor sign-in</h1>" in html
    assert two_factor.secret_text(device) in html
    assert '<img src="data:image/svg+xml' in html  # a data: image, which the CSP allows
    # Drawing the page again keeps the same secret: the app the person already scanned still works.
    client.get(response.url)
    assert list(TOTPDevice.objects.filter(user=person).values_list("key", flat=True)) == [device.key]


def test_set_up_with_the_right_code_shows_ten_recovery_codes_once(client, required):
    person = f.user()
    _sign_in(client, person)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=person)

    confirmed = client.post(reverse("two_factor_setup") + "?next=/inspections/", {"code": _code(device)})
    assert confirmed.status_code == 302
    assert confirmed.url == reverse("accounts:recovery_codes") + "?next=%2Finspections%2F"
    device.refresh_from_db()
    assert device.confirmed is True

    shown = client.get(confirmed.url)
    html = shown.content.decode()
    codes = re.findall(r"<li><code>(\w+)</code></li>", html)
    assert sorted(codes) == sorted(StaticToken.objects.filter(device__user=person).values_list("token", flat=True))
    assert len(codes) == 10
    assert "This is the only time you will see these codes." in html
    assert 'href="/inspections/"' in html

    again = client.get(confirmed.url)
    assert again.status_code == 302
    assert again.url == reverse("accounts:your_account")
    assert client.get(reverse("inspections:list")).status_code == 200


def test_set_up_refuses_a_wrong_code_and_keeps_the_session_unverified(client, required):
    person = f.user()
    _sign_in(client, person)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=person)

    response = client.post(reverse("two_factor_setup"), {"code": _wrong_code(device)})
    assert response.status_code == 200
    assert _error_summary(response) == ["The code is not correct. Enter the 6 digits your authenticator app shows now"]
    device.refresh_from_db()
    assert device.confirmed is False
    assert not StaticDevice.objects.filter(user=person).exists()


def test_accepting_an_invitation_leads_to_set_up(client, required):
    person = f.user()
    person.set_unusable_password()
    person.save()
    invitation = services.invitation_send(user=person, by=f.user(role=StaffRole.ADMINISTRATOR))
    new_password = "a long new password 2026"
    accepted = client.post(
        reverse("accept_invitation", args=[invitation.token]),
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert accepted.status_code == 302
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    assert client.get(accepted.url).url == reverse("two_factor_setup") + "?next=/"


# --- The code after the password ----------------------------------------------------------------


def test_a_person_with_an_app_is_asked_for_the_code(client, required):
    person = f.user()
    _app(person)
    signed_in = _sign_in(client, person, next_url="/inspections/")
    response = client.get(signed_in.url)
    assert response.url == reverse("two_factor_verify") + "?next=/inspections/"
    page = client.get(response.url).content.decode()
    assert ">Enter your code</h1>" in page
    assert 'autocomplete="one-time-code"' in page
    # Before the code the header offers signing out, not pages that would send the person back here.
    assert "Sign out" in page
    assert ">Inspections</a>" not in page


def test_a_wrong_code_is_refused_with_a_message_naming_the_field(client, required):
    person = f.user()
    device = _app(person)
    _sign_in(client, person)

    response = client.post(reverse("two_factor_verify"), {"code": _wrong_code(device)})
    assert response.status_code == 200
    assert _error_summary(response) == [
        "The code is not correct. Enter the 6 digits your authenticator app shows now, "
        "or a recovery code you have not used before"
    ]
    assert client.get(reverse("inspections:list")).url == reverse("two_factor_verify") + "?next=/inspections/"

    empty = client.post(reverse("two_factor_verify"), {"code": ""})
    assert _error_summary(empty) == ["Enter the code from your authenticator app or a recovery code"]


def test_the_right_code_lets_the_person_through(client, required):
    person = f.user()
    device = _app(person)
    _sign_in(client, person)

    response = client.post(reverse("two_factor_verify") + "?next=/inspections/", {"code": _code(device)})
    assert response.status_code == 302
    assert response.url == "/inspections/"
    page = client.get("/inspections/")
    assert page.status_code == 200
    assert "Your account" in page.content.decode()
    # The same code cannot be used twice (django-otp keeps the last time step used).
    device.refresh_from_db()
    assert device.last_t >= 0


def test_verify_sends_only_to_pages_of_this_site(client, required):
    person = f.user()
    device = _app(person)
    _sign_in(client, person)
    response = client.post(reverse("two_factor_verify") + "?next=https://evil.example/", {"code": _code(device)})
    assert response.url == reverse("inspections:home")


def test_a_recovery_code_works_once_only(client, required):
    person = f.user()
    _app(person)
    code = two_factor.recovery_codes_replace(user=person)[0]

    _sign_in(client, person)
    used = client.post(reverse("two_factor_verify"), {"code": code.upper()})
    assert used.status_code == 302
    assert StaticToken.objects.filter(device__user=person).count() == 9
    assert client.get(reverse("inspections:list")).status_code == 200

    client.post(reverse("logout"))
    _sign_in(client, person)
    again = client.post(reverse("two_factor_verify"), {"code": code})
    assert again.status_code == 200
    assert _error_summary(again)[0].startswith("The code is not correct.")
    assert client.get(reverse("inspections:list")).status_code == 302


def test_an_unverified_session_reaches_no_page_holding_data(client, required):
    lead = f.user(role=StaffRole.LEAD_INSPECTOR)
    yot = f.yot()
    inspection = f.inspection(lead=lead, yot_=yot, status=Status.ANNOUNCED)
    manager = f.user(role=StaffRole.YOT_MANAGER, yot=yot)
    document = iia_upload(
        inspection=inspection,
        by=manager,
        kind=IIAKind.STRUCTURE_CHART,
        upload=SimpleUploadedFile("chart.pdf", PDF, content_type="application/pdf"),
    )
    _app(lead)
    _sign_in(client, lead)
    verify = reverse("two_factor_verify")
    pages = [
        reverse("inspections:home"),
        reverse("inspections:list"),
        reverse("inspections:detail", args=[inspection.reference]),
        reverse("inspections:documents", args=[inspection.reference]),
        reverse("inspections:document", args=[inspection.reference, document.token]),
        reverse("accounts:your_account"),
        reverse("accounts:recovery_codes_new"),
        "/admin/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(verify + "?next="), url
    # A fragment asked for by htmx sends the whole page to the code, not into the fragment.
    htmx = client.get(pages[2], HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver" + pages[2])
    assert htmx["HX-Redirect"] == verify + "?next=" + pages[2]
    # Signing out still works.
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_verified_session_downloads_as_before(client, required):
    lead = f.user(role=StaffRole.LEAD_INSPECTOR)
    yot = f.yot()
    inspection = f.inspection(lead=lead, yot_=yot, status=Status.ANNOUNCED)
    document = iia_upload(
        inspection=inspection,
        by=f.user(role=StaffRole.YOT_MANAGER, yot=yot),
        kind=IIAKind.STRUCTURE_CHART,
        upload=SimpleUploadedFile("chart.pdf", PDF, content_type="application/pdf"),
    )
    _verified(client, lead)
    response = client.get(reverse("inspections:document", args=[inspection.reference, document.token]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


# --- Throttling ---------------------------------------------------------------------------------


def test_repeated_wrong_codes_are_throttled_and_say_to_wait(client, required):
    # Ten minutes after the first wrong code (django-otp doubles it after each further one), so the
    # test does not race the clock.
    required.OTP_TOTP_THROTTLE_FACTOR = 600
    person = f.user()
    device = _app(person)
    _sign_in(client, person)

    first = client.post(reverse("two_factor_verify"), {"code": _wrong_code(device)})
    assert _error_summary(first)[0].startswith("The code is not correct.")
    throttled = client.post(reverse("two_factor_verify"), {"code": _code(device)})
    assert throttled.status_code == 200
    assert _error_summary(throttled) == ["You have entered too many wrong codes. Wait 10 minutes, then try again."]
    assert client.get(reverse("inspections:list")).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # a refused try is not counted again

    # Once the wait is over, the right code works and the count starts again.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - dt.timedelta(minutes=11)
    )
    through = client.post(reverse("two_factor_verify"), {"code": _code(device)})
    assert through.status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_wrong_recovery_codes_are_throttled_too(client, required):
    required.OTP_STATIC_THROTTLE_FACTOR = 600
    person = f.user()
    _app(person)
    codes = two_factor.recovery_codes_replace(user=person)
    _sign_in(client, person)
    client.post(reverse("two_factor_verify"), {"code": "notacode"})
    throttled = client.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert _error_summary(throttled) == ["You have entered too many wrong codes. Wait 10 minutes, then try again."]
    assert StaticToken.objects.filter(device__user=person).count() == 10


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        pytest.param(0.2, "Wait 1 second,", id="under-a-second-rounds-up"),
        pytest.param(16, "Wait 16 seconds,", id="seconds"),
        pytest.param(60, "Wait 1 minute,", id="one-minute"),
        pytest.param(61, "Wait 2 minutes,", id="minutes-round-up"),
    ],
)
def test_wait_message_rounds_up(seconds, expected):
    now = timezone.now()
    assert expected in two_factor.wait_message(now + dt.timedelta(seconds=seconds), now=now)


# --- The person's account page ------------------------------------------------------------------


def test_new_recovery_codes_need_a_code_and_replace_the_old_ones(client, required):
    person = f.user()
    old = two_factor.recovery_codes_replace(user=person)
    device = _verified(client, person)
    page = client.get(reverse("accounts:your_account")).content.decode()
    assert "10 of 10 left" in page

    refused = client.post(reverse("accounts:recovery_codes_new"), {"code": old[0]})
    assert _error_summary(refused) == ["The code is not correct. Enter the 6 digits your authenticator app shows now"]
    assert StaticToken.objects.filter(token=old[0]).exists()

    done = client.post(reverse("accounts:recovery_codes_new"), {"code": _code(device)})
    assert done.url == reverse("accounts:recovery_codes") + "?next=%2Faccount%2F"
    new = re.findall(r"<li><code>(\w+)</code></li>", client.get(done.url).content.decode())
    assert len(new) == 10
    assert sorted(StaticToken.objects.filter(device__user=person).values_list("token", flat=True)) == sorted(new)
    assert not StaticToken.objects.filter(token__in=old).exclude(token__in=new).exists()


# --- The administrator's reset --------------------------------------------------------------------


def test_an_administrator_resets_a_lost_phone(client, required, caplog):
    admin = f.user(role=StaffRole.ADMINISTRATOR)
    person = f.user(first_name="Sam", last_name="Okafor")
    _verified(client.__class__(), person)  # Sam is signed in elsewhere
    _verified(client, admin)

    page = client.get(reverse("accounts:person", args=[person.pk])).content.decode()
    assert reverse("accounts:person_two_factor_reset", args=[person.pk]) in page
    confirm = client.get(reverse("accounts:person_two_factor_reset", args=[person.pk])).content.decode()
    assert ">Reset two-factor sign-in for Sam Okafor?</h1>" in confirm

    with caplog.at_level(logging.INFO, logger="inspections.accounts"):
        done = client.post(reverse("accounts:person_two_factor_reset", args=[person.pk]), {"confirmed": "yes"})
    assert done.url == reverse("accounts:person", args=[person.pk])
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()
    assert [r.getMessage() for r in caplog.records if "two_factor_reset" in r.getMessage()] == [
        f"two_factor_reset by={admin.username} person={person.username} devices_removed=1 sessions_ended=1"
    ]

    # At their next sign-in Sam sets up an app again.
    other = client.__class__()
    _sign_in(other, person)
    assert other.get("/").url == reverse("two_factor_setup") + "?next=/"


def test_an_administrator_cannot_reset_their_own_and_others_cannot_at_all(client, required):
    admin = f.user(role=StaffRole.ADMINISTRATOR)
    _verified(client, admin)
    own = reverse("accounts:person_two_factor_reset", args=[admin.pk])
    assert "You cannot reset your own two-factor sign-in." in client.get(own).content.decode()
    client.post(own, {"confirmed": "yes"})
    assert TOTPDevice.objects.filter(user=admin).exists()

    lead = f.user(role=StaffRole.LEAD_INSPECTOR)
    lead_client = client.__class__()
    _verified(lead_client, lead)
    assert lead_client.post(own, {"confirmed": "yes"}).status_code == 403
    assert TOTPDevice.objects.filter(user=admin).exists()


def test_the_readme_way_in_for_a_locked_out_administrator_works(client, required):
    admin = f.user(role=StaffRole.ADMINISTRATOR)
    _app(admin)
    two_factor.recovery_codes_replace(user=admin)
    out = io.StringIO()
    call_command("addstatictoken", admin.username, stdout=out)
    _sign_in(client, admin)
    assert client.post(reverse("two_factor_verify"), {"code": out.getvalue().strip()}).status_code == 302
    assert client.get(reverse("accounts:people")).status_code == 200


# --- Switched off -------------------------------------------------------------------------------


def test_with_the_setting_off_sign_in_is_as_it_was(client, settings):
    settings.TWO_FACTOR_REQUIRED = False
    person = f.user()
    _app(person)  # even someone who set up an app earlier is not asked
    signed_in = _sign_in(client, person)
    assert signed_in.url == reverse("inspections:home")
    assert client.get(reverse("inspections:list")).status_code == 200
    account = client.get(reverse("accounts:your_account")).content.decode()
    assert "This service does not ask for a code from an authenticator app when you sign in." in account
    assert reverse("accounts:recovery_codes_new") not in account
    assert client.get(reverse("two_factor_verify")).status_code == 404
    assert client.get(reverse("two_factor_setup")).status_code == 404


PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "k" * 20 + "-not-a-real-secret-but-long-and-varied-0123456789!",
    "DATABASE_URL": "postgres://u@localhost/db",
    "SITE_URL": "https://inspections.example.gov.uk",
}


def _setting(**env) -> subprocess.CompletedProcess:
    unwanted = {"DJANGO_SETTINGS_MODULE", "TWO_FACTOR_REQUIRED", *PRODUCTION}
    clean = {k: v for k, v in os.environ.items() if k not in unwanted}
    return subprocess.run(
        [sys.executable, "-c", "from config import settings; print(settings.TWO_FACTOR_REQUIRED)"],
        cwd=Path(__file__).resolve().parents[2],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        pytest.param({}, "False", id="development-default-off"),
        pytest.param(PRODUCTION, "True", id="production-default-on"),
        pytest.param({**PRODUCTION, "TWO_FACTOR_REQUIRED": "off"}, "False", id="production-switched-off"),
        pytest.param({"TWO_FACTOR_REQUIRED": "1"}, "True", id="development-switched-on"),
    ],
)
def test_the_setting_is_on_in_production_unless_switched_off(env, expected):
    result = _setting(**env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_a_malformed_setting_stops_start_up():
    result = _setting(TWO_FACTOR_REQUIRED="sometimes")
    assert result.returncode != 0
    assert "TWO_FACTOR_REQUIRED='sometimes' is not a boolean" in result.stderr
