"""Moderation at speed (issue 12 §5): the review page by view, "agree with all judgements in this
view" in one POST, changing one judgement with a reason, an answer's history, the moderation list,
and who may do each (seed 000 §4: the local assessor's supervising inspector, or the lead inspector)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.models import Answer, Review
from casework.services import assessment as services
from casework.services import moderation
from casework.tests import factories as cf
from inspections.enums import Programme, StaffRole
from inspections.models import AuditEvent
from inspections.tests import factories as f

pytestmark = pytest.mark.django_db

OTHER_NARRATIVE = "Other"


@pytest.fixture
def world():
    world = cf.team()
    people = world["people"]
    # An inspector of another inspection: on no team of this one.
    people["other_inspector"] = f.user(role=StaffRole.LEAD_INSPECTOR, username="other_inspector")
    f.inspection(lead=people["other_inspector"])
    world["assessment"] = services.assessment_start(case=world["case"], user=people["assessor"])
    return world


def give(world, question_id, value, persona="assessor"):
    """Save an answer as the assessor would (with the current revision)."""
    current = Answer.objects.filter(assessment=world["assessment"], question_id=question_id).first()
    return services.assessment_answer(
        assessment=world["assessment"], question_id=question_id, value=value,
        user=world["people"][persona], expected_revision=current.revision if current else 0,
    )  # fmt: skip


def state_of(world):
    return services.case_state(world["case"], world["assessment"])


def revisions(world, *question_ids):
    rows = state_of(world).rows
    return {qid: rows[qid].revision for qid in question_ids}


def url(world, name, *args):
    return reverse(f"casework:{name}", args=[world["inspection"].reference, world["case"].pk, *args])


def as_(client, world, persona):
    client.force_login(world["people"][persona])
    return client


def assessed(world):
    """View 1: two judgements (one Insufficient with its reasons and an 'Other' written at 1.20b),
    a pen picture at 1.20a; view 2: one judgement."""
    give(world, "1.1.1", "Insufficient")
    give(world, "1.1.3", ["Assessment not timely", OTHER_NARRATIVE])
    give(world, "1.20b", "The assessment was copied from the previous order.")
    give(world, "1.20a", "Fifteen, first offence, lives with grandmother.")
    give(world, "1.10.1", "Sufficient")
    give(world, "2.8.1", "N/A")
    return world


# --- Services: what the page shows ------------------------------------------------------------


def test_review_groups_put_each_judgement_beside_its_reasons_and_notes(world):
    assessed(world)
    groups = moderation.review_groups(state_of(world))
    assert [(g.view.id, [r.question.id for r in g.judgements]) for g in groups] == [
        (1, ["1.1.1", "1.10.1"]),
        (2, ["2.8.1"]),
    ]
    first = groups[0].judgements[0]
    assert [(b.question.id, b.value) for b in first.reasons] == [("1.1.3", ["Assessment not timely", "Other"])]
    assert [(b.question.id, b.value) for b in first.narratives] == [
        ("1.20b", "The assessment was copied from the previous order.")
    ]
    assert groups[0].judgements[1].reasons == [] and groups[0].judgements[1].narratives == []
    assert [b.question.id for b in groups[0].narratives] == ["1.20a", "1.20b"]
    assert [r.status for g in groups for r in g.judgements] == [moderation.AWAITING] * 3


def test_answer_history_lists_who_when_from_and_to(world):
    give(world, "1.1.1", "Sufficient")
    give(world, "1.1.1", "Insufficient", persona="lead")
    history = moderation.answer_histories(world["assessment"])["1.1.1"]
    people = world["people"]
    assert [(h.revision, h.by, h.before, h.after) for h in history] == [
        (1, people["assessor"], None, "Sufficient"),
        (2, people["lead"], "Sufficient", "Insufficient"),
    ]
    assert history[0].at <= history[1].at


# --- Services: agree with all judgements in a view ----------------------------------------------


def test_agree_with_a_view_reviews_every_judgement_not_yet_reviewed(world):
    assessed(world)
    supervisor = world["people"]["assistant"]
    outcome = moderation.view_judgements_agree(
        assessment=world["assessment"], view_id=1, seen=revisions(world, "1.1.1", "1.10.1"), user=supervisor
    )
    assert (outcome.agreed, outcome.already, outcome.changed_since) == (["1.1.1", "1.10.1"], [], [])
    reviews = Review.objects.filter(assessment=world["assessment"]).order_by("question_id")
    assert [(r.question_id, r.original_value, r.reviewed_value, r.agreed, r.reviewer) for r in reviews] == [
        ("1.1.1", "Insufficient", "Insufficient", True, supervisor),
        ("1.10.1", "Sufficient", "Sufficient", True, supervisor),
    ]  # view 2's 2.8.1 is not touched
    audit = AuditEvent.objects.get(action="judgements_agreed")
    assert audit.detail == {"case": "HMIP-07", "view": 1, "questions": ["1.1.1", "1.10.1"]}


def test_agree_with_a_view_twice_writes_nothing_the_second_time(world):
    assessed(world)
    seen = revisions(world, "1.1.1", "1.10.1")
    supervisor = world["people"]["assistant"]
    moderation.view_judgements_agree(assessment=world["assessment"], view_id=1, seen=seen, user=supervisor)
    again = moderation.view_judgements_agree(assessment=world["assessment"], view_id=1, seen=seen, user=supervisor)
    assert (again.agreed, again.already, again.changed_since) == ([], ["1.1.1", "1.10.1"], [])
    assert Review.objects.filter(assessment=world["assessment"]).count() == 2
    assert AuditEvent.objects.filter(action="judgements_agreed").count() == 1


def test_agree_with_a_view_never_overwrites_a_changed_judgement(world):
    assessed(world)
    lead = world["people"]["lead"]
    services.judgement_review(
        assessment=world["assessment"], question_id="1.10.1", reviewed_value="Insufficient",
        reason="No use of the police information.", user=lead,
    )  # fmt: skip
    outcome = moderation.view_judgements_agree(
        assessment=world["assessment"], view_id=1, seen=revisions(world, "1.1.1", "1.10.1"),
        user=world["people"]["assistant"],
    )  # fmt: skip
    assert (outcome.agreed, outcome.already) == (["1.1.1"], ["1.10.1"])
    kept = Review.objects.get(question_id="1.10.1")
    assert (kept.reviewed_value, kept.agreed, kept.reason, kept.reviewer) == (
        "Insufficient", False, "No use of the police information.", lead,
    )  # fmt: skip


def test_agree_with_a_view_leaves_a_judgement_changed_since_the_page_was_shown(world):
    assessed(world)
    seen = revisions(world, "1.1.1", "1.10.1")
    give(world, "1.10.1", "Insufficient")  # the assessor changes it after the reviewer opened the page
    outcome = moderation.view_judgements_agree(
        assessment=world["assessment"], view_id=1, seen=seen, user=world["people"]["assistant"]
    )
    assert (outcome.agreed, outcome.changed_since) == (["1.1.1"], ["1.10.1"])
    assert not Review.objects.filter(question_id="1.10.1").exists()


def test_agree_with_a_view_renews_a_review_the_assessor_made_stale(world):
    assessed(world)
    supervisor = world["people"]["assistant"]
    moderation.view_judgements_agree(
        assessment=world["assessment"], view_id=2, seen=revisions(world, "2.8.1"), user=supervisor
    )
    give(world, "2.8.1", "Sufficient")
    assert [r.status for r in moderation.review_groups(state_of(world))[1].judgements] == [moderation.STALE]
    outcome = moderation.view_judgements_agree(
        assessment=world["assessment"], view_id=2, seen=revisions(world, "2.8.1"), user=world["people"]["lead"]
    )
    assert outcome.agreed == ["2.8.1"]
    review = Review.objects.get(question_id="2.8.1")
    assert (review.original_value, review.reviewed_value, review.agreed, review.reviewer.username) == (
        "Sufficient", "Sufficient", True, "lead",
    )  # fmt: skip


def test_a_review_written_at_the_same_moment_stands(world, monkeypatch):
    """Two submissions at once: the twin's Review lands after this one read the reviews; the
    constraint refuses the second, and the judgement counts as reviewed already."""
    assessed(world)
    twin = Review.objects.create(
        assessment=world["assessment"], question_id="2.8.1", original_value="N/A", reviewed_value="N/A",
        agreed=True, reviewer=world["people"]["lead"],
    )  # fmt: skip
    monkeypatch.setattr(Review.objects, "select_for_update", Review.objects.none)  # read before the twin wrote
    outcome = moderation.view_judgements_agree(
        assessment=world["assessment"], view_id=2, seen=revisions(world, "2.8.1"), user=world["people"]["assistant"]
    )
    assert (outcome.agreed, outcome.already) == ([], ["2.8.1"])
    assert list(Review.objects.filter(question_id="2.8.1")) == [twin]


def test_changing_one_judgement_seen_at_an_older_revision_is_refused(world):
    assessed(world)
    seen = revisions(world, "1.10.1")["1.10.1"]
    give(world, "1.10.1", "Insufficient")
    with pytest.raises(moderation.JudgementChangedSincePageShown):
        moderation.judgement_change(
            assessment=world["assessment"], question_id="1.10.1", reviewed_value="Sufficient", reason="Fine.",
            user=world["people"]["assistant"], seen_revision=seen,
        )  # fmt: skip
    assert not Review.objects.exists()


# --- Views --------------------------------------------------------------------------------------


def test_the_review_page_shows_judgements_by_view_with_their_reasons_and_history(client, world):
    assessed(world)
    page = as_(client, world, "assistant").get(url(world, "review")).content.decode()
    assert 'id="view-1"' in page and 'id="view-2"' in page
    assert "2 judgements in this view await your review: 1.1.1, 1.10.1." in page
    assert '<input type="hidden" name="seen" value="1.1.1:1">' in page
    assert "Agree with all 2 judgements not yet reviewed in this view" in page
    assert "Agree with the judgement not yet reviewed in this view" in page  # view 2: one
    assert 'data-reasons="1.1.3"' in page and "Assessment not timely, Other" in page
    assert "The assessment was copied from the previous order." in page
    assert "Fifteen, first offence, lives with grandmother." in page  # the view's pen picture
    assert 'data-history="1.1.1"' in page and "History of 1.1.1 (saved once)" in page
    assert cf.CHILD_FAMILY_NAME not in page


def test_agree_with_all_in_one_post_then_again_changes_nothing(client, world):
    assessed(world)
    as_(client, world, "assistant")
    data = {"seen": ["1.1.1:1", "1.10.1:1"]}
    response = client.post(url(world, "review_agree_view", 1), data, follow=True)
    assert response.redirect_chain[-1][0].endswith("#view-1")
    assert "You agreed with 2 judgements." in response.content.decode()
    again = client.post(url(world, "review_agree_view", 1), data, follow=True).content.decode()
    assert "Every judgement in this view was already reviewed; nothing was changed." in again
    assert sorted(Review.objects.values_list("question_id", "agreed")) == [("1.1.1", True), ("1.10.1", True)]
    assert "Every judgement in this view has been reviewed." in again
    assert 'data-agree-view="1"' not in again and 'data-agree-view="2"' in again


def test_agree_with_all_says_which_judgement_the_assessor_changed_meanwhile(client, world):
    assessed(world)
    give(world, "1.10.1", "Insufficient")
    page = (
        as_(client, world, "assistant")
        .post(url(world, "review_agree_view", 1), {"seen": ["1.1.1:1", "1.10.1:1"]}, follow=True)
        .content.decode()
    )
    assert "You agreed with 1 judgement." in page
    assert "The assessor changed 1.10.1 after you opened the page. Look at it again before you agree." in page
    assert list(Review.objects.values_list("question_id", flat=True)) == ["1.1.1"]


def test_agree_with_all_refuses_a_garbled_request_and_an_unknown_view(client, world):
    assessed(world)
    as_(client, world, "assistant")
    assert client.post(url(world, "review_agree_view", 1), {"seen": "1.1.1"}).status_code == 302
    assert client.post(url(world, "review_agree_view", 9), {"seen": "1.1.1:1"}).status_code == 404
    assert not Review.objects.exists()


def test_changing_a_judgement_without_a_reason_names_the_question_and_keeps_what_was_typed(client, world):
    assessed(world)
    as_(client, world, "assistant")
    response = client.post(
        url(world, "review_judgement", "1.10.1"),
        {"reviewed_value": "Insufficient", "reason": "  ", "expected_revision": "1"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert '<a href="#review-1-10-1-reason">1.10.1: give the reason for changing the judgement</a>' in page
    assert 'id="review-1-10-1-2" name="reviewed_value" type="radio" value="Insufficient" checked' in page
    assert not Review.objects.exists()
    too_long = client.post(
        url(world, "review_judgement", "1.10.1"), {"reviewed_value": "Insufficient", "reason": "x" * 1001}
    ).content.decode()
    assert "1.10.1: The reason must be 1,000 characters or fewer" in too_long
    assert "x" * 1001 + "</textarea>" in too_long


def test_changing_a_judgement_with_a_reason_records_it(client, world):
    assessed(world)
    as_(client, world, "assistant")
    response = client.post(
        url(world, "review_judgement", "1.10.1"),
        {"reviewed_value": "Insufficient", "reason": "Police information not used.", "expected_revision": "1"},
        follow=True,
    )
    page = response.content.decode()
    assert "Review of 1.10.1 recorded." in page and "Changed to Insufficient" in page
    review = Review.objects.get(question_id="1.10.1")
    assert (review.original_value, review.reviewed_value, review.agreed) == ("Sufficient", "Insufficient", False)
    stale = client.post(
        url(world, "review_judgement", "1.1.1"), {"reviewed_value": "Insufficient", "expected_revision": "7"}
    )
    assert stale.status_code == 409
    assert "1.1.1: the assessor changed this judgement after you opened the page." in stale.content.decode()


def test_the_view_history_page_lists_every_save(client, world):
    give(world, "1.1.1", "Sufficient")
    give(world, "1.1.1", "Insufficient", persona="lead")
    view_page = as_(client, world, "assessor").get(url(world, "assess", 1)).content.decode()
    assert f'href="{url(world, "view_history", 1)}"' in view_page
    page = client.get(url(world, "view_history", 1)).content.decode()
    assert 'id="history-1-1-1"' in page
    rows = [row.split("</tr>")[0] for row in page.split('data-revision="')[1:]]
    cells = [[cell.split("</td>")[0] for cell in row.split('<td class="govuk-table__cell">')[2:]] for row in rows]
    people = world["people"]
    assert cells == [
        [str(people["assessor"]), "(no answer)", "Sufficient"],
        [str(people["lead"]), "Sufficient", "Insufficient"],
    ]
    assert "Review the judgements of this case" not in page  # the assessor does not review
    assert client.get(url(world, "view_history", 9)).status_code == 404


def test_the_moderation_list_shows_how_many_judgements_await_review_per_case(client, world):
    assessed(world)
    moderation.view_judgements_agree(
        assessment=world["assessment"], view_id=2, seen=revisions(world, "2.8.1"), user=world["people"]["lead"]
    )
    spare = cf.case(world["inspection"], assessor=world["people"]["other_assessor"], reference="HMIP-11")
    page = as_(client, world, "assistant").get(reverse("casework:moderation", args=[world["inspection"].reference]))
    page = page.content.decode()
    assert '<td class="govuk-table__cell govuk-table__cell--numeric" data-awaiting="HMIP-07">2</td>' in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric" data-awaiting="HMIP-11">0</td>' in page
    assert f'href="{reverse("casework:review", args=[world["inspection"].reference, spare.pk])}"' in page


# --- Access -----------------------------------------------------------------------------------

# Who gets what on each new URL: the supervisor and the lead inspector may review; the allocated local
# assessor is refused (403); a YOT manager and an inspector of another inspection see no such case (404).
REVIEWERS = {"assistant": 200, "lead": 200}
REFUSED = {"assessor": 403, "other_assessor": 404, "yot_manager": 404, "other_inspector": 404, "sso": 403}


@pytest.mark.parametrize("persona", [*REVIEWERS, *REFUSED])
def test_review_page_access(client, world, persona):
    assessed(world)
    response = as_(client, world, persona).get(url(world, "review"))
    assert response.status_code == {**REVIEWERS, **REFUSED}[persona]


@pytest.mark.parametrize("persona", list(REFUSED))
def test_agree_with_all_is_refused_and_writes_nothing(client, world, persona):
    assessed(world)
    response = as_(client, world, persona).post(url(world, "review_agree_view", 1), {"seen": ["1.1.1:1", "1.10.1:1"]})
    assert response.status_code == REFUSED[persona]
    assert not Review.objects.exists() and not AuditEvent.objects.filter(action="judgements_agreed").exists()


@pytest.mark.parametrize("persona", list(REFUSED))
def test_changing_a_judgement_is_refused_and_writes_nothing(client, world, persona):
    assessed(world)
    response = as_(client, world, persona).post(
        url(world, "review_judgement", "1.10.1"), {"reviewed_value": "Insufficient", "reason": "Because."}
    )
    assert response.status_code == REFUSED[persona]
    assert not Review.objects.exists()


# The history page is for anyone who may read the case (its answers are on the view page already):
# the allocated local assessor may; another local assessor, a YOT manager and another inspection's
# inspector may not.
HISTORY = {
    "assistant": 200,
    "lead": 200,
    "sso": 200,
    "assessor": 200,
    **{p: 404 for p in REFUSED if p != "sso" and p != "assessor"},
}


@pytest.mark.parametrize("persona", list(HISTORY))
def test_history_page_access(client, world, persona):
    assessed(world)
    response = as_(client, world, persona).get(url(world, "view_history", 1))
    assert response.status_code == HISTORY[persona]
    if response.status_code == 200:
        assert "1.20b" in response.content.decode()


@pytest.mark.parametrize("persona", ["yot_manager", "other_inspector", "assessor"])
def test_moderation_list_access(client, world, persona):
    response = as_(client, world, persona).get(reverse("casework:moderation", args=[world["inspection"].reference]))
    assert response.status_code == {"yot_manager": 404, "other_inspector": 404, "assessor": 403}[persona]


# --- Speed ------------------------------------------------------------------------------------


def _review_page_queries(client, world) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(world, "review"))
    assert response.status_code == 200
    return len(queries)


def test_the_review_page_makes_as_many_queries_for_many_judgements_as_for_one(client, world):
    as_(client, world, "assistant")
    give(world, "1.1.1", "Sufficient")
    one = _review_page_queries(client, world)
    for qid in ("1.3.1", "1.4.1", "1.10.1", "1.13.1", "1.16.1", "1.17.1", "1.18.1"):
        give(world, qid, "Insufficient")
        give(world, qid, "Sufficient")
    give(world, "1.1.1", "Insufficient")
    give(world, "1.1.3", ["Assessment not timely", "Other"])
    give(world, "1.20b", "Copied from the previous order.")
    moderation.view_judgements_agree(
        assessment=world["assessment"], view_id=1, seen=revisions(world, "1.1.1", "1.3.1"), user=world["people"]["lead"]
    )
    many = _review_page_queries(client, world)
    assert many == one


def test_changing_a_judgement_without_choosing_one_says_so(client, world):
    assessed(world)
    response = as_(client, world, "assistant").post(url(world, "review_judgement", "1.10.1"), {"reason": "Because."})
    assert response.status_code == 422
    assert '<a href="#review-1-10-1-1">1.10.1: choose the judgement</a>' in response.content.decode()
    assert "Because.</textarea>" in response.content.decode()


def test_a_judgement_asked_once_per_factor_is_agreed_and_changed_factor_by_factor(client):
    world = cf.team(programme=Programme.FJI)
    world["assessment"] = services.assessment_start(case=world["case"], user=world["people"]["assessor"])
    give(world, "2.1.0", ["Living arrangements", "Neighbourhood"])
    give(world, "3.7.1", {"Living arrangements": "Sufficient", "Neighbourhood": "Sufficient"})
    as_(client, world, "assistant")
    page = client.get(url(world, "review")).content.decode()
    assert 'name="reviewed_value-4" type="radio" value="Sufficient" checked' in page  # Neighbourhood: 4th option
    refused = client.post(url(world, "review_judgement", "3.7.1"), {"reviewed_value-4": "Insufficient"})
    assert refused.status_code == 422
    assert 'name="reviewed_value-4" type="radio" value="Insufficient" checked' in refused.content.decode()
    seen = revisions(world, "3.7.1")
    outcome = moderation.view_judgements_agree(
        assessment=world["assessment"], view_id=3, seen=seen, user=world["people"]["assistant"]
    )
    assert outcome.agreed == ["3.7.1"]
    assert Review.objects.get(question_id="3.7.1").reviewed_value == {
        "Living arrangements": "Sufficient", "Neighbourhood": "Sufficient",
    }  # fmt: skip
