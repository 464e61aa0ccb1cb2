"""People, youth offending teams, invitations and deactivation (issue 9 §1).

An account is created without a usable password; its owner sets one through an invitation: a
single-use link that expires after ``INVITATION_VALID_DAYS``. Only a hash of the link's token is
stored. Account changes have no inspection to hang an ``AuditEvent`` on, so they are logged to
``inspections.accounts`` (who did what to whom); what happens on an inspection is audited there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.enums import ContactRole, Country, Language, StaffRole, TeamRole
from inspections.models import AuditEvent, Contact, Inspection, Invitation, TeamMembership, User, YouthOffendingTeam
from inspections.notifications import absolute_url, notify

log = logging.getLogger("inspections.accounts")

# The roles that belong to a YOT: a YOT manager's own, a local assessor's home YOT.
ROLES_WITH_YOT = (StaffRole.YOT_MANAGER, StaffRole.LOCAL_ASSESSOR)


# --- People ------------------------------------------------------------------------------


def username_for(email: str) -> str:
    return email.strip().lower()


def person_problems(
    *, email: str, role: str, yot: YouthOffendingTeam | None, inspectorate: str, person: User | None = None
) -> dict[str, list[str]]:
    """What stops this account being saved, field by field (one account per email address)."""
    errors: dict[str, list[str]] = {}
    others = User.objects.exclude(pk=person.pk) if person else User.objects.all()
    email = email.strip()
    if others.filter(Q(email__iexact=email) | Q(username=username_for(email))).exists():
        errors["email"] = [_("Someone already has an account with the email address %(email)s.") % {"email": email}]
    if role == StaffRole.YOT_MANAGER and yot is None:
        errors["yot"] = [_("Choose the youth offending team this YOT manager manages.")]
    if role == StaffRole.PARTNER_INSPECTOR and not inspectorate:
        errors["inspectorate"] = [_("Choose the inspectorate this partner inspector works for.")]
    if role and role not in StaffRole.values:
        errors["role"] = [_("Choose the person's role.")]
    return errors


def _account_create(
    *,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    yot: YouthOffendingTeam | None = None,
    inspectorate: str = "",
    language: str = Language.ENGLISH,
) -> User:
    """A new, active account that cannot be signed into until its owner accepts an invitation."""
    errors = person_problems(email=email, role=role, yot=yot, inspectorate=inspectorate)
    if errors:
        raise ValidationError(errors)
    person = User(
        username=username_for(email),
        email=email.strip(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=role,
        yot=yot if role in ROLES_WITH_YOT else None,
        inspectorate=inspectorate if role == StaffRole.PARTNER_INSPECTOR else "",
        # Kept empty when not known (an account made from a contact who was not asked): their emails
        # are then in Welsh and English in Wales until they choose (notifications.email_language).
        language=language,
    )
    person.set_unusable_password()
    person.save()
    return person


@transaction.atomic
def person_create(
    *,
    by: User,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    yot: YouthOffendingTeam | None = None,
    inspectorate: str = "",
    language: str = Language.ENGLISH,
) -> User:
    """Create the account (username: the lower-cased email) and send its owner an invitation."""
    person = _account_create(
        first_name=first_name,
        last_name=last_name,
        email=email,
        role=role,
        yot=yot,
        inspectorate=inspectorate,
        language=language,
    )
    log.info("person_created by=%s person=%s role=%s", by.username, person.username, role)
    invitation_send(user=person, by=by)
    return person


@transaction.atomic
def person_update(
    *,
    person: User,
    by: User,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    yot: YouthOffendingTeam | None = None,
    inspectorate: str = "",
    language: str = Language.ENGLISH,
) -> User:
    errors = person_problems(email=email, role=role, yot=yot, inspectorate=inspectorate, person=person)
    if person.pk == by.pk and by.role == StaffRole.ADMINISTRATOR and role != StaffRole.ADMINISTRATOR:
        errors.setdefault("role", []).append(_("You cannot remove your own administrator role."))
    if errors:
        raise ValidationError(errors)
    # A username made from the email follows it; a username chosen otherwise (createsuperuser) stays.
    if person.username == username_for(person.email):
        person.username = username_for(email)
    person.email = email.strip()
    person.first_name, person.last_name = first_name.strip(), last_name.strip()
    person.role = role
    person.yot = yot if role in ROLES_WITH_YOT else None
    person.inspectorate = inspectorate if role == StaffRole.PARTNER_INSPECTOR else ""
    person.language = language or Language.ENGLISH
    person.save()
    log.info("person_updated by=%s person=%s role=%s", by.username, person.username, role)
    return person


@transaction.atomic
def person_language_set(*, person: User, language: str) -> User:
    """The person's own choice of the language of their emails, honoured from then on (Welsh
    Language Standards): in every email to their account, and to them as an inspection's contact."""
    if language not in Language.values:
        raise ValidationError({"language": [_("Choose the language of your emails")]})
    person.language = language
    person.save(update_fields=["language"])
    Contact.objects.filter(user=person).update(language=language)
    log.info("person_language_set person=%s language=%s", person.username, language)
    return person


def person_deactivate_problems(*, person: User, by: User) -> list[str]:
    if person.pk == by.pk:
        return [_("You cannot deactivate your own account. Ask another administrator.")]
    return []


@transaction.atomic
def person_deactivate(*, person: User, by: User, now: dt.datetime | None = None) -> User:
    """Stop ``person`` signing in: ends every session they have and withdraws their open invitations.

    Does nothing when they are already deactivated.
    """
    problems = person_deactivate_problems(person=person, by=by)
    if problems:
        raise ValidationError(problems)
    locked = User.objects.select_for_update().get(pk=person.pk)
    if not locked.is_active:
        person.is_active = False
        return person
    now = now or timezone.now()
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    _withdraw_open_invitations(locked, now)
    ended = sessions_end(user=locked, now=now)
    log.info("person_deactivated by=%s person=%s sessions_ended=%d", by.username, locked.username, ended)
    person.is_active = False
    return person


@transaction.atomic
def person_reactivate(*, person: User, by: User) -> Invitation | None:
    """Let ``person`` sign in again, with a fresh invitation to set a password.

    Returns None (and sends nothing) when they are already active.
    """
    locked = User.objects.select_for_update().get(pk=person.pk)
    if locked.is_active:
        return None
    locked.is_active = True
    locked.save(update_fields=["is_active"])
    person.is_active = True
    log.info("person_reactivated by=%s person=%s", by.username, locked.username)
    return invitation_send(user=locked, by=by)


def sessions_end(*, user: User, now: dt.datetime | None = None) -> int:
    """Delete every unexpired session signed in as ``user``; returns how many there were."""
    now = now or timezone.now()
    theirs = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=now).iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    Session.objects.filter(pk__in=theirs).delete()
    return len(theirs)


# --- Invitations ---------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _withdraw_open_invitations(user: User, now: dt.datetime) -> int:
    return Invitation.objects.filter(user=user, used_at__isnull=True, withdrawn_at__isnull=True).update(
        withdrawn_at=now
    )


@transaction.atomic
def invitation_send(*, user: User, by: User, inspection: Inspection | None = None) -> Invitation:
    """Email ``user`` a new link to set their password, and withdraw any earlier one.

    The token itself is on the returned invitation (``.token``) and in the email, never stored.
    """
    if not user.is_active:
        raise ValidationError(_("%(name)s's account is deactivated: reactivate it first.") % {"name": user})
    if not user.email:
        raise ValidationError(_("%(name)s has no email address to send the invitation to.") % {"name": user})
    now = timezone.now()
    _withdraw_open_invitations(user, now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        user=user,
        token_hash=_token_hash(token),
        inspection=inspection,
        created_by=by,
        expires_at=now + dt.timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.token = token
    expires = timezone.localtime(invitation.expires_at)
    notify(
        key=f"invitation:{invitation.pk}",
        kind="invitation",
        template="invitation",
        context={
            "by": str(by),
            "role": StaffRole(user.role).label if user.role else "",
            "inspection": inspection,
            "expires_on": expires.date(),
            "expires_at": expires.time(),
            "username": user.username,
            "link": absolute_url(reverse("accept_invitation", args=[token])),
        },
        recipient=user,
        inspection=inspection,
    )
    log.info("invitation_sent by=%s person=%s invitation=%s", by.username, user.username, invitation.pk)
    return invitation


# Why an invitation link no longer works, in the order the page explains it.
DEACTIVATED, USED, WITHDRAWN, EXPIRED = "deactivated", "used", "withdrawn", "expired"


def invitation_find(token: str) -> Invitation | None:
    return Invitation.objects.select_related("user").filter(token_hash=_token_hash(token)).first()


def invitation_problem(invitation: Invitation, now: dt.datetime | None = None) -> str | None:
    """``DEACTIVATED``, ``USED``, ``WITHDRAWN`` or ``EXPIRED``; None while the link works."""
    now = now or timezone.now()
    if not invitation.user.is_active:
        return DEACTIVATED
    if invitation.used_at:
        return USED
    if invitation.withdrawn_at:
        return WITHDRAWN
    if invitation.expires_at <= now:
        return EXPIRED
    return None


class InvitationUnusable(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def invitation_accept(*, invitation: Invitation, password: str) -> User:
    """Set the person's password and use up the link. Raises InvitationUnusable (changing nothing)
    when the link stopped working, including since the page was shown."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
        problem = invitation_problem(locked)
        if problem:
            raise InvitationUnusable(problem)
        person = locked.user
        person.set_password(password)
        person.is_active = True
        person.save(update_fields=["password", "is_active"])
        locked.used_at = timezone.now()
        locked.save(update_fields=["used_at"])
    log.info("invitation_accepted person=%s invitation=%s", person.username, locked.pk)
    return person


# --- At announcement -------------------------------------------------------------------------


def _split_name(name: str) -> tuple[str, str]:
    parts = name.strip().rsplit(" ", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else (parts[0], "")


@dataclass(frozen=True)
class AnnouncementAccess:
    """What the announcement will do for one contact: ``action`` is CREATE (a new YOT manager's
    account and an invitation), INVITE (an account with no password yet), TELL (an account with a
    password: a short "inspection announced" email) or SKIP, with ``warning`` saying why."""

    contact: Contact
    action: str
    account: User | None = None
    warning: str = ""


CREATE, INVITE, TELL, SKIP = "create", "invite", "tell", "skip"


def announcement_access(inspection: Inspection) -> list[AnnouncementAccess]:
    """For the YOT manager contacts (and any contact already linked to an account): what recording
    the announcement will do, without writing anything. The announce page shows it beforehand;
    ``invite_contacts_at_announcement`` carries it out."""
    plan: list[AnnouncementAccess] = []
    seen: set[int] = set()
    contacts = inspection.contacts.filter(Q(role=ContactRole.YOT_MANAGER) | Q(user__isnull=False)).select_related(
        "user"
    )
    for contact in contacts:
        account = contact.user or User.objects.filter(email__iexact=contact.email.strip()).first()
        if account is None:
            if User.objects.filter(username=username_for(contact.email)).exists():
                plan.append(
                    AnnouncementAccess(
                        contact,
                        SKIP,
                        warning=_(
                            "%(name)s was not invited: the username %(email)s is already taken by another account."
                        )
                        % {"name": contact.name, "email": username_for(contact.email)},
                    )
                )
            else:
                plan.append(AnnouncementAccess(contact, CREATE))
            continue
        if contact.user_id is None and (account.role != StaffRole.YOT_MANAGER or account.yot_id != inspection.yot_id):
            warning = _(
                "%(name)s was not invited: %(email)s belongs to the account of %(person)s (%(role)s). "
                "Ask an administrator to check it."
            ) % {
                "name": contact.name,
                "email": contact.email,
                "person": account,
                "role": ", ".join(str(part) for part in (account.get_role_display(), account.yot) if part)
                or _("no role"),
            }
            plan.append(AnnouncementAccess(contact, SKIP, account, warning))
            continue
        if not account.is_active or not account.email:
            warning = (
                _("%(name)s was not invited: their account is deactivated. Ask an administrator to reactivate it.")
                % {"name": contact.name}
                if not account.is_active
                else _("%(name)s was not invited: their account has no email address.") % {"name": contact.name}
            )
            plan.append(AnnouncementAccess(contact, SKIP, account, warning))
            continue
        # A second contact with the same account is linked to it but told once.
        action = (INVITE if not account.has_usable_password() else TELL) if account.pk not in seen else SKIP
        seen.add(account.pk)
        plan.append(AnnouncementAccess(contact, action, account))
    return plan


def invite_contacts_at_announcement(*, inspection: Inspection, by: User) -> list[str]:
    """Give the YOT manager (and any contact already linked to an account) access to the inspection.

    For each such contact (``announcement_access``): find the account by email, or create a YOT
    manager's account for the inspection's YOT; link it to the contact; send an invitation if it has
    no password yet, or a short "inspection announced" email if it has. An account of another YOT or
    another role is left as it is: the returned warnings name those contacts (and are kept in the
    inspection's audit). Runs inside ``inspection_announce``'s transaction.
    """
    warnings: list[str] = []
    for step in announcement_access(inspection):
        contact, account = step.contact, step.account
        if step.warning:
            warnings.append(step.warning)
            continue
        if step.action == CREATE:
            first, last = _split_name(contact.name)
            account = _account_create(
                first_name=first,
                last_name=last,
                email=contact.email,
                role=StaffRole.YOT_MANAGER,
                yot=inspection.yot,
                language=contact.language,
            )
        if contact.user_id != account.pk:
            contact.user = account
            contact.save(update_fields=["user"])
        if step.action in (CREATE, INVITE):
            invitation_send(user=account, by=by, inspection=inspection)
        elif step.action == TELL:
            _notify_announced(inspection, account)
    if warnings:
        AuditEvent.objects.create(
            inspection=inspection, actor=by, action="contacts_not_invited", detail={"warnings": warnings}
        )
    return warnings


def _notify_announced(inspection: Inspection, person: User) -> None:
    notify(
        key=f"announced:{inspection.pk}:{person.pk}",
        kind="inspection_announced",
        template="inspection_announced",
        context={
            "inspection": inspection,
            "link": absolute_url(reverse("inspections:detail", args=[inspection.reference])),
        },
        recipient=person,
        inspection=inspection,
    )


# --- The lead inspector's invitations -------------------------------------------------------

TEAM_ROLE_TO_STAFF_ROLE = {
    TeamRole.LOCAL_ASSESSOR: StaffRole.LOCAL_ASSESSOR,
    TeamRole.PARTNER_INSPECTOR: StaffRole.PARTNER_INSPECTOR,
}


def team_member_invite(
    *,
    inspection: Inspection,
    by: User,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    yot: YouthOffendingTeam | None = None,
    inspectorate: str = "",
    supervisor: User | None = None,
    language: str = Language.ENGLISH,
) -> TeamMembership:
    """Add someone to the team by email, creating their account if they have none, and invite them.

    An existing account with the same email is reused if its role fits. The team's own checks
    (``team_member_add``) apply; if any fails nothing is saved, not even the new account.
    """
    # Inline: inspections.services imports this module's announcement step inside a function.
    from inspections.services import team_member_add

    if role not in TEAM_ROLE_TO_STAFF_ROLE:
        raise ValidationError({"role": [_("Choose local assessor or partner inspector.")]})
    staff_role = TEAM_ROLE_TO_STAFF_ROLE[role]
    with transaction.atomic():
        person = User.objects.filter(email__iexact=email.strip()).first()
        if person is not None:
            if person.role != staff_role:
                raise ValidationError(
                    {
                        "email": [
                            _("%(email)s belongs to %(name)s, a %(their)s, who cannot join as a %(role)s.")
                            % {
                                "email": email.strip(),
                                "name": person,
                                "their": person.get_role_display() or _("person without a role"),
                                "role": TeamRole(role).label,
                            }
                        ]
                    }
                )
            if not person.is_active:
                raise ValidationError(
                    {
                        "email": [
                            _("%(name)s's account is deactivated. Ask an administrator to reactivate it.")
                            % {"name": person}
                        ]
                    }
                )
        else:
            person = _account_create(
                first_name=first_name,
                last_name=last_name,
                email=email,
                role=staff_role,
                yot=yot,
                inspectorate=inspectorate,
                language=language,
            )
        membership = team_member_add(inspection=inspection, by=by, user=person, role=role, supervisor=supervisor)
        if not person.has_usable_password():
            invitation_send(user=person, by=by, inspection=inspection)
        AuditEvent.objects.create(
            inspection=inspection, actor=by, action="team_invited", detail={"user": person.username, "role": role}
        )
    return membership


# --- Youth offending teams ---------------------------------------------------------------------


@transaction.atomic
def yot_save(
    *,
    by: User,
    code: str,
    name: str,
    country: str,
    local_authorities: str = "",
    yot: YouthOffendingTeam | None = None,
) -> YouthOffendingTeam:
    """Create a YOT, or change ``yot``. Codes and names are unique (names whatever their case)."""
    others = YouthOffendingTeam.objects.exclude(pk=yot.pk) if yot else YouthOffendingTeam.objects.all()
    errors: dict[str, list[str]] = {}
    if others.filter(code=code.strip()).exists():
        errors["code"] = [_("Another YOT already has the code %(code)s.") % {"code": code.strip()}]
    if others.filter(name__iexact=name.strip()).exists():
        errors["name"] = [_("There is already a YOT called %(name)s.") % {"name": name.strip()}]
    if country not in Country.values:
        errors["country"] = [_("Choose England or Wales.")]
    if errors:
        raise ValidationError(errors)
    yot = yot or YouthOffendingTeam()
    yot.code, yot.name, yot.country = code.strip(), name.strip(), country
    yot.local_authorities = local_authorities.strip()
    yot.full_clean()
    yot.save()
    log.info("yot_saved by=%s yot=%s", by.username, yot.code)
    return yot
