from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from inspections.views import health

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
    path("reports/", include("reports.urls_aggregate")),
    path("", include("inspections.urls")),
    path("inspections/<str:reference>/", include("casework.urls")),
    path("inspections/<str:reference>/", include("scheduling.urls")),
    path("inspections/<str:reference>/", include("reports.urls")),
]
