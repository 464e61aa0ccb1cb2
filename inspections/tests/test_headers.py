"""Pages and downloads that can hold children's names are never cached; browser features are refused."""

import pytest
from django.urls import reverse

from inspections.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["inspections:detail", "inspections:timeline", "casework:sample"])
def test_pages_say_no_store_and_private(client, name):
    inspection = f.inspection()
    client.force_login(inspection.lead_inspector)
    response = client.get(reverse(name, args=[inspection.reference]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    assert "camera=()" in response["Permissions-Policy"]


def test_a_download_says_no_store_and_private(client):
    inspection = f.inspection()
    client.force_login(inspection.lead_inspector)
    response = client.get(reverse("casework:longlist_template", args=[inspection.reference]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"


def test_the_sign_in_page_and_refusals_are_not_cached_either(client):
    response = client.get(reverse("login"))
    assert response["Cache-Control"] == "no-store, private"
    stranger = f.user()
    client.force_login(stranger)
    refused = client.get(reverse("inspections:detail", args=[f.inspection().reference]))
    assert refused.status_code == 404
    assert refused["Cache-Control"] == "no-store, private"
