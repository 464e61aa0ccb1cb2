"""Every page needs sign-in, except the few that make signing in possible."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login

# Paths anyone may reach: signing in, the language switch used on the sign-in page, static assets.
PUBLIC_PREFIXES = ("/accounts/login/", "/i18n/", "/static/", "/health/")


class LoginRequiredEverywhereMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
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
