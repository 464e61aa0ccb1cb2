from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionState(models.TextChoices):
    """Where one version of the fieldwork schedule stands.

    SQS (seed 000 §10.4, §15): HMI Probation builds it, sends it to the YOT by 4pm on the
    Monday before fieldwork, and sends the final version on the Thursday.
    FJI (seed 001 §5, §8): the YOT fills the week 1 template and sends it to HMI Probation
    as a draft; the lead inspector approves it (final) or returns it with a note.
    """

    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent to the YOT")
    SUBMITTED = "submitted", _("Sent to the lead inspector for approval")
    RETURNED = "returned", _("Returned to the YOT")
    FINAL = "final", _("Final")


class SolveStatus(models.TextChoices):
    """Where a build of the schedule (a ``SolveJob``, run in the background) stands."""

    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Building")
    DONE = "done", _("Built")
    NO_SCHEDULE = "no_schedule", _("No schedule possible")
    CANCELLED = "cancelled", _("Cancelled")
    FAILED = "failed", _("Failed")


ACTIVE_SOLVE_STATUSES = (SolveStatus.QUEUED, SolveStatus.RUNNING)


class Week2Kind(models.TextChoices):
    """What a session of FJI fieldwork week 2 is (seed 001 §5 week +2, §7 b-d, §11)."""

    INTERVIEW = "interview", _("Interview")
    FOCUS_GROUP = "focus_group", _("Focus group")
    OBSERVATION = "observation", _("Observation of practice")
    MEETING = "meeting", _("Meeting")
    PRESENTATION = "presentation", _("Presentation of draft findings")


class Week2Status(models.TextChoices):
    """Where a week-2 session stands: the YOT manager proposes it (seed 001 §5 week +1, "YOT arrange
    schedule of meetings requested by inspection team"), the lead inspector or SSO confirms it."""

    PROPOSED = "proposed", _("Proposed by the YOT")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")
