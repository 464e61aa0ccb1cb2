"""Emails to people at each handoff, and the reminders: created once, rendered in the recipient's
language, sent after the commit by a Celery task, retried, and shown to the lead inspector when
they cannot be sent (issue 9 §2, §3).

Every app calls :func:`notify` (or :func:`notify_people`) with a template of its own under
``templates/emails/``: ``<template>_subject.txt`` and ``<template>.txt``. The context gets
``site_url`` and ``recipient_name``; links are made absolute with :func:`absolute_url`.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from inspections.enums import Country, Language, NotificationStatus, StaffRole, TeamRole
from inspections.models import Contact, Inspection, Notification, User

log = logging.getLogger(__name__)

# A claim older than this is taken to belong to a worker that died mid-send.
CLAIM_TIMEOUT_SECONDS = 300


def absolute_url(path: str) -> str:
    """A link into the service that works from an email: ``SITE_URL`` + path."""
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


# An email in Welsh and then English, in one message: for a person in Wales whose preferred
# language is not recorded (docs/rulebook.md, "Language of emails"). Not a choice anyone picks, so
# not in ``Language``; it fits ``Notification.language``.
BILINGUAL = "cy+en"

# Between the Welsh and the English of a bilingual email: no words, so nothing to translate.
BILINGUAL_DIVIDER = "-" * 40


def email_language(preference: str | None, *, country: str | None) -> str:
    """The language to write to someone in: their recorded preference, honoured from then on
    (Welsh Language Standards); unrecorded, Welsh and English in Wales (seed 000 §1, seed 004
    Appendix 2: the two languages are treated equally there) and English in England."""
    if preference in Language.values:
        return preference
    return BILINGUAL if country == Country.WALES else Language.ENGLISH


def render_email(template: str, context: Mapping[str, Any], language: str) -> tuple[str, str]:
    """Subject and body of ``emails/<template>`` in ``language`` (or :data:`BILINGUAL`)."""
    if language == BILINGUAL:
        welsh_subject, welsh_body = render_email(template, context, Language.WELSH)
        english_subject, english_body = render_email(template, context, Language.ENGLISH)
        return (
            f"{welsh_subject} / {english_subject}"[:300],
            f"{welsh_body}\n{BILINGUAL_DIVIDER}\n\n{english_body}",
        )
    with translation.override(language):
        full = {"site_url": settings.SITE_URL.rstrip("/"), **context}
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", full).split())
        body = render_to_string(f"emails/{template}.txt", full).strip() + "\n"
    return subject[:300], body


def notify(
    *,
    key: str,
    kind: str,
    template: str,
    context: Mapping[str, Any],
    recipient: User | None = None,
    email: str = "",
    name: str = "",
    language: str | None = None,
    inspection: Inspection | None = None,
    reply_to: str = "",
) -> Notification | None:
    """Create the email ``key`` (once ever) and send it after the surrounding transaction commits.

    ``key`` names what the email is about and for whom; a second call with the same key does
    nothing and returns None, which is what makes reminders and handoff notices never go twice.
    A recipient is a person (``recipient``, whose email and preferred language are used) or a
    bare address (a contact without an account, with the contact's ``language``). Where no
    language is recorded, :func:`email_language` decides from the inspection's country (or the
    person's YOT's).
    """
    country = inspection.country if inspection is not None else None
    if recipient is not None:
        if not recipient.is_active or not recipient.email:
            return None
        email, name = recipient.email, recipient.get_full_name() or recipient.username
        language = language or recipient.language
        if country is None and recipient.yot_id:
            country = recipient.yot.country
    if not email:
        return None
    language = email_language(language, country=country)
    if Notification.objects.filter(key=key).exists():
        return None
    subject, body = render_email(template, {"recipient_name": name, **context}, language)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                key=key[:200],
                kind=kind,
                inspection=inspection,
                recipient=recipient,
                to_email=email,
                to_name=name[:200],
                language=language,
                subject=subject,
                body=body,
                reply_to=reply_to,
            )
    except IntegrityError:  # another process created the same notice a moment ago
        return None
    from inspections.tasks import send_notification

    transaction.on_commit(lambda: send_notification.delay(notification_id=notification.pk), robust=True)
    return notification


def notify_people(
    *,
    people: Iterable[User],
    key: str,
    kind: str,
    template: str,
    context: Mapping[str, Any],
    inspection: Inspection | None = None,
    reply_to: str = "",
) -> list[Notification]:
    """:func:`notify` for each person, with ``:<user id>`` added to the key."""
    created = []
    for person in dict.fromkeys(people):
        notification = notify(
            key=f"{key}:{person.pk}",
            kind=kind,
            template=template,
            context=context,
            recipient=person,
            inspection=inspection,
            reply_to=reply_to,
        )
        if notification is not None:
            created.append(notification)
    return created


def notification_send(*, notification_id: int) -> bool:
    """Send one email. Safe to run twice and from two workers: a conditional UPDATE claims it.

    Returns True when this call sent it. A failure gives the claim back and records the error,
    then raises so the task can retry; :func:`notification_fail` marks it failed for good.
    """
    now = timezone.now()
    stale = now - dt.timedelta(seconds=CLAIM_TIMEOUT_SECONDS)
    claimed = (
        Notification.objects.filter(pk=notification_id, status=NotificationStatus.QUEUED)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
        .update(claimed_at=now)
    )
    if not claimed:
        return False
    notification = Notification.objects.get(pk=notification_id)
    message = EmailMessage(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        # A bare address: GOV.UK Notify takes nothing else.
        to=[notification.to_email],
        reply_to=[notification.reply_to] if notification.reply_to else None,
    )
    try:
        message.send()
    except Exception as exc:
        Notification.objects.filter(pk=notification_id).update(
            claimed_at=None, attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:500]
        )
        raise
    Notification.objects.filter(pk=notification_id).update(
        status=NotificationStatus.SENT,
        sent_at=timezone.now(),
        attempts=F("attempts") + 1,
        last_error="",
        body=without_secret_links(notification.body),
    )
    return True


# Links that sign someone in (an invitation): kept only until the email is handed over, so the
# stored copy of a sent email cannot be used by whoever reads the database or the Emails page.
SECRET_LINK = re.compile(r"\S*/accounts/invitation/[^/\s]+/?")


def without_secret_links(body: str) -> str:
    return SECRET_LINK.sub(_("[single-use link removed after sending]"), body)


def notification_fail(*, notification_id: int, error: str) -> None:
    """Retries are spent: the email shows as not sent to the lead inspector, who can try again."""
    Notification.objects.filter(pk=notification_id, status=NotificationStatus.QUEUED).update(
        status=NotificationStatus.FAILED, last_error=error[:500], claimed_at=None
    )
    log.warning("notification %s could not be sent: %s", notification_id, error)


def notification_retry(*, notification: Notification) -> Notification:
    """Queue a failed email again (the lead inspector's "Try again")."""
    updated = Notification.objects.filter(pk=notification.pk, status=NotificationStatus.FAILED).update(
        status=NotificationStatus.QUEUED, claimed_at=None
    )
    if updated:
        from inspections.tasks import send_notification

        transaction.on_commit(lambda: send_notification.delay(notification_id=notification.pk), robust=True)
    notification.refresh_from_db()
    return notification


def notifications_sweep(*, now: dt.datetime | None = None, older_than_seconds: int = 600) -> list[int]:
    """Queue again the emails still waiting long after they were created (run by beat).

    A task can be lost with its broker (Redis keeps nothing on disk here); the row is not, so the
    email goes all the same. Sending claims the row, so an email whose first task turns up late
    still goes once.
    """
    now = now or timezone.now()
    limit = now - dt.timedelta(seconds=older_than_seconds)
    stale_claim = now - dt.timedelta(seconds=CLAIM_TIMEOUT_SECONDS)
    waiting = list(
        Notification.objects.filter(status=NotificationStatus.QUEUED, created_at__lt=limit)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale_claim))
        .values_list("pk", flat=True)[:500]
    )
    from inspections.tasks import send_notification

    for pk in waiting:
        send_notification.delay(notification_id=pk)
    return waiting


# --- Who receives what ---------------------------------------------------------------------


def yot_managers_of(inspection: Inspection) -> list[User]:
    """The active YOT managers of the inspection's YOT: they own the YOT's milestones."""
    return list(
        User.objects.filter(is_active=True, role=StaffRole.YOT_MANAGER, yot_id=inspection.yot_id).order_by("id")
    )


def team_with_roles(inspection: Inspection, roles: Iterable[str]) -> list[User]:
    return [
        membership.user
        for membership in inspection.team.select_related("user").filter(role__in=list(roles), user__is_active=True)
    ]


def lead_and_sso(inspection: Inspection) -> list[User]:
    return team_with_roles(inspection, (TeamRole.LEAD_INSPECTOR, TeamRole.SSO))


def contacts_without_accounts(inspection: Inspection, roles: Iterable[str] | None = None) -> list[Contact]:
    contacts = inspection.contacts.filter(user__isnull=True)
    if roles is not None:
        contacts = contacts.filter(role__in=list(roles))
    return list(contacts)
