"""Disagreements between the inspectors on a judgement or the report's text (issue 14 §5; seed 001 §12):
raised by anyone on the team (a partner inspector above all), referred by the lead inspector to the
quality assurance managers then to senior managers, settled with what was agreed; every step kept,
the right people told; sending and publishing are not held up but say so; the YOT never sees them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from inspections.enums import Status, TeamRole
from inspections.models import AuditEvent, Notification
from inspections.tests import factories as f
from reports import disputes
from reports.enums import DisputeLevel, DisputeStatus, ReportStage
from reports.models import EditorialDispute, Report, ReportSection
from reports.tests.factories import world as report_world
from reports.views import confirm_publish_context, confirm_send_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def fji():
    inspection, people = report_world(programme="fji")
    people["partner"] = f.member(inspection, TeamRole.PARTNER_INSPECTOR)
    report = Report.objects.create(inspection=inspection)
    section = ReportSection.objects.create(
        report=report, key="theme-public", kind="judgement", title="Protecting the public", position=1
    )
    return {"inspection": inspection, "people": people, "report": report, "section": section}


def _raise(fji, by="partner", matter="Two stars understates the risk work I saw."):
    return disputes.dispute_raise(report=fji["report"], by=fji["people"][by], matter=matter, section=fji["section"])


def test_a_partner_raises_one_and_the_lead_inspector_is_told(fji):
    dispute = _raise(fji)
    assert (dispute.level, dispute.status) == (DisputeLevel.TEAM, DisputeStatus.OPEN)
    assert [s.level for s in dispute.steps.all()] == [DisputeLevel.TEAM]
    told = Notification.objects.get(kind="editorial_dispute_raised")
    assert told.recipient == fji["people"]["lead"] and "Two stars understates" in told.body
    assert AuditEvent.objects.filter(action="editorial_dispute_raised").exists()


def test_referred_in_order_then_settled_with_every_step_kept(fji):
    lead, partner = fji["people"]["lead"], fji["people"]["partner"]
    dispute = _raise(fji)
    dispute = disputes.dispute_refer(dispute=dispute, by=lead, note="Not agreed; to the QA managers.")
    assert dispute.level == DisputeLevel.QUALITY
    dispute = disputes.dispute_refer(dispute=dispute, by=lead, note="Still not agreed.")
    assert dispute.level == DisputeLevel.SENIOR
    with pytest.raises(ValidationError, match="last step"):
        disputes.dispute_refer(dispute=dispute, by=lead, note="Again")
    dispute = disputes.dispute_settle(dispute=dispute, by=lead, outcome="Three stars, with the risk work named.")
    assert dispute.status == DisputeStatus.RESOLVED and dispute.resolved_by == lead
    assert [(s.level, s.resolved) for s in dispute.steps.all()] == [
        (DisputeLevel.TEAM, False), (DisputeLevel.QUALITY, False), (DisputeLevel.SENIOR, False),
        (DisputeLevel.SENIOR, True),
    ]  # fmt: skip
    assert Notification.objects.filter(recipient=partner, kind="editorial_dispute_referred").count() == 2
    settled = Notification.objects.get(recipient=partner, kind="editorial_dispute_settled")
    assert "Three stars, with the risk work named." in settled.body
    with pytest.raises(ValidationError, match="already been settled"):
        disputes.dispute_settle(dispute=dispute, by=lead, outcome="Again")


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda fji, d: disputes.dispute_refer(dispute=d, by=fji["people"]["lead"], note=" "), "note"),
        (lambda fji, d: disputes.dispute_settle(dispute=d, by=fji["people"]["lead"], outcome=""), "note"),
    ],
)
def test_each_step_needs_its_words(fji, call, field):
    dispute = _raise(fji)
    with pytest.raises(ValidationError) as refused:
        call(fji, dispute)
    assert field in refused.value.error_dict


def test_nothing_to_raise_and_nothing_after_publication(fji):
    with pytest.raises(ValidationError) as refused:
        _raise(fji, matter="  ")
    assert "matter" in refused.value.error_dict
    fji["report"].stage = ReportStage.PUBLISHED
    fji["report"].save()
    with pytest.raises(ValidationError, match="published"):
        _raise(fji)
    assert not EditorialDispute.objects.exists()


def test_open_ones_do_not_stop_sending_or_publishing_but_are_named(fji):
    assert "disagreement" not in confirm_send_context(fji["inspection"], fji["report"])["warning"]
    _raise(fji)
    send = confirm_send_context(fji["inspection"], fji["report"])
    assert "1 disagreement between the inspectors is still open." in send["warning"]
    assert not any("disagreement" in p for p in send["problems"])
    publish = confirm_publish_context(fji["inspection"], fji["report"])
    assert "still open" in publish["warning"]


# --- The pages -----------------------------------------------------------------------------------


def _url(fji, name="reports:disputes", *args):
    return reverse(name, args=[fji["inspection"].reference, *args])


def test_raised_from_the_page_and_the_form_keeps_what_was_typed(client, fji):
    client.force_login(fji["people"]["partner"])
    response = client.post(_url(fji), {"section": str(fji["section"].pk), "matter": ""})
    assert response.status_code == 400 and "Say what you do not agree with and why." in response.content.decode()
    response = client.post(_url(fji), {"section": str(fji["section"].pk), "matter": "The text misreads case 3."})
    dispute = EditorialDispute.objects.get()
    assert response["Location"] == _url(fji, "reports:dispute", dispute.pk)
    page = client.get(_url(fji, "reports:dispute", dispute.pk)).content.decode()
    assert "The text misreads case 3." in page and "Record the next step" not in page  # the partner cannot settle


def test_the_lead_inspector_refers_and_settles_on_the_page(client, fji):
    dispute = _raise(fji)
    client.force_login(fji["people"]["lead"])
    url = _url(fji, "reports:dispute", dispute.pk)
    assert client.post(url, {"action": "refer", "note": ""}).status_code == 400
    assert client.post(url, {"action": "refer", "note": "To QA."}).status_code == 302
    assert client.post(url, {"action": "settle", "note": "Agreed wording."}).status_code == 302
    dispute.refresh_from_db()
    assert (dispute.level, dispute.status, dispute.outcome) == (DisputeLevel.QUALITY, "resolved", "Agreed wording.")
    draft = client.get(_url(fji, "reports:draft")).content.decode()
    assert "Disagreements on the report" in draft


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("lead", 200), ("assistant", 200), ("sso", 200), ("assessor", 200), ("partner", 200),
        ("yot_manager", 403), ("stranger", 404),
    ],
)  # fmt: skip
def test_who_may_see_them(client, fji, persona, status):
    dispute = _raise(fji)
    f.force_status(fji["inspection"], Status.FACTUAL_ACCURACY)
    client.force_login(fji["people"][persona])
    assert client.get(_url(fji)).status_code == status
    assert client.get(_url(fji, "reports:dispute", dispute.pk)).status_code == status


@pytest.mark.parametrize("persona", ["assistant", "sso", "assessor", "partner", "yot_manager", "stranger"])
def test_only_the_lead_inspector_records_the_next_step(client, fji, persona):
    dispute = _raise(fji, by="assistant" if persona != "assistant" else "partner")
    client.force_login(fji["people"][persona])
    response = client.post(_url(fji, "reports:dispute", dispute.pk), {"action": "settle", "note": "Agreed."})
    assert response.status_code == {"yot_manager": 403, "stranger": 404}.get(persona, 403)
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.OPEN


def test_a_partner_of_another_inspection_cannot_see_them(client, fji):
    dispute = _raise(fji)
    other, _people = report_world(programme="fji", name="Elsewhere")
    outsider = f.member(other, TeamRole.PARTNER_INSPECTOR)
    client.force_login(outsider)
    assert client.get(_url(fji, "reports:dispute", dispute.pk)).status_code == 404
