"""Long-list and sample URLs (issue 3), included under /inspections/<reference>/ (app "casework")."""

from django.urls import path

from casework.views import longlist as views
from casework.views import longlist_reads

urlpatterns = [
    path("long-list/", views.longlist, name="longlist"),
    path("long-list/template.xlsx", views.longlist_template, name="longlist_template"),
    path("long-list/check/<str:token>/", views.longlist_check, name="longlist_check"),
    path("long-list/reading/<str:token>/", longlist_reads.longlist_read, name="longlist_read"),
    path("long-list/versions/", views.longlist_versions, name="longlist_versions"),
    path("long-list/versions/<int:version>/", views.longlist_version, name="longlist_version"),
    path("sample/", views.sample, name="sample"),
    path("sample/cases/<int:pk>/swap/", views.sample_swap, name="sample_swap"),
    path("sample/cases/<int:pk>/remove/", views.sample_remove, name="sample_remove"),
    path("sample/add/", views.sample_add, name="sample_add"),
    path("sample/final/", views.sample_finalise, name="sample_finalise"),
    path("sample/export.<str:fmt>", views.sample_export, name="sample_export"),
]
