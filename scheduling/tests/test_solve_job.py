"""Building the schedule in the background: the job row, its progress panel, Cancel, the sweeper,
who may open each URL, and a real Celery worker on Redis and PostgreSQL.

Celery runs eagerly here (conftest) and the task is sent after the commit, so the tests that
want the build to run wrap the start in ``django_capture_on_commit_callbacks(execute=True)``.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from inspections.enums import TeamRole
from inspections.tests import factories as f
from inspections.tests.worker import BROKER, CeleryWorker
from scheduling import selectors as S
from scheduling import services
from scheduling.enums import SolveStatus
from scheduling.models import SolveJob
from scheduling.tasks import build_schedule
from scheduling.tests.test_schedule_services import SOLVER_SECONDS, available, sqs_world


@pytest.fixture(autouse=True)
def _fast_solver(settings):
    settings.SCHEDULE_SOLVER_SECONDS = SOLVER_SECONDS


def url(name, inspection, *args):
    return reverse(f"scheduling:{name}", args=[inspection.reference, *args])


def entries(inspection) -> dict[str, str]:
    return S.assignment_of(S.entries_of(S.latest_version(inspection)))[0]


def world_with_other_sso(n_cases=6):
    inspection, people, cases = sqs_world(n_cases=n_cases)
    other = f.inspection(yot_=f.yot(name="Eastshire"))
    people["other_sso"] = f.member(other, TeamRole.SSO, username="other_sso")
    people["other_inspection"] = other
    return inspection, people, cases


# --- The job and its outcome (eager) ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_second_click_while_a_build_is_queued_returns_the_same_job():
    inspection, people, _cases = sqs_world(n_cases=4)
    first = services.solve_job_start(inspection=inspection, by=people["sso"])
    second = services.solve_job_start(inspection=inspection, by=people["lead"])
    assert second.pk == first.pk
    assert list(SolveJob.objects.values_list("status", flat=True)) == [SolveStatus.QUEUED]
    assert S.latest_version(inspection) is None  # nothing runs until the commit


@pytest.mark.django_db
def test_the_build_runs_after_the_commit_and_stores_the_schedule(django_capture_on_commit_callbacks):
    inspection, people, _cases = sqs_world(n_cases=6)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.solve_job_start(inspection=inspection, by=people["sso"])
    job.refresh_from_db()
    version = S.latest_version(inspection)
    assert (job.status, job.progress, job.version_id, job.attempts) == (SolveStatus.DONE, 100, version.pk, 1)
    assert job.started_at <= job.finished_at
    assert str(job.notices_read[0]).startswith("Schedule built (version 1): ")
    assert len(entries(inspection)) == 6
    assert version.built_from == {}  # a first build moves nothing


@pytest.mark.django_db
def test_building_again_after_a_case_manager_loses_a_day_moves_only_their_cases(django_capture_on_commit_callbacks):
    managers = [(f"M. Person{i}", f"m.person{i}@northshire.example.gov.uk") for i in range(6)]
    inspection, people, cases = sqs_world(n_cases=12, managers=managers)
    services.schedule_solve(inspection=inspection, by=people["sso"])
    before = entries(inspection)
    inputs = S.schedule_inputs(inspection)
    case = inputs.case_by_ref[cases[0].reference]
    day = inputs.slot(before[case.reference]).day
    email = case.case_manager_email
    available(inspection, email, people["yot_manager"], windows={day: []})
    theirs = {
        ref
        for ref, slot_id in before.items()
        if inputs.case_by_ref[ref].case_manager_email == email and inputs.slot(slot_id).day == day
    }
    with django_capture_on_commit_callbacks(execute=True):
        job = services.solve_job_start(inspection=inspection, by=people["sso"])
    job.refresh_from_db()
    after = entries(inspection)
    moved = {ref for ref in before if after[ref] != before[ref]}
    assert job.status == SolveStatus.DONE
    assert theirs <= moved
    assert sorted(moved) == job.moved
    assert S.latest_version(inspection).built_from == before
    notices = [str(n) for n in job.notices_read]
    assert any(n.startswith(f"{len(moved)} case") and "moved from where the last version had" in n for n in notices)


@pytest.mark.django_db
def test_an_impossible_schedule_ends_the_build_with_the_reasons(django_capture_on_commit_callbacks):
    managers = [("J. Smith", "j.smith@northshire.example.gov.uk")]
    inspection, people, _cases = sqs_world(n_cases=2, managers=managers)
    available(
        inspection, "j.smith@northshire.example.gov.uk", people["yot_manager"], windows={day: [] for day in range(5)}
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = services.solve_job_start(inspection=inspection, by=people["sso"])
    job.refresh_from_db()
    assert job.status == SolveStatus.NO_SCHEDULE
    assert str(job.message_read) == "No schedule is possible yet:"
    assert job.problems and all("J. Smith" in str(p) for p in job.problems_read)
    assert S.latest_version(inspection) is None


@pytest.mark.django_db
def test_cancelling_a_queued_build_means_it_never_runs():
    inspection, people, _cases = sqs_world(n_cases=4)
    services.schedule_solve(inspection=inspection, by=people["sso"])
    before = entries(inspection)
    version = S.latest_version(inspection)
    job = services.solve_job_start(inspection=inspection, by=people["sso"])
    job = services.solve_job_cancel(job=job, by=people["sso"])
    assert (job.status, job.cancel_requested, job.cancelled_by) == (SolveStatus.CANCELLED, True, people["sso"])
    assert services.solve_job_run(job_id=job.pk) is None  # the delivery finds nothing to claim
    job.refresh_from_db()
    assert (job.status, job.attempts) == (SolveStatus.CANCELLED, 0)
    assert entries(inspection) == before
    assert S.latest_version(inspection).updated_at == version.updated_at


@pytest.mark.django_db
def test_a_cancelled_build_whose_worker_stopped_is_never_run_again_and_ends_cancelled():
    inspection, people, _cases = sqs_world(n_cases=6)
    services.schedule_solve(inspection=inspection, by=people["sso"])
    before, version = entries(inspection), S.latest_version(inspection)
    job = services.solve_job_start(inspection=inspection, by=people["sso"])
    assert services._solve_job_claim(job.pk)  # a worker has it ...
    services.solve_job_cancel(job=job, by=people["sso"])  # ... the SSO cancels, and the worker dies
    job.refresh_from_db()
    assert (job.status, job.cancel_requested, str(job.message_read)) == (SolveStatus.RUNNING, True, "Cancelling…")
    SolveJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(days=1))
    assert services.solve_job_run(job_id=job.pk) is None  # a redelivery does not take it over
    assert services.solve_jobs_sweep()["failed"] == [job.pk]
    job.refresh_from_db()
    assert job.status == SolveStatus.CANCELLED
    assert entries(inspection) == before and S.latest_version(inspection).updated_at == version.updated_at


@pytest.mark.django_db
def test_the_sweeper_sends_a_lost_build_again_and_fails_one_out_of_attempts(django_capture_on_commit_callbacks):
    inspection, people, _cases = sqs_world(n_cases=4)
    job = services.solve_job_start(inspection=inspection, by=people["sso"])
    SolveJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(minutes=10))
    with django_capture_on_commit_callbacks(execute=True):
        done = services.solve_jobs_sweep()
    job.refresh_from_db()
    assert done["sent_again"] == [job.pk]
    assert job.status == SolveStatus.DONE and "Sent to a worker again" in str(job.retry_note)
    stuck = services.solve_job_start(inspection=inspection, by=people["sso"])
    SolveJob.objects.filter(pk=stuck.pk).update(
        status=SolveStatus.RUNNING,
        attempts=services.SOLVE_MAX_ATTEMPTS,
        heartbeat_at=timezone.now() - dt.timedelta(days=1),
    )
    assert services.solve_jobs_sweep()["failed"] == [stuck.pk]
    stuck.refresh_from_db()
    assert stuck.status == SolveStatus.FAILED and "was not tried again" in str(stuck.message_read)


@pytest.mark.django_db
def test_one_active_build_per_inspection_is_kept_by_the_database():
    from django.db import IntegrityError, transaction

    inspection, people, _cases = sqs_world(n_cases=2)
    services.solve_job_start(inspection=inspection, by=people["sso"])
    with pytest.raises(IntegrityError), transaction.atomic():
        SolveJob.objects.create(inspection=inspection, created_by=people["lead"], time_limit_s=1)


@pytest.mark.django_db(transaction=True)
def test_six_simultaneous_build_clicks_queue_one_build(monkeypatch):
    from inspections.models import AuditEvent
    from inspections.tests.test_concurrency import _race

    if connection.vendor != "postgresql":
        pytest.skip("simultaneous transactions need PostgreSQL")
    # Queued, not run: a build finished before the last click would rightly allow a new one.
    monkeypatch.setattr("scheduling.tasks.enqueue_solve", lambda job: None)
    inspection, people, _cases = sqs_world(n_cases=2)
    results = _race(6, lambda i: services.solve_job_start(inspection=inspection, by=people["sso"]))
    assert all(isinstance(r, SolveJob) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert SolveJob.objects.filter(inspection=inspection).count() == 1
    assert AuditEvent.objects.filter(inspection=inspection, action="schedule_build_queued").count() == 1


# --- Pages ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_schedule_page_shows_a_running_build_with_its_bar_cancel_and_refresh_link(client):
    inspection, people, _cases = sqs_world(n_cases=4)
    job = services.solve_job_start(inspection=inspection, by=people["sso"])  # queued: no commit here
    client.force_login(people["sso"])
    page = client.get(url("schedule", inspection)).content.decode()
    assert "Building the schedule" in page
    assert f'hx-get="{url("solve_progress", inspection, job.pk)}" hx-trigger="every 1s"' in page
    assert '<progress class="app-progress" max="100" value="0"' in page
    assert f'href="{url("schedule", inspection)}#solve-progress">Refresh to check progress' in page
    assert f'action="{url("solve_cancel", inspection, job.pk)}"' in page
    partial = client.get(url("solve_progress", inspection, job.pk), HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    assert "Cancel building the schedule" in partial.content.decode()


@pytest.mark.django_db
def test_the_poll_reloads_the_page_once_the_build_has_ended_and_the_page_says_how(
    client, django_capture_on_commit_callbacks
):
    inspection, people, _cases = sqs_world(n_cases=4)
    client.force_login(people["sso"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("solve", inspection), HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == url("schedule", inspection)
    job = SolveJob.objects.get()
    poll = client.get(url("solve_progress", inspection, job.pk), HTTP_HX_REQUEST="true")
    assert poll.status_code == 204 and poll["HX-Redirect"] == url("schedule", inspection)
    page = client.get(url("schedule", inspection)).content.decode()
    assert "Schedule built (version 1): " in page and 'hx-trigger="every 1s"' not in page


@pytest.mark.django_db
def test_cancel_from_the_page_says_the_schedule_has_not_changed(client):
    inspection, people, _cases = sqs_world(n_cases=4)
    services.schedule_solve(inspection=inspection, by=people["sso"])
    before = entries(inspection)
    job = services.solve_job_start(inspection=inspection, by=people["sso"])
    client.force_login(people["sso"])
    response = client.post(url("solve_cancel", inspection, job.pk), follow=True)
    assert "You cancelled building the schedule, so the schedule has not changed." in response.content.decode()
    assert entries(inspection) == before
    again = client.post(url("solve_cancel", inspection, job.pk), follow=True)
    assert "The build had already ended before it could be cancelled." in again.content.decode()


@pytest.mark.django_db
def test_the_outcome_leaves_the_page_once_the_schedule_changes(client, django_capture_on_commit_callbacks):
    inspection, people, cases = sqs_world(n_cases=4)
    with django_capture_on_commit_callbacks(execute=True):
        services.solve_job_start(inspection=inspection, by=people["sso"])
    client.force_login(people["sso"])
    assert "Schedule built (version 1): " in client.get(url("schedule", inspection)).content.decode()
    services.schedule_pin(inspection=inspection, case=cases[0], pinned=True, by=people["sso"])
    assert "Schedule built (version 1): " not in client.get(url("schedule", inspection)).content.decode()


@pytest.mark.django_db
def test_a_failed_build_says_so_and_that_nothing_changed(client):
    from inspections.domain.messages import _ as message

    inspection, people, _cases = sqs_world(n_cases=2)
    job = services.solve_job_start(inspection=inspection, by=people["sso"])
    services.solve_job_fail(
        job_id=job.pk, text=message("Something went wrong while building the schedule (%(error)s).", error="E")
    )
    client.force_login(people["sso"])
    page = client.get(url("schedule", inspection)).content.decode()
    assert "The schedule could not be built" in page
    assert "Something went wrong while building the schedule (E)." in page
    assert "The schedule has not changed. Build it again." in page


# --- Access ----------------------------------------------------------------------------------------------

FORBIDDEN = {
    "assistant": 403,
    "assessor": 403,
    "yot_manager": 403,
    "stranger": 404,
    "other_lead": 404,
    "other_sso": 404,
}


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "status"), sorted(FORBIDDEN.items()))
def test_who_may_not_build_gets_nothing_and_changes_nothing(client, persona, status):
    inspection, people, _cases = world_with_other_sso()
    job = services.solve_job_start(inspection=inspection, by=people["sso"])
    client.force_login(people[persona])
    assert client.post(url("solve", inspection)).status_code == status
    assert client.get(url("solve_progress", inspection, job.pk), HTTP_HX_REQUEST="true").status_code == status
    assert client.post(url("solve_cancel", inspection, job.pk)).status_code == status
    job.refresh_from_db()
    assert (job.status, job.cancel_requested) == (SolveStatus.QUEUED, False)
    assert SolveJob.objects.count() == 1
    page = client.get(url("schedule", inspection))
    assert "Building the schedule" not in page.content.decode()


@pytest.mark.django_db
def test_a_build_of_another_inspection_is_not_found_under_this_one(client):
    inspection, people, _cases = world_with_other_sso()
    other = people["other_inspection"]
    theirs = SolveJob.objects.create(inspection=other, created_by=people["other_sso"], time_limit_s=1)
    client.force_login(people["sso"])
    assert client.get(url("solve_progress", inspection, theirs.pk), HTTP_HX_REQUEST="true").status_code == 404
    assert client.post(url("solve_cancel", inspection, theirs.pk)).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.status, theirs.cancel_requested) == (SolveStatus.QUEUED, False)


# --- A real worker ---------------------------------------------------------------------------------------


@pytest.fixture
def queue():
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield f"test-scheduling-{uuid.uuid4().hex}"
    celery_app.conf.task_always_eager = eager


def send(job: SolveJob, queue: str) -> None:
    with celery_app.connection_for_write(BROKER) as conn:
        build_schedule.apply_async(kwargs={"job_id": job.pk}, queue=queue, connection=conn)


def wait_for(predicate, timeout: float, what: str, log_file, pause: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(pause)
    raise AssertionError(f"timed out waiting for {what}\n{log_file.read_text(errors='replace')}")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
class TestRealWorker:
    @pytest.fixture(autouse=True)
    def _postgres_only(self):
        if connection.vendor != "postgresql":
            pytest.skip("the worker shares the test database, which needs PostgreSQL")

    def test_a_worker_builds_the_schedule_and_the_page_shows_it(self, client, queue, tmp_path):
        inspection, people, _cases = sqs_world(n_cases=8)
        job = SolveJob.objects.create(inspection=inspection, created_by=people["sso"], time_limit_s=10)
        log = tmp_path / "worker.log"
        worker = CeleryWorker(queue, log)
        try:
            send(job, queue)
            send(job, queue)  # a second delivery finds the build claimed or done and does nothing

            def ended():
                job.refresh_from_db()
                return not job.is_active

            wait_for(ended, 90, "the build", log)
        finally:
            output = worker.stop()
        assert job.status == SolveStatus.DONE, output
        assert job.attempts == 1
        assert len(entries(inspection)) == 8
        client.force_login(people["sso"])
        page = client.get(url("schedule", inspection)).content.decode()
        assert "Schedule built (version 1): " in page

    def test_cancel_while_the_worker_builds_leaves_the_schedule_untouched(self, client, queue, tmp_path):
        inspection, people, _cases = sqs_world(n_cases=20)
        services.schedule_solve(inspection=inspection, by=people["sso"])
        before, version = entries(inspection), S.latest_version(inspection)
        job = SolveJob.objects.create(inspection=inspection, created_by=people["sso"], time_limit_s=30)
        client.force_login(people["sso"])
        log = tmp_path / "worker.log"
        worker = CeleryWorker(queue, log)
        try:
            send(job, queue)

            def running():
                return SolveJob.objects.filter(pk=job.pk, status=SolveStatus.RUNNING).exists()

            wait_for(running, 90, "the worker to start the build", log, pause=0.002)
            # The whole build takes about a third of a second here: cancel as the Cancel view does,
            # without a request's overhead (the view itself is tested above).
            services.solve_job_cancel(job=job, by=people["sso"])

            def ended():
                job.refresh_from_db()
                return not job.is_active

            wait_for(ended, 30, "the build to stop", log)
        finally:
            output = worker.stop()
        assert job.status == SolveStatus.CANCELLED, output
        assert job.finished_at - job.started_at < dt.timedelta(seconds=5)  # of the 30 s allowed
        assert entries(inspection) == before
        assert S.latest_version(inspection).updated_at == version.updated_at
        page = client.get(url("schedule", inspection)).content.decode()
        assert "You cancelled building the schedule, so the schedule has not changed." in page
