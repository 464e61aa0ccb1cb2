"""Two-factor sign-in (issue 11 §5): a code from an authenticator app (django-otp's TOTP device)
after the password, or one of ten recovery codes (a static device) when the phone is not to hand.

Every check goes through the device's own throttling (django-otp's ``ThrottlingMixin``): after a
wrong code the device refuses for 1, 2, 4, 8 ... seconds, and says until when. Account changes have
no inspection to hang an audit row on, so resets are logged to ``inspections.accounts`` as the
other account changes are (``inspections.accounts.services``).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from base64 import b32encode
from dataclasses import dataclass

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from inspections.accounts.services import sessions_end
from inspections.models import User

log = logging.getLogger("inspections.accounts")

RECOVERY_CODE_COUNT = 10
# The new recovery codes wait here, in the session, until the page that shows them once.
NEW_RECOVERY_CODES = "_two_factor_new_recovery_codes"
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def template_context(request) -> dict:
    """Context processor: before the code, the header offers only signing out (base.html)."""
    return {"two_factor_required": settings.TWO_FACTOR_REQUIRED}


def app_device(user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def step_needed(request) -> str | None:
    """Where a signed-in person must go before any other page, or None when they may carry on."""
    user = request.user
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated or user.is_verified():
        return None
    return reverse("two_factor_verify") if app_device(user) else reverse("two_factor_setup")


# --- Set-up -----------------------------------------------------------------------------------


def app_device_pending(user: User) -> TOTPDevice:
    """The unconfirmed device being set up: the same secret on every visit until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret as a person types it into an app: base32 in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """An SVG QR code of the app's set-up link, as a data: URI (the CSP allows data: images)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=4, dark="#0b0c0c", light="#ffffff")


# --- Checking a code ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeCheck:
    """What happened to a code: ``device`` accepted it, or ``wait_until`` says it was not even tried."""

    device: TOTPDevice | StaticDevice | None = None
    wait_until: dt.datetime | None = None

    @property
    def accepted(self) -> bool:
        return self.device is not None


def normalise(code: str) -> str:
    """People copy codes with spaces or hyphens and in capitals; devices store neither."""
    return "".join(code.split()).replace("-", "").lower()


def _check(device: TOTPDevice | StaticDevice, code: str) -> CodeCheck:
    # Locked for update, so two requests cannot both slip past the throttle or use one recovery code.
    with transaction.atomic():
        device = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, why = device.verify_is_allowed()
        if not allowed:
            return CodeCheck(wait_until=(why or {}).get("locked_until"))
        if device.verify_token(code):
            return CodeCheck(device=device)
    return CodeCheck()


def code_check(*, user: User, code: str, recovery_allowed: bool = True) -> CodeCheck:
    """Try ``code`` on the person's app (six digits) or, if allowed, on their recovery codes."""
    code = normalise(code)
    if code.isdigit() and len(code) == 6:
        device = app_device(user)
    elif recovery_allowed:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    else:
        device = None
    if device is None:
        return CodeCheck()
    return _check(device, code)


def pending_code_check(*, device: TOTPDevice, code: str) -> CodeCheck:
    return _check(device, normalise(code))


def wait_message(wait_until: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """Tell the person how long to wait, rounded up: seconds below a minute, then minutes."""
    seconds = max(1, math.ceil(((wait_until or timezone.now()) - (now or timezone.now())).total_seconds()))
    if seconds < 60:
        return ngettext(
            "You have entered too many wrong codes. Wait %(count)d second, then try again.",
            "You have entered too many wrong codes. Wait %(count)d seconds, then try again.",
            seconds,
        ) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "You have entered too many wrong codes. Wait %(count)d minute, then try again.",
        "You have entered too many wrong codes. Wait %(count)d minutes, then try again.",
        minutes,
    ) % {"count": minutes}


def session_verified(*, request, device: TOTPDevice | StaticDevice) -> None:
    """Mark this session as through the second step; a new session key, as at any rise in rights."""
    request.session.cycle_key()
    otp_login(request, device)


# --- Writes -------------------------------------------------------------------------------------


@transaction.atomic
def recovery_codes_replace(*, user: User) -> list[str]:
    """Ten new recovery codes; any earlier ones stop working. Returns them, to be shown once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    log.info("recovery_codes_replaced person=%s", user.username)
    return codes


@transaction.atomic
def app_device_confirm(*, device: TOTPDevice) -> list[str]:
    """The person proved the app works: it becomes their device, and they get recovery codes."""
    TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.created_at = timezone.now()  # "set up on": when it was confirmed, not first shown
    device.save(update_fields=["confirmed", "created_at"])
    log.info("two_factor_set_up person=%s", device.user.username)
    return recovery_codes_replace(user=device.user)


def two_factor_reset_problems(*, person: User, by: User) -> list[str]:
    if person.pk == by.pk:
        return [_("You cannot reset your own two-factor sign-in. Ask another administrator.")]
    return []


@transaction.atomic
def two_factor_reset(*, person: User, by: User) -> int:
    """Remove the person's app and recovery codes (a lost phone) and end their sessions; at their
    next sign-in they set up an app again. Returns how many devices were removed."""
    problems = two_factor_reset_problems(person=person, by=by)
    if problems:
        raise ValidationError(problems)
    removed = TOTPDevice.objects.filter(user=person).delete()[1].get("otp_totp.TOTPDevice", 0)
    removed += StaticDevice.objects.filter(user=person).delete()[1].get("otp_static.StaticDevice", 0)
    ended = sessions_end(user=person)
    log.info(
        "two_factor_reset by=%s person=%s devices_removed=%d sessions_ended=%d",
        by.username,
        person.username,
        removed,
        ended,
    )
    return removed
