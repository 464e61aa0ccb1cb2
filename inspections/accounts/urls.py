"""The administrator's pages and the lead inspector's team invitation (namespace ``accounts``).

The invitation link and the password reset pages are reachable without signing in; they live in
``config/urls.py`` under ``/accounts/`` (see ``PUBLIC_PREFIXES``).
"""

from django.urls import path

from inspections.accounts import views, views_two_factor

app_name = "accounts"

urlpatterns = [
    path("people/", views.people_list, name="people"),
    path("people/add/", views.person_add, name="person_add"),
    path("people/<int:pk>/", views.person_edit, name="person"),
    path("people/<int:pk>/invite/", views.person_invite, name="person_invite"),
    path("people/<int:pk>/deactivate/", views.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", views.person_reactivate, name="person_reactivate"),
    path(
        "people/<int:pk>/two-factor/reset/",
        views_two_factor.person_two_factor_reset,
        name="person_two_factor_reset",
    ),
    path("account/", views_two_factor.your_account, name="your_account"),
    path("account/language/", views.your_language, name="your_language"),
    path("account/recovery-codes/", views_two_factor.recovery_codes, name="recovery_codes"),
    path("account/recovery-codes/new/", views_two_factor.recovery_codes_new, name="recovery_codes_new"),
    path("youth-offending-teams/", views.yot_list, name="yots"),
    path("youth-offending-teams/add/", views.yot_edit, name="yot_add"),
    path("youth-offending-teams/<int:pk>/", views.yot_edit, name="yot"),
    path("inspections/<str:reference>/team/invite/", views.team_invite, name="team_invite"),
]
