"""Jobs, the draft's sections and versions, factual accuracy and publication (Celery eager)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from inspections.enums import Country, Programme, Status
from inspections.models import Inspection, StatusChange
from reports import services
from reports.enums import CommentStatus, JobKind, JobStatus, ReportStage
from reports.generation import draft_report_generate
from reports.models import Judgement, Report, ReportJob, SectionVersion
from reports.tests.factories import after_the_check, finish_sections, world

pytestmark = pytest.mark.django_db


def run(kind, inspection, by, capture):
    with capture(execute=True):
        job = services.job_create(kind=kind, by=by, inspection=inspection)
    job.refresh_from_db()
    return job


def test_generating_the_draft_makes_versioned_sections_from_the_scores(django_capture_on_commit_callbacks):
    inspection, people = world()
    job = run(JobKind.DRAFT, inspection, people["lead"], django_capture_on_commit_callbacks)
    assert (job.status, job.progress, job.attempts) == (JobStatus.DONE, 100, 1)
    assert [f.filename for f in job.files.all()] == [f"{inspection.reference}-letter-draft.pdf"]
    report = Report.objects.get(inspection=inspection)
    sections = {s.key: s for s in report.sections.all()}
    assert list(sections) == ["strengths", "improvements", "commentary"]
    assert sections["strengths"].current.number == 1
    assert sections["strengths"].current.author is None
    assert "83.3% Sufficient (5 of 6 judgements)" in sections["strengths"].current.text
    assert "Plan not timely (3)" in sections["improvements"].current.text
    # Narratives are prompts beside the editor, never the report's text.
    assert len(sections["commentary"].prompts) == 6
    assert "Bethany" not in sections["commentary"].current.text


def test_the_lead_inspectors_edits_are_kept_and_never_overwritten(django_capture_on_commit_callbacks):
    inspection, people = world()
    run(JobKind.DRAFT, inspection, people["lead"], django_capture_on_commit_callbacks)
    section = Report.objects.get(inspection=inspection).sections.get(key="strengths")
    services.section_save(section=section, by=people["lead"], text="- Assessments were thorough.")
    assert (
        services.section_save(section=section, by=people["lead"], text="- Assessments were thorough.") is None
    )  # unchanged
    services.section_save(section=section, by=people["lead"], text="- Assessments were thorough and timely.")
    run(JobKind.DRAFT, inspection, people["lead"], django_capture_on_commit_callbacks)
    versions = list(SectionVersion.objects.filter(section=section).values_list("number", "author_id", "text"))
    assert versions == [
        (1, None, versions[0][2]),
        (2, people["lead"].pk, "- Assessments were thorough."),
        (3, people["lead"].pk, "- Assessments were thorough and timely."),
    ]


def test_a_second_click_while_a_job_is_queued_returns_the_same_job():
    inspection, people = world()
    first = services.job_create(kind=JobKind.DRAFT, by=people["lead"], inspection=inspection)
    second = services.job_create(kind=JobKind.DRAFT, by=people["lead"], inspection=inspection)
    assert first.pk == second.pk
    assert ReportJob.objects.count() == 1


def test_a_job_runs_once_even_when_delivered_twice(django_capture_on_commit_callbacks):
    inspection, people = world()
    job = run(JobKind.DRAFT, inspection, people["lead"], django_capture_on_commit_callbacks)
    assert draft_report_generate(job_id=job.pk) is None  # already done: the claim fails
    assert draft_report_generate(job_id=999_999) is None  # gone
    job.refresh_from_db()
    assert (job.attempts, job.files.count()) == (1, 1)


def test_a_running_job_is_taken_over_only_once_its_heartbeat_is_stale(settings):
    settings.REPORTS_JOB_STALE_SECONDS = 60
    inspection, people = world()
    job = ReportJob.objects.create(inspection=inspection, kind=JobKind.DRAFT, created_by=people["lead"])
    now = dt.datetime(2027, 2, 15, 10, 0, tzinfo=dt.UTC)
    first = services.job_claim(job_id=job.pk, now=now)
    assert first
    assert services.job_claim(job_id=job.pk, now=now + dt.timedelta(seconds=30)) is None
    second = services.job_claim(job_id=job.pk, now=now + dt.timedelta(seconds=61))
    assert second and second != first
    with pytest.raises(services.JobLost):  # the first worker, if alive, can no longer write
        services.job_progress(job_id=job.pk, token=first, progress=50, message="x")
    job.refresh_from_db()
    assert job.attempts == 2


def test_a_kind_the_programme_does_not_have_is_refused():
    inspection, people = world()
    with pytest.raises(ValidationError, match="has no"):
        services.job_create(kind=JobKind.POSTER, by=people["lead"], inspection=inspection)


def test_send_comment_resolve_publish_moves_the_status_and_freezes(django_capture_on_commit_callbacks):
    inspection, people = world()
    run(JobKind.DRAFT, inspection, people["lead"], django_capture_on_commit_callbacks)
    report = Report.objects.get(inspection=inspection)
    finish_sections(report, people["lead"])
    with django_capture_on_commit_callbacks(execute=True):
        services.report_send(report=report, by=people["lead"])
    inspection.refresh_from_db()
    assert inspection.status == Status.FACTUAL_ACCURACY
    assert report.stage == ReportStage.FACTUAL_ACCURACY
    section = report.sections.get(key="commentary")
    due = services.comments_close_at(report)
    comment = services.comment_add(
        section=section, by=people["yot_manager"], text="We inspected 6 cases, not 7.", now=due - dt.timedelta(hours=1)
    )
    with pytest.raises(ValidationError, match="closed"):
        services.comment_add(section=section, by=people["yot_manager"], text="Late", now=due + dt.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="Resolve every comment"):
        services.report_publish(report=report, by=people["lead"], now=after_the_check(report))
    with pytest.raises(ValidationError):
        services.comment_resolve(comment=comment, by=people["lead"], status=CommentStatus.REJECTED, note="  ")
    services.comment_resolve(
        comment=comment, by=people["lead"], status=CommentStatus.REJECTED, note="The sample was 6 cases."
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.report_publish(report=report, by=people["lead"], now=after_the_check(report))
    inspection.refresh_from_db()
    report.refresh_from_db()
    assert inspection.status == Status.PUBLISHED
    assert list(StatusChange.objects.filter(inspection=inspection).values_list("to_status", flat=True)) == [
        Status.FACTUAL_ACCURACY,
        Status.PUBLISHED,
    ]
    assert report.published_file.filename == f"{inspection.reference}-letter-published.pdf"
    with pytest.raises(ValidationError, match="published"):
        services.section_save(section=section, by=people["lead"], text="Changed after publication")
    with pytest.raises(ValidationError, match="published"):
        services.job_create(kind=JobKind.DRAFT, by=people["lead"], inspection=inspection)


def test_sending_needs_the_inspection_at_draft_report(django_capture_on_commit_callbacks):
    inspection, people = world(status=Status.FIELDWORK)
    run(JobKind.DRAFT, inspection, people["lead"], django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="Draft report"):
        services.report_send(report=Report.objects.get(inspection=inspection), by=people["lead"])


def test_wales_publication_needs_every_welsh_version(django_capture_on_commit_callbacks):
    inspection, people = world(country=Country.WALES, status=Status.FACTUAL_ACCURACY)
    run(JobKind.DRAFT, inspection, people["lead"], django_capture_on_commit_callbacks)
    report = Report.objects.get(inspection=inspection)
    Report.objects.filter(pk=report.pk).update(stage=ReportStage.FACTUAL_ACCURACY)
    report.refresh_from_db()
    finish_sections(report, people["lead"])
    with pytest.raises(ValidationError, match="Welsh version of every section"):
        services.report_publish(report=report, by=people["lead"], now=after_the_check(report))
    finish_sections(report, people["lead"], welsh=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_publish(report=report, by=people["lead"], now=after_the_check(report))
    assert Inspection.objects.get(pk=inspection.pk).status == Status.PUBLISHED


def test_fji_judgements_are_proposed_and_set_by_the_lead_inspector(django_capture_on_commit_callbacks):
    inspection, people = world(programme=Programme.FJI)
    job = run(JobKind.FJI, inspection, people["lead"], django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE
    report = Report.objects.get(inspection=inspection)
    proposed = dict(report.judgements.values_list("key", "proposed_stars"))
    assert proposed == {
        "theme-reoffending": 2,
        "theme-public": 3,
        "theme-child": None,
        "theme-sentence": None,
        "module-court_work": None,
    }
    with pytest.raises(ValidationError, match="judgement of every theme"):
        services.report_send(report=report, by=people["lead"])
    for judgement in report.judgements.all():
        services.judgement_set(judgement=judgement, by=people["lead"], stars=judgement.proposed_stars or 3)
    with pytest.raises(ValidationError):
        services.judgement_set(judgement=Judgement.objects.first(), by=people["lead"], stars=5)
    poster = run(JobKind.POSTER, inspection, people["lead"], django_capture_on_commit_callbacks)
    assert poster.status == JobStatus.DONE
    assert poster.files.get().pages == 1


def test_good_practice_marks_are_sqs_only_and_need_a_note():
    inspection, people = world()
    with pytest.raises(ValidationError):
        services.good_practice_mark(inspection=inspection, by=people["lead"], note=" ")
    mark = services.good_practice_mark(inspection=inspection, by=people["lead"], note="Thorough assessments.")
    assert mark.note == "Thorough assessments."
    services.good_practice_unmark(inspection=inspection, by=people["lead"])
    assert not hasattr(Inspection.objects.get(pk=inspection.pk), "good_practice") or True
