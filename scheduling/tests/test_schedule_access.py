"""Who may open what on the schedule: personas on every URL.

SQS: the SSO and lead inspector build and edit; the other team members see the final
schedule; the YOT manager of that YOT enters availability and sees what was sent to them;
strangers (a YOT manager of another YOT, a lead inspector not on the team) get 404; the
wrong role gets 403. FJI: the YOT manager fills the schedule, the lead inspector approves.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from inspections.enums import Programme
from scheduling import services
from scheduling.enums import VersionState
from scheduling.forms import case_manager_key
from scheduling.tests.test_schedule_services import SOLVER_SECONDS, sqs_world

pytestmark = pytest.mark.django_db

ALL = ["lead", "assistant", "sso", "assessor", "yot_manager", "stranger", "other_lead"]


@pytest.fixture(autouse=True)
def _fast_solver(settings):
    settings.SCHEDULE_SOLVER_SECONDS = SOLVER_SECONDS


def _expect(ok: set[str], forbidden: set[str]) -> dict[str, int]:
    return {p: 200 if p in ok else 403 if p in forbidden else 404 for p in ALL}


VIEW = _expect({"lead", "assistant", "sso", "assessor", "yot_manager"}, set())
BUILDERS = {"lead", "sso"}
AVAILABILITY_LIST = _expect({"lead", "sso", "yot_manager"}, {"assistant", "assessor"})
AVAILABILITY_EDIT = _expect({"yot_manager"}, {"lead", "sso", "assistant", "assessor"})


@pytest.fixture
def world():
    inspection, people, cases = sqs_world(n_cases=8)
    services.schedule_solve(inspection=inspection, by=people["sso"])
    services.schedule_finalise(inspection=inspection, by=people["sso"])
    return inspection, people, cases


def get(client, world, persona, name, *args):
    inspection, people, _cases = world
    client.force_login(people[persona])
    return client.get(reverse(f"scheduling:{name}", args=[inspection.reference, *args]))


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("schedule", (), VIEW),
        ("download", ("xlsx",), VIEW),
        ("download", ("pdf",), VIEW),
        ("availability", (), AVAILABILITY_LIST),
        ("availability_edit", (case_manager_key("j.smith@northshire.example.gov.uk"),), AVAILABILITY_EDIT),
    ],
    ids=["schedule", "xlsx", "pdf", "availability", "availability_edit"],
)
def test_get_pages_by_persona(client, world, persona, name, args, expected):
    response = get(client, world, persona, name, *args)
    assert response.status_code == expected[persona]
    if name == "schedule" and response.status_code == 200:
        body = response.content.decode()
        assert "HMIP-01" in body  # everyone who may see it sees the final schedule
        assert ("Build the schedule again" in body) == (persona in BUILDERS)


POSTS = [
    ("solve", {}),
    ("move", {"case": "0", "slot": "x"}),
    ("swap", {"case_a": "0", "case_b": "0"}),
    ("pin", {"case": "0", "pinned": "1"}),
    ("unplace", {"case": "0"}),
    ("send", {}),
    ("finalise", {}),
]


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize(("name", "data"), POSTS, ids=[p[0] for p in POSTS])
def test_edits_only_by_the_sso_and_lead_inspector(client, world, persona, name, data):
    inspection, people, _cases = world
    client.force_login(people[persona])
    response = client.post(reverse(f"scheduling:{name}", args=[inspection.reference]), data)
    if persona in BUILDERS:
        assert response.status_code in (200, 302, 400)
    elif persona in ("stranger", "other_lead"):
        assert response.status_code == 404
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("persona", ALL)
def test_return_is_for_the_fji_lead_inspector_only(client, world, persona):
    inspection, people, _cases = world
    client.force_login(people[persona])
    response = client.post(reverse("scheduling:return", args=[inspection.reference]), {"note": "x"})
    assert response.status_code == (404 if persona in ("stranger", "other_lead") else 403)


def test_record_only_is_refused_to_other_team_members(client, world):
    inspection, people, cases = world
    client.force_login(people["assistant"])
    response = client.post(
        reverse("scheduling:record_only", args=[inspection.reference]), {"case": cases[0].pk, "record_only": "1"}
    )
    assert response.status_code == 403


def test_team_members_see_nothing_before_the_schedule_is_final(client):
    inspection, people, _cases = sqs_world(n_cases=4)
    services.schedule_solve(inspection=inspection, by=people["sso"])
    services.schedule_send(inspection=inspection, by=people["sso"])
    for persona, sees in (("assistant", False), ("assessor", False), ("yot_manager", True), ("sso", True)):
        client.force_login(people[persona])
        body = client.get(reverse("scheduling:schedule", args=[inspection.reference])).content.decode()
        assert ("HMIP-01" in body) == sees, persona
        download = client.get(reverse("scheduling:download", args=[inspection.reference, "xlsx"]))
        assert download.status_code == (200 if sees else 404), persona


@pytest.mark.parametrize(
    ("persona", "may_edit", "may_approve"),
    [("yot_manager", True, False), ("lead", False, True), ("sso", False, False), ("assistant", False, False)],
)
def test_fji_yot_manager_fills_and_the_lead_inspector_approves(
    client, django_capture_on_commit_callbacks, persona, may_edit, may_approve
):
    inspection, people, _cases = sqs_world(n_cases=3, programme=Programme.FJI)
    client.force_login(people[persona])
    with django_capture_on_commit_callbacks(execute=True):  # the build runs after the commit
        solve = client.post(reverse("scheduling:solve", args=[inspection.reference]))
    assert (solve.status_code != 403) == may_edit
    if not may_edit:
        services.schedule_solve(inspection=inspection, by=people["yot_manager"])
    services.schedule_send(inspection=inspection, by=people["yot_manager"])
    finalise = client.post(
        reverse("scheduling:finalise", args=[inspection.reference]), {"confirmed": "yes"}, follow=True
    )
    assert (finalise.status_code != 403) == may_approve
    if may_approve:
        assert inspection.schedule_versions.get().state == VersionState.FINAL
