"""Casework URLs, all under an inspection: /inspections/<reference>/...

Each area keeps its own url module: urls_longlist (issue 3) and urls_assessment (issue 6).
"""

from django.urls import include, path

app_name = "casework"

urlpatterns = [
    path("", include("casework.urls_longlist")),
    path("", include("casework.urls_assessment")),
]
