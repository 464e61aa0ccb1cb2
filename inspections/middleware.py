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
