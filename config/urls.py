from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from casework.views.offline import service_worker
from config.health import healthz, readyz
from inspections.accounts import views as accounts_views
from inspections.accounts import views_two_factor
from inspections.views import health

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Reachable signed in before the code is given (inspections.middleware.TWO_FACTOR_STEP_PREFIXES).
    path("accounts/two-factor/set-up/", views_two_factor.setup, name="two_factor_setup"),
    path("accounts/two-factor/verify/", views_two_factor.verify, name="two_factor_verify"),
    # Reachable without signing in (inspections.middleware.PUBLIC_PREFIXES).
    path("accounts/invitation/<str:token>/", accounts_views.accept_invitation, name="accept_invitation"),
    path("accounts/password/reset/", accounts_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        accounts_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health/", health, name="health"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("sw.js", service_worker, name="service_worker"),  # at the root, to control /inspections/ (issue 12 §2)
    path("admin/", admin.site.urls),
    path("reports/", include("reports.urls_aggregate")),
    # The YJB contact's private link to an improvement plan (inspections.middleware.PUBLIC_PREFIXES).
    path("improvement-plan-review/", include("reports.urls_plan_review")),
    path("", include("inspections.urls")),
    path("", include("inspections.accounts.urls")),
    path("inspections/<str:reference>/", include("casework.urls")),
    path("inspections/<str:reference>/", include("scheduling.urls")),
    path("inspections/<str:reference>/", include("reports.urls")),
]
