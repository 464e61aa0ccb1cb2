"""Aggregate reports across inspections (seed 000 §3.5). Not under an inspection, so the project's
URLconf includes this module separately: ``path("reports/", include("reports.urls_aggregate"))``."""

from django.urls import path

from reports import views

app_name = "reports_aggregate"

urlpatterns = [
    path("aggregate/", views.aggregate, name="aggregate"),
    path("aggregate/jobs/<int:job_id>/", views.aggregate_job, name="job"),
    path("aggregate/jobs/<int:job_id>/retry/", views.aggregate_retry, name="retry"),
    path("aggregate/jobs/<int:job_id>/files/<int:file_id>/", views.aggregate_download, name="download"),
]
