"""Two-factor sign-in pages (issue 11 §5): set-up, the code after the password, the recovery codes
shown once, the person's account page, and the administrator's reset (a lost phone).

Until a session has given a code, ``inspections.middleware.TwoFactorRequiredMiddleware`` sends
every other page here; set-up and verification live under ``/accounts/two-factor/``, which it lets
through.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice

from inspections.accounts import two_factor
from inspections.accounts.forms import TwoFactorCodeForm
from inspections.models import User


def _wrong_code(recovery: bool) -> str:
    if recovery:
        return _(
            "The code is not correct. Enter the 6 digits your authenticator app shows now, "
            "or a recovery code you have not used before"
        )
    return _("The code is not correct. Enter the 6 digits your authenticator app shows now")


def _switched_on() -> None:
    if not settings.TWO_FACTOR_REQUIRED:
        raise Http404


def _next(request) -> str:
    """Where the person was going before they were asked for a code (only ever a page of this site)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url: str, request) -> str:
    return f"{url}?{urlencode({'next': _next(request)})}"


def _refused(form: TwoFactorCodeForm, check: two_factor.CodeCheck, *, recovery: bool) -> None:
    form.add_error("code", two_factor.wait_message(check.wait_until) if check.wait_until else _wrong_code(recovery))


def setup(request):
    """Link an authenticator app: scan the QR code (or type the key), then give one code from it."""
    _switched_on()
    if two_factor.app_device(request.user):
        if request.user.is_verified():
            return redirect("accounts:your_account")
        return redirect(_with_next(reverse("two_factor_verify"), request))
    device = two_factor.app_device_pending(request.user)
    form = TwoFactorCodeForm(request.POST or None, recovery=False, submit=_("Continue"))
    if request.method == "POST" and form.is_valid():
        check = two_factor.pending_code_check(device=device, code=form.cleaned_data["code"])
        if check.accepted:
            request.session[two_factor.NEW_RECOVERY_CODES] = two_factor.app_device_confirm(device=check.device)
            two_factor.session_verified(request=request, device=check.device)
            return redirect(_with_next(reverse("accounts:recovery_codes"), request))
        _refused(form, check, recovery=False)
    context = {
        "form": form,
        "secret": two_factor.secret_text(device),
        "qr_code": two_factor.qr_code_data_uri(device),
    }
    return render(request, "accounts/two_factor_setup.html", context)


def verify(request):
    """The second step of signing in: a code from the app, or one recovery code."""
    _switched_on()
    if request.user.is_verified():
        return redirect(_next(request))
    if not two_factor.app_device(request.user):
        return redirect(_with_next(reverse("two_factor_setup"), request))
    form = TwoFactorCodeForm(request.POST or None, recovery=True, submit=_("Continue"))
    if request.method == "POST" and form.is_valid():
        check = two_factor.code_check(user=request.user, code=form.cleaned_data["code"])
        if check.accepted:
            two_factor.session_verified(request=request, device=check.device)
            if isinstance(check.device, StaticDevice):
                left = two_factor.recovery_codes_left(request.user)
                messages.info(
                    request,
                    ngettext(
                        "You signed in with a recovery code. You have %(count)d left: "
                        "you can get new ones from Your account.",
                        "You signed in with a recovery code. You have %(count)d left: "
                        "you can get new ones from Your account.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(_next(request))
        _refused(form, check, recovery=True)
    return render(request, "accounts/two_factor_verify.html", {"form": form})


def recovery_codes(request):
    """The new recovery codes, shown once: they leave the session as this page is drawn."""
    _switched_on()
    codes = request.session.pop(two_factor.NEW_RECOVERY_CODES, None)
    if not codes:
        messages.info(request, _("Recovery codes are shown only once. You can get new ones here."))
        return redirect("accounts:your_account")
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)})


def recovery_codes_new(request):
    """New recovery codes for a person who still has their app: a code from it first."""
    _switched_on()
    form = TwoFactorCodeForm(request.POST or None, recovery=False, submit=_("Get new recovery codes"))
    if request.method == "POST" and form.is_valid():
        check = two_factor.code_check(user=request.user, code=form.cleaned_data["code"], recovery_allowed=False)
        if check.accepted:
            request.session[two_factor.NEW_RECOVERY_CODES] = two_factor.recovery_codes_replace(user=request.user)
            back = urlencode({"next": reverse("accounts:your_account")})
            return redirect(f"{reverse('accounts:recovery_codes')}?{back}")
        _refused(form, check, recovery=False)
    return render(request, "accounts/recovery_codes_new.html", {"form": form})


def your_account(request):
    device = two_factor.app_device(request.user)
    context = {
        "device": device,
        "codes_left": two_factor.recovery_codes_left(request.user),
        "code_count": two_factor.RECOVERY_CODE_COUNT,
    }
    return render(request, "accounts/your_account.html", context)


def person_two_factor_reset(request, pk):
    """GET: the confirmation page. POST confirmed=yes: remove their app and recovery codes."""
    if not request.user.has_perm("inspections.manage_people"):
        raise PermissionDenied
    person = get_object_or_404(User, pk=pk)
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        try:
            two_factor.two_factor_reset(person=person, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Two-factor sign-in for %(name)s is reset. They will set it up again when they next sign in.")
                % {"name": person},
            )
        return redirect("accounts:person", pk=pk)
    context = {
        "title": _("Reset two-factor sign-in for %(name)s?") % {"name": person},
        "paragraphs": [
            _(
                "Do this when they have lost or changed their phone. Their authenticator app and recovery "
                "codes will stop working, and they will be signed out."
            ),
            _("The next time they sign in with their password, they will set up an authenticator app again."),
        ],
        "warning": _(
            "Make sure the request comes from them: for example, call them back on a number you already have."
        ),
        "problems": two_factor.two_factor_reset_problems(person=person, by=request.user),
        "action_url": reverse("accounts:person_two_factor_reset", args=[pk]),
        "button": _("Reset two-factor sign-in"),
        "danger": True,
        "cancel_url": reverse("accounts:person", args=[pk]),
    }
    return render(request, "confirm.html", context)
