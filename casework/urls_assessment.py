"""Case assessment URLs (issue 6), included under /inspections/<reference>/ (app "casework")."""

from django.urls import path

from casework.views import assessment as views
from casework.views import moderation, module_sample, partner

urlpatterns = [
    path("cases/", views.cases, name="cases"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/views/<int:view>/", views.assess, name="assess"),
    path("cases/<int:pk>/answers/<str:question_id>/", views.answer, name="answer"),
    path("cases/<int:pk>/start/", views.start, name="start"),
    path("cases/<int:pk>/views/0/confirm/", views.confirm_prefill, name="confirm_prefill"),
    path("cases/<int:pk>/check/", views.check_answers, name="check"),
    path("cases/<int:pk>/complete/", views.complete, name="complete"),
    path("cases/<int:pk>/allocate/", views.allocate, name="allocate"),
    path("cases/<int:pk>/alerts/new/", views.alert_raise, name="alert_raise"),
    path("cases/<int:pk>/views/<int:view>/history/", moderation.view_history, name="view_history"),
    path("cases/<int:pk>/review/", moderation.review, name="review"),
    path("cases/<int:pk>/review/views/<int:view>/agree/", moderation.review_agree_view, name="review_agree_view"),
    path("cases/<int:pk>/review/<str:question_id>/", moderation.review_judgement, name="review_judgement"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:alert_pk>/action/", views.alert_resolve, name="alert_resolve"),
    path("moderation/", moderation.moderation_list, name="moderation"),
    path("scores/", views.scores, name="scores"),
    # Seed 001 §7 a: each partner inspectorate's cases of a Full Joint Inspection.
    path("partner-cases/", partner.partner_cases, name="partner_cases"),
    path("partner-cases/<str:inspectorate>/choose/", partner.partner_choose, name="partner_choose"),
    path("partner-cases/<str:inspectorate>/confirm/", partner.partner_confirm, name="partner_confirm"),
    path("partner-cases/<str:inspectorate>/<int:pk>/remove/", partner.partner_remove, name="partner_remove"),
    # Seed 001 §6: the additional modules' own cases of a Full Joint Inspection.
    path("module-sample/", module_sample.module_sample, name="module_sample"),
    path("module-sample/<str:module>/add/", module_sample.module_case_add, name="module_case_add"),
    path("module-cases/<int:pk>/", module_sample.module_case, name="module_case"),
    path("module-cases/<int:pk>/remove/", module_sample.module_case_remove, name="module_case_remove"),
    path("module-cases/<int:pk>/findings/", module_sample.module_findings, name="module_findings"),
    path("module-cases/<int:pk>/answers/<str:question_id>/", module_sample.module_answer, name="module_answer"),
]
