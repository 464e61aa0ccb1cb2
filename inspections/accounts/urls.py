"""The administrator's pages and the lead inspector's team invitation (namespace ``accounts``).

The invitation link and the password reset pages are reachable without signing in; they live in
``config/urls.py`` under ``/accounts/`` (see ``PUBLIC_PREFIXES``).
"""

from django.urls import path

from inspections.accounts import views

app_name = "accounts"

urlpatterns = [
    path("people/", views.people_list, name="people"),
    path("people/add/", views.person_add, name="person_add"),
    path("people/<int:pk>/", views.person_edit, name="person"),
    path("people/<int:pk>/invite/", views.person_invite, name="person_invite"),
    path("people/<int:pk>/deactivate/", views.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", views.person_reactivate, name="person_reactivate"),
    path("youth-offending-teams/", views.yot_list, name="yots"),
    path("youth-offending-teams/add/", views.yot_edit, name="yot_add"),
    path("youth-offending-teams/<int:pk>/", views.yot_edit, name="yot"),
    path("inspections/<str:reference>/team/invite/", views.team_invite, name="team_invite"),
]
