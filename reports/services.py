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
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from casework.enums import CaseStatus
from casework.models import Assessment
from config.database import database_reconnect
from inspections.enums import Country, Programme, Status, TeamRole
from inspections.models import AuditEvent, Contact, Inspection, User
from inspections.notifications import absolute_url, notify, notify_people, team_with_roles, yot_managers_of
from inspections.services import inspection_set_status, status_move_problems
from reports.domain.gates import (
    COMMENT_MAX_CHARACTERS,
    NOTE_MAX_CHARACTERS,
    SECTION_MAX_CHARACTERS,
    CorrectionVersion,
    correction_problems,
    too_long,
)
from reports.enums import CommentStatus, JobKind, JobStatus, ReportStage
from reports.gates import factual_accuracy_deadline
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
    Programme.FJI: (JobKind.FJI, JobKind.POSTER, JobKind.PRESS, JobKind.CHART_PACK),
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


def _any_case_completed(inspection: Inspection) -> bool:
    return Assessment.objects.filter(
        case__inspection=inspection, case__status=CaseStatus.SELECTED, completed_at__isnull=False
    ).exists()


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
        if kind in (JobKind.DRAFT, JobKind.FJI) and not _any_case_completed(inspection):
            raise ValidationError(
                _(
                    "No case assessment is complete yet, so there is nothing to report: the draft needs at "
                    "least one completed case."
                )
            )
    active = ReportJob.objects.filter(kind=kind, status__in=(JobStatus.QUEUED, JobStatus.RUNNING))
    if inspection is not None:
        active = active.filter(inspection=inspection)
    else:
        active = active.filter(inspection__isnull=True, period_start=period_start, period_end=period_end)
    with transaction.atomic():
        if existing := active.first():
            return existing
        try:
            with transaction.atomic():  # a savepoint: the loser of a race sees the winner's job
                job = ReportJob.objects.create(
                    inspection=inspection, kind=kind, created_by=by, period_start=period_start, period_end=period_end
                )
        except IntegrityError:
            existing = active.first()
            if existing is None:  # the winner's job has already finished: this click queues anew
                raise
            return existing
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


# The job this worker thread last claimed, and its token: when the database drops the connection
# mid-job, ``job_connection_lost`` gives that claim back (every write still checks the token).
_claimed: ContextVar[tuple[int, str] | None] = ContextVar("report_job_claimed", default=None)


def job_claim(*, job_id: int, now: dt.datetime | None = None) -> str | None:
    """Claim the job for this worker; the claim token, or None when it is not ours to run.

    The conditional UPDATE takes a queued job, or a running job whose heartbeat is stale (its
    worker died). Only one UPDATE can match, so two deliveries never both run it.
    """
    from reports.tasks import MAX_ATTEMPTS  # tasks imports this module's functions when they run

    now = now or timezone.now()
    token = uuid.uuid4().hex
    claimed = (
        # Attempts are counted here, on the row, and capped here: a message delivered twice (Redis
        # restores an unacknowledged one after its visibility timeout) cannot buy an extra try.
        ReportJob.objects.filter(pk=job_id, attempts__lt=MAX_ATTEMPTS)
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
    if not claimed:
        return None
    _claimed.set((job_id, token))
    return token


def jobs_sweep(*, now: dt.datetime | None = None) -> dict[str, list[int]]:
    """Beat's check that every job finishes or fails visibly (issue 11 §1).

    - Queued for longer than ``REPORTS_JOB_QUEUED_SECONDS`` and never started: its message was lost
      (Redis keeps nothing on disk here): sent again. The claim in ``job_claim`` makes a second
      delivery harmless.
    - Running with a heartbeat older than ``stale_after()``: its worker died. Sent again while it
      has attempts left (the job's message says when and why); otherwise failed, saying so.
    Returns the ids of the jobs sent again and failed.
    """
    from reports.tasks import MAX_ATTEMPTS, enqueue_job

    now = now or timezone.now()
    queued_limit = dt.timedelta(seconds=getattr(settings, "REPORTS_JOB_QUEUED_SECONDS", 120))
    done: dict[str, list[int]] = {"sent_again": [], "failed": []}
    lost = ReportJob.objects.filter(status=JobStatus.QUEUED, started_at__isnull=True, created_at__lt=now - queued_limit)
    stale = ReportJob.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=now - stale_after())
    when = date_format(timezone.localtime(now), "H:i")
    with transaction.atomic():
        for job in lost.select_for_update(skip_locked=True):
            job.retry_note = _("Sent to a worker again at %(time)s: it had not started.") % {"time": when}
            job.save(update_fields=["retry_note"])
            enqueue_job(job)
            done["sent_again"].append(job.pk)
        for job in stale.select_for_update(skip_locked=True):
            if job.attempts >= MAX_ATTEMPTS:
                job.status = JobStatus.FAILED
                job.finished_at = now
                job.claim_token = ""
                job.message = _(
                    "The worker running this job stopped, %(n)d times; it was not tried again. Generate it again."
                ) % {"n": job.attempts}
                job.save(update_fields=["status", "finished_at", "claim_token", "message"])
                done["failed"].append(job.pk)
            else:
                job.retry_note = _(
                    "Started again at %(time)s: the worker running it stopped (attempt %(n)d of %(max)d)."
                ) % {"time": when, "n": job.attempts + 1, "max": MAX_ATTEMPTS}
                job.save(update_fields=["retry_note"])
                enqueue_job(job)
                done["sent_again"].append(job.pk)
    if done["sent_again"] or done["failed"]:
        log.warning("report jobs swept: sent again %s, failed %s", done["sent_again"], done["failed"])
    return done


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


def job_release(*, job_id: int, token: str, message: str, error: str = "") -> None:
    """Give the claim back after a transient error, so the retry can claim it; after the last
    allowed attempt the job is failed instead, with the error, and no delivery can run it again."""
    from reports.tasks import MAX_ATTEMPTS  # see job_claim

    mine = ReportJob.objects.filter(pk=job_id, status=JobStatus.RUNNING, claim_token=token)
    mine.filter(attempts__lt=MAX_ATTEMPTS).update(status=JobStatus.QUEUED, message=message[:500], claim_token="")
    mine.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=JobStatus.FAILED, message=(error or message)[:500], claim_token="", finished_at=timezone.now()
    )


def job_connection_lost(*, job_id: int, error: BaseException) -> None:
    """The database dropped the worker's connection mid-job: reconnect and give the claim back, so
    the task's retry takes the job at once (not after its heartbeat turns stale). Nothing of the
    unfinished run was kept: ``job_finish`` writes everything in one transaction. After the last
    allowed attempt the job is failed instead, saying why (``job_release``)."""
    database_reconnect()
    held = _claimed.get()
    if held is None or held[0] != job_id:
        return  # lost before this worker claimed it: the retry claims it as usual
    _claimed.set(None)
    job_release(
        job_id=job_id,
        token=held[1],
        message=_("The connection to the database was lost. Trying again."),
        error=_("The connection to the database was lost on every attempt (%(error)s). Generate it again.")
        % {"error": f"{type(error).__name__}: {error}"},
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
    errors = {
        field: [message]
        for field, value, what in (
            ("text", text, _("The text must be %(limit)s characters or fewer; it has %(n)s.")),
            ("text_cy", text_cy, _("The Welsh version must be %(limit)s characters or fewer; it has %(n)s.")),
        )
        if (message := too_long(value, SECTION_MAX_CHARACTERS, what))
    }
    if errors:
        raise ValidationError(errors)
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


class ReportAlreadyDone(Exception):
    """A second click: the draft was already sent, or the report already published. Nothing changed."""


def _when(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


def already_sent(report: Report) -> ReportAlreadyDone:
    if report.stage == ReportStage.PUBLISHED:
        return already_published(report)
    return ReportAlreadyDone(
        _("The draft was already sent to the YOT manager on %(when)s by %(who)s. Nothing was sent twice.")
        % {"when": _when(report.sent_at) if report.sent_at else "—", "who": report.sent_by or "—"}
    )


def already_published(report: Report) -> ReportAlreadyDone:
    return ReportAlreadyDone(
        _("The report was already published on %(when)s by %(who)s. Nothing changed.")
        % {"when": _when(report.published_at) if report.published_at else "—", "who": report.published_by or "—"}
    )


def report_send_problems(report: Report, now: dt.datetime | None = None) -> list[str]:
    """Why the draft cannot go to the YOT manager now (the gates of "Factual accuracy check")."""
    inspection = Inspection.objects.select_related("yot").get(pk=report.inspection_id)
    if inspection.status != Status.DRAFT_REPORT:
        return [_not_at_draft_report(inspection)]
    return status_move_problems(inspection, Status.FACTUAL_ACCURACY, now)


def _not_at_draft_report(inspection: Inspection) -> str:
    return _("The inspection must be at “%(status)s” to send the draft: it is at “%(now)s”.") % {
        "status": Status.DRAFT_REPORT.label,
        "now": inspection.get_status_display(),
    }


def report_publish_problems(report: Report, now: dt.datetime | None = None) -> list[str]:
    """Why the report cannot be published now (the gates of "Published")."""
    inspection = Inspection.objects.select_related("yot").get(pk=report.inspection_id)
    if report.stage != ReportStage.FACTUAL_ACCURACY or inspection.status != Status.FACTUAL_ACCURACY:
        return [_("Send the draft for the factual accuracy check before publishing it.")]
    return status_move_problems(inspection, Status.PUBLISHED, now)


def report_send(*, report: Report, by: User, now: dt.datetime | None = None) -> Report:
    """Send the draft to the YOT manager: inspection draft_report → factual_accuracy (seed 000 §14.3).

    Refused, writing nothing, while a gate names a problem (``reports.gates.ready_to_send``: a
    section empty or still holding a prompt in square brackets, an FJI judgement not set). The
    report row is locked and its stage read again inside the transaction, so a second click or a
    second person gets ReportAlreadyDone and nothing happens twice.

    Side effects: the YOT manager may now read and comment on it until the factual accuracy
    deadline, and is emailed with that deadline; a new PDF marked for the check is generated.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Report.objects.select_for_update(of=("self",)).select_related("sent_by", "published_by").get(pk=report.pk)
        )
        if locked.stage != ReportStage.DRAFTING:
            raise already_sent(locked)
        inspection = Inspection.objects.select_related("yot").get(pk=locked.inspection_id)
        if inspection.status != Status.DRAFT_REPORT:
            raise ValidationError(_not_at_draft_report(inspection))
        # The gates run here, on the locked inspection; a problem raises and nothing is written.
        inspection_set_status(inspection=inspection, to_status=Status.FACTUAL_ACCURACY, by=by, now=now)
        locked.stage, locked.sent_at, locked.sent_by = ReportStage.FACTUAL_ACCURACY, now, by
        locked.save(update_fields=["stage", "sent_at", "sent_by"])
        _audit(inspection, by, "report_sent")
        job_create(kind=REPORT_KIND[inspection.programme], by=by, inspection=inspection)
        # Sending starts the YOT's three working days: say when they end.
        deadline = timezone.localtime(factual_accuracy_deadline(inspection, sent_at=now))
        notify_people(
            people=yot_managers_of(inspection),
            key=f"report_sent:{locked.pk}",
            kind="report_sent",
            template="report_sent",
            context={
                "inspection": inspection,
                "deadline_date": deadline.date(),
                "deadline_time": deadline.time(),
                "link": absolute_url(reverse("reports:draft", kwargs={"reference": inspection.reference})),
                "by": by,
            },
            inspection=inspection,
            reply_to=by.email,
        )
    report.stage, report.sent_at, report.sent_by = locked.stage, locked.sent_at, locked.sent_by
    return report


def factual_accuracy_deadlines(inspections) -> dict[int, dt.datetime]:
    """The factual accuracy deadline of each inspection whose draft has been sent (one query)."""
    by_id = {i.pk: i for i in inspections}
    sent = Report.objects.filter(inspection_id__in=list(by_id), sent_at__isnull=False).values_list(
        "inspection_id", "sent_at"
    )
    return {pk: factual_accuracy_deadline(by_id[pk], sent_at=sent_at) for pk, sent_at in sent}


def comments_close_at(report: Report, *, if_sent_at: dt.datetime | None = None) -> dt.datetime:
    """When the YOT's factual accuracy check closes (seed 000 §14.3: three working days).

    The timeline's deadline, or three working days after sending when the draft went late. Before
    the draft is sent, ``if_sent_at`` asks when it would close if sent then (the confirmation page).
    """
    return factual_accuracy_deadline(report.inspection, sent_at=report.sent_at or if_sent_at)


def comments_open(report: Report, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return report.stage == ReportStage.FACTUAL_ACCURACY and now <= comments_close_at(report)


@transaction.atomic
def comment_add(*, section: ReportSection, by: User, text: str, now: dt.datetime | None = None) -> FactualComment:
    """The YOT manager's comment on a section. The lead inspector is emailed once a day per section:
    a YOT manager typically leaves several comments in one sitting, and each is on the draft page."""
    now = now or timezone.now()
    report = section.report
    if not comments_open(report, now):
        raise ValidationError(_("The factual accuracy check has closed: comments can no longer be added."))
    if not text.strip():
        raise ValidationError({"text": _("Enter your comment.")})
    if message := too_long(
        text.strip(), COMMENT_MAX_CHARACTERS, _("Your comment must be %(limit)s characters or fewer; it has %(n)s.")
    ):
        raise ValidationError({"text": message})
    comment = FactualComment.objects.create(section=section, author=by, text=text.strip())
    inspection = report.inspection
    _audit(inspection, by, "report_comment_added", section=section.key, comment=comment.pk)
    day = timezone.localdate(now)
    notify_people(
        people=team_with_roles(inspection, [TeamRole.LEAD_INSPECTOR]),
        key=f"report_comments:{section.pk}:{day.isoformat()}",
        kind="report_comments",
        template="report_comments",
        context={
            "inspection": inspection,
            "section": section.title,
            "by": by,
            "deadline_date": timezone.localtime(comments_close_at(report)).date(),
            "deadline_time": timezone.localtime(comments_close_at(report)).time(),
            "link": absolute_url(
                reverse("reports:draft", kwargs={"reference": inspection.reference}) + f"#section-{section.pk}"
            ),
        },
        inspection=inspection,
    )
    return comment


def correction_choices(comment: FactualComment):
    """The versions of the comment's section saved after it: the ones that can correct it."""
    return comment.section.versions.filter(created_at__gt=comment.created_at).select_related("author")


@transaction.atomic
def comment_resolve(
    *, comment: FactualComment, by: User, status: str, note: str, corrected_in: SectionVersion | None = None
) -> FactualComment:
    """Accept (the report is corrected, in ``corrected_in``) or reject the YOT's comment, with a note.

    ``corrected_in`` must be a version of the comment's own section saved after the comment.
    """
    report = Report.objects.select_for_update().get(pk=comment.section.report_id)
    _editable(report)
    errors: dict[str, list[str]] = {}
    if status not in (CommentStatus.ACCEPTED, CommentStatus.REJECTED):
        errors["status"] = [_("Choose whether you accept the comment.")]
    if not note.strip():
        errors["note"] = [_("Enter a note for the YOT manager about what you did.")]
    elif message := too_long(
        note.strip(), NOTE_MAX_CHARACTERS, _("The note must be %(limit)s characters or fewer; it has %(n)s.")
    ):
        errors["note"] = [message]
    if status == CommentStatus.ACCEPTED:
        version = None
        if corrected_in is not None:
            version = CorrectionVersion(
                number=corrected_in.number,
                section_title=corrected_in.section.title,
                same_section=corrected_in.section_id == comment.section_id,
                saved_at=corrected_in.created_at,
            )
        problems = correction_problems(
            section_title=comment.section.title, comment_at=comment.created_at, version=version
        )
        if problems:
            errors["corrected_in"] = problems
    if errors:
        raise ValidationError(errors)
    comment.status, comment.resolution_note = status, note.strip()
    comment.corrected_in = corrected_in if status == CommentStatus.ACCEPTED else None
    comment.resolved_by, comment.resolved_at = by, timezone.now()
    comment.save(update_fields=["status", "resolution_note", "corrected_in", "resolved_by", "resolved_at"])
    detail = {"comment": comment.pk, "status": status}
    if comment.corrected_in is not None:
        detail["version"] = comment.corrected_in.number
    _audit(report.inspection, by, "report_comment_resolved", **detail)
    return comment


def report_publish(*, report: Report, by: User, now: dt.datetime | None = None) -> Report:
    """Publish: inspection factual_accuracy → published; the report is frozen and its PDF stored.

    Refused, writing nothing, while a gate names a problem (``reports.gates.ready_to_publish``):
    before the factual accuracy deadline has passed, while a comment is open, while a section is
    unfinished and, in Wales, without every section's Welsh version (seed 000 §1, §15). The report
    row is locked and its stage read again, so a second click gets ReportAlreadyDone: one audit
    row, one PDF job.

    Side effects: the YOT managers and the inspection's contacts are emailed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Report.objects.select_for_update(of=("self",)).select_related("published_by").get(pk=report.pk)
        if locked.stage == ReportStage.PUBLISHED:
            raise already_published(locked)
        inspection = Inspection.objects.select_related("yot").get(pk=locked.inspection_id)
        if locked.stage != ReportStage.FACTUAL_ACCURACY or inspection.status != Status.FACTUAL_ACCURACY:
            raise ValidationError(_("Send the draft for the factual accuracy check before publishing it."))
        inspection_set_status(inspection=inspection, to_status=Status.PUBLISHED, by=by, now=now)
        locked.stage, locked.published_at, locked.published_by = ReportStage.PUBLISHED, now, by
        locked.save(update_fields=["stage", "published_at", "published_by"])
        _audit(inspection, by, "report_published")
        job_create(kind=REPORT_KIND[inspection.programme], by=by, inspection=inspection)
        if inspection.programme == Programme.FJI:
            job_create(kind=JobKind.POSTER, by=by, inspection=inspection)
            job_create(kind=JobKind.PRESS, by=by, inspection=inspection)  # seed 001 §12
        _notify_published(locked, inspection, by)
    report.stage, report.published_at, report.published_by = locked.stage, locked.published_at, locked.published_by
    return report


def publication_recipients(inspection: Inspection) -> tuple[list[User], list[Contact]]:
    """Who is told the report is published: the YOT managers, and each contact (once per address)."""
    managers = yot_managers_of(inspection)
    seen = {manager.email.lower() for manager in managers}
    contacts = []
    for contact in inspection.contacts.order_by("role", "name", "pk"):
        if contact.email.lower() not in seen:
            seen.add(contact.email.lower())
            contacts.append(contact)
    return managers, contacts


def _notify_published(report: Report, inspection: Inspection, by: User) -> None:
    managers, contacts = publication_recipients(inspection)
    context = {"inspection": inspection, "published_at": timezone.localtime(report.published_at), "by": by}
    link = absolute_url(reverse("reports:reports", kwargs={"reference": inspection.reference}))
    notify_people(
        people=managers,
        key=f"report_published:{report.pk}",
        kind="report_published",
        template="report_published",
        context={**context, "link": link},
        inspection=inspection,
        reply_to=by.email,
    )
    for contact in contacts:
        # A contact may have no account, so no link: the lead inspector answers a reply.
        notify(
            key=f"report_published:{report.pk}:contact:{contact.pk}",
            kind="report_published",
            template="report_published",
            context={**context, "link": ""},
            email=contact.email,
            name=contact.name,
            language=contact.language,
            inspection=inspection,
            reply_to=by.email,
        )


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
