"""Cases: the long-list a YOT sends, the sample drawn from it, and the case assessments.

A child's name and date of birth live only on LongListEntry. Everything shown outside HMI
Probation's team and the YOT manager (schedules, reports, assessors' pages for local
assessors) uses the case's HMI Probation reference.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext

from casework.enums import (
    AlertKind,
    AlertStatus,
    CaseStatus,
    Heading,
    LongListReadStatus,
    PartnerReason,
    SampleChangeKind,
)
from inspections.domain.messages import from_json
from inspections.enums import Inspectorate, Module
from inspections.models import Inspection


class LongList(models.Model):
    """One upload of the long-list. A new upload is a new version; earlier versions are kept."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="long_lists")
    version = models.PositiveIntegerField()
    original_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=4)  # xlsx or csv
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    late = models.BooleanField(default=False)  # received after the long-list deadline (seed 000 §10.2)
    row_count = models.PositiveIntegerField()

    class Meta:
        ordering = ["inspection", "-version"]
        constraints = [models.UniqueConstraint(fields=["inspection", "version"], name="long_list_version_once")]

    def __str__(self) -> str:
        return f"{self.inspection.reference} long-list v{self.version}"


class LongListEntry(models.Model):
    """One case on a long-list: every field of seed 000 Appendix A."""

    long_list = models.ForeignKey(LongList, on_delete=models.CASCADE, related_name="entries")
    heading = models.CharField(max_length=12, choices=Heading.choices)
    sheet = models.CharField(max_length=40, blank=True)
    row_number = models.PositiveIntegerField()
    case_id = models.CharField(max_length=50)
    family_name = models.CharField(max_length=200)
    first_names = models.CharField(max_length=200)
    gender = models.CharField(max_length=20)
    # Blank once the retention period after publication has passed (casework/retention.py), which
    # first keeps the age at sentence the reports count with.
    date_of_birth = models.DateField(null=True, blank=True)
    age_at_sentence = models.PositiveSmallIntegerField(null=True, blank=True)
    ethnicity = models.CharField(max_length=50)
    order_type = models.CharField(max_length=200)
    sentence_date = models.DateField()
    sentence_length = models.CharField(max_length=50)
    termination_date = models.DateField(null=True, blank=True)
    termination_reason = models.CharField(max_length=500, blank=True)
    asset_score = models.PositiveSmallIntegerField(null=True, blank=True)
    scaled_approach = models.CharField(max_length=20)
    vulnerability = models.CharField(max_length=20)
    rosh = models.CharField(max_length=20)
    looked_after = models.BooleanField()
    home_host = models.CharField(max_length=10, blank=True)
    child_protection = models.BooleanField()
    case_manager = models.CharField(max_length=200)
    case_manager_email = models.EmailField(max_length=254)
    line_manager = models.CharField(max_length=200)
    case_manager_needs = models.CharField(max_length=500, blank=True)
    office = models.CharField(max_length=200)
    suitability_note = models.CharField(max_length=1000, blank=True)
    other_information = models.CharField(max_length=1000, blank=True)
    release_date = models.DateField(null=True, blank=True)
    release_reason = models.CharField(max_length=500, blank=True)
    licence_length = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["long_list", "heading", "row_number"]
        indexes = [models.Index(fields=["long_list", "case_id"])]

    def __str__(self) -> str:
        return f"{self.case_id} ({self.get_heading_display()})"


class Sample(models.Model):
    """The case sample of an inspection, drawn from one long-list version."""

    inspection = models.OneToOneField(Inspection, on_delete=models.CASCADE, related_name="sample")
    long_list = models.ForeignKey(LongList, on_delete=models.PROTECT, related_name="samples")
    size = models.PositiveSmallIntegerField()
    seed = models.PositiveIntegerField(default=0)
    selected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    selected_at = models.DateTimeField(auto_now_add=True)
    unmet_rules = models.JSONField(default=list, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.inspection.reference} sample of {self.size}"

    @property
    def is_final(self) -> bool:
        return self.finalised_at is not None


class Case(models.Model):
    """A case in an inspection's sample; what inspectors assess and the schedule places."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="cases")
    entry = models.ForeignKey(LongListEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    # HMI Probation's reference, e.g. HMIP-07: given when the sample is made final (seed 000 §10.4).
    reference = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.SELECTED)
    heading = models.CharField(max_length=12, choices=Heading.choices)
    reasons = models.JSONField(default=list, blank=True)
    removed_reason = models.CharField(max_length=500, blank=True)
    order_type = models.CharField(max_length=200, blank=True)
    sentence_date = models.DateField(null=True, blank=True)
    case_manager = models.CharField(max_length=200, blank=True)
    case_manager_email = models.EmailField(max_length=254, blank=True)
    high_rosh = models.BooleanField(default=False)
    high_vulnerability = models.BooleanField(default=False)
    # The team member who assesses the case (an inspector or a local assessor).
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="allocated_cases"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["inspection", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "reference"],
                condition=~models.Q(reference=""),
                name="case_reference_unique_per_inspection",
            )
        ]

    def __str__(self) -> str:
        return self.reference or f"case {self.pk}"

    @property
    def label(self) -> str:
        """How the case is named to anyone who may not see the child's name."""
        return self.reference or gettext("Sample case %(position)s") % {"position": self.position}

    @property
    def reason_texts(self) -> list:
        """Why the case was chosen, each reason in the reader's language (older plain reasons as stored)."""
        return [from_json(reason) for reason in self.reasons]


class SampleChange(models.Model):
    """The audit trail of the SSO's review: every selection, swap, removal and finalisation."""

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=12, choices=SampleChangeKind.choices)
    case_out = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    case_in = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    # What the change was about in words that outlive the cases: the case IDs out and in, the size,
    # seed and long-list version of a selection, the cases a re-selection replaced, the references.
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%Y-%m-%d %H:%M})" if self.at else str(self.get_kind_display())


class Assessment(models.Model):
    """The Case Assessment Tool for one case, pinned to the bank version it began with."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="assessment")
    bank_version = models.CharField(max_length=20)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"assessment of {self.case}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class Answer(models.Model):
    """The current answer to one question. Never deleted: a hidden answer is kept (issue 6 §3)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question_id = models.CharField(max_length=20)
    value = models.JSONField()  # an option label, a list of labels, or text
    revision = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "question_id"], name="one_answer_per_question")]

    def __str__(self) -> str:
        return f"{self.question_id} (revision {self.revision})"


class AnswerRevision(models.Model):
    """Every value an answer has had, so nothing typed is ever lost."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveIntegerField()
    value = models.JSONField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["answer", "revision"]

    def __str__(self) -> str:
        return f"revision {self.revision}"


class Review(models.Model):
    """Moderation of a local assessor's judgement by their supervising inspector (seed 000 §4)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="reviews")
    question_id = models.CharField(max_length=20)
    original_value = models.JSONField()
    reviewed_value = models.JSONField()
    agreed = models.BooleanField()
    reason = models.CharField(max_length=1000, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "question_id"], name="one_review_per_judgement")]

    def __str__(self) -> str:
        return f"review of {self.question_id}"


class Alert(models.Model):
    """A Concern or Alert raised from a case (seed 000 §13), tracked until the LI records the action."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=10, choices=AlertKind.choices)
    description = models.TextField()
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    action_taken = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.case}"


class PendingLongList(models.Model):
    """A long-list that was read cleanly but through the spec's aliases or synonyms ("White British"
    read as White), held aside until the YOT manager accepts how it was read. The file is kept in
    the storage (shared by every web and worker node) and deleted once accepted, cancelled or expired
    (``casework.services.longlist.PENDING_HOURS``); nothing of it is a long-list until accepted."""

    token = models.UUIDField(unique=True)
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="pending_long_lists")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    uploaded_at = models.DateTimeField()
    original_name = models.CharField(max_length=255)
    file = models.FileField(upload_to="long-lists/pending/", max_length=300)
    sha256 = models.CharField(max_length=64)
    row_count = models.PositiveIntegerField()
    heading_counts = models.JSONField(default=dict)  # heading value -> cases
    readings = models.JSONField(default=list)  # LongListReading.as_dict() of each reading

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.inspection.reference} long-list to check ({self.original_name})"


class LongListRead(models.Model):
    """A long-list too large to read during the upload request (``LONG_LIST_BACKGROUND_BYTES``),
    read by a worker instead (issue 15 §2). The file waits in the storage (shared by every node)
    and is deleted once read, whatever the outcome; the row keeps only the outcome: the long-list
    version stored, the held long-list to check, or the problems found (which may quote cells, so
    they are removed with the rest once the inspection's retention period is over)."""

    token = models.UUIDField(unique=True)
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="long_list_reads")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    uploaded_at = models.DateTimeField()
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    # The uploader's page language: the problems are written in it.
    language = models.CharField(max_length=10, default="en-gb")
    file = models.FileField(upload_to="long-lists/reading/", max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=LongListReadStatus.choices, default=LongListReadStatus.QUEUED)
    rows_read = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    claim_token = models.CharField(max_length=32, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    retry_note = models.CharField(max_length=300, blank=True)
    message = models.CharField(max_length=1000, blank=True)
    errors = models.JSONField(default=list, blank=True)  # LongListError.as_dict() of each problem
    long_list = models.ForeignKey(LongList, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    pending = models.ForeignKey(PendingLongList, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.inspection.reference} long-list being read ({self.original_name})"

    @property
    def is_active(self) -> bool:
        return self.status in (LongListReadStatus.QUEUED, LongListReadStatus.RUNNING)


class PartnerCase(models.Model):
    """A case the lead inspector chose for a partner inspectorate's case assessment in fieldwork
    week 2 (seed 001 §7 a): the partner's inspectors see only their inspectorate's cases. Written
    only through ``casework.services.partner`` (audit rows there); suggestions are never stored."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="partner_choices")
    inspectorate = models.CharField(max_length=10, choices=Inspectorate.choices)
    reasons = models.JSONField(default=list)  # PartnerReason values, in the enum's order
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    chosen_at = models.DateTimeField()
    note = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["inspectorate", "case__position", "case_id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "inspectorate"], name="partner_case_once_per_inspectorate")
        ]

    def __str__(self) -> str:
        return f"{self.case} for {self.get_inspectorate_display()}"

    @property
    def reason_labels(self) -> list[str]:
        return [str(PartnerReason(value).label) for value in self.reasons if value in PartnerReason.values]


class ModuleCase(models.Model):
    """A case of an FJI additional module's own sample (seed 001 §6: "there may be a requirement for
    inspectors to select and evaluate an additional sample of cases"), beside the core sample.

    Named by its reference (HMIP-M-01, never reused in the inspection) and a short description of the
    kind of case the inspector types; the YOT's case ID is optional and shown only to those who may
    see the children's identities. Written only through ``casework.services.module_sample`` (audit rows
    there). A removed case is kept, with why, so its judgements and its reference are not lost."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="module_cases")
    module = models.CharField(max_length=20, choices=Module.choices)
    reference = models.CharField(max_length=20)
    kind = models.CharField(max_length=200)
    yot_case_id = models.CharField(max_length=50, blank=True)
    # A case of the core sample the inspectors chose for the module too (else None).
    core_case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="module_cases")
    reason = models.CharField(max_length=500)
    bank_version = models.CharField(max_length=20)
    # What the inspectors found, in their words: the record of a module the bank has no questions for.
    findings = models.TextField(max_length=4000, blank=True)
    findings_revision = models.PositiveIntegerField(default=0)
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    chosen_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["inspection", "module", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "reference"], name="module_case_reference_once"),
            models.UniqueConstraint(
                fields=["core_case", "module"],
                condition=models.Q(core_case__isnull=False, removed_at__isnull=True),
                name="core_case_once_per_module",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


class ModuleAnswer(models.Model):
    """An inspector's judgement of one of a module's questions for a module case, with a note."""

    module_case = models.ForeignKey(ModuleCase, on_delete=models.CASCADE, related_name="answers")
    question_id = models.CharField(max_length=20)
    value = models.CharField(max_length=20)  # Sufficient or Insufficient
    note = models.CharField(max_length=1000, blank=True)
    revision = models.PositiveIntegerField(default=1)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["module_case", "id"]
        constraints = [
            models.UniqueConstraint(fields=["module_case", "question_id"], name="one_module_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.module_case} {self.question_id} (revision {self.revision})"
