from django.urls import path

from inspections import views, views_notifications

app_name = "inspections"

urlpatterns = [
    path("", views.home, name="home"),
    path("inspections/", views.inspection_list, name="list"),
    path("inspections/new/", views.inspection_create, name="create"),
    path("inspections/<str:reference>/", views.inspection_detail, name="detail"),
    path("inspections/<str:reference>/edit/", views.inspection_edit, name="edit"),
    path("inspections/<str:reference>/timeline/", views.inspection_timeline, name="timeline"),
    path("inspections/<str:reference>/timeline/<str:key>/done/", views.milestone_done, name="milestone_done"),
    path("inspections/<str:reference>/team/add/", views.team_add, name="team_add"),
    path("inspections/<str:reference>/team/<int:pk>/remove/", views.team_remove, name="team_remove"),
    path("inspections/<str:reference>/contacts/add/", views.contact_add, name="contact_add"),
    path("inspections/<str:reference>/contacts/<int:pk>/remove/", views.contact_remove, name="contact_remove"),
    path("inspections/<str:reference>/announce/", views.announce, name="announce"),
    path("inspections/<str:reference>/status/", views.status_move, name="status"),
    path("inspections/<str:reference>/information/", views.documents, name="documents"),
    path("inspections/<str:reference>/information/<str:token>/", views.document_download, name="document"),
    path("inspections/<str:reference>/emails/", views_notifications.notification_list, name="notifications"),
    path(
        "inspections/<str:reference>/who-saw-childrens-details/",
        views_notifications.identity_log,
        name="identity_log",
    ),
    path(
        "inspections/<str:reference>/emails/<int:pk>/resend/",
        views_notifications.notification_resend,
        name="notification_resend",
    ),
]
