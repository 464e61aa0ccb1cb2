"""The assessor's pages through the Django test client: one page per view, saving with htmx and
without JavaScript, conflicts between two people, completion, alerts, allocation, moderation,
scores and the ``scores`` command; and a view page's query count, whatever has been answered."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.enums import AlertStatus
from casework.models import Alert, Answer, Assessment, Case
from casework.services import assessment as services
from casework.tests import factories as cf
from inspections.enums import Country, Programme

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world():
    world = cf.team()
    world["assessment"] = services.assessment_start(case=world["case"], user=world["people"]["assessor"])
    return world


def view_url(world, view: int) -> str:
    return reverse("casework:assess", args=[world["inspection"].reference, world["case"].pk, view])


def answer_url(world, question_id: str) -> str:
    return reverse("casework:answer", args=[world["inspection"].reference, world["case"].pk, question_id])


def revision_on_page(page: str, slug: str) -> str:
    return re.search(rf'id="rev-{slug}" name="expected_revision" value="(\d+)"', page).group(1)


def as_(client, world, persona):
    client.force_login(world["people"][persona])
    return client


# --- The view pages ------------------------------------------------------------------------


def test_a_view_page_shows_the_case_and_only_the_questions_asked(client, world):
    page = as_(client, world, "assessor").get(view_url(world, 0)).content.decode()
    assert '<h1 class="govuk-heading-l">View 0: Details</h1>' in page
    assert "HMIP-07" in page and "Referral Order (Community)" in page
    assert 'id="question-3b"' in page and 'value="England" checked' in page  # prefilled from the inspection
    assert 'id="question-9a"' not in page  # Wales only
    assert 'id="question-14"' not in page  # FJI only
    assert "Guidance for 3b" in page and "govuk-details" in page
    assert cf.CHILD_FAMILY_NAME not in page
    view1 = client.get(view_url(world, 1)).content.decode()
    assert "1.1.1 · Judgement</span> Have sufficient efforts been made" in view1
    assert "1.20a · Narrative (optional)</span>" in view1
    assert 'type="radio" value="Sufficient">' in view1 and 'id="question-1-1-3"' not in view1  # 1.1.3 not asked yet


def test_a_wales_fji_case_asks_the_welsh_and_module_questions(client):
    world = cf.team(programme=Programme.FJI, country=Country.WALES)
    services.assessment_start(case=world["case"], user=world["people"]["assessor"])
    page = as_(client, world, "assessor").get(view_url(world, 0)).content.decode()
    assert 'id="question-9a"' in page and 'id="question-14"' in page
    assert 'value="Court Work" checked' in page


def test_answering_without_javascript_redirects_back_to_the_question(client, world):
    as_(client, world, "assessor")
    response = client.post(answer_url(world, "1.1.1"), {"value": "Sufficient", "expected_revision": "0"})
    assert response.status_code == 302
    assert response["Location"] == view_url(world, 1) + "?saved=1.1.1#question-1-1-1"
    page = client.get(response["Location"]).content.decode()
    assert 'data-saved="1.1.1"' in page
    assert Answer.objects.get(question_id="1.1.1").value == "Sufficient"


def test_answering_with_htmx_returns_the_saved_state_and_the_new_revision(client, world):
    as_(client, world, "assessor")
    response = client.post(answer_url(world, "1.1.1"), {"value": "Sufficient", "expected_revision": "0"}, **HTMX)
    assert response.status_code == 200
    assert "HX-Retarget" not in response
    body = response.content.decode()
    assert 'data-saved="1.1.1"' in body
    assert '<input type="hidden" id="rev-1-1-1" name="expected_revision" value="1" hx-swap-oob="true">' in body
    assert '<div id="save-status" hx-swap-oob="innerHTML">Answer to 1.1.1 saved.</div>' in body


def test_an_htmx_answer_that_changes_the_route_rerenders_the_question_list(client, world):
    as_(client, world, "assessor")
    response = client.post(answer_url(world, "1.1.1"), {"value": "Insufficient", "expected_revision": "0"}, **HTMX)
    assert (response.status_code, response["HX-Retarget"], response["HX-Reswap"]) == (200, "#questions", "outerHTML")
    body = response.content.decode()
    assert body.startswith('<div id="questions">')
    assert 'id="question-1-1-3"' in body  # the explanation now asked


def test_an_invalid_answer_is_shown_on_its_question_with_what_was_typed(client, world):
    as_(client, world, "assessor")
    response = client.post(answer_url(world, "5"), {"value": "fifteen", "expected_revision": "0"}, **HTMX)
    assert (response.status_code, response["HX-Retarget"]) == (422, "#question-5")
    body = response.content.decode()
    assert "5: enter a number, for example 15" in body and 'value="fifteen"' in body

    response = client.post(answer_url(world, "5"), {"value": "fifteen", "expected_revision": "0"})
    page = response.content.decode()
    assert response.status_code == 422
    assert '<a href="#q-5">5: enter a number, for example 15</a>' in page  # the error summary
    assert 'value="fifteen"' in page
    assert not Answer.objects.filter(question_id="5").exists()


# --- Two people, one case -------------------------------------------------------------------


def test_concurrent_edits_the_second_sees_a_conflict_and_keeps_what_they_typed(world):
    first, second = Client(), Client()
    first.force_login(world["people"]["assessor"])
    second.force_login(world["people"]["assistant"])
    revision_first = revision_on_page(first.get(view_url(world, 1)).content.decode(), "1-20a")
    revision_second = revision_on_page(second.get(view_url(world, 1)).content.decode(), "1-20a")
    assert revision_first == revision_second == "0"

    saved = first.post(
        answer_url(world, "1.20a"), {"value": "The assessor's summary.", "expected_revision": revision_first}
    )
    assert saved.status_code == 302
    clash = second.post(
        answer_url(world, "1.20a"), {"value": "The inspector's summary.", "expected_revision": revision_second}
    )
    page = clash.content.decode()
    assert clash.status_code == 409
    assert "saved a different answer to 1.20a" in page
    assert "Their answer: <strong>The assessor&#x27;s summary.</strong>" in page
    assert "Your answer, still in the form below: <strong>The inspector&#x27;s summary.</strong>" in page
    assert ">The inspector&#x27;s summary.</textarea>" in page  # nothing typed is lost
    assert Answer.objects.get(question_id="1.20a").value == "The assessor's summary."

    # The second person chooses to overwrite: the form now carries the revision they have seen.
    assert revision_on_page(page, "1-20a") == "1"
    overwrite = second.post(answer_url(world, "1.20a"), {"value": "The inspector's summary.", "expected_revision": "1"})
    assert overwrite.status_code == 302
    assert Answer.objects.get(question_id="1.20a").value == "The inspector's summary."


def test_concurrent_edits_with_htmx_return_the_conflicted_question(world):
    first, second = Client(), Client()
    first.force_login(world["people"]["assessor"])
    second.force_login(world["people"]["assistant"])
    first.post(answer_url(world, "1.1.1"), {"value": "Sufficient", "expected_revision": "0"}, **HTMX)
    clash = second.post(answer_url(world, "1.1.1"), {"value": "Insufficient", "expected_revision": "0"}, **HTMX)
    body = clash.content.decode()
    assert (clash.status_code, clash["HX-Retarget"]) == (409, "#question-1-1-1")
    assert 'value="Insufficient" checked' in body and 'value="Sufficient" checked' not in body
    assert "Save my answer instead" in body and 'hx-trigger="submit"' in body


# --- Completion ------------------------------------------------------------------------------


def test_completing_with_gaps_lists_each_problem_with_a_link_to_its_question(client, world):
    as_(client, world, "assessor")
    client.post(answer_url(world, "1.1.1"), {"value": "Insufficient", "expected_revision": "0"})
    response = client.post(reverse("casework:complete", args=[world["inspection"].reference, world["case"].pk]))
    page = response.content.decode()
    assert response.status_code == 422
    assert "The case cannot be completed yet" in page
    link = (
        f'<a href="{view_url(world, 1)}#q-1-1-3" data-problem="1.1.3">'
        "View 1 – 1.1.3: choose at least one reason why 1.1.1 was Insufficient</a>"
    )
    assert link in page
    assert f'<a href="{view_url(world, 0)}#q-1" data-problem="1">View 0 – 1: enter an answer</a>' in page
    assert Assessment.objects.get(pk=world["assessment"].pk).completed_at is None


def test_the_task_list_shows_each_views_status(client, world):
    as_(client, world, "assessor")
    client.post(answer_url(world, "1.1.1"), {"value": "Insufficient", "expected_revision": "0"})
    page = client.get(reverse("casework:case", args=[world["inspection"].reference, world["case"].pk])).content.decode()
    statuses = re.findall(r'id="view-(\d)-status">(.*?)</div>', page, re.S)
    shown = {view: re.sub(r"<[^>]+>", "", status).strip() for view, status in statuses}
    assert shown == {
        "0": "In progress", "1": "Has problems", "2": "Not started", "3": "No questions for this case",
        "4": "Not started", "5": "Not started",
    }  # fmt: skip


# --- Query count -----------------------------------------------------------------------------


def answer_all(assessment, user):
    """Answer every question on the route (judgements Insufficient, so explanations appear too)."""
    for _ in range(12):
        state = services.case_state(assessment.case, assessment)
        todo = [qid for qid in state.route.asked if not state.is_answered(qid)]
        if not todo:
            return state
        for qid in todo:
            question = state.bank.question(qid)
            if question.kind == "judgement":
                # worded answers (4.18.1) count as a verdict: the first that counts as Insufficient
                value = next(o for o in question.options if question.verdict(o) == "Insufficient")
                if question.per_answer_of:  # 3.7.1, 4.12: one answer per factor chosen at 2.1.0
                    value = {factor: value for factor in state.route.factors[qid]}
            elif question.input == "choice":
                value = [question.options[-1]] if question.multiple else question.options[0]
            else:
                value = "3" if question.input == "number" else "Written."
            current = Answer.objects.filter(assessment=assessment, question_id=qid).first()
            services.assessment_answer(
                assessment=assessment,
                question_id=qid,
                value=value,
                user=user,
                expected_revision=current.revision if current else 0,
            )
    raise AssertionError("answering did not settle")


def test_a_view_pages_query_count_does_not_grow_with_the_answers(client):
    world = cf.team(programme=Programme.FJI, country=Country.WALES, modules=["court_work", "interventions"])
    assessor = world["people"]["assessor"]
    assessment = services.assessment_start(case=world["case"], user=assessor)
    client.force_login(assessor)
    ref, pk = world["inspection"].reference, world["case"].pk
    client.get(reverse("casework:assess", args=[ref, pk, 0]))  # warm the bank and template caches
    counts = {}
    for label in ("empty", "full"):
        if label == "full":
            full = answer_all(assessment, assessor)
        for view in range(6):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(reverse("casework:assess", args=[ref, pk, view]))
            counts[label, view] = len(queries.captured_queries)
    busiest = max(full.views, key=lambda v: v.asked)
    page = client.get(reverse("casework:assess", args=[ref, pk, busiest.id])).content.decode()
    assert busiest.asked >= 20
    assert page.count('data-answered="true"') == busiest.asked
    assert response.status_code == 200
    assert len(set(counts.values())) == 1, counts


# --- Alerts, allocation, moderation, scores ----------------------------------------------------


def test_an_alert_raised_on_a_case_is_listed_for_the_lead_inspector_until_actioned(client, world):
    ref, pk = world["inspection"].reference, world["case"].pk
    as_(client, world, "assessor")
    response = client.post(
        reverse("casework:alert_raise", args=[ref, pk]), {"kind": "alert", "description": "Urgent safeguarding gap."}
    )
    assert response.status_code == 302
    alert = Alert.objects.get()
    as_(client, world, "lead")
    cases_page = client.get(reverse("casework:cases", args=[ref])).content.decode()
    assert "1 case has an open Concern or Alert." in cases_page and "Open alert" in cases_page
    alerts_page = client.get(reverse("casework:alerts", args=[ref])).content.decode()
    assert "Urgent safeguarding gap." in alerts_page and "Record the action taken" in alerts_page
    client.post(
        reverse("casework:alert_resolve", args=[ref, alert.pk]), {"action_taken": "Manager briefed; plan revised."}
    )
    alert.refresh_from_db()
    assert (alert.status, alert.action_taken) == (AlertStatus.ACTIONED, "Manager briefed; plan revised.")
    assert "Open alert" not in client.get(reverse("casework:cases", args=[ref])).content.decode()


def test_the_lead_inspector_allocates_a_case_from_the_case_list(client, world):
    ref = world["inspection"].reference
    spare = cf.case(world["inspection"], reference="HMIP-20")
    as_(client, world, "lead")
    page = client.get(reverse("casework:cases", args=[ref])).content.decode()
    assert f'id="assessor-{spare.pk}"' in page
    client.post(reverse("casework:allocate", args=[ref, spare.pk]), {"assessor": world["people"]["other_assessor"].pk})
    assert Case.objects.get(pk=spare.pk).assessor == world["people"]["other_assessor"]
    response = client.post(
        reverse("casework:allocate", args=[ref, spare.pk]), {"assessor": world["people"]["yot_manager"].pk}
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=spare.pk).assessor == world["people"]["other_assessor"]  # not on the team: refused


def test_the_supervisor_changes_a_judgement_and_moderation_shows_the_agreement_rate(client, world):
    ref, pk = world["inspection"].reference, world["case"].pk
    as_(client, world, "assessor")
    client.post(answer_url(world, "1.1.1"), {"value": "Sufficient", "expected_revision": "0"})
    client.post(answer_url(world, "1.10.1"), {"value": "Sufficient", "expected_revision": "0"})
    as_(client, world, "assistant")
    missing_reason = client.post(
        reverse("casework:review_judgement", args=[ref, pk, "1.1.1"]), {"reviewed_value": "Insufficient", "reason": ""}
    )
    assert missing_reason.status_code == 422
    assert "1.1.1: give the reason for changing the judgement" in missing_reason.content.decode()
    client.post(
        reverse("casework:review_judgement", args=[ref, pk, "1.1.1"]),
        {"reviewed_value": "Insufficient", "reason": "Offence analysis missing."},
    )
    client.post(
        reverse("casework:review_judgement", args=[ref, pk, "1.10.1"]), {"reviewed_value": "Sufficient", "reason": ""}
    )
    review_page = client.get(reverse("casework:review", args=[ref, pk])).content.decode()
    assert "Changed to Insufficient" in review_page and "Offence analysis missing." in review_page
    page = client.get(reverse("casework:moderation", args=[ref])).content.decode()
    assert '<td class="govuk-table__cell govuk-table__cell--numeric" data-agreement="assessor">50.0%</td>' in page


def test_the_scores_page_and_command_agree(client, world):
    ref = world["inspection"].reference
    user = world["people"]["assessor"]
    for qid, value in {"1.1.1": "Sufficient", "1.10.1": "Insufficient", "2.8.1": "N/A"}.items():
        services.assessment_answer(
            assessment=world["assessment"], question_id=qid, value=value, user=user, expected_revision=0
        )
    Assessment.objects.filter(pk=world["assessment"].pk).update(completed_at=timezone.now())
    out = StringIO()
    call_command("scores", "--inspection", ref, "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) == {
        "inspection",
        "bank_version",
        "cases",
        "cases_scored",
        "overall",
        "by_theme",
        "by_criterion",
        "by_question",
    }
    assert data["overall"] == {"sufficient": 1, "insufficient": 1, "total": 2, "percentage": 50.0}
    assert data["by_question"]["1.1.1"] == {"sufficient": 1, "insufficient": 0, "total": 1, "percentage": 100.0}
    assert data["by_question"]["2.8.1"] == {"sufficient": 0, "insufficient": 0, "total": 0, "percentage": None}
    assert data["by_theme"]["public"] == {"sufficient": 0, "insufficient": 1, "total": 1, "percentage": 0.0}
    page = as_(client, world, "lead").get(reverse("casework:scores", args=[ref])).content.decode()
    assert "50.0% Sufficient" in page
    assert "1 of 2 scored judgements were Sufficient." in page


def test_the_scores_command_refuses_an_unknown_inspection():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no inspection 'NOPE'"):
        call_command("scores", "--inspection", "NOPE", "--json", stdout=StringIO())


def test_changing_an_answer_of_a_completed_case_says_it_is_no_longer_complete(client, world):
    Assessment.objects.filter(pk=world["assessment"].pk).update(completed_at=timezone.now())
    as_(client, world, "assessor")
    page = client.get(view_url(world, 1)).content.decode()
    assert "This case is marked complete. Changing an answer re-opens it." in page
    response = client.post(answer_url(world, "1.1.1"), {"value": "Sufficient", "expected_revision": "0"}, **HTMX)
    body = response.content.decode()
    assert '<div id="case-notice" hx-swap-oob="true">' in body
    assert "the case is no longer marked complete" in body
    assert Assessment.objects.get(pk=world["assessment"].pk).completed_at is None
    response = client.post(answer_url(world, "1.10.1"), {"value": "Sufficient", "expected_revision": "0"}, **HTMX)
    assert "case-notice" not in response.content.decode()  # said once, when it happened


def test_opening_a_case_or_a_view_starts_nothing_until_the_assessor_presses_start(client):
    world = cf.team()
    case = world["case"]
    as_(client, world, "assessor")
    page = client.get(reverse("casework:case", args=[world["inspection"].reference, case.pk])).content.decode()
    assert "Start the assessment" in page
    view = client.get(view_url(world, 0))
    assert view.status_code == 302 and view.url == reverse(
        "casework:case", args=[world["inspection"].reference, case.pk]
    )
    assert not Assessment.objects.filter(case=case).exists()
    started = client.post(reverse("casework:start", args=[world["inspection"].reference, case.pk]))
    assert started.url == view_url(world, 0)
    assert Assessment.objects.filter(case=case).count() == 1


def test_someone_who_may_not_assess_cannot_start_an_assessment(client):
    from inspections.tests import factories as f

    world = cf.team()
    url = reverse("casework:start", args=[world["inspection"].reference, world["case"].pk])
    client.force_login(f.user())  # a lead inspector of other inspections
    assert client.post(url).status_code == 404
    assert not Assessment.objects.filter(case=world["case"]).exists()


def test_the_case_page_shows_the_yots_case_id_to_hmi_probation_staff_only(client, world):
    url = reverse("casework:case", args=[world["inspection"].reference, world["case"].pk])
    case_id = world["case"].entry.case_id
    for persona, sees in (("lead", True), ("assistant", True), ("assessor", False)):
        as_(client, world, persona)
        page = client.get(url).content.decode()
        assert ("YOT case ID" in page and case_id in page) is sees, persona
