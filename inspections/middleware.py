"""Every page needs sign-in, except the few that make signing in possible; with
``TWO_FACTOR_REQUIRED``, every page also needs the code after the password."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django_htmx.http import HttpResponseClientRedirect

from inspections.accounts.two_factor import step_needed

# Paths anyone may reach: signing in, accepting an invitation, resetting a password, the language
# switch used on those pages, static assets.
PUBLIC_PREFIXES = (
    "/accounts/login/",
    "/accounts/invitation/",
    "/accounts/password/",
    "/i18n/",
    # The YJB contact's link to an improvement plan: the token is the key (reports/views_plan.py).
    "/improvement-plan-review/",
    "/static/",
    "/health/",
    "/healthz",
    "/readyz",
)


class LoginRequiredEverywhereMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)


# Paths a signed-in person may reach before giving their code: the code pages and signing out.
TWO_FACTOR_STEP_PREFIXES = ("/accounts/two-factor/", "/accounts/logout/")


class TwoFactorRequiredMiddleware:
    """Until this session has given a code (or a recovery code), every page but the public ones, the
    code pages and signing out sends the person to set up their app or to give the code. Downloads
    and htmx requests too: nothing holding data is served to a session with only a password."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PUBLIC_PREFIXES + TWO_FACTOR_STEP_PREFIXES):
            step = step_needed(request)
            if step is not None:
                if request.htmx:  # the whole page goes, not a fragment swapped into it
                    page = request.htmx.current_url_abs_path or "/"
                    return HttpResponseClientRedirect(redirect_to_login(page, step).url)
                return redirect_to_login(request.get_full_path(), step)
        return self.get_response(request)


# Features no page of the service uses: a browser refuses them to every frame (issue 15 §4).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)


class PrivateResponsesMiddleware:
    """Pages and downloads can hold children's names: no browser or proxy may keep a copy.

    Every response from the application (static files are served before it, by whitenoise, or
    skipped here under runserver) gets ``Cache-Control: no-store, private``, whatever a view set.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store, private"
            response.setdefault("Pragma", "no-cache")
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


SIGNED_IN_AT = "_signed_in_at"
SEEN_AT = "_seen_at"


@receiver(user_logged_in)
def _note_sign_in(sender, request, user, **kwargs):
    import time

    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = request.session[SEEN_AT] = int(time.time())


class SessionTimeoutMiddleware:
    """Sign a person out after ``SESSION_IDLE_SECONDS`` without a request, or ``SESSION_COOKIE_AGE``
    after they signed in, whichever comes first; the sign-in page then says why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import time

        from django.contrib import messages
        from django.contrib.auth import logout
        from django.utils.translation import gettext as _

        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.get(SIGNED_IN_AT, now)
            seen = request.session.get(SEEN_AT, started)
            idle = now - seen > settings.SESSION_IDLE_SECONDS
            if idle or now - started > settings.SESSION_COOKIE_AGE:
                logout(request)
                messages.info(
                    request,
                    _("You were signed out because you had not used the service for a while. Sign in again.")
                    if idle
                    else _("You were signed out because you signed in more than 8 hours ago. Sign in again."),
                )
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            # Written at most once a minute, so a busy page does not save the session on every request.
            if now - seen >= 60:
                request.session[SEEN_AT] = now
            if SIGNED_IN_AT not in request.session:  # a session from before this rule: its clock starts now
                request.session[SIGNED_IN_AT] = now
        return self.get_response(request)


class PreferredLanguageMiddleware:
    """A person who has recorded Welsh as their language sees the service in Welsh from their first
    page after signing in (Welsh Language Standards: a recorded preference is honoured from then on),
    until they choose English with the switch, which sets the language cookie and wins from then on.

    Only Welsh: English is every account's default, recorded or not, so it says nothing a browser
    asking for Welsh should be overruled by. Placed after the authentication middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        cookie = settings.LANGUAGE_COOKIE_NAME
        user = getattr(request, "user", None)
        if cookie in request.COOKIES or user is None or not user.is_authenticated:
            return self.get_response(request)
        if getattr(user, "language", None) != WELSH:
            return self.get_response(request)
        previous = translation.get_language()
        translation.activate(WELSH)
        request.LANGUAGE_CODE = translation.get_language()
        try:
            response = self.get_response(request)
        finally:
            # The thread's language goes back to what the locale middleware chose, so nothing run
            # later in this thread (a command, another test) is left in Welsh.
            translation.activate(previous)
        response.headers["Content-Language"] = WELSH
        response.set_cookie(
            cookie, WELSH, max_age=settings.LANGUAGE_COOKIE_AGE, path=settings.LANGUAGE_COOKIE_PATH,
            secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )  # fmt: skip
        return response


WELSH = "cy"
