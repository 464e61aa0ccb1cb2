"""Week 2's evidence for the judgements (issue 14 §5: "the theme and module star judgements with their
evidence from cases and from week 2"): a confirmed session's inspectors (or the lead inspector) record
what it found and which judgements it informs; the FJI draft shows those findings beside the judgement
sections; only they may record it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casework.domain.bank import load_bank
from casework.domain.scores import score
from inspections.models import AuditEvent
from reports.domain.drafting import fji_sections
from scheduling import services_week2 as S
from scheduling.enums import Week2Status
from scheduling.tests.test_week2 import propose, world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(world):  # noqa: F811
    inspection, people = world
    session = propose(inspection, people["yot_manager"], "Focus group with case managers", attendees=[])
    S.week2_session_confirm(
        session=session, by=people["sso"], inspectors=[people["assistant"], people["partner"]], expected_revision=None
    )
    session.refresh_from_db()
    return inspection, people, session


def _record(session, by, findings="Case managers described little use of health assessments.", informs=None):
    session.refresh_from_db()
    return S.week2_findings_record(
        session=session, by=by, findings=findings, informs=informs or ["theme-child", "module-governance"],
        expected_revision=session.revision,
    )  # fmt: skip


def test_the_areas_are_the_themes_then_the_inspections_modules(confirmed):
    inspection, _people, _session = confirmed
    keys = [key for key, _label in S.judgement_areas_of(inspection)]
    assert keys[:4] == [f"theme-{t.key}" for t in load_bank().themes]
    assert keys[4:] == ["module-governance"]


def test_the_sessions_inspector_records_it_and_the_draft_shows_it_beside_the_judgement(confirmed):
    inspection, people, session = confirmed
    saved = _record(session, people["partner"])
    assert saved.findings_by == people["partner"] and saved.informs == ["theme-child", "module-governance"]
    assert AuditEvent.objects.filter(action="week2_findings_recorded").exists()
    evidence = S.week2_evidence(inspection)
    assert set(evidence) == {"theme-child", "module-governance"}
    line = evidence["theme-child"][0]
    assert line.startswith("Focus group with case managers, ") and "little use of health assessments" in line
    bank = load_bank()
    sections = {s.key: s for s in fji_sections(bank, score(bank, []), ["governance"], week2=evidence)}
    assert sections["theme-child"].prompts == (f"Fieldwork week 2: {line}",)
    assert sections["module-governance"].prompts == (f"Fieldwork week 2: {line}",)
    assert sections["theme-public"].prompts == ()


@pytest.mark.parametrize(
    ("findings", "informs", "field"),
    [("  ", ["theme-child"], "findings"), ("Found.", [], "informs"), ("Found.", ["module-court_work"], "informs")],
)
def test_each_field_is_checked_by_name(confirmed, findings, informs, field):
    _inspection, people, session = confirmed
    with pytest.raises(ValidationError) as refused:
        S.week2_findings_record(
            session=session, by=people["assistant"], findings=findings, informs=informs, expected_revision=None
        )
    assert field in refused.value.error_dict


def test_only_its_inspectors_or_the_lead_inspector_and_only_once_confirmed(confirmed):
    inspection, people, session = confirmed
    assert not S.may_record_findings(people["partner_ofsted"], session)  # not in the session
    assert not S.may_record_findings(people["sso"], session)
    assert S.may_record_findings(people["lead"], session)
    with pytest.raises(ValidationError, match="Only the session"):
        _record(session, people["partner_ofsted"])
    proposed = propose(inspection, people["yot_manager"], "Meeting with the board chair", window="10:15-11:15")
    assert proposed.status != Week2Status.CONFIRMED
    assert not S.may_record_findings(people["lead"], proposed)


def test_a_stale_form_is_refused(confirmed):
    _inspection, people, session = confirmed
    with pytest.raises(S.StaleSession):
        S.week2_findings_record(
            session=session, by=people["assistant"], findings="Found.", informs=["theme-child"],
            expected_revision=session.revision - 1,
        )  # fmt: skip


def _url(inspection, session):
    return reverse("scheduling:week2_findings", args=[inspection.reference, session.pk])


def test_recorded_from_the_page_and_a_gap_named(client, confirmed):
    inspection, people, session = confirmed
    client.force_login(people["assistant"])
    page = client.get(reverse("scheduling:week2", args=[inspection.reference])).content.decode()
    assert _url(inspection, session) in page and "Record what it found" in page
    response = client.post(_url(inspection, session), {"findings": "", "revision": session.revision})
    assert response.status_code == 400 and "Write what the session found." in response.content.decode()
    response = client.post(
        _url(inspection, session),
        {"findings": "Good links with the school nurse.", "informs": ["theme-child"], "revision": session.revision},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.findings == "Good links with the school nurse."


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("lead", 200), ("assistant", 200), ("partner", 200),
        ("partner_ofsted", 403), ("sso", 403), ("assessor", 403), ("yot_manager", 403),
        ("other_yot_manager", 404), ("other_partner", 404),
    ],
)  # fmt: skip
def test_who_may_open_the_findings_page(client, confirmed, persona, status):
    inspection, people, session = confirmed
    client.force_login(people[persona])
    assert client.get(_url(inspection, session)).status_code == status
    response = client.post(_url(inspection, session), {"findings": "X", "informs": ["theme-child"]})
    assert response.status_code == (302 if status == 200 else status)


# --- Sending the week 2 schedule to the lead inspector ----------------------------------------------


def test_the_yot_manager_sends_the_schedule_once_and_the_milestone_is_done(client, world):  # noqa: F811
    from inspections.models import Notification
    from inspections.services import milestone_done_keys

    inspection, people = world
    client.force_login(people["yot_manager"])
    send = reverse("scheduling:week2_send", args=[inspection.reference])
    client.post(send)
    assert "week2_schedule_due" not in milestone_done_keys(inspection)  # nothing proposed yet
    propose(inspection, people["yot_manager"])
    assert client.post(send).status_code == 302
    assert "week2_schedule_due" in milestone_done_keys(inspection)
    assert Notification.objects.filter(kind="week2_schedule_sent", recipient=people["lead"]).exists()
    client.post(send)  # a second click sends nothing more
    assert Notification.objects.filter(kind="week2_schedule_sent", recipient=people["lead"]).count() == 1
    page = client.get(reverse("scheduling:week2", args=[inspection.reference])).content.decode()
    assert "Sent to the lead inspector" in page


@pytest.mark.parametrize("persona", ["lead", "sso", "partner", "assessor"])
def test_only_the_yot_manager_sends_it(client, world, persona):  # noqa: F811
    inspection, people = world
    propose(inspection, people["yot_manager"])
    client.force_login(people[persona])
    response = client.post(reverse("scheduling:week2_send", args=[inspection.reference]))
    assert response.status_code == 403
    assert not inspection.milestone_completions.filter(key="week2_schedule_due").exists()
