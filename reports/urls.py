"""Report URLs, all under an inspection: /inspections/<reference>/reports/..."""

from django.urls import path

from reports import views, views_disputes, views_plan, views_voices

app_name = "reports"

urlpatterns = [
    path("reports/", views.reports, name="reports"),
    path("reports/generate/<str:kind>/", views.generate, name="generate"),
    path("reports/jobs/<int:job_id>/", views.job, name="job"),
    path("reports/jobs/<int:job_id>/retry/", views.retry, name="retry"),
    path("reports/jobs/<int:job_id>/files/<int:file_id>/", views.download, name="download"),
    path("reports/draft/", views.draft, name="draft"),
    path("reports/sections/<int:section_id>/", views.section_edit, name="section"),
    path("reports/sections/<int:section_id>/comment/", views.comment_add, name="comment"),
    path("reports/comments/<int:comment_id>/resolve/", views.comment_resolve, name="resolve"),
    path("reports/judgements/<int:judgement_id>/", views.judgement_set, name="judgement"),
    path("reports/send/", views.send, name="send"),
    path("reports/publish/", views.publish, name="publish"),
    path("reports/good-practice/", views.good_practice, name="good_practice"),
    path("reports/disagreements/", views_disputes.disputes, name="disputes"),
    path("reports/disagreements/<int:dispute_id>/", views_disputes.dispute, name="dispute"),
    path("service-users/", views_voices.service_users, name="service_users"),
    path("improvement-plan/", views_plan.improvement_plan, name="improvement_plan"),
    path("improvement-plan/v<int:number>/", views_plan.plan_download, name="improvement_plan_download"),
]
