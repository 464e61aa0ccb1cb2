"""The assessment services: answers checked against the bank, revisions and conflicts, hidden answers,
completion, moderation, alerts and scores (issue 6 items 5-8)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from casework.domain.routing import route
from casework.enums import AlertKind, AlertStatus
from casework.models import Answer, AnswerRevision, Assessment, Review
from casework.services import assessment as services
from casework.tests import factories as cf
from inspections.enums import Country, Programme
from inspections.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return cf.team()


@pytest.fixture
def assessment(world):
    return services.assessment_start(case=world["case"], user=world["people"]["assessor"])


def answer(assessment, user, question_id, value):
    """Save as a user whose page is up to date."""
    current = Answer.objects.filter(assessment=assessment, question_id=question_id).first()
    return services.assessment_answer(
        assessment=assessment, question_id=question_id, value=value, user=user,
        expected_revision=current.revision if current else 0,
    )  # fmt: skip


def stored(assessment) -> dict:
    return dict(Answer.objects.filter(assessment=assessment).values_list("question_id", "value"))


# --- Starting ----------------------------------------------------------------------------


def test_assessment_start_pins_the_newest_bank_and_prefills_yot_and_country(world, assessment):
    assert assessment.bank_version == "2026-12"  # the newest folder
    assert stored(assessment) == {"3a": "Northshire", "3b": "England"}  # SQS asks no 14
    assert services.assessment_start(case=world["case"], user=world["people"]["lead"]).pk == assessment.pk
    assert AuditEvent.objects.filter(action="assessment_started").count() == 1


def test_assessment_start_prefills_wales_and_fji_modules():
    world = cf.team(programme=Programme.FJI, country=Country.WALES, modules=["court_work", "victims_rj"])
    started = services.assessment_start(case=world["case"], user=world["people"]["assessor"])
    assert stored(started) == {
        "3a": "Northshire", "3b": "Wales", "14": ["Court Work", "Victims & Restorative Justice"],
    }  # fmt: skip
    assert AnswerRevision.objects.filter(answer__assessment=started).count() == 3


# --- Answering ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question_id", "value", "message"),
    [
        ("1.1.1", "Maybe", "1.1.1: choose Sufficient or Insufficient"),
        ("1.1.1", "", "1.1.1: choose Sufficient or Insufficient"),
        ("1.1.1", ["Sufficient", "Insufficient"], "1.1.1: choose Sufficient or Insufficient"),
        ("1.1.1", "N/A", "1.1.1: N/A is not allowed here: choose Sufficient or Insufficient"),
        ("6", "Martian", "6: choose one of the answers"),
        ("5", "fifteen", "5: enter a number, for example 15"),
        ("1.1.3", ["Nonsense"], "1.1.3: “Nonsense” is not one of the answers"),
        ("1.20a", ["a", "b"], "1.20a: give one written answer"),
        ("99.9", "Yes", "99.9: there is no such question"),
    ],
    ids=[
        "not-an-option",
        "empty",
        "two-for-one",
        "na-not-allowed",
        "long-list",
        "not-a-number",
        "bad-label",
        "list-for-text",
        "unknown",
    ],
)
def test_answer_validation_errors_name_the_question(world, assessment, question_id, value, message):
    with pytest.raises(ValidationError) as error:
        answer(assessment, world["people"]["assessor"], question_id, value)
    assert error.value.messages == [message]
    assert question_id not in stored(assessment)


def test_answer_accepts_na_where_the_guide_allows_it_and_normalises_values(world, assessment):
    user = world["people"]["assessor"]
    answer(assessment, user, "2.8.1", "N/A")
    answer(assessment, user, "1.1.3", ["Other", services.bank_of(assessment).question("1.1.3").options[0]])
    answer(assessment, user, "5", " 15 ")
    values = stored(assessment)
    assert values["2.8.1"] == "N/A"
    assert values["1.1.3"] == [services.bank_of(assessment).question("1.1.3").options[0], "Other"]  # bank order
    assert values["5"] == "15"


def test_answer_writes_the_answer_and_each_revision(world, assessment):
    assessor, assistant = world["people"]["assessor"], world["people"]["assistant"]
    first = answer(assessment, assessor, "1.1.1", "Sufficient")
    second = answer(assessment, assistant, "1.1.1", "Insufficient")
    assert (first.pk, second.revision, second.updated_by) == (second.pk, 2, assistant)
    revisions = list(AnswerRevision.objects.filter(answer=second).values_list("revision", "value", "by__username"))
    assert revisions == [(1, "Sufficient", "assessor"), (2, "Insufficient", "assistant")]


def test_answer_raises_a_conflict_when_someone_else_saved_since_the_page_loaded(world, assessment):
    assessor, assistant = world["people"]["assessor"], world["people"]["assistant"]
    services.assessment_answer(
        assessment=assessment, question_id="1.1.1", value="Sufficient", user=assessor, expected_revision=0
    )
    with pytest.raises(services.AnswerConflict) as conflict:
        services.assessment_answer(
            assessment=assessment, question_id="1.1.1", value="Insufficient", user=assistant, expected_revision=0
        )
    assert (conflict.value.current.value, conflict.value.current.revision) == ("Sufficient", 1)
    assert conflict.value.current.updated_by == assessor
    assert conflict.value.attempted == "Insufficient"
    assert stored(assessment)["1.1.1"] == "Sufficient"
    # Overwriting on purpose: the user has now seen revision 1.
    services.assessment_answer(
        assessment=assessment, question_id="1.1.1", value="Insufficient", user=assistant, expected_revision=1
    )
    assert stored(assessment)["1.1.1"] == "Insufficient"


def test_saving_the_value_already_stored_is_not_a_conflict_and_adds_no_revision(world, assessment):
    answer(assessment, world["people"]["assessor"], "1.1.1", "Sufficient")
    services.assessment_answer(
        assessment=assessment,
        question_id="1.1.1",
        value="Sufficient",
        user=world["people"]["assistant"],
        expected_revision=0,
    )
    assert AnswerRevision.objects.filter(answer__question_id="1.1.1").count() == 1


def test_a_hidden_answer_is_kept_and_comes_back_when_the_route_returns(world, assessment):
    user = world["people"]["assessor"]
    answer(assessment, user, "7.a", "Yes")
    answer(assessment, user, "7.b", "Host YOT")
    answer(assessment, user, "7.a", "No")
    state = services.case_state(world["case"], assessment)
    assert not state.route.is_asked("7.b")
    assert state.route.hidden == ("7.b",)
    assert stored(assessment)["7.b"] == "Host YOT"
    answer(assessment, user, "7.a", "Yes")
    state = services.case_state(world["case"], assessment)
    assert state.route.is_asked("7.b")
    assert state.answers["7.b"] == "Host YOT"
    assert state.route.hidden == ()


# --- Completion --------------------------------------------------------------------------


def answer_everything(assessment, user, state=None):
    """Answer every unanswered required question with its first option (or some text), to a fixed point."""
    for _ in range(10):
        state = services.case_state(assessment.case, assessment)
        todo = [qid for qid in state.route.required if not state.is_answered(qid)]
        if not todo:
            return state
        for qid in todo:
            question = state.bank.question(qid)
            if question.input == "choice":
                value = [question.options[0]] if question.multiple else question.options[0]
            else:
                value = "12" if question.input == "number" else "Notes"
            answer(assessment, user, qid, value)
    raise AssertionError("answering did not settle")


def test_completion_lists_the_missing_explanation_then_completes_and_reopens_on_change(world, assessment):
    user = world["people"]["assessor"]
    answer_everything(assessment, user)
    answer(assessment, user, "1.1.1", "Insufficient")
    with pytest.raises(services.CompletionBlocked) as blocked:
        services.assessment_complete(assessment=assessment, user=user)
    assert [(p.question_id, p.view, p.code) for p in blocked.value.problems] == [("1.1.3", 1, "missing")]
    assert blocked.value.problems[0].message == "1.1.3: choose at least one reason why 1.1.1 was Insufficient"
    assert Assessment.objects.get(pk=assessment.pk).completed_at is None

    answer(assessment, user, "1.1.3", ["Other"])
    with pytest.raises(services.CompletionBlocked) as blocked:
        services.assessment_complete(assessment=assessment, user=user)
    assert [(p.question_id, p.code) for p in blocked.value.problems] == [("1.20b", "other_needs_narrative")]

    answer(assessment, user, "1.20b", "The reasons are written here.")
    done = services.assessment_complete(assessment=assessment, user=user)
    assert done.completed_by == user and done.completed_at is not None

    answer(assessment, user, "1.10.1", "Insufficient")  # a change after completion re-opens the case
    reopened = Assessment.objects.get(pk=assessment.pk)
    assert (reopened.completed_at, reopened.completed_by) == (None, None)
    assert AuditEvent.objects.filter(action="assessment_reopened").values_list("detail", flat=True)[0] == {
        "case": "HMIP-07", "reason": "answer 1.10.1 changed after completion",
    }  # fmt: skip


# --- Moderation --------------------------------------------------------------------------


def test_review_keeps_both_values_and_needs_a_reason_to_change(world, assessment):
    assessor, supervisor = world["people"]["assessor"], world["people"]["assistant"]
    answer(assessment, assessor, "1.1.1", "Sufficient")
    answer(assessment, assessor, "1.10.1", "Sufficient")
    with pytest.raises(ValidationError) as error:
        services.judgement_review(
            assessment=assessment, question_id="1.1.1", reviewed_value="Insufficient", reason=" ", user=supervisor
        )
    assert error.value.message_dict == {"reason": ["1.1.1: give the reason for changing the judgement"]}

    changed = services.judgement_review(
        assessment=assessment,
        question_id="1.1.1",
        reviewed_value="Insufficient",
        reason="No analysis of offending.",
        user=supervisor,
    )
    agreed = services.judgement_review(
        assessment=assessment, question_id="1.10.1", reviewed_value="Sufficient", reason="", user=supervisor
    )
    assert (changed.original_value, changed.reviewed_value, changed.agreed, changed.reason) == (
        "Sufficient", "Insufficient", False, "No analysis of offending.",
    )  # fmt: skip
    assert (agreed.original_value, agreed.reviewed_value, agreed.agreed) == ("Sufficient", "Sufficient", True)
    assert stored(assessment)["1.1.1"] == "Sufficient"  # the assessor's answer is kept

    agreements, rows = services.moderation_summary(world["inspection"])
    by_user = {a.assessor.username: (a.reviewed, a.agreed, a.rate) for a in agreements}
    assert by_user == {"assessor": (2, 1, 50.0), "other_assessor": (0, 0, None)}
    assert [(r.case.reference, r.judgements, r.reviewed) for r in rows] == [("HMIP-07", 2, 2)]

    # The assessor changes a reviewed judgement: the review no longer applies until reviewed again.
    answer(assessment, assessor, "1.10.1", "Insufficient")
    agreements, rows = services.moderation_summary(world["inspection"])
    assert {a.assessor.username: (a.reviewed, a.agreed) for a in agreements}["assessor"] == (1, 0)
    assert [(r.judgements, r.reviewed, r.unreviewed) for r in rows] == [(2, 1, 1)]


def test_review_refuses_a_value_the_judgement_cannot_take(world, assessment):
    answer(assessment, world["people"]["assessor"], "1.1.1", "Sufficient")
    with pytest.raises(ValidationError) as error:
        services.judgement_review(
            assessment=assessment, question_id="1.1.1", reviewed_value="N/A", reason="x", user=world["people"]["lead"]
        )
    assert error.value.messages == ["1.1.1: N/A is not allowed here: choose Sufficient or Insufficient"]
    assert not Review.objects.exists()


# --- Alerts ------------------------------------------------------------------------------


def test_raising_an_alert_asks_the_alert_questions_and_emails_the_lead_inspector(
    world, assessment, django_capture_on_commit_callbacks
):
    case, assessor = world["case"], world["people"]["assessor"]
    assert not services.case_state(case, assessment).route.is_asked("5.15.1")
    with django_capture_on_commit_callbacks(execute=True):
        alert = services.alert_raise(
            case=case, kind=AlertKind.ALERT, description="Risk to a sibling not acted on.", user=assessor
        )
    state = services.case_state(case, assessment)
    assert state.facts.alert is True
    assert state.route.is_asked("5.15.1") and "5.15.1" in state.route.required
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["lead@hmiprobation.example.gov.uk"], f"Alert raised on case HMIP-07 ({world['inspection'].reference})")
    ]
    # Case information stays in the service: the email links to it and carries no description.
    assert "Risk to a sibling not acted on." not in mail.outbox[0].body
    assert f"http://testserver/inspections/{world['inspection'].reference}/alerts/" in mail.outbox[0].body
    assert cf.CHILD_FAMILY_NAME not in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        resolved = services.alert_resolve(
            alert=alert, action_taken="Escalated to the YOT manager; plan in place.", user=world["people"]["lead"]
        )
    assert (resolved.status, resolved.resolved_by) == (AlertStatus.ACTIONED, world["people"]["lead"])
    # The inspector who raised it hears that it was actioned; the lead inspector did it, so is not told.
    assert [(m.to, m.subject) for m in mail.outbox[1:]] == [
        ([assessor.email], f"Alert on case HMIP-07 actioned ({world['inspection'].reference})")
    ]
    with pytest.raises(services.AlreadyActioned):
        services.alert_resolve(alert=alert, action_taken="Again", user=world["people"]["lead"])


def test_an_alert_reopens_a_completed_case_that_now_has_unanswered_questions(world, assessment):
    user = world["people"]["assessor"]
    answer_everything(assessment, user)
    services.assessment_complete(assessment=assessment, user=user)
    services.alert_raise(case=world["case"], kind=AlertKind.CONCERN, description="Concern.", user=user)
    assert Assessment.objects.get(pk=assessment.pk).completed_at is None


def test_alert_needs_a_kind_and_a_description(world):
    with pytest.raises(ValidationError) as error:
        services.alert_raise(case=world["case"], kind="warning", description="  ", user=world["people"]["lead"])
    assert error.value.message_dict == {
        "kind": ["Choose whether this is a Concern or an Alert"],
        "description": ["Describe what needs to be addressed, and how urgently"],
    }


# --- Scores ------------------------------------------------------------------------------


def test_scores_use_the_reviewed_value_and_leave_out_na_and_incomplete_cases(world, assessment):
    """Hand-computed. A (local assessor): 1.1.1 S, 1.10.1 S, 2.8.1 N/A; the supervisor changes 1.1.1
    to Insufficient. B (lead inspector): 1.1.1 I, 1.10.1 S, 2.8.1 S. C is not complete: left out.
    1.1.1: 0 of 2; 1.10.1: 2 of 2; 2.8.1: 1 of 1; overall 3 of 5 = 60.0%."""
    inspection, people = world["inspection"], world["people"]
    case_b = cf.case(inspection, assessor=people["lead"], reference="HMIP-08")
    case_c = cf.case(inspection, assessor=people["lead"], reference="HMIP-09")
    b = services.assessment_start(case=case_b, user=people["lead"])
    c = services.assessment_start(case=case_c, user=people["lead"])
    for target, user, values in [
        (assessment, people["assessor"], {"1.1.1": "Sufficient", "1.10.1": "Sufficient", "2.8.1": "N/A"}),
        (b, people["lead"], {"1.1.1": "Insufficient", "1.10.1": "Sufficient", "2.8.1": "Sufficient"}),
        (c, people["lead"], {"1.1.1": "Sufficient"}),
    ]:
        for qid, value in values.items():
            answer(target, user, qid, value)
    Assessment.objects.filter(pk__in=[assessment.pk, b.pk]).update(completed_at=timezone.now())
    services.judgement_review(
        assessment=assessment,
        question_id="1.1.1",
        reviewed_value="Insufficient",
        reason="Thin.",
        user=people["assistant"],
    )

    result = services.inspection_scores(inspection)
    scores = result.scores
    assert (result.completed, result.cases, scores.cases) == (2, 3, 2)
    assert scores.by_question["1.1.1"].as_dict() == {"sufficient": 0, "insufficient": 2, "total": 2, "percentage": 0.0}
    assert scores.by_question["1.10.1"].as_dict() == {
        "sufficient": 2,
        "insufficient": 0,
        "total": 2,
        "percentage": 100.0,
    }
    assert scores.by_question["2.8.1"].as_dict() == {
        "sufficient": 1,
        "insufficient": 0,
        "total": 1,
        "percentage": 100.0,
    }
    assert scores.by_criterion["1.2.1"].as_dict() == {"sufficient": 0, "insufficient": 2, "total": 2, "percentage": 0.0}
    assert scores.by_theme["public"].as_dict() == {"sufficient": 3, "insufficient": 0, "total": 3, "percentage": 100.0}
    assert scores.by_theme["reoffending"].as_dict() == {
        "sufficient": 0,
        "insufficient": 2,
        "total": 2,
        "percentage": 0.0,
    }
    assert scores.overall.as_dict() == {"sufficient": 3, "insufficient": 2, "total": 5, "percentage": 60.0}


def test_case_facts_come_from_the_inspection_and_the_alerts(world):
    facts = services.case_facts(world["case"])
    assert (facts.programme, facts.country, facts.modules, facts.alert) == ("sqs", "England", frozenset(), False)
    bank = services.bank_of(None)
    assert route(bank, facts, {}).asked[:3] == ("1", "2", "3a")
