"""Schedule URLs, under an inspection: /inspections/<reference>/schedule/..."""

from django.urls import path, re_path

from scheduling import views, views_availability, views_calendar, views_solve, views_week2, views_workbench

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
    # FJI fieldwork week 2 (scheduling/views_week2.py).
    path("week2/", views_week2.week2, name="week2"),
    path("week2/new/", views_week2.session_new, name="week2_new"),
    path("week2/send/", views_week2.send, name="week2_send"),
    path("week2/<int:pk>/", views_week2.session_edit, name="week2_edit"),
    path("week2/<int:pk>/confirm/", views_week2.session_confirm, name="week2_confirm"),
    path("week2/<int:pk>/cancel/", views_week2.session_cancel, name="week2_cancel"),
    path("week2/<int:pk>/findings/", views_week2.session_findings, name="week2_findings"),
    path("week2/presentation/", views_week2.presentation, name="week2_presentation"),
    path("week2/health-questionnaire/", views_week2.questionnaire, name="week2_questionnaire"),
    re_path(r"^week2/my-calendar\.ics$", views_week2.my_calendar, name="week2_calendar"),
]
