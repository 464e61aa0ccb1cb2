"""The FJI improvement plan (issue 14 §6): the YOT sends versions (late ones accepted and marked),
HMI Probation's lead inspector and the YJB contact (through a private link) each approve or return
the newest version with comments, every version and decision is kept, the right people are told,
the deadline's reminders keep going after publication until a plan is sent, and who may see and do
what (the wrong user gets 403/404; the link works for its version only)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from inspections.enums import ContactRole, Status, TeamRole
from inspections.models import AuditEvent, Contact, Notification
from inspections.reminders import live_inspections, reminders_send
from inspections.tests import factories as f
from reports import improvement
from reports.enums import PlanDecider, PlanDecisionKind, PlanStatus
from reports.models import ImprovementPlanDecision, ImprovementPlanVersion
from reports.tests.factories import world as report_world

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% an improvement plan\n"


@pytest.fixture
def fji():
    inspection, people = report_world(programme="fji", status=Status.FACTUAL_ACCURACY)
    people["partner"] = f.member(inspection, TeamRole.PARTNER_INSPECTOR)
    yjb = Contact.objects.create(
        inspection=inspection, role=ContactRole.YJB, name="Yasmin Jones", email="yasmin@yjb.example.gov.uk"
    )
    return {"inspection": inspection, "people": people, "yjb": yjb}


def _send(fji, data=PDF, name="plan.pdf", **kwargs):
    return improvement.plan_send(
        inspection=fji["inspection"], by=fji["people"]["yot_manager"], data=data, filename=name, **kwargs
    )


def _review_token(version) -> str:
    body = Notification.objects.get(kind="improvement_plan_review", key__contains=f":{version.pk}:").body
    return re.search(r"/improvement-plan-review/([^/\s]+)/", body).group(1)


def _url(fji, name="reports:improvement_plan", *args):
    return reverse(name, args=[fji["inspection"].reference, *args])


# --- Sending -------------------------------------------------------------------------------------


def test_a_version_is_kept_the_milestone_is_done_and_the_lead_and_the_yjb_are_told(fji):
    version = _send(fji, note="Actions for each recommendation.")
    plan = version.plan
    assert (plan.status, version.number, version.late) == (PlanStatus.SUBMITTED, 1, False)
    assert version.file.read() == PDF and version.content_type == "application/pdf"
    assert "improvement_plan_due" in {c.key for c in fji["inspection"].milestone_completions.all()}
    assert Notification.objects.filter(kind="improvement_plan_sent", recipient=fji["people"]["lead"]).exists()
    review = Notification.objects.get(kind="improvement_plan_review")
    assert review.to_email == "yasmin@yjb.example.gov.uk" and "/improvement-plan-review/" in review.body
    assert AuditEvent.objects.filter(action="improvement_plan_sent", detail__version=1).exists()
    assert _send(fji).number == 2  # versions count up; the first is kept
    assert ImprovementPlanVersion.objects.filter(plan=plan).count() == 2


def test_a_plan_after_the_deadline_is_accepted_and_marked_late(fji):
    late = improvement.plan_due(fji["inspection"]) + dt.timedelta(days=1)
    assert _send(fji, now=late).late


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "plan.pdf", "The file is empty."),
        (b"not a pdf", "plan.pdf", "Send the plan as a PDF"),
        (PDF, "plan.exe", "Send the plan as a PDF"),
        (b"%PDF-" + b"x" * improvement.MAX_BYTES, "plan.pdf", "larger than 20 MB"),
    ],
)
def test_a_file_that_is_not_a_plan_is_refused_with_the_reason_and_nothing_is_kept(fji, data, name, message):
    with pytest.raises(ValidationError) as refused:
        _send(fji, data=data, name=name)
    assert message in " ".join(refused.value.messages)
    assert not ImprovementPlanVersion.objects.exists()


def test_no_plan_before_the_draft_report_reaches_the_yot(fji):
    f.force_status(fji["inspection"], Status.DRAFT_REPORT)
    with pytest.raises(ValidationError, match="once the draft report has come to you"):
        _send(fji)


# --- Deciding ------------------------------------------------------------------------------------


def _decide(version, decider, kind, comments="", **kwargs):
    return improvement.plan_decide(version=version, decider=decider, kind=kind, comments=comments, **kwargs)


def test_approved_only_when_both_hmi_probation_and_the_yjb_approve(fji):
    version = _send(fji)
    _decide(version, PlanDecider.HMIP, PlanDecisionKind.APPROVE, by_user=fji["people"]["lead"])
    version.plan.refresh_from_db()
    assert version.plan.status == PlanStatus.SUBMITTED  # the YJB has not decided yet
    assert Notification.objects.filter(kind="improvement_plan_approved").count() == 0
    _decide(version, PlanDecider.YJB, PlanDecisionKind.APPROVE, by_name="Yasmin Jones")
    version.plan.refresh_from_db()
    assert version.plan.status == PlanStatus.APPROVED and version.plan.approved_at
    assert Notification.objects.filter(
        kind="improvement_plan_approved", recipient=fji["people"]["yot_manager"]
    ).exists()
    with pytest.raises(ValidationError, match="approved"):
        _send(fji)


def test_returned_by_either_side_with_comments_then_a_new_version_starts_again(fji):
    version = _send(fji)
    with pytest.raises(ValidationError) as refused:
        _decide(version, PlanDecider.YJB, PlanDecisionKind.RETURN, comments="  ", by_name="Yasmin Jones")
    assert "comments" in refused.value.error_dict
    _decide(version, PlanDecider.YJB, PlanDecisionKind.RETURN, comments="Add dates to action 3.", by_name="Y J")
    version.plan.refresh_from_db()
    assert version.plan.status == PlanStatus.RETURNED
    returned = Notification.objects.get(kind="improvement_plan_returned", recipient=fji["people"]["yot_manager"])
    assert "Add dates to action 3." in returned.body
    second = _send(fji)
    second.plan.refresh_from_db()
    assert second.plan.status == PlanStatus.SUBMITTED
    with pytest.raises(ValidationError, match="newer version"):
        _decide(version, PlanDecider.HMIP, PlanDecisionKind.APPROVE, by_user=fji["people"]["lead"])


def test_a_side_decides_once_per_version(fji):
    version = _send(fji)
    _decide(version, PlanDecider.HMIP, PlanDecisionKind.APPROVE, by_user=fji["people"]["lead"])
    with pytest.raises(ValidationError, match="already been recorded"):
        _decide(version, PlanDecider.HMIP, PlanDecisionKind.RETURN, comments="No", by_user=fji["people"]["lead"])
    assert ImprovementPlanDecision.objects.count() == 1


# --- Reminders after publication -----------------------------------------------------------------


def test_the_deadline_is_reminded_after_publication_until_a_plan_is_sent(fji):
    inspection = fji["inspection"]
    f.force_status(inspection, Status.PUBLISHED)
    assert inspection in live_inspections()
    after = improvement.plan_due(inspection) + dt.timedelta(days=5)  # past the next working day
    reminders_send(now=after)
    reminder = Notification.objects.filter(kind__startswith="reminder_", key__contains="improvement_plan_due")
    assert reminder.filter(recipient=fji["people"]["yot_manager"]).exists()
    assert reverse("reports:improvement_plan", args=[inspection.reference]) in reminder.first().body
    _send(fji)
    assert inspection not in live_inspections()


def test_a_published_sqs_is_not_reminded():
    inspection, _people = report_world(programme="sqs", status=Status.PUBLISHED)
    assert inspection not in live_inspections()


# --- The pages -----------------------------------------------------------------------------------


def test_the_yot_manager_sends_a_version_from_the_page(client, fji):
    client.force_login(fji["people"]["yot_manager"])
    response = client.post(_url(fji), {"upload": SimpleUploadedFile("Our plan.pdf", PDF), "note": "Draft 1"})
    assert response.status_code == 302
    page = client.get(_url(fji)).content.decode()
    assert "Version 1 of the improvement plan is sent." in page and "Sent: being considered" in page
    download = client.get(_url(fji, "reports:improvement_plan_download", 1))
    assert b"".join(download.streaming_content) == PDF


def test_a_refused_file_names_the_problem_and_keeps_the_note(client, fji):
    client.force_login(fji["people"]["yot_manager"])
    response = client.post(_url(fji), {"upload": SimpleUploadedFile("plan.txt", b"hello"), "note": "Keep me"})
    page = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in page and "Send the plan as a PDF" in page
    assert "Keep me" in page


def test_the_lead_inspector_returns_a_version_with_comments_on_the_page(client, fji):
    _send(fji)
    client.force_login(fji["people"]["lead"])
    response = client.post(_url(fji), {"decide": "1", "kind": "return", "comments": ""})
    assert response.status_code == 400 and "Say what the YOT should change in the plan." in response.content.decode()
    response = client.post(_url(fji), {"decide": "1", "kind": "return", "comments": "Action 2 has no owner."})
    assert response.status_code == 302
    assert "Action 2 has no owner." in client.get(_url(fji)).content.decode()


def test_the_lead_inspector_is_warned_when_no_yjb_contact_is_recorded(client, fji):
    fji["yjb"].delete()
    client.force_login(fji["people"]["lead"])
    assert "No Youth Justice Board contact is recorded" in client.get(_url(fji)).content.decode()


def test_the_yjb_contact_decides_through_the_private_link_without_an_account(client, fji):
    version = _send(fji)
    token = _review_token(version)
    url = reverse("reports_plan_review:review", args=[token])
    page = client.get(url).content.decode()
    assert "Improvement plan, version 1" in page and 'value="Yasmin Jones"' in page
    assert b"".join(client.get(reverse("reports_plan_review:download", args=[token])).streaming_content) == PDF
    response = client.post(url, {"kind": "approve", "comments": "", "name": "Yasmin Jones"})
    assert response.status_code == 302
    assert "Decision recorded" in client.get(url).content.decode()
    decision = ImprovementPlanDecision.objects.get(decider=PlanDecider.YJB)
    assert (decision.kind, decision.by_name, decision.by_user) == ("approve", "Yasmin Jones", None)
    assert Notification.objects.filter(kind="improvement_plan_yjb", recipient=fji["people"]["lead"]).exists()


def test_a_link_ends_with_a_newer_version_expiry_and_is_never_guessable(client, fji):
    first = _send(fji)
    token = _review_token(first)
    second = _send(fji)
    assert client.get(reverse("reports_plan_review:review", args=[token])).status_code == 404
    assert client.get(reverse("reports_plan_review:download", args=[token])).status_code == 404
    fresh = _review_token(second)
    assert improvement.review_link(fresh, now=timezone.now() + dt.timedelta(days=improvement.LINK_DAYS + 1)) is None
    assert client.get(reverse("reports_plan_review:review", args=["not-a-token"])).status_code == 404
    assert fresh not in "".join(second.review_links.values_list("token_hash", flat=True))  # only a hash is kept


# --- Who may see and do what ---------------------------------------------------------------------

PERSONAS = ["lead", "assistant", "sso", "assessor", "partner", "yot_manager", "stranger"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("lead", 200), ("assistant", 200), ("sso", 200), ("yot_manager", 200),
        ("assessor", 403), ("partner", 403), ("stranger", 404),
    ],
)  # fmt: skip
def test_who_may_see_the_plan_and_its_files(client, fji, persona, status):
    _send(fji)
    client.force_login(fji["people"][persona])
    assert client.get(_url(fji)).status_code == status
    assert client.get(_url(fji, "reports:improvement_plan_download", 1)).status_code == status


@pytest.mark.parametrize("persona", ["lead", "assistant", "sso", "assessor", "partner", "stranger"])
def test_only_the_yot_manager_sends(client, fji, persona):
    client.force_login(fji["people"][persona])
    response = client.post(_url(fji), {"upload": SimpleUploadedFile("plan.pdf", PDF)})
    assert response.status_code == (404 if persona == "stranger" else 403)
    assert not ImprovementPlanVersion.objects.exists()


@pytest.mark.parametrize("persona", ["assistant", "sso", "assessor", "partner", "yot_manager", "stranger"])
def test_only_the_lead_inspector_decides_for_hmi_probation(client, fji, persona):
    _send(fji)
    client.force_login(fji["people"][persona])
    response = client.post(_url(fji), {"decide": "1", "kind": "approve"})
    assert response.status_code == (404 if persona == "stranger" else 403)
    assert not ImprovementPlanDecision.objects.exists()


def test_an_sqs_has_no_improvement_plan_page(client):
    inspection, people = report_world(programme="sqs", status=Status.FACTUAL_ACCURACY)
    client.force_login(people["lead"])
    assert client.get(reverse("reports:improvement_plan", args=[inspection.reference])).status_code == 404


def test_the_lead_inspector_has_a_task_to_decide(client, fji):
    from inspections.selectors import inspections_for_tasks
    from reports.todo import report_tasks

    _send(fji)
    lead = fji["people"]["lead"]
    titles = [t.title for t in report_tasks(lead, inspections_for_tasks(lead))]
    assert "Decide on the improvement plan, version 1" in titles


def test_a_partner_inspector_of_another_inspection_gets_404(client, fji):
    _send(fji)
    other, _people = report_world(programme="fji", name="Elsewhere")
    outsider = f.member(other, TeamRole.PARTNER_INSPECTOR)
    client.force_login(outsider)
    assert client.get(_url(fji)).status_code == 404
    assert client.get(_url(fji, "reports:improvement_plan_download", 1)).status_code == 404
