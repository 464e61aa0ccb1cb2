"""Reports: background jobs and their files; the editable report with versioned sections; the YOT
manager's factual-accuracy comments; FJI judgements; good-practice marks for the aggregate report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from inspections.models import Inspection
from reports.enums import (
    CommentStatus,
    DisputeLevel,
    DisputeStatus,
    JobKind,
    JobStatus,
    PlanDecider,
    PlanDecisionKind,
    PlanStatus,
    ReportStage,
    SectionKind,
    ServiceUserAnswer,
    ServiceUserKind,
    ServiceUserMethod,
)


class ReportJob(models.Model):
    """One generation, run by a Celery worker. The page polls this row for status and progress."""

    inspection = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.CASCADE, related_name="report_jobs"
    )  # none for an aggregate report
    kind = models.CharField(max_length=12, choices=JobKind.choices)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When and why the sweeper sent the job again (its worker stopped, or it never started).
    retry_note = models.CharField(max_length=300, blank=True)
    # Who holds the job: set by the conditional UPDATE that claims it; every later write checks it.
    claim_token = models.CharField(max_length=32, blank=True)
    # Aggregate reports: the period whose published SQS inspections are included (fieldwork start).
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Set at each progress step: a "running" job silent for longer than the stale limit lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_job_progress_at_most_100"),
            models.CheckConstraint(
                condition=Q(kind=JobKind.AGGREGATE) | Q(inspection__isnull=False), name="report_job_has_inspection"
            ),
            # One click, one job: while a generation is queued or running, another of the same kind
            # (for the same inspection, or the same aggregate period) is refused by the database
            # itself, so simultaneous clicks cannot race past the check in ``job_create``.
            models.UniqueConstraint(
                fields=["inspection", "kind"],
                condition=Q(status__in=(JobStatus.QUEUED, JobStatus.RUNNING), inspection__isnull=False),
                name="report_job_one_active_per_inspection_and_kind",
            ),
            models.UniqueConstraint(
                fields=["kind", "period_start", "period_end"],
                condition=Q(status__in=(JobStatus.QUEUED, JobStatus.RUNNING), inspection__isnull=True),
                name="report_job_one_active_aggregate_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)


def job_file_upload_to(instance: ReportFile, filename: str) -> str:
    return f"reports/job-{instance.job_id}/{filename}"


class ReportFile(models.Model):
    """A file a job produced (a PDF, an xlsx)."""

    job = models.ForeignKey(ReportJob, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=job_file_upload_to, max_length=300)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    pages = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["job", "filename"], name="report_file_name_once_per_job")]

    def __str__(self) -> str:
        return self.filename


class Report(models.Model):
    """The inspection's report (the SQS letter or the FJI report) that the lead inspector edits,
    sends for factual accuracy and publishes. Published: frozen, with its PDF stored."""

    inspection = models.OneToOneField(Inspection, on_delete=models.CASCADE, related_name="report")
    stage = models.CharField(max_length=20, choices=ReportStage.choices, default=ReportStage.DRAFTING)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_file = models.ForeignKey(ReportFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"Report for {self.inspection.reference}"

    @property
    def is_frozen(self) -> bool:
        return self.stage == ReportStage.PUBLISHED


class ReportSection(models.Model):
    """A section the lead inspector edits. Its text lives in versions: every edit is kept."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=60)
    kind = models.CharField(max_length=20, choices=SectionKind.choices)
    title = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField()
    # The latest generated text and prompts (narratives), shown beside the editor.
    generated_text = models.TextField(blank=True)
    prompts = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["report", "position"]
        constraints = [models.UniqueConstraint(fields=["report", "key"], name="report_section_key_once")]

    def __str__(self) -> str:
        return self.title

    @property
    def current(self) -> SectionVersion | None:
        versions = getattr(self, "_prefetched_objects_cache", {}).get("versions")
        if versions is not None:
            return max(versions, key=lambda v: v.number, default=None)
        return self.versions.order_by("-number").first()


class SectionVersion(models.Model):
    """One saved text of a section (English and, in Wales, Welsh). ``author`` is None when generated."""

    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    text_cy = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["section", "number"]
        constraints = [models.UniqueConstraint(fields=["section", "number"], name="section_version_once")]

    def __str__(self) -> str:
        return f"{self.section} v{self.number}"


class FactualComment(models.Model):
    """The YOT manager's comment on a section during the factual-accuracy check (seed 000 §14.3)."""

    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=CommentStatus.choices, default=CommentStatus.OPEN)
    resolution_note = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    # An accepted comment: the version of its section, saved after the comment, that corrects it.
    # RESTRICT, not PROTECT: deleting the whole report (both sides cascade) stays possible.
    corrected_in = models.ForeignKey(
        SectionVersion, null=True, blank=True, on_delete=models.RESTRICT, related_name="corrections"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=CommentStatus.ACCEPTED) | Q(corrected_in__isnull=False),
                name="factual_comment_accepted_names_its_correction",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.text[:60]}"


class Judgement(models.Model):
    """An FJI star judgement for a theme or module (seed 001 §12): proposed from scores, set by the LI."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="judgements")
    key = models.CharField(max_length=60)  # the section key: theme-<key> or module-<key>
    label = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField()
    sufficient = models.PositiveIntegerField(default=0)
    insufficient = models.PositiveIntegerField(default=0)
    proposed_stars = models.PositiveSmallIntegerField(null=True, blank=True)
    stars = models.PositiveSmallIntegerField(null=True, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["report", "position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="judgement_key_once"),
            models.CheckConstraint(
                condition=Q(stars__isnull=True) | Q(stars__gte=1, stars__lte=4), name="judgement_stars_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.stars or '–'}"

    @property
    def total(self) -> int:
        return self.sufficient + self.insufficient


class GoodPractice(models.Model):
    """The lead inspector marks an inspection's work as an example of good practice; only such YOTs
    are named in an aggregate report (seed 000 §3.5)."""

    inspection = models.OneToOneField(Inspection, on_delete=models.CASCADE, related_name="good_practice")
    note = models.TextField()
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Good practice: {self.inspection.reference}"


class ImprovementPlan(models.Model):
    """The YOT's improvement plan after an FJI (seed 001 §12: "an improvement plan is required after
    each inspection. This plan is approved by HMI Probation in collaboration with the YJB"), due by
    the timeline's ``improvement_plan_due``. Every version sent is kept (``ImprovementPlanVersion``);
    the status is that of the newest version."""

    inspection = models.OneToOneField(Inspection, on_delete=models.CASCADE, related_name="improvement_plan")
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.AWAITED)
    approved_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Improvement plan: {self.inspection.reference} ({self.get_status_display()})"


def plan_file_upload_to(instance: ImprovementPlanVersion, filename: str) -> str:
    return f"improvement-plans/{instance.plan.inspection.reference}/v{instance.number}-{filename}"


class ImprovementPlanVersion(models.Model):
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=plan_file_upload_to, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    note = models.TextField(blank=True, max_length=2000)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()
    late = models.BooleanField(default=False)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="improvement_plan_version_once")]

    def __str__(self) -> str:
        return f"{self.plan.inspection.reference} improvement plan v{self.number}"


class ImprovementPlanDecision(models.Model):
    """One side's decision on one version: HMI Probation's (by the lead inspector) or the YJB's (by
    its contact, through the private link emailed to them). One per side per version."""

    version = models.ForeignKey(ImprovementPlanVersion, on_delete=models.CASCADE, related_name="decisions")
    decider = models.CharField(max_length=5, choices=PlanDecider.choices)
    kind = models.CharField(max_length=10, choices=PlanDecisionKind.choices)
    comments = models.TextField(blank=True, max_length=5000)
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by_name = models.CharField(max_length=200)  # the person, as recorded at the time
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version", "at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "decider"], name="improvement_plan_one_decision_per_side")
        ]

    def __str__(self) -> str:
        return f"{self.get_decider_display()}: {self.get_kind_display()}"


class PlanReviewLink(models.Model):
    """The YJB contact's private link to one version (no account: the YJB is outside the service).
    Only a hash of the token is stored; the link ends when the version is decided or expires."""

    version = models.ForeignKey(ImprovementPlanVersion, on_delete=models.CASCADE, related_name="review_links")
    contact = models.ForeignKey("inspections.Contact", on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"review link for {self.version}"


class EditorialDispute(models.Model):
    """A failure to agree a judgement or the text of the report between the inspectors (seed 001 §12):
    raised by an inspector of the team (partner inspectors included), referred by the lead inspector
    to the inspectorates' quality assurance managers and then to nominated senior managers, and
    settled with the agreed outcome. Every step is kept (``DisputeStep``). Never shown to the YOT."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="disputes")
    section = models.ForeignKey(ReportSection, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    matter = models.TextField(max_length=5000)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    level = models.CharField(max_length=10, choices=DisputeLevel.choices, default=DisputeLevel.TEAM)
    status = models.CharField(max_length=10, choices=DisputeStatus.choices, default=DisputeStatus.OPEN)
    outcome = models.TextField(blank=True, max_length=5000)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]

    def __str__(self) -> str:
        return f"Disagreement on {self.section or 'the report'} ({self.get_status_display()})"


class DisputeStep(models.Model):
    """One step of a disagreement: raised, referred on, agreed."""

    dispute = models.ForeignKey(EditorialDispute, on_delete=models.CASCADE, related_name="steps")
    level = models.CharField(max_length=10, choices=DisputeLevel.choices)
    note = models.TextField(max_length=5000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    resolved = models.BooleanField(default=False)

    class Meta:
        ordering = ["dispute", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} ({self.at:%Y-%m-%d})"


class ServiceUserView(models.Model):
    """What one child, parent or carer, or victim of a sample case told the inspection (seed 001 §10),
    kept without their name: the case is known by its HMI Probation reference only. The three
    questions are the service's own (the seed gives none); the two free-text answers may be quoted,
    unnamed, only when ``may_quote`` is set."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="service_user_views")
    case = models.ForeignKey("casework.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=10, choices=ServiceUserKind.choices)
    method = models.CharField(max_length=15, choices=ServiceUserMethod.choices)
    held_on = models.DateField()
    understood = models.CharField(max_length=10, choices=ServiceUserAnswer.choices)
    listened = models.CharField(max_length=10, choices=ServiceUserAnswer.choices)
    helped = models.CharField(max_length=10, choices=ServiceUserAnswer.choices)
    helped_most = models.TextField(blank=True, max_length=2000)
    could_be_better = models.TextField(blank=True, max_length=2000)
    may_quote = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_method_display()}, {self.held_on})"
