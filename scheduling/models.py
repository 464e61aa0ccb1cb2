"""The fieldwork schedule as stored: case managers' availability and schedule versions.

The rules themselves live in ``scheduling/domain`` (pure functions over dataclasses);
``scheduling/selectors.py`` turns these rows into the domain's input.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.models import Case
from inspections.domain.messages import from_json, from_text_field
from inspections.models import Inspection, YouthOffendingTeam
from scheduling.enums import ACTIVE_SOLVE_STATUSES, SolveStatus, VersionState, Week2Kind, Week2Status


class CaseManagerAvailability(models.Model):
    """One case manager's availability for an inspection's fieldwork days, given by the YOT with
    the long-list or later (seed 000 §10.2, §15), for anyone on the long-list.

    Case managers are identified by the email address the YOT gave on the long-list
    (seed 000 §11.8 asks for every case manager's email), lower-cased: the name alone is
    not unique in a YOT. When the sample is selected its cases carry the same email, so the
    availability given before is the one the schedule uses.
    """

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="case_manager_availability")
    email = models.EmailField(max_length=254)
    name = models.CharField(max_length=200)
    # Seed 000 §10.4: absent the week before, so their cases go later in the week.
    returning_from_absence = models.BooleanField(_("absent the week before fieldwork"), default=False)
    # Seed 000 §10.4 "Individual staff needs": anything to take into account at interview.
    needs = models.TextField(_("needs to take into account at interview"), blank=True, max_length=1000)
    max_per_day = models.PositiveSmallIntegerField(_("most interviews in one day"), default=2)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["inspection", "name", "email"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "email"], name="availability_once_per_case_manager"),
            models.CheckConstraint(condition=models.Q(max_per_day__gte=1), name="availability_max_per_day_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class CaseManagerDay(models.Model):
    """A case manager's availability on one fieldwork day, as the YOT gave it: up to two windows.

    ``available`` with no times means the whole working day (seed 000 §11.3: 8.30am to 6pm). A
    fieldwork day with no row is "not given yet": nothing is assumed for it.
    """

    availability = models.ForeignKey(CaseManagerAvailability, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    available = models.BooleanField()
    from_1 = models.TimeField(null=True, blank=True)
    until_1 = models.TimeField(null=True, blank=True)
    from_2 = models.TimeField(null=True, blank=True)
    until_2 = models.TimeField(null=True, blank=True)
    commitments = models.CharField(_("other commitments"), max_length=500, blank=True)

    class Meta:
        ordering = ["availability", "day"]
        constraints = [models.UniqueConstraint(fields=["availability", "day"], name="availability_day_once")]

    def __str__(self) -> str:
        return f"{self.availability.name} {self.day:%A}"


class RecordOnlyCase(models.Model):
    """No case manager is available: the case is inspected from the record (seed 000 §11.6).

    Kept here rather than on casework's Case: it matters only to the schedule.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="record_only")
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.case.label}: inspected from the record"


class ScheduleVersion(models.Model):
    """One version of an inspection's schedule. Only the latest draft is ever edited."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="schedule_versions")
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=VersionState.choices, default=VersionState.DRAFT)
    # Null when the build_schedule command made it.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    objective = models.IntegerField(null=True, blank=True)  # the solver's penalty for its schedule
    best_bound = models.IntegerField(null=True, blank=True)  # the solver's proven lower bound
    solver_status = models.CharField(max_length=12, blank=True)
    status_text = models.CharField(max_length=500, blank=True)  # the last thing done to it, in words
    # What changed from the previous version the YOT (or the LI) saw: [{"case", "from", "to"}].
    changes = models.JSONField(default=list, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=1000, blank=True)  # the lead inspector's note when returning it
    # Where each case was (ref -> slot id) when the solver last built this version: moving a case
    # from there counts in ``objective`` (constraints.W_MOVE), so the penalty after later hand
    # edits is counted from the same starting point. Empty for a first build.
    built_from = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["inspection", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "number"], name="schedule_version_number_once"),
            models.CheckConstraint(
                condition=models.Q(state__in=[s.value for s in VersionState]), name="schedule_version_state_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection.reference} schedule v{self.number} ({self.get_state_display()})"

    @property
    def is_draft(self) -> bool:
        return self.state == VersionState.DRAFT

    @property
    def changes_read(self) -> list[dict]:
        """``changes`` with the slot descriptions in the reader's language."""
        return [{**c, "from": from_json(c.get("from", "")), "to": from_json(c.get("to", ""))} for c in self.changes]

    @property
    def status_message(self):
        """``status_text`` in the reader's language (stored as a message; older plain text as stored)."""
        return from_text_field(self.status_text)


class ScheduledCase(models.Model):
    """One case in one slot of one version. ``slot_id`` is the domain's id ("m12:1:0900":
    team member, day index, start time), so a slot of someone removed from the team is
    still recognisable and named."""

    version = models.ForeignKey(ScheduleVersion, on_delete=models.CASCADE, related_name="entries")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="schedule_entries")
    slot_id = models.CharField(max_length=40)
    pinned = models.BooleanField(default=False)

    class Meta:
        ordering = ["version", "slot_id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "case"], name="scheduled_case_once_per_version"),
            models.UniqueConstraint(fields=["version", "slot_id"], name="scheduled_slot_once_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.case.label} in {self.slot_id}"


class SolveJob(models.Model):
    """One build of the schedule by the solver, run by a Celery worker; the page polls this row.

    The same life as a report job (``reports.models.ReportJob``): claimed with a conditional
    UPDATE and a token, a heartbeat with each progress step, swept when its worker is lost.
    ``cancel_requested`` is read by the running solver between waits, which then stops at once;
    a cancelled build writes nothing.
    """

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="solve_jobs")
    status = models.CharField(max_length=12, choices=SolveStatus.choices, default=SolveStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)  # a stored message (``to_text_field``)
    time_limit_s = models.FloatField()
    cancel_requested = models.BooleanField(default=False)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    claim_token = models.CharField(max_length=32, blank=True)
    retry_note = models.CharField(max_length=300, blank=True)
    # What the build found: the version it wrote, and what to tell the SSO (stored messages).
    version = models.ForeignKey(
        ScheduleVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="solve_jobs"
    )
    notices = models.JSONField(default=list, blank=True)
    problems = models.JSONField(default=list, blank=True)
    moved = models.JSONField(default=list, blank=True)  # refs of the cases it moved from the version before
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="solve_job_progress_at_most_100"),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in SolveStatus]), name="solve_job_status_known"
            ),
            # One build at a time per inspection: simultaneous clicks cannot both queue one.
            models.UniqueConstraint(
                fields=["inspection"],
                condition=models.Q(status__in=ACTIVE_SOLVE_STATUSES),
                name="solve_job_one_active_per_inspection",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection.reference} schedule build ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_SOLVE_STATUSES

    @property
    def message_read(self):
        return from_text_field(self.message)

    @property
    def notices_read(self) -> list:
        return [from_json(n) for n in self.notices]

    @property
    def problems_read(self) -> list:
        return [from_json(p) for p in self.problems]


class Week2Session(models.Model):
    """One session of FJI fieldwork week 2 (seed 001 §5 weeks +1 and +2, §7 b-d, §11): an interview,
    focus group, observation of practice or meeting the YOT manager proposes, which the lead
    inspector or SSO confirms and gives inspectors; and the Friday presentation of draft findings,
    made by the service. Written only through ``scheduling/services_week2.py``; the checks are in
    ``scheduling/week2.py``.

    ``attendees`` are adults, [{"name", "role"}] (the presentation's also carry "invitee", which of
    seed 001 §5's invitees they are); a session about a child names its ``case``, shown by the
    case's HMI Probation reference. ``revision`` goes up with every change: it is the calendar's
    SEQUENCE and tells a stale form that someone else got there first.
    """

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="week2_sessions")
    kind = models.CharField(_("kind of session"), max_length=20, choices=Week2Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    day = models.DateField()
    start = models.TimeField()
    end = models.TimeField()
    strand = models.CharField(max_length=40, default="core")
    attendees = models.JSONField(default=list, blank=True)
    nobody_available = models.BooleanField(default=False)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="week2_sessions")
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="week2_sessions")
    status = models.CharField(max_length=12, choices=Week2Status.choices, default=Week2Status.PROPOSED)
    revision = models.PositiveIntegerField(default=1)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # What the session found, written by its inspectors afterwards, and the judgements it informs
    # ("theme-<key>", "module-<key>": the report's judgement sections); shown beside those sections
    # as evidence from week 2 (issue 14 §5, seed 001 §12).
    findings = models.TextField(blank=True, max_length=5000)
    informs = models.JSONField(default=list, blank=True)
    findings_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    findings_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["inspection", "day", "start", "title", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(start__lt=models.F("end")), name="week2_session_starts_first"),
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in Week2Kind]), name="week2_session_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in Week2Status]), name="week2_session_status_known"
            ),
            # The service makes the presentation once; simultaneous first visits cannot make two.
            models.UniqueConstraint(
                fields=["inspection"],
                condition=models.Q(kind=Week2Kind.PRESENTATION),
                name="week2_one_presentation_per_inspection",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection.reference} week 2: {self.title} ({self.day} {self.start:%H:%M})"

    @property
    def display_title(self) -> str:
        """The title; the presentation's in the reader's language (the service names it)."""
        return str(self.get_kind_display()) if self.kind == Week2Kind.PRESENTATION else self.title


class HealthQuestionnaire(models.Model):
    """The health inspectorate's annual questionnaire, completed by a YOT on a date (seed 001 §9:
    "Health inspectorates will also ask all YOTs to complete an annual questionnaire"). Kept per
    YOT, not per inspection: it is annual and asked of every YOT."""

    yot = models.ForeignKey(YouthOffendingTeam, on_delete=models.CASCADE, related_name="health_questionnaires")
    completed_on = models.DateField(_("date completed"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["yot", "-completed_on"]
        constraints = [
            models.UniqueConstraint(fields=["yot", "completed_on"], name="health_questionnaire_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.yot} health questionnaire {self.completed_on}"
