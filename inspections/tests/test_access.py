"""Who may open what: personas on every URL of an inspection.

The owner (lead inspector), colleagues on the team with narrower rights, the YOT manager of the
inspected YOT, and strangers (a YOT manager of another YOT, a lead inspector not on the team).
Strangers get 404, never a hint that the inspection exists; colleagues without the right get 403.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspections.enums import IIAKind, StaffRole, Status, TeamRole
from inspections.models import InformationDocument, Inspection
from inspections.services import iia_upload
from inspections.tests import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world():
    yot = f.yot(name="Northshire")
    other_yot = f.yot(name="Southshire")
    lead = f.user(role=StaffRole.LEAD_INSPECTOR, username="lead")
    inspection = f.inspection(lead=lead, yot_=yot, status=Status.ANNOUNCED)
    people = {
        "lead": lead,
        "assistant": f.member(inspection, TeamRole.ASSISTANT_INSPECTOR, username="assistant"),
        "sso": f.member(inspection, TeamRole.SSO, username="sso"),
        "assessor": f.member(inspection, TeamRole.LOCAL_ASSESSOR, username="assessor", yot=other_yot),
        "yot_manager": f.user(role=StaffRole.YOT_MANAGER, yot=yot, username="owner_yot"),
        "stranger": f.user(role=StaffRole.YOT_MANAGER, yot=other_yot, username="stranger"),
        "other_lead": f.user(role=StaffRole.LEAD_INSPECTOR, username="other_lead"),
    }
    chart = iia_upload(
        inspection=inspection,
        by=people["yot_manager"],
        kind=IIAKind.STRUCTURE_CHART,
        upload=SimpleUploadedFile("chart.pdf", PDF, content_type="application/pdf"),
    )
    policy = iia_upload(
        inspection=inspection,
        by=people["yot_manager"],
        kind=IIAKind.PUBLIC_PROTECTION,
        upload=SimpleUploadedFile("policy.pdf", PDF, content_type="application/pdf"),
    )
    return {"inspection": inspection, "people": people, "chart": chart, "policy": policy}


ALL = ["lead", "assistant", "sso", "assessor", "yot_manager", "stranger", "other_lead"]


def _expect(ok: set[str], forbidden: set[str]) -> dict[str, int]:
    return {p: 200 if p in ok else 403 if p in forbidden else 404 for p in ALL}


VIEW = _expect({"lead", "assistant", "sso", "assessor", "yot_manager"}, set())
LEAD_ONLY = _expect({"lead"}, {"assistant", "sso", "assessor", "yot_manager"})

GET_CASES = [
    ("inspections:detail", VIEW),
    ("inspections:timeline", VIEW),
    ("inspections:documents", VIEW),
    ("inspections:edit", LEAD_ONLY),
    ("inspections:team_add", LEAD_ONLY),
    ("inspections:contact_add", _expect({"lead", "yot_manager"}, {"assistant", "sso", "assessor"})),
    ("inspections:announce", LEAD_ONLY),
]


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize(("name", "expected"), GET_CASES, ids=[c[0].split(":")[1] for c in GET_CASES])
def test_get_pages_by_persona(client, world, name, expected, persona):
    client.force_login(world["people"][persona])
    response = client.get(reverse(name, args=[world["inspection"].reference]))
    assert response.status_code == expected[persona]
    if response.status_code == 200:
        assert "Northshire" in response.content.decode()


@pytest.mark.parametrize(
    ("document", "persona", "expected"),
    [
        # The structure chart goes to the whole team (seed 000 §10.2 NB).
        *[("chart", p, s) for p, s in _expect({"lead", "assistant", "sso", "assessor", "yot_manager"}, set()).items()],
        # Other Information in Advance goes to the lead inspector and SSO; the YOT sees what it sent.
        *[("policy", p, s) for p, s in _expect({"lead", "sso", "yot_manager"}, {"assistant", "assessor"}).items()],
    ],
)
def test_document_downloads_by_persona(client, world, document, persona, expected):
    client.force_login(world["people"][persona])
    doc = world[document]
    response = client.get(reverse("inspections:document", args=[world["inspection"].reference, doc.token]))
    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment")


def test_documents_page_lists_only_what_the_user_may_open(client, world):
    client.force_login(world["people"]["assistant"])
    page = client.get(reverse("inspections:documents", args=[world["inspection"].reference])).content.decode()
    assert "chart.pdf" in page
    assert "policy.pdf" not in page


@pytest.mark.parametrize(
    ("persona", "expected", "moved"),
    [
        ("lead", 302, True),
        ("assistant", 403, False),
        ("sso", 403, False),
        ("yot_manager", 403, False),
        ("stranger", 404, False),
    ],
)
def test_status_move_by_persona(client, world, persona, expected, moved, monkeypatch):
    import datetime as dt

    f.force_status(world["inspection"], Status.FIELDWORK)
    after_fieldwork = dt.datetime(2027, 2, 11, 9, 0, tzinfo=dt.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: after_fieldwork)
    client.force_login(world["people"][persona])
    ref = world["inspection"].reference
    response = client.post(
        reverse("inspections:status", args=[ref]),
        {"to_status": Status.DRAFT_REPORT, "expected": Status.FIELDWORK},
    )
    assert response.status_code == expected
    status = Inspection.objects.get(reference=ref).status
    assert status == (Status.DRAFT_REPORT if moved else Status.FIELDWORK)


@pytest.mark.parametrize(
    ("key", "persona", "expected"),
    [
        ("sample_due", "lead", 302),
        ("sample_due", "sso", 302),
        ("sample_due", "assistant", 403),
        ("sample_due", "yot_manager", 403),
        ("sample_due", "stranger", 404),
        ("long_list_due", "yot_manager", 302),
        ("long_list_due", "lead", 302),
        ("long_list_due", "assessor", 403),
        ("long_list_due", "stranger", 404),
    ],
)
def test_marking_milestones_done_by_persona(client, world, key, persona, expected):
    client.force_login(world["people"][persona])
    inspection = world["inspection"]
    response = client.post(reverse("inspections:milestone_done", args=[inspection.reference, key]))
    assert response.status_code == expected
    assert inspection.milestone_completions.filter(key=key).exists() == (expected == 302)


@pytest.mark.parametrize(
    ("persona", "expected"), [("yot_manager", 302), ("lead", 403), ("sso", 403), ("stranger", 404)]
)
def test_only_the_yot_manager_uploads_information_in_advance(client, world, persona, expected):
    client.force_login(world["people"][persona])
    before = InformationDocument.objects.count()
    response = client.post(
        reverse("inspections:documents", args=[world["inspection"].reference]),
        {"kind": IIAKind.COMPLIANCE, "upload": SimpleUploadedFile("c.pdf", PDF)},
    )
    assert response.status_code == expected
    assert InformationDocument.objects.count() == before + (1 if expected == 302 else 0)


def test_yot_manager_cannot_see_an_inspection_before_it_is_announced(client, world):
    inspection = world["inspection"]
    Inspection.objects.filter(pk=inspection.pk).update(status=Status.PLANNED)
    client.force_login(world["people"]["yot_manager"])
    assert client.get(reverse("inspections:detail", args=[inspection.reference])).status_code == 404
    assert inspection.reference not in client.get(reverse("inspections:list")).content.decode()


def test_list_shows_only_visible_inspections(client, world):
    other = f.inspection(yot_=f.yot(name="Eastshire"))
    client.force_login(world["people"]["stranger"])
    page = client.get(reverse("inspections:list")).content.decode()
    assert world["inspection"].reference not in page
    client.force_login(world["people"]["yot_manager"])
    page = client.get(reverse("inspections:list")).content.decode()
    assert world["inspection"].reference in page
    assert other.reference not in page


@pytest.mark.parametrize("url", ["/", "/inspections/new/", "/inspections/ANY/", "/inspections/ANY/timeline/"])
def test_every_page_needs_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_unknown_inspection_is_404_for_everyone(client, world):
    client.force_login(world["people"]["lead"])
    assert client.get(reverse("inspections:detail", args=["SQS-1999-999"])).status_code == 404


def test_only_lead_inspectors_plan_inspections(client, world):
    client.force_login(world["people"]["sso"])
    assert client.get(reverse("inspections:create")).status_code == 403
    client.force_login(world["people"]["other_lead"])
    assert client.get(reverse("inspections:create")).status_code == 200


def test_failed_sign_ins_are_throttled(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": "lead", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "lead", "password": "correct horse battery"})
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()


def test_the_yot_manager_sees_only_warnings_about_the_yots_own_deadlines(client, world):
    from django.utils import timezone

    inspection = world["inspection"]
    # Fieldwork 5 April 2027: Easter moves both the YOT's deadlines and HMI Probation's.
    Inspection.objects.filter(pk=inspection.pk).update(fieldwork_start=timezone.datetime(2027, 4, 5).date())
    url = reverse("inspections:timeline", args=[inspection.reference])
    client.force_login(world["people"]["yot_manager"])
    page = client.get(url).content.decode()
    assert "YOT sends the long-list of cases, with case manager availability: planned for" in page
    assert (
        "HMI Probation sends the selected case sample and case assessment schedule: Monday 29 March 2027 is Easter Monday"
        not in page
    )
    client.force_login(world["people"]["lead"])
    assert (
        "HMI Probation sends the selected case sample and case assessment schedule: Monday 29 March 2027 is Easter Monday"
        in client.get(url).content.decode()
    )
