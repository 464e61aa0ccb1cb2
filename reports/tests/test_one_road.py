"""One road to "what is scored" (issue 10 §3): the Scores page, the draft letter and the chart pack
count the same cases (completed assessments, reviews that still hold); the chart pack's sample
charts show the whole sample; a draft with no completed case is refused with a message."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casework.models import Review
from casework.services.assessment import inspection_scores
from inspections.enums import Status
from reports.enums import JobKind
from reports.selectors import inspection_data
from reports.services import job_create
from reports.tests.factories import assessed_case, world

pytestmark = pytest.mark.django_db


def test_page_letter_and_chart_pack_count_the_same_cases(client):
    inspection, people = world(status=Status.DRAFT_REPORT)  # six completed cases
    lead = people["lead"]
    # One case still being assessed, with a judgement answered: it counts nowhere yet.
    assessed_case(inspection, {"1.1.1": "Sufficient"}, by=lead, position=7, completed=False)
    # A review of a judgement the assessor has since changed no longer holds.
    case = inspection.cases.get(position=1)
    Review.objects.create(
        assessment=case.assessment,
        question_id="1.1.1",
        original_value="a value no longer answered",
        reviewed_value="Insufficient",
        agreed=False,
        reason="Moderated",
        reviewer=lead,
    )
    page_scores = inspection_scores(inspection)
    report = inspection_data(inspection)  # what the letter and the chart pack are drawn from
    assert page_scores.completed == 6 and page_scores.cases == 7
    assert report.scores == page_scores.scores
    assert report.scores.cases == 6
    # The sample's make-up charts show all seven cases of the sample.
    assert len(report.profiles) == 7

    client.force_login(lead)
    scores_page = client.get(reverse("casework:scores", args=[inspection.reference])).content.decode()
    overall = page_scores.scores.overall
    assert f"{overall.sufficient + overall.insufficient}" in scores_page


def test_a_draft_with_no_completed_case_is_refused_with_a_message():
    inspection, people = world(status=Status.DRAFT_REPORT)
    inspection.cases.all().delete()
    assessed_case(inspection, {"1.1.1": "Sufficient"}, by=people["lead"], position=1, completed=False)
    with pytest.raises(ValidationError, match="No case assessment is complete yet"):
        job_create(kind=JobKind.DRAFT, by=people["lead"], inspection=inspection)
