"""Issue 11 §5 in a real browser: with two-factor sign-in required, a lead inspector sets up an
authenticator app from the key on the page, keeps the recovery codes, signs out, and signs in again
with a code; then with a recovery code. axe finds no serious or critical violation on the way."""

from __future__ import annotations

from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from inspections.enums import StaffRole
from inspections.tests import factories as f
from tests_e2e.conftest import assert_accessible, sign_in

PASSWORD = "correct horse battery"


def app_code(key_text: str, after_step: int = -1) -> str:
    """What an authenticator app shows for the key as typed from the page (the next step's code when
    this one was just used: django-otp accepts each time step once)."""
    totp = TOTP(b32decode(key_text.replace(" ", "")))
    if totp.t() <= after_step:
        totp.drift = after_step + 1 - totp.t()
    return f"{totp.token():06d}"


@pytest.mark.django_db(transaction=True)
def test_a_person_sets_up_an_app_and_signs_in_with_a_code_and_a_recovery_code(page, live_server, settings):
    settings.TWO_FACTOR_REQUIRED = True
    f.user(role=StaffRole.LEAD_INSPECTOR, username="lena", first_name="Lena", last_name="Hughes")
    base = live_server.url

    sign_in(page, base, "lena", PASSWORD)
    page.wait_for_selector("h1:has-text('Set up two-factor sign-in')")
    assert page.locator("img.app-qr-code").evaluate("img => img.naturalWidth") > 0  # the data: image drew
    assert page.locator("header nav a").count() == 0  # only signing out, a button
    page.click("summary:has-text('I cannot scan the QR code')")
    key = page.inner_text("code.app-secret-key")
    assert_accessible(page, "two-factor-set-up")

    page.fill("#id_code", "000000" if app_code(key) != "000000" else "111111")
    page.click("main form [type=submit]")
    page.wait_for_selector(".govuk-error-summary a[href='#id_code']")
    assert_accessible(page, "two-factor-set-up-error")

    # A wrong code makes the device wait a second before it tries another.
    TOTPDevice.objects.filter(user__username="lena").update(throttling_failure_timestamp=None)
    page.fill("#id_code", app_code(key))
    page.click("main form [type=submit]")
    page.wait_for_selector("h1:has-text('Your recovery codes')")
    codes = page.locator(".app-recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page, "two-factor-recovery-codes")
    page.click("main a:has-text('continue')")
    page.wait_for_selector("h1:has-text('What’s next')")

    page.click("header a:has-text('Your account')")
    page.wait_for_selector("h1:has-text('Your account')")
    assert "10 of 10 left" in page.inner_text("main")
    assert_accessible(page, "your-account")

    page.click("header button:has-text('Sign out')")
    sign_in(page, base, "lena", PASSWORD)
    page.wait_for_selector("h1:has-text('Enter your code')")
    assert_accessible(page, "two-factor-verify")
    used = TOTPDevice.objects.get(user__username="lena").last_t
    page.fill("#id_code", app_code(key, after_step=used))
    page.click("main form [type=submit]")
    page.wait_for_selector("h1:has-text('What’s next')")

    page.click("header button:has-text('Sign out')")
    sign_in(page, base, "lena", PASSWORD)
    page.wait_for_selector("h1:has-text('Enter your code')")
    page.fill("#id_code", codes[0])
    page.click("main form [type=submit]")
    page.wait_for_selector("h1:has-text('What’s next')")
    assert "You signed in with a recovery code. You have 9 left" in page.inner_text("main")
