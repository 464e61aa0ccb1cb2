from __future__ import annotations

import datetime as dt
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MinLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from inspections.domain.timeline import Timeline, compute_timeline
from inspections.enums import (
    ContactRole,
    Country,
    IIAKind,
    Inspectorate,
    Language,
    NotificationStatus,
    Programme,
    StaffRole,
    Status,
    TeamRole,
)


class YouthOffendingTeam(models.Model):
    """A youth offending team (YOT) of England or Wales, loaded from inspections/data/yots.csv."""

    code = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200, unique=True)
    country = models.CharField(max_length=10, choices=Country.choices)
    local_authorities = models.CharField(
        max_length=400, blank=True, help_text=_("The local authorities the YOT serves, where it serves more than one.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("youth offending team")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=30, choices=StaffRole.choices, blank=True)
    # A YOT manager's own YOT; a local assessor's home YOT (they never assess it, seed 000 §4).
    yot = models.ForeignKey(YouthOffendingTeam, null=True, blank=True, on_delete=models.PROTECT, related_name="people")
    inspectorate = models.CharField(max_length=10, choices=Inspectorate.choices, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    # Every email, reminder and document sent to this person uses it (issue 9 §2, issue 13 §2). Empty:
    # not recorded (an account made from a contact whose preference is not known), read by
    # ``notifications.email_language``: Welsh and English in Wales, English in England.
    language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.ENGLISH, blank=True
    )

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_administrator(self) -> bool:
        return self.is_active and (self.role == StaffRole.ADMINISTRATOR or self.is_superuser)

    @property
    def is_yot_manager(self) -> bool:
        return self.role == StaffRole.YOT_MANAGER

    @property
    def is_hmip_staff(self) -> bool:
        return self.role in (StaffRole.LEAD_INSPECTOR, StaffRole.ASSISTANT_INSPECTOR, StaffRole.SSO)


class Inspection(models.Model):
    reference = models.CharField(max_length=20, unique=True, editable=False)
    programme = models.CharField(_("programme"), max_length=3, choices=Programme.choices)
    yot = models.ForeignKey(YouthOffendingTeam, on_delete=models.PROTECT, related_name="inspections")
    fieldwork_start = models.DateField(_("fieldwork start"))
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.PLANNED)
    modules = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    announced_at = models.DateTimeField(null=True, blank=True)
    announced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    announcement_received_by = models.CharField(max_length=200, blank=True)
    announcement_email_sent_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every status move so a stale form can tell that someone else got there first.
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-fieldwork_start", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in Status]), name="inspection_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.yot.name}"

    @property
    def country(self) -> str:
        return self.yot.country

    @cached_property
    def timeline(self) -> Timeline:
        return compute_timeline(
            programme=self.programme, country=self.yot.country, fieldwork_start=self.fieldwork_start
        )

    def module_labels(self) -> list[str]:
        from inspections.enums import Module

        return [str(Module(key).label) for key in self.modules]

    def team_with_role(self, role: str):
        return [m.user for m in self.team.all() if m.role == role]

    @property
    def lead_inspector(self):
        members = self.team_with_role(TeamRole.LEAD_INSPECTOR)
        return members[0] if members else None

    @property
    def is_announced(self) -> bool:
        return self.status != Status.PLANNED

    @property
    def fieldwork_days(self) -> list[dt.date]:
        days = 3 if self.programme == Programme.SQS else 5
        return [self.fieldwork_start + dt.timedelta(days=i) for i in range(days)]


class TeamMembership(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=30, choices=TeamRole.choices)
    # Local assessors are supervised by a member of the HMI Probation team (seed 000 §4).
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["inspection", "user"], name="one_role_per_person_per_inspection"),
        ]
        ordering = ["role", "id"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Contact(models.Model):
    """Someone at the local authority who receives the announcement or the report."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="contacts")
    role = models.CharField(max_length=40, choices=ContactRole.choices)
    name = models.CharField(max_length=200, validators=[MinLengthValidator(2)])
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)
    # Empty: not known, so emails go in Welsh and English in Wales (``notifications.email_language``).
    language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.ENGLISH, blank=True
    )
    # The account this contact was invited to (the YOT manager at announcement), once there is one.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="contact_for"
    )

    class Meta:
        ordering = ["role", "name"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> ({self.get_role_display()})"


class StatusChange(models.Model):
    """Audit of every status move: who, when, from, to."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=30, choices=Status.choices)
    to_status = models.CharField(max_length=30, choices=Status.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.inspection_id}: {self.from_status} → {self.to_status}"


class AuditEvent(models.Model):
    """Other things worth a trail: announcement emails, uploads, milestones marked done."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="audit_events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=60)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.inspection_id}: {self.action}"


class MilestoneCompletion(models.Model):
    """A milestone marked done by hand; others are done by the inspection's status (services)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="milestone_completions")
    key = models.CharField(max_length=40)
    done_at = models.DateTimeField(auto_now_add=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["inspection", "key"], name="milestone_done_once")]

    def __str__(self) -> str:
        return f"{self.inspection_id}: {self.key} done"


def iia_upload_to(instance: InformationDocument, filename: str) -> str:
    # The stored name is ours, never the uploader's: it cannot traverse paths or collide.
    return f"iia/{instance.inspection.reference}/{instance.kind}-{instance.token}"


class InformationDocument(models.Model):
    """A document of Information in Advance (seed 000 §10.2)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=30, choices=IIAKind.choices)
    token = models.CharField(max_length=32, unique=True)
    file = models.FileField(upload_to=iia_upload_to, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"


class Invitation(models.Model):
    """A single-use, expiring link that lets a new person set their password (issue 9 §1).

    Only a hash of the token is stored: a copy of the database cannot be used to sign in.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    inspection = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # A newer invitation to the same person, or their deactivation, withdraws this one.
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Invitation for {self.user} ({self.created_at:%Y-%m-%d})"


class Notification(models.Model):
    """One email to one person, rendered in their language when it was created, sent by a Celery task.

    ``key`` says what the email is about (a handoff, a reminder for one milestone) and who it is
    for: it is unique, so the same notice can never be created, and so sent, twice.
    """

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40)
    inspection = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    to_email = models.EmailField()
    to_name = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.ENGLISH)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    reply_to = models.EmailField(blank=True)
    status = models.CharField(max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Set while a worker is sending it, so two workers never send the same email.
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in NotificationStatus]), name="notification_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to_email} ({self.status})"


class IdentityView(models.Model):
    """Who saw what (issue 11 §6): one row each time a person is shown, or downloads, a page or file
    holding children's names or dates of birth. Read by the lead inspector (per inspection) and the
    administrator (per person); never changed."""

    inspection = models.ForeignKey("Inspection", on_delete=models.CASCADE, related_name="identity_views")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="identity_views")
    what = models.CharField(max_length=200)  # the page or file, in the user's words
    path = models.CharField(max_length=500)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["inspection", "-at"]), models.Index(fields=["user", "-at"])]

    def __str__(self) -> str:
        return f"{self.user} saw {self.what} at {self.at:%Y-%m-%d %H:%M}"
