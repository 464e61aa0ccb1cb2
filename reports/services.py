"""Writes for reports. Each validates, writes in one transaction, leaves an audit row and enqueues
background work with ``transaction.on_commit``.

Jobs: ``job_create`` makes the row and enqueues the task; a worker then ``job_claim``s it with a
conditional UPDATE (a status guard plus a claim token), reports ``job_progress`` (which is also the
heartbeat), and ``job_finish``es it in one transaction that writes the files and whatever the job
changes (the generated sections) only if it still holds the claim. So a job delivered twice runs
once, and a job whose worker was killed is taken over once its heartbeat is stale.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.enums import Country, Programme, Status
from inspections.models import AuditEvent, Inspection, User
from inspections.services import inspection_set_status
from reports.enums import CommentStatus, JobKind, JobStatus, ReportStage
from reports.models import (
    FactualComment,
    GoodPractice,
    Judgement,
    Report,
    ReportFile,
    ReportJob,
    ReportSection,
    SectionVersion,
)

log = logging.getLogger(__name__)

# Which job kinds each programme has (seed 000 §3.5 for SQS; seed 001 §12 for FJI).
KINDS_FOR = {
    Programme.SQS: (JobKind.DRAFT, JobKind.CHART_PACK),
    Programme.FJI: (JobKind.FJI, JobKind.POSTER, JobKind.CHART_PACK),
}
REPORT_KIND = {Programme.SQS: JobKind.DRAFT, Programme.FJI: JobKind.FJI}


def _audit(inspection: Inspection | None, actor: User | None, action: str, **detail) -> None:
    if inspection is not None:
        AuditEvent.objects.create(inspection=inspection, actor=actor, action=action, detail=detail)


def stale_after() -> dt.timedelta:
    """A running job silent this long has lost its worker: longer than Celery's hard time limit,
    after which the worker itself would have killed the task."""
    seconds = getattr(settings, "REPORTS_JOB_STALE_SECONDS", settings.CELERY_TASK_TIME_LIMIT + 60)
    return dt.timedelta(seconds=seconds)


# --- Jobs --------------------------------------------------------------------------------


def job_create(
    *,
    kind: str,
    by: User,
    inspection: Inspection | None = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
) -> ReportJob:
    """Queue a generation. A second click while one is queued or running returns that one."""
    if kind == JobKind.AGGREGATE:
        if period_start is None or period_end is None or period_start > period_end:
            raise ValidationError(_("Enter a period whose start is on or before its end."))
        inspection = None
    else:
        if inspection is None:
            raise ValidationError(_("Choose the inspection."))
        if kind not in KINDS_FOR[inspection.programme]:
            raise ValidationError(
                _("A %(programme)s has no %(kind)s.")
                % {"programme": inspection.get_programme_display(), "kind": JobKind(kind).label}
            )
        report = Report.objects.filter(inspection=inspection).first()
        if kind in (JobKind.DRAFT, JobKind.FJI) and report and report.published_file_id:
            raise ValidationError(_("The report is published: the published version cannot change."))
    with transaction.atomic():
        active = ReportJob.objects.select_for_update().filter(
            inspection=inspection, kind=kind, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)
        )
        if inspection is not None and (existing := active.first()):
            return existing
        job = ReportJob.objects.create(
            inspection=inspection, kind=kind, created_by=by, period_start=period_start, period_end=period_end
        )
        _audit(inspection, by, "report_job_queued", kind=kind, job=job.pk)
        from reports.tasks import enqueue_job

        enqueue_job(job)
    return job


def job_retry(*, job: ReportJob, by: User) -> ReportJob:
    """A failed job, run again as a new job (the failed one stays, with its message)."""
    if job.status != JobStatus.FAILED:
        raise ValidationError(_("Only a failed job can be retried."))
    return job_create(
        kind=job.kind, by=by, inspection=job.inspection, period_start=job.period_start, period_end=job.period_end
    )


class JobLost(Exception):
    """The job is gone, finished, or was taken over by another worker: stop quietly."""


def job_claim(*, job_id: int, now: dt.datetime | None = None) -> str | None:
    """Claim the job for this worker; the claim token, or None when it is not ours to run.

    The conditional UPDATE takes a queued job, or a running job whose heartbeat is stale (its
    worker died). Only one UPDATE can match, so two deliveries never both run it.
    """
    now = now or timezone.now()
    token = uuid.uuid4().hex
    claimed = (
        ReportJob.objects.filter(pk=job_id)
        .filter(Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, heartbeat_at__lt=now - stale_after()))
        .update(
            status=JobStatus.RUNNING,
            claim_token=token,
            attempts=F("attempts") + 1,
            started_at=now,
            heartbeat_at=now,
            progress=0,
            message=_("Starting"),
        )
    )
    return token if claimed else None


class JobBusy(Exception):
    """Another worker holds the job and its heartbeat is fresh: look again once it could be stale."""

    def __init__(self, retry_in: float):
        super().__init__(retry_in)
        self.retry_in = retry_in


def job_busy_for(*, job_id: int, now: dt.datetime | None = None) -> float | None:
    """Seconds until a running job's heartbeat turns stale; None when it is not running."""
    now = now or timezone.now()
    heartbeat = (
        ReportJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).values_list("heartbeat_at", flat=True).first()
    )
    if heartbeat is None:
        return None
    return max((heartbeat + stale_after() - now).total_seconds(), 0.0) + 1.0


def job_progress(*, job_id: int, token: str, progress: int, message: str) -> None:
    updated = ReportJob.objects.filter(pk=job_id, status=JobStatus.RUNNING, claim_token=token).update(
        progress=max(0, min(progress, 99)), message=message[:500], heartbeat_at=timezone.now()
    )
    if not updated:
        raise JobLost(job_id)


@dataclass(frozen=True)
class OutputFile:
    filename: str
    content_type: str
    data: bytes
    pages: int | None = None


def job_finish(
    *, job_id: int, token: str, files: list[OutputFile], apply: Callable[[ReportJob], None] | None = None
) -> ReportJob:
    """Store the files and mark the job done, only while this worker holds the claim.

    ``apply`` writes what else the job changes (generated sections, judgements) in the same
    transaction, so it happens exactly once with the job's completion.
    """
    saved: list[ReportFile] = []
    try:
        with transaction.atomic():
            job = (
                ReportJob.objects.select_for_update()
                .filter(pk=job_id, status=JobStatus.RUNNING, claim_token=token)
                .first()
            )
            if job is None:
                raise JobLost(job_id)
            for output in files:
                record = ReportFile(
                    job=job,
                    filename=output.filename,
                    content_type=output.content_type,
                    size=len(output.data),
                    pages=output.pages,
                )
                record.file.save(output.filename, ContentFile(output.data), save=False)
                saved.append(record)
                record.save()
            if apply is not None:
                apply(job)
            job.status = JobStatus.DONE
            job.progress = 100
            job.message = _("Ready")
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "progress", "message", "finished_at"])
            _audit(
                job.inspection, None, "report_job_done", kind=job.kind, job=job.pk, files=[f.filename for f in files]
            )
    except BaseException:
        for record in saved:  # the row is rolled back; do not leave its file behind
            record.file.delete(save=False)
        raise
    return job


def job_release(*, job_id: int, token: str, message: str) -> None:
    """Give the claim back after a transient error, so the retry can claim it."""
    ReportJob.objects.filter(pk=job_id, status=JobStatus.RUNNING, claim_token=token).update(
        status=JobStatus.QUEUED, message=message[:500], claim_token=""
    )


def job_fail(*, job_id: int, message: str) -> None:
    """Mark a job failed (from the task's on_failure): the page then offers a retry."""
    ReportJob.objects.filter(pk=job_id, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)).update(
        status=JobStatus.FAILED, message=message[:500], finished_at=timezone.now(), claim_token=""
    )


# --- Sections ------------------------------------------------------------------------------


def _editable(report: Report) -> None:
    if report.is_frozen:
        raise ValidationError(_("The report is published: the published version cannot change."))


@transaction.atomic
def section_save(*, section: ReportSection, by: User, text: str, text_cy: str = "") -> SectionVersion | None:
    """Keep a new version when the text changed; every earlier version stays."""
    report = Report.objects.select_for_update().get(pk=section.report_id)
    _editable(report)
    if not text.strip():
        raise ValidationError({"text": _("Enter the text of this section.")})
    if report.inspection.country != Country.WALES:
        text_cy = ""
    current = section.current
    if current and current.text == text and current.text_cy == text_cy:
        return None
    number = (current.number if current else 0) + 1
    version = SectionVersion.objects.create(section=section, number=number, text=text, text_cy=text_cy, author=by)
    _audit(report.inspection, by, "report_section_saved", section=section.key, version=number)
    return version


@transaction.atomic
def judgement_set(*, judgement: Judgement, by: User, stars: int) -> Judgement:
    report = Report.objects.select_for_update().get(pk=judgement.report_id)
    _editable(report)
    if stars not in (1, 2, 3, 4):
        raise ValidationError({"stars": _("Choose from one to four stars.")})
    judgement.stars, judgement.set_by, judgement.set_at = stars, by, timezone.now()
    judgement.save(update_fields=["stars", "set_by", "set_at"])
    _audit(report.inspection, by, "report_judgement_set", area=judgement.key, stars=stars)
    return judgement


# --- Factual accuracy and publication --------------------------------------------------------


def report_send(*, report: Report, by: User) -> Report:
    """Send the draft to the YOT manager: inspection draft_report → factual_accuracy (seed 000 §14.3).

    Side effects: the YOT manager may now read and comment on it; a new PDF marked for the factual
    accuracy check is generated.
    """
    inspection = report.inspection
    if report.stage != ReportStage.DRAFTING:
        raise ValidationError(_("This report has already been sent."))
    if not report.sections.exists():
        raise ValidationError(_("Generate the draft before sending it."))
    if inspection.programme == Programme.FJI and report.judgements.filter(stars__isnull=True).exists():
        raise ValidationError(_("Set the judgement of every theme and module before sending the report."))
    if inspection.status != Status.DRAFT_REPORT:
        raise ValidationError(
            _("The inspection must be at “%(status)s” to send the draft: it is at “%(now)s”.")
            % {"status": Status.DRAFT_REPORT.label, "now": inspection.get_status_display()}
        )
    with transaction.atomic():
        inspection_set_status(
            inspection=inspection, to_status=Status.FACTUAL_ACCURACY, by=by, expected=Status.DRAFT_REPORT
        )
        report.stage, report.sent_at, report.sent_by = ReportStage.FACTUAL_ACCURACY, timezone.now(), by
        report.save(update_fields=["stage", "sent_at", "sent_by"])
        _audit(inspection, by, "report_sent")
        job_create(kind=REPORT_KIND[inspection.programme], by=by, inspection=inspection)
    return report


def comments_close_at(report: Report) -> dt.datetime:
    """The factual-accuracy deadline on the timeline (seed 000 §14.3: three working days)."""
    return report.inspection.timeline.get("factual_accuracy_due").moment


def comments_open(report: Report, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return report.stage == ReportStage.FACTUAL_ACCURACY and now <= comments_close_at(report)


@transaction.atomic
def comment_add(*, section: ReportSection, by: User, text: str, now: dt.datetime | None = None) -> FactualComment:
    report = section.report
    if not comments_open(report, now):
        raise ValidationError(_("The factual accuracy check has closed: comments can no longer be added."))
    if not text.strip():
        raise ValidationError({"text": _("Enter your comment.")})
    comment = FactualComment.objects.create(section=section, author=by, text=text.strip())
    _audit(report.inspection, by, "report_comment_added", section=section.key, comment=comment.pk)
    return comment


@transaction.atomic
def comment_resolve(*, comment: FactualComment, by: User, status: str, note: str) -> FactualComment:
    report = Report.objects.select_for_update().get(pk=comment.section.report_id)
    _editable(report)
    if status not in (CommentStatus.ACCEPTED, CommentStatus.REJECTED):
        raise ValidationError({"status": _("Choose whether you accept the comment.")})
    if not note.strip():
        raise ValidationError({"note": _("Enter a note for the YOT manager about what you did.")})
    comment.status, comment.resolution_note = status, note.strip()
    comment.resolved_by, comment.resolved_at = by, timezone.now()
    comment.save(update_fields=["status", "resolution_note", "resolved_by", "resolved_at"])
    _audit(report.inspection, by, "report_comment_resolved", comment=comment.pk, status=status)
    return comment


def report_publish(*, report: Report, by: User) -> Report:
    """Publish: inspection factual_accuracy → published; the report is frozen and its PDF stored.

    In Wales every section must have its Welsh version first (seed 000 §1, §15).
    """
    inspection = report.inspection
    if report.stage != ReportStage.FACTUAL_ACCURACY:
        raise ValidationError(_("Send the draft for the factual accuracy check before publishing it."))
    if FactualComment.objects.filter(section__report=report, status=CommentStatus.OPEN).exists():
        raise ValidationError(_("Resolve every comment from the YOT before publishing."))
    if inspection.country == Country.WALES:
        missing = [
            s.title
            for s in report.sections.prefetch_related("versions")
            if not (s.current and s.current.text_cy.strip())
        ]
        if missing:
            raise ValidationError(
                _("Enter the Welsh version of every section before publishing: %(sections)s.")
                % {"sections": ", ".join(missing)}
            )
    with transaction.atomic():
        inspection_set_status(
            inspection=inspection, to_status=Status.PUBLISHED, by=by, expected=Status.FACTUAL_ACCURACY
        )
        report.stage, report.published_at, report.published_by = ReportStage.PUBLISHED, timezone.now(), by
        report.save(update_fields=["stage", "published_at", "published_by"])
        _audit(inspection, by, "report_published")
        job_create(kind=REPORT_KIND[inspection.programme], by=by, inspection=inspection)
        if inspection.programme == Programme.FJI:
            job_create(kind=JobKind.POSTER, by=by, inspection=inspection)
    return report


# --- Aggregate report ---------------------------------------------------------------------------


@transaction.atomic
def good_practice_mark(*, inspection: Inspection, by: User, note: str) -> GoodPractice:
    """Name this YOT in aggregate reports as an example of high quality work (seed 000 §3.5)."""
    if inspection.programme != Programme.SQS:
        raise ValidationError(_("Aggregate reports cover Short Quality Screening inspections only."))
    if not note.strip():
        raise ValidationError({"note": _("Describe the good practice.")})
    mark, _created = GoodPractice.objects.update_or_create(
        inspection=inspection, defaults={"note": note.strip(), "marked_by": by}
    )
    _audit(inspection, by, "report_good_practice_marked")
    return mark


@transaction.atomic
def good_practice_unmark(*, inspection: Inspection, by: User) -> None:
    if GoodPractice.objects.filter(inspection=inspection).delete()[0]:
        _audit(inspection, by, "report_good_practice_unmarked")
