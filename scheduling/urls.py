"""Schedule URLs, under an inspection: /inspections/<reference>/schedule/..."""

from django.urls import path, re_path

from scheduling import views

app_name = "scheduling"

urlpatterns = [
    path("schedule/", views.schedule, name="schedule"),
    path("schedule/solve/", views.solve, name="solve"),
    path("schedule/move/", views.move, name="move"),
    path("schedule/swap/", views.swap, name="swap"),
    path("schedule/pin/", views.pin, name="pin"),
    path("schedule/unplace/", views.unplace, name="unplace"),
    path("schedule/send/", views.send, name="send"),
    path("schedule/final/", views.finalise, name="finalise"),
    path("schedule/return/", views.return_to_yot, name="return"),
    re_path(r"^schedule/download\.(?P<fmt>xlsx|pdf)$", views.download, name="download"),
    path("schedule/availability/", views.availability, name="availability"),
    path("schedule/availability/record-only/", views.record_only, name="record_only"),
    path("schedule/availability/<str:key>/", views.availability_edit, name="availability_edit"),
]
