"""View 0 pre-filled from the long-list (issue 12 §3) and Check your answers (issue 12 §4).

The services: what each long-list value becomes as a View 0 answer (and what is left for the
assessor), that offering writes nothing and confirming saves only what was offered; the reads of the
Check your answers page. The pages: the offer is marked and unsaved, confirming saves it, completion
goes through the check page and is sent back when an answer changed since it was shown; and who may
open or post each of them.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from casework.domain.bank import available_versions, load_bank
from casework.models import Answer, AnswerRevision
from casework.services import assessment as services
from casework.services import checking, prefill
from casework.services.prefill import LongListFacts
from casework.tests import factories as cf
from inspections.models import AuditEvent

pytestmark = pytest.mark.django_db

BANKS = [load_bank(version) for version in available_versions()]


def facts(**changes) -> LongListFacts:
    values = dict(
        gender="Female", age_at_sentence=15, ethnicity="Other ethnic group", looked_after=True, home_host="Host",
        child_protection=False, order_type="YRO with ISS", sentence_length="1 year 6 months",
    )  # fmt: skip
    values.update(changes)
    return LongListFacts(**values)


# --- What each long-list value becomes ---------------------------------------------------------


@pytest.mark.parametrize("bank", BANKS, ids=[b.version for b in BANKS])
def test_every_field_the_long_list_gives_becomes_its_view_0_answer(bank):
    answers = prefill.long_list_answers(bank, facts(), assessor_name="Ann Assessor", local_assessor=True)
    assert answers == {
        "1": "Ann Assessor",
        "2": "Local Assessor",
        "4": "Female",
        "5": "15",
        "6": "Chinese or other ethnic group - Any other ethnic group",
        "7.a": "Yes",
        "7.b": "Host YOT",
        "8": "No",
        "10.a": "Youth Rehabilitation Order with Intensive Supervision and Surveillance",
        "10.b": "18",
    }
    assert "10.c" not in answers  # the long-list does not say whether the sentence was extended


def test_hmi_probation_staff_are_recorded_as_such_and_no_long_list_row_gives_only_the_assessor():
    bank = BANKS[-1]
    assert prefill.long_list_answers(bank, None, assessor_name="Ian Inspector", local_assessor=False) == {
        "1": "Ian Inspector",
        "2": "HMI Probation staff",
    }


@pytest.mark.parametrize(
    ("changes", "left_out"),
    [
        ({"gender": "Not known"}, "4"),  # the question has Male and Female only
        ({"age_at_sentence": None}, "5"),
        ({"ethnicity": "White - British"}, "6"),  # the 2011 group White fits three answers: the assessor chooses
        ({"ethnicity": ""}, "6"),
        ({"order_type": "Youth caution"}, "10.a"),  # not an order the question lists
        ({"sentence_length": "6 weeks"}, "10.b"),
        ({"sentence_length": ""}, "10.b"),
        ({"looked_after": False}, "7.b"),  # Home or Host only for a looked after child
        ({"home_host": ""}, "7.b"),
    ],
)
def test_a_value_the_question_cannot_take_is_left_for_the_assessor(changes, left_out):
    answers = prefill.long_list_answers(BANKS[-1], facts(**changes), assessor_name="A", local_assessor=True)
    assert left_out not in answers
    assert "4" in answers or left_out == "4"


@pytest.mark.parametrize(
    ("length", "months"),
    [
        ("12 months", "12"),
        ("12", "12"),  # a bare number is months, as in the template's example
        ("2 years", "24"),
        ("1 year 6 months", "18"),
        ("1 yr and 3 mths", "15"),
        ("Indeterminate", "999"),
        ("Detention for life", "999"),
        ("0", None),
        ("6 weeks", None),
        ("about a year", None),
        ("12 months 3 days", None),
        ("", None),
    ],
)
def test_sentence_length_in_whole_months(length, months):
    assert prefill.sentence_months(length) == months


@pytest.mark.parametrize(
    ("recorded", "option"),
    [
        ("Referral Order", "Referral Order"),
        ("referral order", "Referral Order"),
        ("YRO", "Youth Rehabilitation Order"),
        ("DTO", "Detention and Training Order"),
        ("Section 91", "Section 90/91"),
        ("Section 228", "Section 226/228"),
        ("Youth caution", None),
        ("", None),
    ],
)
def test_order_names_as_case_systems_write_them(recorded, option):
    question = BANKS[-1].question("10.a")
    assert prefill.order_answer(question, recorded) == option


def test_ethnicity_is_offered_only_when_one_answer_fits_the_group():
    question = BANKS[-1].question("6")
    assert (
        prefill.ethnicity_answer(question, "Other ethnic group")
        == "Chinese or other ethnic group - Any other ethnic group"
    )
    assert prefill.ethnicity_answer(question, "White") is None
    assert prefill.ethnicity_answer(question, "Asian or Asian British") is None
    assert prefill.ethnicity_answer(question, "not a group") is None


def test_facts_take_the_age_from_the_birth_date_when_no_age_is_stored_and_never_the_name():
    world = cf.team()
    entry = world["case"].entry
    entry.age_at_sentence = None
    entry.save()
    taken = LongListFacts.of(entry)
    assert taken.age_at_sentence == 16  # born 14 March 2010, sentenced 1 September 2026
    assert cf.CHILD_FAMILY_NAME not in repr(taken) and cf.CHILD_FIRST_NAMES not in repr(taken)


# --- Offered, not saved; confirmed, saved -------------------------------------------------------


@pytest.fixture
def world():
    world = cf.team()
    world["assessment"] = services.assessment_start(case=world["case"], user=world["people"]["assessor"])
    return world


def test_offering_writes_nothing_and_confirming_saves_only_what_was_offered(world):
    assessor, assessment = world["people"]["assessor"], world["assessment"]
    before = Answer.objects.filter(assessment=assessment).count()
    state = services.case_state(world["case"], assessment)
    offered = prefill.prefill_suggestions(state, assessor)
    assert offered["1"] == assessor.get_full_name() or offered["1"] == assessor.get_username()
    assert offered["4"] == "Female" and offered["7.a"] == "No"
    assert "7.b" not in offered  # not asked: the child is not looked after
    assert Answer.objects.filter(assessment=assessment).count() == before

    # Someone answers question 4 differently meanwhile: their answer stays.
    services.assessment_answer(
        assessment=assessment, question_id="4", value="Male", user=world["people"]["assistant"], expected_revision=0
    )
    saved = prefill.assessment_prefill_confirm(assessment=assessment, user=assessor)
    assert "4" not in saved and set(saved) <= set(offered)
    assert Answer.objects.get(assessment=assessment, question_id="4").value == "Male"
    assert Answer.objects.get(assessment=assessment, question_id="8").value == "No"
    assert all(
        AnswerRevision.objects.filter(answer__assessment=assessment, answer__question_id=q, by=assessor).exists()
        for q in saved
    )
    event = AuditEvent.objects.get(action="long_list_answers_confirmed")
    assert event.detail["questions"] == saved and cf.CHILD_FAMILY_NAME not in str(event.detail)

    # Confirming again saves nothing: every offered question now has an answer.
    assert prefill.assessment_prefill_confirm(assessment=assessment, user=assessor) == []
    assert AuditEvent.objects.filter(action="long_list_answers_confirmed").count() == 1


def test_a_question_a_confirmed_answer_now_asks_is_offered_not_saved_unseen(world):
    entry = world["case"].entry
    entry.looked_after, entry.home_host = True, "Home"
    entry.save()
    assessor, assessment = world["people"]["assessor"], world["assessment"]
    saved = prefill.assessment_prefill_confirm(assessment=assessment, user=assessor)
    assert "7.a" in saved and "7.b" not in saved
    state = services.case_state(world["case"], assessment)
    assert prefill.prefill_suggestions(state, assessor) == {"7.b": "Home YOT"}


def test_a_case_not_started_is_offered_nothing():
    world = cf.team()
    state = services.case_state(world["case"], None)
    assert prefill.prefill_suggestions(state, world["people"]["assessor"]) == {}


# --- Check your answers: the reads ---------------------------------------------------------------


def test_check_rows_list_answered_and_required_questions_by_view_with_the_gaps(world):
    assessor, assessment = world["people"]["assessor"], world["assessment"]
    prefill.assessment_prefill_confirm(assessment=assessment, user=assessor)
    state = services.case_state(world["case"], assessment)
    views = checking.check_rows(state)
    assert [v.view.id for v in views] == sorted(v.view.id for v in views)
    rows = {row.question.id: row for view in views for row in view.rows}
    assert rows["4"].answered and rows["4"].value == "Female" and not rows["4"].problems
    unanswered_required = [row for row in rows.values() if row.required and not row.answered]
    assert unanswered_required and all(row.problems for row in unanswered_required)
    assert sum(view.gaps for view in views) == len({p.question_id for p in state.problems})
    # An optional question nobody answered is not listed.
    optional = [q for q in state.route.asked if q not in state.required and not state.is_answered(q)]
    assert not any(q in rows for q in optional)


def test_the_fingerprint_changes_when_an_answer_does(world):
    assessor, assessment = world["people"]["assessor"], world["assessment"]
    first = checking.answers_fingerprint(services.case_state(world["case"], assessment))
    assert first == checking.answers_fingerprint(services.case_state(world["case"], assessment))
    services.assessment_answer(
        assessment=assessment, question_id="4", value="Female", user=assessor, expected_revision=0
    )
    second = checking.answers_fingerprint(services.case_state(world["case"], assessment))
    services.assessment_answer(assessment=assessment, question_id="4", value="Male", user=assessor, expected_revision=1)
    third = checking.answers_fingerprint(services.case_state(world["case"], assessment))
    assert len({first, second, third}) == 3


# --- The pages -----------------------------------------------------------------------------------


def _urls(world):
    ref, pk = world["inspection"].reference, world["case"].pk
    return {
        "view0": reverse("casework:assess", args=[ref, pk, 0]),
        "confirm": reverse("casework:confirm_prefill", args=[ref, pk]),
        "check": reverse("casework:check", args=[ref, pk]),
        "complete": reverse("casework:complete", args=[ref, pk]),
    }


def test_view_0_marks_the_offer_and_reading_it_saves_nothing(client, world):
    client.force_login(world["people"]["assessor"])
    before = Answer.objects.count()
    page = client.get(_urls(world)["view0"]).content.decode()
    assert "Taken from the long-list" in page
    assert Answer.objects.count() == before
    assert cf.CHILD_FAMILY_NAME not in page and "2010" not in page  # no name, no date of birth


def test_confirming_on_the_page_saves_the_offer_and_says_how_many(client, world):
    client.force_login(world["people"]["assessor"])
    response = client.post(_urls(world)["confirm"], follow=True)
    saved = AuditEvent.objects.get(action="long_list_answers_confirmed").detail["questions"]
    assert f"{len(saved)} answers taken from the long-list saved." in response.content.decode()
    assert Answer.objects.filter(assessment=world["assessment"], question_id="4").get().value == "Female"


def test_completing_goes_through_check_your_answers_and_an_old_page_is_sent_back(client, world):
    assessor = world["people"]["assessor"]
    client.force_login(assessor)
    urls = _urls(world)
    page = client.get(urls["check"]).content.decode()
    assert "Check your answers" in page
    # Every answered or required question has a link back to its view.
    assert reverse("casework:assess", args=[world["inspection"].reference, world["case"].pk, 0]) in page
    checked = re.search(r'name="checked" value="([0-9a-f]+)"', page)
    # With gaps, the page says so and completion is refused.
    response = client.post(urls["complete"], {"checked": checked.group(1) if checked else ""})
    assert response.status_code == 422
    assert not world["assessment"].__class__.objects.get(pk=world["assessment"].pk).is_complete


def test_a_completion_from_an_older_check_page_is_sent_back(client, world, monkeypatch):
    assessor, assessment = world["people"]["assessor"], world["assessment"]
    client.force_login(assessor)
    urls = _urls(world)
    # No gaps, so only the fingerprint decides (the gap rules are tested elsewhere).
    monkeypatch.setattr(services.CaseState, "problems", property(lambda self: []))
    old = checking.answers_fingerprint(services.case_state(world["case"], assessment))
    services.assessment_answer(assessment=assessment, question_id="4", value="Male", user=assessor, expected_revision=0)
    response = client.post(urls["complete"], {"checked": old})
    assert response.status_code == 302 and response["Location"] == urls["check"]
    assessment.refresh_from_db()
    assert not assessment.is_complete
    fresh = checking.answers_fingerprint(services.case_state(world["case"], assessment))
    response = client.post(urls["complete"], {"checked": fresh})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.is_complete


ALL = ["lead", "assistant", "sso", "assessor", "other_assessor", "yot_manager", "stranger"]


@pytest.mark.parametrize("persona", ALL)
def test_who_may_open_check_your_answers(client, world, persona):
    client.force_login(world["people"][persona])
    response = client.get(_urls(world)["check"])
    expected = 200 if persona in {"lead", "assistant", "sso", "assessor"} else 404
    assert response.status_code == expected
    assert cf.CHILD_FAMILY_NAME not in response.content.decode()


@pytest.mark.parametrize("persona", ALL)
def test_who_may_confirm_the_long_lists_answers(client, world, persona):
    client.force_login(world["people"][persona])
    response = client.post(_urls(world)["confirm"])
    expected = {"lead": 302, "assistant": 302, "assessor": 302, "sso": 403}.get(persona, 404)
    assert response.status_code == expected
    assert AuditEvent.objects.filter(action="long_list_answers_confirmed").exists() == (expected == 302)


def test_confirming_is_post_only(client, world):
    client.force_login(world["people"]["assessor"])
    assert client.get(_urls(world)["confirm"]).status_code == 405
