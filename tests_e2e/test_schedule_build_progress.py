"""Issue 12 §7 in a real browser: while the schedule is being built the page shows a bar that
follows the build (htmx polls it every second), Cancel stops it, and once the build has ended the
page reloads to say the schedule has not changed; axe finds no serious or critical violation.

No worker runs here: the build's row is claimed and ended with the services a worker uses, so the
test is of what the page shows and does (the real worker is tested in
scheduling/tests/test_solve_job.py).
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from inspections.domain.messages import _ as message
from inspections.domain.messages import to_text_field
from scheduling import selectors as S
from scheduling import services
from scheduling.enums import SolveStatus
from scheduling.models import SolveJob
from scheduling.tests.test_schedule_services import sqs_world
from tests_e2e.conftest import assert_accessible, sign_in

PASSWORD = "correct horse battery"


@pytest.mark.django_db(transaction=True)
def test_the_sso_watches_the_build_and_cancels_it(page, live_server, settings):
    settings.SCHEDULE_SOLVER_SECONDS = 3
    inspection, people, _cases = sqs_world(n_cases=6)
    services.schedule_solve(inspection=inspection, by=people["sso"])
    before = S.assignment_of(S.entries_of(S.latest_version(inspection)))[0]
    job = SolveJob.objects.create(inspection=inspection, created_by=people["sso"], time_limit_s=10)
    token = services._solve_job_claim(job.pk)  # a worker has started it
    schedule_url = f"{live_server.url}/inspections/{inspection.reference}/schedule/"

    sign_in(page, live_server.url, "sso", PASSWORD)
    page.goto(schedule_url)
    page.wait_for_selector("h2:has-text('Building the schedule')")
    assert page.get_attribute("progress.app-progress", "value") == "0"
    assert "Reading the sample and the case managers’ availability" in page.inner_text("#solve-progress")
    assert_accessible(page, "schedule-build-01-running")

    # The worker's heartbeat moves the bar; the page follows without being reloaded.
    SolveJob.objects.filter(pk=job.pk).update(
        progress=41, message=to_text_field(message("Looking for the schedule that fits best"), 500)
    )
    page.wait_for_selector("progress.app-progress[value='41']", timeout=5_000)
    assert "Looking for the schedule that fits best" in page.inner_text("#solve-progress")

    page.click("button:has-text('Cancel building the schedule')")
    page.wait_for_selector("#solve-progress strong.govuk-tag:has-text('Cancelling')")
    assert SolveJob.objects.get(pk=job.pk).cancel_requested

    # The worker sees the flag and stops: the next poll reloads the page, which says so.
    services._solve_job_end(job.pk, token, SolveStatus.CANCELLED, message("Cancelled: the schedule has not changed."))
    page.wait_for_selector("text=You cancelled building the schedule, so the schedule has not changed.", timeout=5_000)
    assert page.url.startswith(schedule_url)
    assert S.assignment_of(S.entries_of(S.latest_version(inspection)))[0] == before
    assert SolveJob.objects.get(pk=job.pk).finished_at <= timezone.now()
    assert_accessible(page, "schedule-build-02-cancelled")
