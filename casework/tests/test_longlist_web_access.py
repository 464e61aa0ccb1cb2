"""Who may open what on the long-list and sample pages: personas on every URL.

The YOT manager of the inspected YOT, a YOT manager of another YOT (the stranger: 404, never a hint),
the lead inspector, the SSO, an assistant inspector, a local assessor and a partner inspector (on the
team but not HMI Probation staff: 403, and never a child's name anywhere they can go).
"""

from __future__ import annotations

import contextlib
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse

from casework.enums import CaseStatus
from casework.models import Case, LongList
from casework.services.sample import sample_finalise, sample_select
from casework.tests import factories_longlist as fl

pytestmark = pytest.mark.django_db

ALL = ["lead", "sso", "assistant", "assessor", "partner", "yot_manager", "stranger"]


def _expect(ok: set[str], forbidden: set[str]) -> dict[str, int]:
    return {p: 200 if p in ok else 403 if p in forbidden else 404 for p in ALL}


VIEW = _expect({"lead", "sso", "assistant", "yot_manager"}, {"assessor", "partner"})
MANAGE = _expect({"lead", "sso"}, {"assistant", "assessor", "partner", "yot_manager"})


@pytest.fixture
def world():
    world = fl.team()
    inspection = world["inspection"]
    fl.stored_long_list(inspection, world["people"]["yot_manager"], fl.rows_for(inspection, 40))
    sample_select(inspection=inspection, by=world["people"]["sso"], size=20, seed=1)
    # The case with the distinctive name is in the sample, so every sample page could show it.
    distinctive = inspection.long_lists.get().entries.get(family_name=fl.DISTINCTIVE)
    if not Case.objects.filter(entry=distinctive, status=CaseStatus.SELECTED).exists():
        case = Case.objects.filter(status=CaseStatus.SELECTED, heading=distinctive.heading).first()
        from casework.services.sample import sample_case_swap

        case.inspection = inspection
        sample_case_swap(case=case, entry=distinctive, by=world["people"]["sso"], reason="Test")
    world["case"] = Case.objects.get(entry=distinctive, status=CaseStatus.SELECTED)
    return world


def _get_cases(world):
    case = world["case"].pk
    return [
        ("casework:longlist", (), VIEW),
        ("casework:longlist_template", (), VIEW),
        ("casework:longlist_versions", (), VIEW),
        ("casework:longlist_version", (1,), VIEW),
        ("casework:sample", (), VIEW),
        ("casework:sample_swap", (case,), MANAGE),
        ("casework:sample_remove", (case,), MANAGE),
        ("casework:sample_add", (), MANAGE),
        ("casework:sample_finalise", (), MANAGE),
        ("casework:sample_export", ("csv",), MANAGE),
    ]


NAMES = [
    "longlist",
    "longlist_template",
    "longlist_versions",
    "longlist_version",
    "sample",
    "sample_swap",
    "sample_remove",
    "sample_add",
    "sample_finalise",
    "sample_export",
]


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize("index", range(len(NAMES)), ids=NAMES)
def test_get_pages_by_persona(client, world, index, persona):
    name, args, expected = _get_cases(world)[index]
    client.force_login(world["people"][persona])
    response = client.get(reverse(name, args=[world["inspection"].reference, *args]))
    assert response.status_code == expected[persona]
    if persona in ("assessor", "partner", "stranger"):
        assert fl.DISTINCTIVE.encode() not in response.content


@pytest.mark.parametrize("persona", ALL)
def test_only_the_yot_manager_of_the_yot_may_upload(client, world, persona):
    inspection = world["inspection"]
    client.force_login(world["people"][persona])
    data = fl.workbook(inspection, fl.rows_for(inspection, 12, seed=9))
    response = client.post(
        reverse("casework:longlist", args=[inspection.reference]), {"upload": SimpleUploadedFile("l.xlsx", data)}
    )
    expected = {"yot_manager": 302, "stranger": 404}.get(persona, 403)
    assert response.status_code == expected
    assert LongList.objects.filter(inspection=inspection).count() == (2 if persona == "yot_manager" else 1)


@pytest.mark.parametrize("persona", ALL)
def test_only_the_sso_and_lead_inspector_may_select_swap_and_finalise(client, world, persona):
    inspection = world["inspection"]
    client.force_login(world["people"][persona])
    ref = inspection.reference
    case = world["case"]
    expected = MANAGE[persona] if MANAGE[persona] != 200 else 302
    responses = [
        client.post(reverse("casework:sample_remove", args=[ref, case.pk]), {"reason": "Because"}),
        client.post(reverse("casework:sample", args=[ref]), {"size": 14}),
        client.post(reverse("casework:sample_finalise", args=[ref])),
    ]
    assert [r.status_code for r in responses] == [expected] * 3
    finalised = inspection.sample.__class__.objects.get(inspection=inspection).finalised_at is not None
    assert finalised == (expected == 302)


def test_a_stranger_cannot_tell_that_the_inspection_exists(client, world):
    client.force_login(world["people"]["stranger"])
    real = client.get(reverse("casework:longlist", args=[world["inspection"].reference]))
    missing = client.get(reverse("casework:longlist", args=["SQS-NO-SUCH"]))
    assert real.status_code == missing.status_code == 404


def _pages_of(world, persona: str) -> list[str]:
    """Every page of the inspection a persona can reach, from the inspection pages to the cases."""
    ref = world["inspection"].reference
    urls = [
        reverse("inspections:detail", args=[ref]),
        reverse("inspections:timeline", args=[ref]),
        reverse("inspections:documents", args=[ref]),
        reverse("inspections:list"),
    ]
    for name, args, _ in _get_cases(world):
        urls.append(reverse(name, args=[ref, *args]))
    for name, args in [("casework:cases", ()), ("casework:case", (world["case"].pk,))]:
        with contextlib.suppress(NoReverseMatch):  # the assessment pages are built in another issue
            urls.append(reverse(name, args=[ref, *args]))
    return urls


@pytest.mark.parametrize("persona", ["assessor", "partner"])
def test_local_assessor_and_partner_never_see_a_name(client, world, persona):
    inspection = world["inspection"]
    sample_finalise(sample=inspection.sample, by=world["people"]["sso"])
    # The case with the distinctive name is allocated to them, as it would be for fieldwork.
    Case.objects.filter(pk=world["case"].pk).update(assessor=world["people"][persona])
    client.force_login(world["people"][persona])
    opened = 0
    for url in _pages_of(world, persona):
        response = client.get(url)
        if response.status_code == 200:
            opened += 1
        content = html.unescape(response.content.decode("utf-8", "replace"))
        assert fl.DISTINCTIVE not in content, url
        assert world["case"].entry.date_of_birth.strftime("%d/%m/%Y") not in content, url
    assert opened >= 4


def test_hmip_staff_and_the_yot_manager_see_names(client, world):
    inspection = world["inspection"]
    sample_finalise(sample=inspection.sample, by=world["people"]["sso"])
    for persona in ("lead", "sso", "assistant", "yot_manager"):
        client.force_login(world["people"][persona])
        page = client.get(reverse("casework:sample", args=[inspection.reference])).content.decode()
        assert fl.DISTINCTIVE in page, persona
