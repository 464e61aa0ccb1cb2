import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections.enums import StaffRole
from inspections.tests import factories as f

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_inspection_list_queries_do_not_grow_with_the_number_of_inspections(client):
    lead = f.user(role=StaffRole.LEAD_INSPECTOR)
    f.inspection(lead=lead)
    client.force_login(lead)
    one = _queries(client, reverse("inspections:list"))
    for _ in range(5):
        f.inspection(lead=lead)
    assert _queries(client, reverse("inspections:list")) == one
