"""Who saw what (issue 11 §6): a page or file with children's names records who was shown it; the
lead inspector reads the inspection's record, the administrator a person's; nobody else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casework.services.sample import sample_select
from casework.tests import factories_longlist as fl
from inspections.domain.messages import from_text_field
from inspections.enums import StaffRole
from inspections.models import IdentityView
from inspections.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = fl.team()
    inspection = world["inspection"]
    fl.stored_long_list(inspection, world["people"]["yot_manager"], fl.rows_for(inspection, 40))
    sample_select(inspection=inspection, by=world["people"]["sso"], size=20, seed=1)
    return world


def test_pages_and_downloads_with_names_record_who_saw_them(client, world):
    inspection, sso = world["inspection"], world["people"]["sso"]
    ref = inspection.reference
    client.force_login(sso)
    assert client.get(reverse("casework:sample", args=[ref])).status_code == 200
    client.get(reverse("casework:sample_export", args=[ref, "csv"]))
    seen = [
        (str(from_text_field(what)), path)
        for what, path in IdentityView.objects.filter(user=sso).order_by("at", "id").values_list("what", "path")
    ]
    assert seen == [
        ("Sample", f"/inspections/{ref}/sample/"),
        ("Sample download (CSV)", f"/inspections/{ref}/sample/export.csv"),
    ]


def test_a_page_without_names_records_nothing(client, world):
    # A local assessor may not see the children's names: the sample page shows none and nothing is recorded.
    assessor = world["people"]["assessor"]
    client.force_login(assessor)
    response = client.get(reverse("casework:sample", args=[world["inspection"].reference]))
    assert fl.DISTINCTIVE not in response.content.decode()
    assert not IdentityView.objects.filter(user=assessor).exists()


def test_the_lead_inspector_reads_the_record_and_nobody_else_on_the_team_does(client, world):
    inspection, people = world["inspection"], world["people"]
    ref = inspection.reference
    client.force_login(people["sso"])
    client.get(reverse("casework:sample", args=[ref]))
    url = reverse("inspections:identity_log", args=[ref])
    client.force_login(people["lead"])
    page = client.get(url).content.decode()
    assert "Who saw children’s details" in page and str(people["sso"]) in page and "Sample" in page
    for persona, status in (("sso", 403), ("assistant", 403), ("yot_manager", 403), ("stranger", 404)):
        client.force_login(people[persona])
        assert client.get(url).status_code == status, persona


def test_the_administrator_sees_what_a_person_was_shown(client, world):
    inspection, sso = world["inspection"], world["people"]["sso"]
    client.force_login(sso)
    client.get(reverse("casework:sample", args=[inspection.reference]))
    client.force_login(f.user(role=StaffRole.ADMINISTRATOR))
    page = client.get(reverse("accounts:person", args=[sso.pk])).content.decode()
    assert "Children’s details they were shown" in page
    assert f"{inspection.reference} · {inspection.yot.name}" in page
