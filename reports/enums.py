from django.db import models
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    """What a background job produces (issue 5)."""

    DRAFT = "draft", _("SQS report (letter to the Chair of the YOT Management Board)")
    FJI = "fji", _("Full Joint Inspection report")
    POSTER = "poster", _("Summary poster for children and young people")
    CHART_PACK = "chart_pack", _("Chart pack for the YOT (internal use only)")
    AGGREGATE = "aggregate", _("Aggregate report of SQS inspections")
    PRESS = "press", _("Press notice")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("In progress")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


ACTIVE_JOB_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class ReportStage(models.TextChoices):
    """Where the report itself is; the inspection's status moves alongside (inspections.services)."""

    DRAFTING = "drafting", _("Being drafted by the lead inspector")
    FACTUAL_ACCURACY = "factual_accuracy", _("With the YOT manager for factual accuracy")
    PUBLISHED = "published", _("Published")


class CommentStatus(models.TextChoices):
    """A factual-accuracy comment: waiting, accepted (the report is corrected) or not accepted.

    "Accepted" means corrected, and must name the section version that corrects it
    (``FactualComment.corrected_in``, issue 9 §5). It is not a fourth "corrected" status: the
    lead inspector's choice was always "Yes: the report is corrected" or "No: the report stands",
    and an accepted comment left uncorrected is exactly what the rule rules out, so two statuses
    would only give two ways to say one thing. The stored value stays "accepted".
    """

    OPEN = "open", _("Waiting for the lead inspector")
    ACCEPTED = "accepted", _("Accepted and corrected")
    REJECTED = "rejected", _("Not accepted")


class SectionKind(models.TextChoices):
    """Sections of the reports. The SQS letter (seed 000 §3.5): strengths, areas for improvement and
    commentary. The FJI report (seed 001 §12): a judgement per theme and per module, and recommendations;
    the poster summary for children and young people."""

    STRENGTHS = "strengths", _("Strengths")
    IMPROVEMENTS = "improvements", _("Areas for improvement")
    COMMENTARY = "commentary", _("Commentary")
    SUMMARY = "summary", _("Summary")
    JUDGEMENT = "judgement", _("Judgement")
    RECOMMENDATIONS = "recommendations", _("Recommendations")
    POSTER = "poster", _("Summary for children and young people")
    PRESS = "press", _("Press notice")


class PlanStatus(models.TextChoices):
    """The improvement plan an FJI asks for (seed 001 §5, §12): awaited, then each version sent is
    approved, or returned with comments for a new version."""

    AWAITED = "awaited", _("Awaited")
    SUBMITTED = "submitted", _("Sent: being considered")
    RETURNED = "returned", _("Returned with comments")
    APPROVED = "approved", _("Approved")


class PlanDecisionKind(models.TextChoices):
    APPROVE = "approve", _("Approve")
    RETURN = "return", _("Return with comments")


class PlanDecider(models.TextChoices):
    """Who decides on a version: HMI Probation (the lead inspector) in collaboration with the YJB."""

    HMIP = "hmip", _("HMI Probation")
    YJB = "yjb", _("Youth Justice Board")


class DisputeLevel(models.TextChoices):
    """Seed 001 §12: a failure to agree judgements or text goes first to the inspectorates' quality
    assurance managers, then to nominated senior managers."""

    TEAM = "team", _("Between the inspectors")
    QUALITY = "quality", _("Referred to the inspectorates’ quality assurance managers")
    SENIOR = "senior", _("Referred to nominated senior managers")


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Agreed")


class ServiceUserKind(models.TextChoices):
    """Seed 001 §10: the service users whose views an FJI seeks."""

    CHILD = "child", _("Child or young person")
    PARENT = "parent", _("Parent or carer")
    VICTIM = "victim", _("Victim")


class ServiceUserMethod(models.TextChoices):
    INTERVIEW = "interview", _("Interview")
    QUESTIONNAIRE = "questionnaire", _("Questionnaire")


class ServiceUserAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")
    NOT_SAID = "not_said", _("Did not say")
