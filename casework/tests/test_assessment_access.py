"""Who may open what: personas on every assessment URL (issue 6 item 9).

A local assessor sees only the cases allocated to them; the inspection's HMI Probation staff see all
its cases; a YOT manager sees no judgement (404 everywhere); strangers get 404. No page ever shows
the child's name: only LongListEntry holds it, and these pages use the case's reference.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from casework.enums import AlertKind
from casework.models import Alert, Answer, Case
from casework.services import assessment as services
from casework.tests import factories as cf

pytestmark = pytest.mark.django_db

ALL = ["lead", "assistant", "sso", "assessor", "other_assessor", "yot_manager", "stranger"]


def expect(ok: set[str], forbidden: set[str] = frozenset(), ok_status: int = 200) -> dict[str, int]:
    return {p: ok_status if p in ok else 403 if p in forbidden else 404 for p in ALL}


TEAM = {"lead", "assistant", "sso", "assessor", "other_assessor"}
SEES_CASE = {"lead", "assistant", "sso", "assessor"}
HMIP = {"lead", "assistant", "sso"}


@pytest.fixture
def world():
    world = cf.team()
    case, people = world["case"], world["people"]
    assessment = services.assessment_start(case=case, user=people["assessor"])
    services.assessment_answer(
        assessment=assessment, question_id="1.1.1", value="Sufficient", user=people["assessor"], expected_revision=0
    )
    world["alert"] = services.alert_raise(
        case=case, kind=AlertKind.CONCERN, description="A concern.", user=people["assessor"]
    )
    return world


def _url(world, name: str) -> str:
    ref, pk = world["inspection"].reference, world["case"].pk
    args = {
        "cases": [ref], "alerts": [ref], "moderation": [ref], "scores": [ref],
        "case": [ref, pk], "alert_raise": [ref, pk], "review": [ref, pk],
        **{f"view{n}": [ref, pk, n] for n in range(6)},
        "complete": [ref, pk], "allocate": [ref, pk],
        "answer": [ref, pk, "1.1.1"], "review_judgement": [ref, pk, "1.1.1"],
        "alert_resolve": [ref, world["alert"].pk],
    }[name]  # fmt: skip
    return reverse("casework:" + ("assess" if name.startswith("view") else name), args=args)


GET_CASES = [
    ("cases", expect(TEAM)),
    ("case", expect(SEES_CASE)),
    *[(f"view{n}", expect(SEES_CASE)) for n in range(6)],
    ("alert_raise", expect({"lead", "assistant", "assessor"}, {"sso"})),
    ("review", expect({"lead", "assistant"}, {"sso", "assessor"})),
    ("alerts", expect(HMIP, {"assessor", "other_assessor"})),
    ("moderation", expect({"lead", "assistant"}, {"sso", "assessor", "other_assessor"})),
    ("scores", expect(HMIP, {"assessor", "other_assessor"})),
]


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize(("name", "expected"), GET_CASES, ids=[c[0] for c in GET_CASES])
def test_get_pages_by_persona(client, world, name, expected, persona):
    client.force_login(world["people"][persona])
    response = client.get(_url(world, name))
    assert response.status_code == expected[persona]
    page = response.content.decode()
    assert cf.CHILD_FAMILY_NAME not in page
    assert cf.CHILD_FIRST_NAMES not in page
    if response.status_code == 200 and name not in ("alerts", "moderation", "scores"):
        assert ("HMIP-07" in page) == (persona in SEES_CASE)  # another local assessor: not their case


POST_CASES = [
    (
        "answer",
        {"value": "Insufficient", "expected_revision": "1"},
        expect({"lead", "assistant", "assessor"}, {"sso"}, 302),
    ),
    ("complete", {}, expect({"lead", "assistant", "assessor"}, {"sso"}, 422)),
    ("allocate", {"assessor": ""}, expect({"lead", "sso"}, {"assistant", "assessor", "other_assessor"}, 302)),
    (
        "review_judgement",
        {"reviewed_value": "Sufficient", "reason": ""},
        expect({"lead", "assistant"}, {"sso", "assessor"}, 302),
    ),
    ("alert_resolve", {"action_taken": "Done."}, expect({"lead"}, {"assistant", "sso", "assessor"}, 302)),
    (
        "alert_raise",
        {"kind": "alert", "description": "Urgent."},
        expect({"lead", "assistant", "assessor"}, {"sso"}, 302),
    ),
]


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize(("name", "data", "expected"), POST_CASES, ids=[c[0] for c in POST_CASES])
def test_post_actions_by_persona(client, world, name, data, expected, persona):
    client.force_login(world["people"][persona])
    response = client.post(_url(world, name), data)
    assert response.status_code == expected[persona]
    assert cf.CHILD_FAMILY_NAME not in response.content.decode()
    allowed = expected[persona] in (302, 422)
    changed = {
        "answer": lambda: Answer.objects.get(question_id="1.1.1").value == "Insufficient",
        "complete": lambda: False,  # nothing to change: the case has gaps
        "allocate": lambda: Case.objects.get(pk=world["case"].pk).assessor_id is None,
        "review_judgement": lambda: world["case"].assessment.reviews.filter(question_id="1.1.1").exists(),
        "alert_resolve": lambda: Alert.objects.get(pk=world["alert"].pk).status == "actioned",
        "alert_raise": lambda: Alert.objects.filter(description="Urgent.").exists(),
    }[name]()
    assert changed == (allowed and name != "complete")


def test_a_local_assessor_lists_only_their_own_cases(client, world):
    cf.case(world["inspection"], assessor=world["people"]["other_assessor"], reference="HMIP-11")
    cf.case(world["inspection"], reference="HMIP-12")
    url = _url(world, "cases")
    seen = {}
    for persona in ("lead", "sso", "assessor", "other_assessor"):
        client.force_login(world["people"][persona])
        page = client.get(url).content.decode()
        seen[persona] = [ref for ref in ("HMIP-07", "HMIP-11", "HMIP-12") if f">{ref}</a>" in page]
    assert seen == {
        "lead": ["HMIP-07", "HMIP-11", "HMIP-12"],
        "sso": ["HMIP-07", "HMIP-11", "HMIP-12"],
        "assessor": ["HMIP-07"],
        "other_assessor": ["HMIP-11"],
    }
