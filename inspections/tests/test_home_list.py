"""Search and filters on the inspection list (issue 9 §4), within what each person may see."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections.enums import Programme, StaffRole, Status
from inspections.tests import factories as f

pytestmark = pytest.mark.django_db

ROW_LINK = re.compile(r'<a class="govuk-link" href="/inspections/([^/"]+)/">')


def references(client, user, **params) -> list[str]:
    client.force_login(user)
    response = client.get(reverse("inspections:list"), params)
    assert response.status_code == 200
    return ROW_LINK.findall(response.content.decode())


def messages_on(client, **params) -> list[str]:
    response = client.get(reverse("inspections:list"), params)
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def world():
    lead = f.user(role=StaffRole.LEAD_INSPECTOR)
    north, south = f.yot(name="Northshire"), f.yot(name="Southshire")
    inspections = {
        "north_sqs": f.inspection(lead=lead, yot_=north, status=Status.ANNOUNCED),
        "north_fji": f.inspection(
            lead=lead, yot_=north, programme=Programme.FJI, status=Status.FIELDWORK, fieldwork_start=dt.date(2026, 3, 2)
        ),
        "south_sqs": f.inspection(lead=lead, yot_=south, status=Status.PUBLISHED, fieldwork_start=dt.date(2026, 6, 1)),
        "south_planned": f.inspection(lead=lead, yot_=south, status=Status.PLANNED),
    }
    refs = {key: inspection.reference for key, inspection in inspections.items()}
    return {
        "lead": lead,
        "refs": refs,
        "north": north,
        "south": south,
        "south_manager": f.user(role=StaffRole.YOT_MANAGER, yot=south),
    }


def test_list_without_filters_shows_everything_visible_newest_fieldwork_first(client, world):
    refs = world["refs"]
    assert references(client, world["lead"]) == [
        refs["north_sqs"], refs["south_planned"], refs["south_sqs"], refs["north_fji"]
    ]  # fmt: skip


def test_search_finds_by_reference_or_yot_name_ignoring_case(client, world):
    refs = world["refs"]
    assert references(client, world["lead"], q=refs["north_fji"].lower()) == [refs["north_fji"]]
    assert references(client, world["lead"], q="  southSHIRE ") == [refs["south_planned"], refs["south_sqs"]]


def test_filters_by_yot_programme_status_and_year(client, world):
    refs, lead = world["refs"], world["lead"]
    assert references(client, lead, yot=world["north"].code) == [refs["north_sqs"], refs["north_fji"]]
    assert references(client, lead, programme="fji") == [refs["north_fji"]]
    assert references(client, lead, status="published") == [refs["south_sqs"]]
    assert references(client, lead, year="2026") == [refs["south_sqs"], refs["north_fji"]]
    assert references(client, lead, yot=world["south"].code, year="2027") == [refs["south_planned"]]


def test_filter_form_keeps_the_choices_made_and_offers_clear_filters(client, world):
    client.force_login(world["lead"])
    page = client.get(reverse("inspections:list"), {"programme": "fji", "q": "north"}).content.decode()
    assert '<option value="fji" selected>Full Joint Inspection (FJI)</option>' in page
    assert 'name="q" type="search" value="north"' in page
    assert f'<a class="govuk-link" href="{reverse("inspections:list")}">Clear filters</a>' in page
    assert "1 inspection matches" in page
    assert "Clear filters" not in client.get(reverse("inspections:list")).content.decode()


def test_year_choices_are_only_the_years_of_visible_inspections(client, world):
    client.force_login(world["lead"])
    response = client.get(reverse("inspections:list"))
    assert response.context["choices"].years == [2026, 2027]


def test_no_match_says_so(client, world):
    client.force_login(world["lead"])
    page = client.get(reverse("inspections:list"), {"q": "Westshire"}).content.decode()
    assert "No inspection matches. Try fewer filters or another search." in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"programme": "xyz"}, "“xyz” is not a programme: the programme filter was ignored."),
        ({"status": "finished"}, "“finished” is not a status: the status filter was ignored."),
        ({"year": "abc"}, "None of your inspections has fieldwork in “abc”: the year filter was ignored."),
        (
            {"year": "99999999999999999999"},
            "None of your inspections has fieldwork in “99999999999999999999”: the year filter was ignored.",
        ),
        ({"yot": "nowhere"}, "“nowhere” is not a YOT of your inspections: the YOT filter was ignored."),
    ],
    ids=["programme", "status", "year-not-a-number", "year-huge", "yot"],
)
def test_invalid_filter_is_ignored_with_a_message(client, world, params, message):
    client.force_login(world["lead"])
    assert messages_on(client, **params) == [message]
    assert len(references(client, world["lead"], **params)) == 4


def test_bad_page_number_shows_a_page_not_an_error(client, world):
    assert len(references(client, world["lead"], page="many")) == 4
    assert len(references(client, world["lead"], page="999")) == 4


def test_yot_manager_filters_only_within_their_yots_announced_inspections(client, world):
    manager, refs = world["south_manager"], world["refs"]
    assert references(client, manager) == [refs["south_sqs"]]
    assert references(client, manager, status="planned") == []
    assert references(client, manager, q=refs["north_sqs"]) == []
    client.force_login(manager)
    assert messages_on(client, yot=world["north"].code) == [
        f"“{world['north'].code}” is not a YOT of your inspections: the YOT filter was ignored."
    ]
    page = client.get(reverse("inspections:list")).content.decode()
    assert "Northshire" not in page


def test_more_than_25_inspections_are_paged_and_pages_keep_the_filters(client):
    lead = f.user(role=StaffRole.LEAD_INSPECTOR)
    yot = f.yot(name="Bigshire")
    for _ in range(27):
        f.inspection(lead=lead, yot_=yot)
    assert len(references(client, lead, q="Bigshire")) == 25
    page = client.get(reverse("inspections:list"), {"q": "Bigshire"}).content.decode()
    assert '<nav class="govuk-pagination"' in page
    assert 'href="?q=Bigshire&amp;page=2" rel="next"' in page
    assert len(references(client, lead, q="Bigshire", page="2")) == 2


def test_list_queries_do_not_grow_with_the_number_of_inspections(client):
    lead = f.user(role=StaffRole.LEAD_INSPECTOR)
    for _ in range(2):
        f.inspection(lead=lead)
    client.force_login(lead)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("inspections:list"), {"programme": "sqs", "year": "2027"})
        return len(captured)

    two = count()
    for _ in range(4):
        f.inspection(lead=lead)
    assert count() == two
