"""Writes for inspections. Each validates, writes in one transaction and leaves an audit row."""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.domain import gates as gate_rules
from inspections.domain.eligibility import HEADING_LABELS, eligibility_windows
from inspections.domain.recipients import announcement_roles
from inspections.domain.timeline import TimelineError, compute_timeline, fieldwork_holiday_problems
from inspections.enums import (
    PARTNER_INSPECTORATES,
    REQUIRED_IIA,
    STATUS_ORDER,
    ContactRole,
    IIAKind,
    Language,
    Module,
    Programme,
    StaffRole,
    Status,
    TeamRole,
)
from inspections.gates import gate_problems
from inspections.models import (
    AuditEvent,
    Contact,
    InformationDocument,
    Inspection,
    MilestoneCompletion,
    StatusChange,
    TeamMembership,
    User,
    YouthOffendingTeam,
)
from inspections.notifications import BILINGUAL, email_language, render_email


class StaleStatus(Exception):
    """Someone else moved the inspection on since this user loaded the page."""

    def __init__(self, current: str):
        super().__init__(current)
        self.current = current


# --- Validation shared by forms and services ---------------------------------------


def validate_fieldwork_start(*, programme: str, country: str, fieldwork_start: dt.date, today: dt.date) -> None:
    """A Monday, not in the past, and not in a bank-holiday week (seed 002)."""
    errors = []
    try:
        compute_timeline(programme=programme, country=country, fieldwork_start=fieldwork_start)
    except TimelineError:
        errors.append(
            _("Fieldwork must start on a Monday. %(date)s is a %(weekday)s.")
            % {"date": fieldwork_start.strftime("%-d %B %Y"), "weekday": fieldwork_start.strftime("%A")}
        )
    if fieldwork_start < today:
        errors.append(_("The fieldwork start must be in the future."))
    if not errors:
        errors.extend(fieldwork_holiday_problems(programme, country, fieldwork_start))
    if errors:
        raise ValidationError({"fieldwork_start": errors})


def validate_modules(*, programme: str, modules: Sequence[str]) -> list[str]:
    """FJI: one or two additional modules (seed 001 §6). SQS has only the core module."""
    unknown = [m for m in modules if m not in Module.values]
    if unknown:
        raise ValidationError({"modules": _("Unknown module: %(m)s") % {"m": ", ".join(unknown)}})
    cleaned = list(dict.fromkeys(modules))
    if programme == Programme.FJI and not 1 <= len(cleaned) <= 2:
        raise ValidationError({"modules": _("Choose one or two additional modules for a Full Joint Inspection.")})
    if programme == Programme.SQS and cleaned:
        raise ValidationError({"modules": _("A Short Quality Screening has only the core module.")})
    return cleaned


def _next_reference(programme: str, year: int) -> str:
    prefix = f"{programme.upper()}-{year}-"
    taken = Inspection.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
    highest = max((int(ref.rsplit("-", 1)[1]) for ref in taken), default=0)
    return f"{prefix}{highest + 1:03d}"


def _audit(inspection: Inspection, actor: User | None, action: str, **detail) -> AuditEvent:
    return AuditEvent.objects.create(inspection=inspection, actor=actor, action=action, detail=detail)


# --- Inspection -----------------------------------------------------------------------


@transaction.atomic
def inspection_create(
    *,
    created_by: User,
    programme: str,
    yot: YouthOffendingTeam,
    fieldwork_start: dt.date,
    modules: Sequence[str] = (),
    today: dt.date | None = None,
) -> Inspection:
    """Plan an inspection; its creator becomes its lead inspector.

    Refused while the YOT has another inspection that is not yet published, and while the creator
    is on another inspection on site in the same week (both named in the message).
    """
    today = today or timezone.localdate()
    validate_fieldwork_start(programme=programme, country=yot.country, fieldwork_start=fieldwork_start, today=today)
    cleaned_modules = validate_modules(programme=programme, modules=modules)
    # Lock the YOT and the creator so two planners cannot both pass the clash checks at once.
    YouthOffendingTeam.objects.select_for_update().filter(pk=yot.pk).first()
    User.objects.select_for_update().filter(pk=created_by.pk).first()
    errors: dict[str, list[str]] = {}
    live = [_booking(other) for other in _live_inspections().filter(yot=yot)]
    if live:
        errors["yot"] = gate_rules.yot_clash_problems(yot_name=yot.name, live=live)
    planned = gate_rules.Booking(reference="", programme=programme, fieldwork_start=fieldwork_start)
    clashes = _person_clashes(created_by, planned)
    if clashes:
        errors["fieldwork_start"] = clashes
    if errors:
        raise ValidationError(errors)
    for attempt in range(5):
        try:
            with transaction.atomic():
                inspection = Inspection.objects.create(
                    reference=_next_reference(programme, fieldwork_start.year),
                    programme=programme,
                    yot=yot,
                    fieldwork_start=fieldwork_start,
                    modules=cleaned_modules,
                    created_by=created_by,
                )
            break
        except IntegrityError:  # two planners took the same number at once: take the next
            if attempt == 4:
                raise
    TeamMembership.objects.create(inspection=inspection, user=created_by, role=TeamRole.LEAD_INSPECTOR)
    _audit(inspection, created_by, "created", programme=programme, yot=yot.name, fieldwork_start=str(fieldwork_start))
    return inspection


def _live_inspections():
    """Inspections that still take up their YOT and their team: every one not yet published."""
    return Inspection.objects.exclude(status=Status.PUBLISHED).select_related("yot")


def _booking(inspection: Inspection) -> gate_rules.Booking:
    return gate_rules.Booking(
        reference=inspection.reference,
        programme=inspection.programme,
        fieldwork_start=inspection.fieldwork_start,
        yot_name=inspection.yot.name,
    )


def _person_clashes(user: User, booking: gate_rules.Booking) -> list[str]:
    """The other live inspections ``user`` is on whose fieldwork shares a week with ``booking``."""
    others = [_booking(other) for other in _live_inspections().filter(team__user=user).distinct()]
    return gate_rules.person_clash_problems(name=str(user), booking=booking, others=others)


@transaction.atomic
def inspection_update(
    *, inspection: Inspection, by: User, fieldwork_start: dt.date, modules: Sequence[str], today: dt.date | None = None
) -> Inspection:
    """Change the dates or modules while the inspection is still planned (after the call, dates are fixed)."""
    if inspection.status != Status.PLANNED:
        raise ValidationError(_("The dates cannot change once the inspection has been announced."))
    today = today or timezone.localdate()
    validate_fieldwork_start(
        programme=inspection.programme, country=inspection.country, fieldwork_start=fieldwork_start, today=today
    )
    inspection.modules = validate_modules(programme=inspection.programme, modules=modules)
    # New dates must not put a team member on site in two places in one week (issue 9 §5).
    moved = dataclasses.replace(_booking(inspection), fieldwork_start=fieldwork_start)
    clashes = [
        problem
        for member in inspection.team.select_related("user").order_by("pk")
        for problem in _person_clashes(member.user, moved)
    ]
    if clashes:
        raise ValidationError({"fieldwork_start": clashes})
    inspection.fieldwork_start = fieldwork_start
    inspection.save(update_fields=["fieldwork_start", "modules"])
    inspection.__dict__.pop("timeline", None)
    _audit(inspection, by, "updated", fieldwork_start=str(fieldwork_start), modules=list(inspection.modules))
    return inspection


# Team sizes (seed 000 §11.1; seed 001 §3), shown as guidance beside the team form.
def team_size_guidance(programme: str) -> list[str]:
    if programme == Programme.SQS:
        return [
            _("Most inspections (just over half): a lead inspector, an assistant inspector and a local assessor (3)."),
            _("Some of the very smallest YOTs: two people; larger YOTs: five; the few largest YOTs: seven."),
            _("Local assessors are supervised on site by a member of the HMI Probation team."),
        ]
    return [
        _(
            "Fieldwork week 1: normally four inspection staff (HMI Probation and local assessors); "
            "more in larger areas, fewer in smaller ones."
        ),
        _(
            "Fieldwork week 2: seven inspection staff, including partner inspectors, two HMI Probation "
            "inspectors (one the lead inspector) and a member dedicated to service users."
        ),
    ]


@transaction.atomic
def team_member_add(
    *, inspection: Inspection, by: User, user: User, role: str, supervisor: User | None = None
) -> TeamMembership:
    errors: dict[str, list[str]] = {}
    if inspection.team.filter(user=user).exists():
        errors.setdefault("user", []).append(_("%(name)s is already on this inspection.") % {"name": user})
    if role == TeamRole.LEAD_INSPECTOR and inspection.team.filter(role=TeamRole.LEAD_INSPECTOR).exists():
        errors.setdefault("role", []).append(_("This inspection already has a lead inspector."))
    expected_staff_role = {
        TeamRole.LEAD_INSPECTOR: {StaffRole.LEAD_INSPECTOR},
        TeamRole.ASSISTANT_INSPECTOR: {StaffRole.ASSISTANT_INSPECTOR, StaffRole.LEAD_INSPECTOR},
        TeamRole.LOCAL_ASSESSOR: {StaffRole.LOCAL_ASSESSOR},
        TeamRole.PARTNER_INSPECTOR: {StaffRole.PARTNER_INSPECTOR},
        TeamRole.SSO: {StaffRole.SSO},
    }[TeamRole(role)]
    if user.role not in expected_staff_role:
        errors.setdefault("user", []).append(
            _("%(name)s is a %(their)s and cannot join as a %(role)s.")
            % {"name": user, "their": user.get_role_display() or _("user without a role"), "role": TeamRole(role).label}
        )
    if role == TeamRole.LOCAL_ASSESSOR:
        if user.yot_id == inspection.yot_id:
            errors.setdefault("user", []).append(
                _("%(name)s works for %(yot)s: a local assessor comes from another YOT.")
                % {"name": user, "yot": inspection.yot}
            )
        if (
            supervisor is None
            or not inspection.team.filter(
                user=supervisor, role__in=[TeamRole.LEAD_INSPECTOR, TeamRole.ASSISTANT_INSPECTOR]
            ).exists()
        ):
            errors.setdefault("supervisor", []).append(
                _("Choose the HMI Probation inspector on this team who supervises this local assessor.")
            )
    if role == TeamRole.PARTNER_INSPECTOR:
        if inspection.programme != Programme.FJI:
            errors.setdefault("role", []).append(_("Partner inspectors join Full Joint Inspections only."))
        elif user.inspectorate not in PARTNER_INSPECTORATES[inspection.country]:
            errors.setdefault("user", []).append(
                _("%(name)s's inspectorate does not take part in inspections in %(country)s.")
                % {"name": user, "country": inspection.yot.get_country_display()}
            )
    if not errors:
        # Lock the person so two lead inspectors cannot book them into the same week at once.
        User.objects.select_for_update().filter(pk=user.pk).first()
        clashes = _person_clashes(user, _booking(inspection))
        if clashes:
            errors["user"] = clashes
    if errors:
        raise ValidationError(errors)
    membership = TeamMembership.objects.create(
        inspection=inspection, user=user, role=role, supervisor=supervisor if role == TeamRole.LOCAL_ASSESSOR else None
    )
    _audit(inspection, by, "team_added", user=user.username, role=role)
    return membership


def team_member_remove_problems(membership: TeamMembership) -> list[str]:
    """Why this person cannot leave the team (shown on the confirmation page, checked on removal)."""
    if membership.role == TeamRole.LEAD_INSPECTOR:
        return [_("The lead inspector cannot be removed from their inspection.")]
    if membership.inspection.team.filter(supervisor=membership.user).exists():
        return [
            _(
                "%(name)s supervises a local assessor on this inspection: "
                "give the local assessor another supervisor first."
            )
            % {"name": membership.user}
        ]
    return []


@transaction.atomic
def team_member_remove(*, membership: TeamMembership, by: User) -> None:
    problems = team_member_remove_problems(membership)
    if problems:
        raise ValidationError(problems)
    _audit(membership.inspection, by, "team_removed", user=membership.user.username, role=membership.role)
    membership.delete()


@transaction.atomic
def contact_add(
    *, inspection: Inspection, by: User, role: str, name: str, email: str, phone: str = "", language: str = ""
) -> Contact:
    """``language`` empty: not known (their emails are then bilingual in Wales, English in England)."""
    contact = Contact(
        inspection=inspection,
        role=role,
        name=name.strip(),
        email=email.strip(),
        phone=phone.strip(),
        language=language,
    )
    contact.full_clean()
    contact.save()
    _audit(inspection, by, "contact_added", role=role, name=contact.name, language=language)
    return contact


@transaction.atomic
def contact_remove(*, contact: Contact, by: User) -> None:
    _audit(contact.inspection, by, "contact_removed", role=contact.role, name=contact.name)
    contact.delete()


def missing_announcement_contacts(inspection: Inspection) -> list[str]:
    have = set(inspection.contacts.values_list("role", flat=True))
    return [str(ContactRole(role).label) for role in announcement_roles(inspection.country) if role not in have]


# --- Status ---------------------------------------------------------------------------


def allowed_next_status(current: str) -> str | None:
    index = STATUS_ORDER.index(current)
    return STATUS_ORDER[index + 1] if index + 1 < len(STATUS_ORDER) else None


def status_move_problems(inspection: Inspection, to_status: str, now: dt.datetime | None = None) -> list[str]:
    """Why ``inspection`` cannot move to ``to_status`` at ``now``; an empty list when it can.

    One step forward at a time, then the gates registered for ``to_status`` (``inspections.gates``).
    Pages call this to show the problems before the user tries; ``inspection_set_status`` calls it
    again on the locked row.
    """
    now = now or timezone.now()
    next_status = allowed_next_status(inspection.status)
    if next_status != to_status:
        return [
            _("An inspection cannot move from “%(from)s” to “%(to)s”: the next step is “%(next)s”.")
            % {
                "from": Status(inspection.status).label,
                "to": Status(to_status).label,
                "next": Status(next_status).label if next_status else "—",
            }
        ]
    return gate_problems(inspection, to_status, now)


def inspection_set_status(
    *,
    inspection: Inspection,
    to_status: str,
    by: User,
    expected: str | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Inspection:
    """The one way an inspection's status moves. One step forward at a time, through its gates.

    Does nothing when the inspection already has ``to_status``. ``expected`` is the status
    the user saw; if someone else has moved the inspection since, raises StaleStatus so the
    page can say so instead of moving it twice. While any gate for ``to_status`` names a
    problem (``status_move_problems``), raises ValidationError listing them all and writes
    nothing. Side effects: a StatusChange audit row; milestones tied to statuses become done
    (see ``STATUS_COMPLETES``).
    """
    if to_status not in STATUS_ORDER:
        raise ValidationError(_("Unknown status %(s)s.") % {"s": to_status})
    now = now or timezone.now()
    with transaction.atomic():
        locked = Inspection.objects.select_for_update(of=("self",)).select_related("yot").get(pk=inspection.pk)
        if locked.status == to_status:
            inspection.status = locked.status
            return inspection
        if expected is not None and locked.status != expected:
            raise StaleStatus(locked.status)
        problems = status_move_problems(locked, to_status, now)
        if problems:
            raise ValidationError(problems)
        StatusChange.objects.create(
            inspection=locked, from_status=locked.status, to_status=to_status, changed_by=by, note=note[:500]
        )
        locked.status = to_status
        locked.version += 1
        locked.save(update_fields=["status", "version"])
    inspection.status = locked.status
    inspection.version = locked.version
    return inspection


# Milestones that a status reaching (or passing) marks done.
STATUS_COMPLETES = {
    "announcement": Status.ANNOUNCED,
    "long_list_due": Status.LONG_LIST_RECEIVED,
    "sample_due": Status.SAMPLE_SELECTED,
    "final_schedule_due": Status.SCHEDULE_FINAL,
    "draft_report_due": Status.FACTUAL_ACCURACY,
    "publication_due": Status.PUBLISHED,
}


def milestone_done_keys(inspection: Inspection) -> set[str]:
    """Milestones done by hand or by the inspection's progress. Uses prefetched rows when present."""
    done = {completion.key for completion in inspection.milestone_completions.all()}
    position = STATUS_ORDER.index(inspection.status)
    done |= {key for key, status in STATUS_COMPLETES.items() if position >= STATUS_ORDER.index(status)}
    sent = {document.kind for document in inspection.documents.all()}
    if all(kind in sent for kind in REQUIRED_IIA):
        done.add("iia_due")
    return done


@transaction.atomic
def milestone_mark_done(*, inspection: Inspection, key: str, by: User) -> MilestoneCompletion:
    keys = {m.key for m in inspection.timeline.milestones}
    if key not in keys:
        raise ValidationError(_("This inspection has no milestone “%(key)s”.") % {"key": key})
    completion, created = MilestoneCompletion.objects.get_or_create(
        inspection=inspection, key=key, defaults={"done_by": by}
    )
    if created:
        _audit(inspection, by, "milestone_done", key=key)
    return completion


# --- Announcement ---------------------------------------------------------------------


@dataclass(frozen=True)
class AnnouncementEmail:
    """One message of the announcement: the recipients who read it in ``language``."""

    language: str  # a Language value, or notifications.BILINGUAL
    subject: str
    body: str
    to: tuple[str, ...]
    # For the preview: (HTML lang, subject, body) of each language in the message, Welsh first, so
    # the page can mark each one's language.
    parts: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Announcement:
    """The confirmation email as it goes out: one message per language (Welsh, bilingual, English)."""

    emails: tuple[AnnouncementEmail, ...]

    @property
    def to(self) -> tuple[str, ...]:
        return tuple(address for email in self.emails for address in email.to)


HTML_LANG = {Language.WELSH: "cy", Language.ENGLISH: "en-GB"}

# Welsh first, then the bilingual message, then English (the Welsh Language Standards put Welsh first).
ANNOUNCEMENT_LANGUAGE_ORDER = (Language.WELSH, BILINGUAL, Language.ENGLISH)


def announcement_language_groups(contacts: Iterable[tuple[str, str]], *, country: str) -> dict[str, tuple[str, ...]]:
    """The addresses of ``contacts`` (email, preferred language) by the language each is written to.

    An address is written to once. Where the contacts sharing an address (one person in two roles)
    prefer different languages, it gets both in one message, so neither preference is set aside.
    """
    preferences: dict[str, tuple[str, set[str]]] = {}
    for email, preference in contacts:
        _spelling, languages = preferences.setdefault(email.lower(), (email, set()))
        languages.add(email_language(preference, country=country))
    groups: dict[str, list[str]] = {}
    for address, languages in preferences.values():
        groups.setdefault(languages.pop() if len(languages) == 1 else BILINGUAL, []).append(address)
    return {language: tuple(groups[language]) for language in ANNOUNCEMENT_LANGUAGE_ORDER if language in groups}


def announcement_email(inspection: Inspection) -> Announcement:
    """The confirmation email of seed 000 §10.1 with the instructions of §10.2, in each recipient's
    language (issue 13 §2): Welsh, English, or both for someone in Wales whose language is not known."""
    timeline = inspection.timeline
    announced = (
        timezone.localdate(inspection.announced_at) if inspection.announced_at else timeline.get("announcement").date
    )
    windows = eligibility_windows(announced)
    roles = announcement_roles(inspection.country)
    recipients = [c for c in inspection.contacts.all() if c.role in roles]
    context = {
        "inspection": inspection,
        "timeline": {m.key: m for m in timeline.milestones},
        "windows": [(HEADING_LABELS[h], w) for h, w in windows.items()],
        "iia_kinds": [(kind.label, kind in REQUIRED_IIA) for kind in IIAKind if kind != IIAKind.OTHER],
        "team": inspection.team.select_related("user").all(),
        "recipients": recipients,
    }
    groups = announcement_language_groups(((c.email, c.language) for c in recipients), country=inspection.country)
    emails = []
    for language, addresses in groups.items():
        # render_email renders inside translation.override, so labels and dates come out in the language.
        subject, body = render_email("announcement", context, language)
        parts = tuple(
            (HTML_LANG[part], *render_email("announcement", context, part))
            for part in ((Language.WELSH, Language.ENGLISH) if language == BILINGUAL else (language,))
        )
        emails.append(AnnouncementEmail(language=language, subject=subject, body=body, to=addresses, parts=parts))
    return Announcement(emails=tuple(emails))


def inspection_announce(
    *, inspection: Inspection, by: User, received_by: str, now: dt.datetime | None = None
) -> Inspection:
    """Record the announcement call and send the confirmation email (after the commit)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if inspection.status != Status.PLANNED:
        raise ValidationError(_("This inspection has already been announced."))
    errors: dict[str, list[str]] = {}
    try:
        validate_fieldwork_start(
            programme=inspection.programme,
            country=inspection.country,
            fieldwork_start=inspection.fieldwork_start,
            today=today,
        )
    except ValidationError as exc:
        errors.setdefault("__all__", []).extend(exc.message_dict["fieldwork_start"])
    missing = missing_announcement_contacts(inspection)
    if missing:
        errors.setdefault("__all__", []).append(
            _("Add the contact details of everyone who receives the confirmation email first: %(roles)s.")
            % {"roles": ", ".join(missing)}
        )
    if not received_by.strip():
        errors.setdefault("received_by", []).append(_("Enter the name of the person who took the call."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Two announcements at once: the second waits for the first's lock, then finds it announced
        # and changes nothing (no second audit row; who took the call is not overwritten).
        current = Inspection.objects.select_for_update().values_list("status", flat=True).get(pk=inspection.pk)
        if current != Status.PLANNED:
            raise StaleStatus(current)
        inspection = inspection_set_status(
            inspection=inspection, to_status=Status.ANNOUNCED, by=by, expected=Status.PLANNED
        )
        Inspection.objects.filter(pk=inspection.pk).update(
            announced_at=now, announced_by=by, announcement_received_by=received_by.strip()
        )
        inspection.announced_at = now
        inspection.announced_by = by
        inspection.announcement_received_by = received_by.strip()
        email = announcement_email(inspection)
        _audit(inspection, by, "announced", received_by=received_by.strip(), recipients=list(email.to))
        from inspections.tasks import enqueue_announcement_email

        enqueue_announcement_email(inspection.pk)
        # Inline: accounts builds on this module (team_member_add), so it cannot be imported at the top.
        from inspections.accounts.services import invite_contacts_at_announcement

        # Contacts who could not be invited (an account of another YOT or role), for the page to show.
        inspection.invitation_warnings = invite_contacts_at_announcement(inspection=inspection, by=by)
    return inspection


def announcement_email_send(*, inspection: Inspection) -> bool:
    """Send the confirmation email once: one message per language. Safe to run twice: the second
    run finds it sent.

    The claim is a conditional UPDATE, so two workers racing for the same job cannot both send.
    Each language's message leaves its own audit row; if one fails, the claim is given back and a
    retry sends only the languages that have no row yet, so nobody gets it twice.
    """
    claimed = Inspection.objects.filter(pk=inspection.pk, announcement_email_sent_at__isnull=True).update(
        announcement_email_sent_at=timezone.now()
    )
    if not claimed:
        return False
    already = {
        event.detail.get("language")
        for event in AuditEvent.objects.filter(inspection=inspection, action="announcement_email_sent")
    }
    reply_to = [inspection.announced_by.email] if inspection.announced_by and inspection.announced_by.email else None
    for email in announcement_email(inspection).emails:
        if email.language in already:
            continue
        try:
            EmailMessage(
                subject=email.subject,
                body=email.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=list(email.to),
                reply_to=reply_to,
            ).send()
        except Exception:
            # Give the claim back so a retry can send what is left.
            Inspection.objects.filter(pk=inspection.pk).update(announcement_email_sent_at=None)
            raise
        _audit(inspection, None, "announcement_email_sent", language=email.language, to=list(email.to))
    return True


# --- Information in Advance -------------------------------------------------------------

# Office documents, PDFs and images, recognised by their first bytes as well as their name.
IIA_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (b"PK\x03\x04",)),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    ".doc": ("application/msword", (b"\xd0\xcf\x11\xe0",)),
    ".xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}


def check_iia_file(upload: UploadedFile) -> str:
    """The content type to store, or a ValidationError naming what is wrong with the file."""
    name = upload.name or ""
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    limit = settings.UPLOAD_MAX_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is %(size).1f MB: the largest file allowed is %(limit)d MB.")
            % {"name": name, "size": upload.size / 1024 / 1024, "limit": settings.UPLOAD_MAX_MB}
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})
    if extension not in IIA_TYPES:
        raise ValidationError(
            _(
                "%(name)s is not a file type we accept. "
                "Upload a PDF, Word, Excel, PowerPoint, OpenDocument, PNG or JPEG file."
            )
            % {"name": name}
        )
    content_type, signatures = IIA_TYPES[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in signatures):
        raise ValidationError(
            _("%(name)s does not look like a %(ext)s file: its contents are of another type.")
            % {"name": name, "ext": extension.lstrip(".").upper()}
        )
    return content_type


def iia_upload(*, inspection: Inspection, by: User, kind: str, upload: UploadedFile) -> InformationDocument:
    if kind not in IIAKind.values:
        raise ValidationError({"kind": _("Choose which document this is.")})
    if inspection.status == Status.PLANNED:
        raise ValidationError(_("Information in Advance can be sent once the inspection is announced."))
    content_type = check_iia_file(upload)
    with transaction.atomic():
        document = InformationDocument(
            inspection=inspection,
            kind=kind,
            token=secrets.token_hex(16),
            original_name=(upload.name or "document")[-255:],
            content_type=content_type,
            size=upload.size,
            uploaded_by=by,
        )
        # Saving the file happens inside the transaction; if the row fails the file is removed below.
        document.file.save(document.token, upload, save=False)
        try:
            document.save()
        except Exception:
            document.file.delete(save=False)
            raise
        _audit(inspection, by, "iia_uploaded", kind=kind, name=document.original_name, size=document.size)
    return document


def iia_status(inspection: Inspection) -> list[tuple[str, str, bool, list[InformationDocument]]]:
    """Each IIA kind with its label, whether it is required, and the documents sent for it."""
    documents: dict[str, list[InformationDocument]] = {}
    for document in inspection.documents.select_related("uploaded_by"):
        documents.setdefault(document.kind, []).append(document)
    return [(kind.value, str(kind.label), kind in REQUIRED_IIA, documents.get(kind.value, [])) for kind in IIAKind]


def users_by_role(role: str) -> Iterable[User]:
    return User.objects.filter(role=role, is_active=True).order_by("last_name", "first_name")
