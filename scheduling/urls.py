"""Schedule URLs, under an inspection: /inspections/<reference>/schedule/..."""

from django.urls import path, re_path

from scheduling import views, views_availability, views_calendar, views_solve, views_workbench

app_name = "scheduling"

urlpatterns = [
    path("schedule/", views.schedule, name="schedule"),
    path("schedule/solve/", views_solve.solve, name="solve"),
    path("schedule/solve/<int:job_id>/", views_solve.progress, name="solve_progress"),
    path("schedule/solve/<int:job_id>/cancel/", views_solve.cancel, name="solve_cancel"),
    path("schedule/move/", views.move, name="move"),
    path("schedule/swap/", views.swap, name="swap"),
    path("schedule/pin/", views.pin, name="pin"),
    path("schedule/unplace/", views.unplace, name="unplace"),
    path("schedule/cases/<int:pk>/move/", views_workbench.case_move, name="case_move"),
    path("schedule/send/", views.send, name="send"),
    path("schedule/final/", views.finalise, name="finalise"),
    path("schedule/return/", views.return_to_yot, name="return"),
    re_path(r"^schedule/download\.(?P<fmt>xlsx|pdf)$", views.download, name="download"),
    re_path(r"^schedule/my-calendar\.ics$", views_calendar.my_calendar, name="my_calendar"),
    re_path(r"^schedule/invitations\.zip$", views_calendar.all_invitations, name="invitations"),
    re_path(
        r"^schedule/invitations/(?P<key>[0-9a-f]{12})\.ics$",
        views_calendar.case_manager_calendar,
        name="case_manager_calendar",
    ),
    path("schedule/availability/", views_availability.availability, name="availability"),
    path("schedule/availability/record-only/", views_availability.record_only, name="record_only"),
    path("schedule/availability/upload/", views_availability.availability_upload, name="availability_upload"),
    re_path(
        r"^schedule/availability/template\.xlsx$",
        views_availability.availability_template,
        name="availability_template",
    ),
    path("schedule/availability/<str:key>/", views_availability.availability_edit, name="availability_edit"),
]
