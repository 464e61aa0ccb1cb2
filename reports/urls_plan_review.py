"""The YJB contact's private link to an improvement plan (no account): /improvement-plan-review/<token>/."""

from django.urls import path

from reports import views_plan

app_name = "reports_plan_review"

urlpatterns = [
    path("<str:token>/", views_plan.plan_review, name="review"),
    path("<str:token>/plan", views_plan.plan_review_download, name="download"),
]
