"""Reads and writes of an FJI's fieldwork week 2 (``Week2Session``, ``HealthQuestionnaire``).

The rules are in ``scheduling/week2.py`` (pure); this module turns rows into its plain data, asks it,
and writes in one transaction with an audit row. Writes lock the inspection's row first, so two
people placing sessions at once cannot both pass the clash check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import Case
from inspections.enums import PARTNER_INSPECTORATES, TeamRole
from inspections.models import AuditEvent, Inspection, TeamMembership, User
from scheduling import rules_week2  # noqa: F401  (registers the week-2 permissions)
from scheduling import week2 as W
from scheduling.domain.model import Window
from scheduling.enums import Week2Kind, Week2Status
from scheduling.models import HealthQuestionnaire, Week2Session
from scheduling.rules_week2 import INSPECTOR_ROLES, week2_role

PRODID = "-//HM Inspectorate of Probation//Youth offending inspections//EN"
UID_DOMAIN = "youth-inspections.hmiprobation.gov.uk"  # the same fixed domain as scheduling/calendar.py


class StaleSession(Exception):
    """Someone else changed the session since the form was shown."""


def _audit(inspection: Inspection, actor: User | None, action: str, **detail) -> None:
    AuditEvent.objects.create(inspection=inspection, actor=actor, action=action, detail=detail)


# --- Reads ----------------------------------------------------------------------------------------


def week2_monday(inspection: Inspection) -> dt.date:
    """The Monday of fieldwork week 2, from the inspection's timeline (one road for the date)."""
    return inspection.timeline.get("fieldwork_week2_start").date


def facts_of(session: Week2Session) -> W.SessionFacts:
    return W.SessionFacts(
        key=session.pk,
        title=session.title,
        kind=session.kind,
        day=session.day,
        window=Window.from_times(session.start, session.end),
        status=session.status,
        inspectors=frozenset(u.pk for u in session.inspectors.all()),
        attendees=tuple(W.Attendee.from_json(a) for a in session.attendees),
        nobody_available=session.nobody_available,
        strand=session.strand,
    )


def week2_inspectors(inspection: Inspection) -> list[TeamMembership]:
    """The team members a session may be given: the lead inspector, HMI Probation inspectors and
    partner inspectors (with their inspectorate)."""
    return list(
        inspection.team.filter(role__in=INSPECTOR_ROLES).select_related("user").order_by("role", "user__last_name")
    )


def strands_of(inspection: Inspection) -> list[tuple[str, str]]:
    return W.strand_choices(inspection.country, inspection.modules, PARTNER_INSPECTORATES.get(inspection.country, ()))


def presentation_ensure(*, inspection: Inspection) -> Week2Session:
    """The FJI's Friday presentation of draft findings (seed 001 §5), made the first time it is
    needed and moved to the Friday of week 2 when the fieldwork dates moved."""
    plan = W.load_plan()
    friday = week2_monday(inspection) + dt.timedelta(days=W.PRESENTATION_DAY)
    window = plan.presentation.window
    session = inspection.week2_sessions.filter(kind=Week2Kind.PRESENTATION).first()
    if session is None:
        try:
            with transaction.atomic():
                session = Week2Session.objects.create(
                    inspection=inspection,
                    kind=Week2Kind.PRESENTATION,
                    title="Presentation of draft findings",  # shown through display_title
                    day=friday,
                    start=window.start_time,
                    end=window.end_time,
                    status=Week2Status.CONFIRMED,
                )
        except IntegrityError:  # made by a simultaneous request
            session = inspection.week2_sessions.get(kind=Week2Kind.PRESENTATION)
    elif session.day != friday:
        Week2Session.objects.filter(pk=session.pk).update(day=friday, revision=session.revision + 1)
        session.refresh_from_db()
    return session


def sessions_of(inspection: Inspection) -> list[Week2Session]:
    presentation_ensure(inspection=inspection)
    return list(
        inspection.week2_sessions.select_related("case").prefetch_related("inspectors").order_by("day", "start", "id")
    )


def sessions_visible_to(
    user, inspection: Inspection, sessions: Sequence[Week2Session] | None = None
) -> list[Week2Session]:
    """The sessions ``user`` may see (``rules_week2``): all of them, but for a partner inspector
    those they are in, of their inspectorate, and the presentation. ``sessions``: all the
    inspection's, when the caller has them already."""
    sessions = list(sessions) if sessions is not None else sessions_of(inspection)
    if week2_role(user, inspection) != TeamRole.PARTNER_INSPECTOR:
        return sessions
    return [s for s in sessions if W.partner_sees(facts_of(s), member=user.pk, inspectorate=user.inspectorate)]


def invitees_of(inspection: Inspection, presentation: Week2Session) -> list[W.InviteeLine]:
    contacts = inspection.contacts.values_list("role", "name")
    return W.presentation_invitees(contacts, (W.Attendee.from_json(a) for a in presentation.attendees))


def questionnaire_of(inspection: Inspection) -> W.QuestionnaireState:
    dates = HealthQuestionnaire.objects.filter(yot_id=inspection.yot_id).values_list("completed_on", flat=True)
    return W.questionnaire_state(inspection.country, dates, week2_monday(inspection))


def _names(inspection: Inspection) -> dict[int, str]:
    return {m.user_id: str(m.user) for m in inspection.team.select_related("user")}


# --- Writes ---------------------------------------------------------------------------------------


def _locked(inspection: Inspection) -> None:
    Inspection.objects.select_for_update().filter(pk=inspection.pk).first()


def _check_fresh(session: Week2Session, expected_revision: int | None) -> Week2Session:
    current = Week2Session.objects.select_for_update().get(pk=session.pk)
    if expected_revision is not None and current.revision != expected_revision:
        raise StaleSession
    return current


def _others(inspection: Inspection) -> list[W.SessionFacts]:
    return [facts_of(s) for s in inspection.week2_sessions.prefetch_related("inspectors")]


def _refuse_if(errors: Sequence) -> None:
    if errors:
        raise ValidationError([str(e) for e in errors])


def week2_session_propose(
    *,
    inspection: Inspection,
    by: User,
    kind: str,
    title: str,
    day: dt.date,
    window: Window,
    strand: str,
    attendees: Sequence[W.Attendee],
    nobody_available: bool,
    case: Case | None = None,
    session: Week2Session | None = None,
    expected_revision: int | None = None,
) -> Week2Session:
    """The YOT manager proposes a session (``session`` None) or changes one they proposed: who is
    available when. Refused, with messages naming the sessions, when it is outside week 2, not at a
    session time, or someone in it is in another session then. A change to a confirmed session sends
    it back for confirmation; its inspectors stay and are checked again."""
    if kind == Week2Kind.PRESENTATION or kind not in Week2Kind.values:
        raise ValidationError(_("Choose what kind of session it is."))
    if strand not in dict(strands_of(inspection)):
        raise ValidationError(_("Choose what the session inspects."))
    if case is not None and (case.inspection_id != inspection.pk or not case.reference):
        raise ValidationError(_("Choose a case of this inspection’s sample."))
    people = () if nobody_available else tuple(attendees)
    with transaction.atomic():
        _locked(inspection)
        if session is not None:
            session = _check_fresh(session, expected_revision)
            if session.kind == Week2Kind.PRESENTATION or session.status == Week2Status.CANCELLED:
                raise ValidationError(_("This session cannot be changed."))
        inspectors = frozenset(u.pk for u in session.inspectors.all()) if session else frozenset()
        candidate = W.SessionFacts(
            key=session.pk if session else None,
            title=title,
            kind=kind,
            day=day,
            window=window,
            inspectors=inspectors,
            attendees=people,
            nobody_available=nobody_available,
            strand=strand,
        )
        _refuse_if(
            W.check_session(
                candidate,
                _others(inspection),
                plan=W.load_plan(),
                monday=week2_monday(inspection),
                names=_names(inspection),
            )
        )
        fields = {
            "kind": kind,
            "title": title,
            "day": day,
            "start": window.start_time,
            "end": window.end_time,
            "strand": strand,
            "attendees": [a.as_json() for a in people],
            "nobody_available": nobody_available,
            "case": case,
        }
        if session is None:
            session = Week2Session.objects.create(inspection=inspection, proposed_by=by, **fields)
            _audit(inspection, by, "week2_session_proposed", session=session.pk, title=title)
        else:
            for name, value in fields.items():
                setattr(session, name, value)
            session.revision += 1
            if session.status == Week2Status.CONFIRMED:
                session.status = Week2Status.PROPOSED
                session.confirmed_by = None
                session.confirmed_at = None
            session.save()
            _audit(inspection, by, "week2_session_changed", session=session.pk, title=title)
    return session


def week2_session_confirm(
    *, session: Week2Session, by: User, inspectors: Iterable[User], expected_revision: int | None
) -> Week2Session:
    """The lead inspector or SSO gives the session its inspectors and confirms it. Refused when an
    inspector is not on the week-2 team or is in another session at the same time."""
    inspection = session.inspection
    chosen = list(inspectors)
    allowed = {m.user_id for m in week2_inspectors(inspection)}
    if not chosen:
        raise ValidationError(_("Choose at least one inspector."))
    if any(u.pk not in allowed for u in chosen):
        raise ValidationError(_("Choose inspectors from this inspection’s week 2 team."))
    with transaction.atomic():
        _locked(inspection)
        session = _check_fresh(session, expected_revision)
        if session.kind == Week2Kind.PRESENTATION or session.status == Week2Status.CANCELLED:
            raise ValidationError(_("This session cannot be changed."))
        candidate = W.SessionFacts(**{**facts_of(session).__dict__, "inspectors": frozenset(u.pk for u in chosen)})
        _refuse_if(
            W.check_session(
                candidate,
                _others(inspection),
                plan=W.load_plan(),
                monday=week2_monday(inspection),
                names=_names(inspection),
            )
        )
        session.inspectors.set(chosen)
        session.revision += 1
        session.save(update_fields=["revision", "updated_at"])
        _audit(inspection, by, "week2_inspectors_assigned", session=session.pk, inspectors=[u.pk for u in chosen])
        return week2_session_set_status(session=session, status=Week2Status.CONFIRMED, by=by)


def week2_session_set_status(*, session: Week2Session, status: str, by: User) -> Week2Session:
    """The one place a session's status changes. Confirmed: who confirmed it and when are kept.
    Cancelled: it leaves the checks (its people are free at that time) and stays in the calendar
    files marked cancelled, so an imported event is removed. Nothing happens when the status is
    unchanged."""
    if session.status == status:
        return session
    session.status = status
    session.revision += 1
    if status == Week2Status.CONFIRMED:
        session.confirmed_by = by
        session.confirmed_at = timezone.now()
    session.save(update_fields=["status", "revision", "confirmed_by", "confirmed_at", "updated_at"])
    _audit(session.inspection, by, "week2_session_status", session=session.pk, status=status)
    return session


def week2_session_cancel(*, session: Week2Session, by: User, expected_revision: int | None) -> Week2Session:
    with transaction.atomic():
        current = _check_fresh(session, expected_revision)
        if current.kind == Week2Kind.PRESENTATION:
            raise ValidationError(_("The presentation of draft findings cannot be cancelled."))
        return week2_session_set_status(session=current, status=Week2Status.CANCELLED, by=by)


def presentation_name_invitees(
    *, session: Week2Session, by: User, named: Mapping[str, Sequence[str]], expected_revision: int | None
) -> Week2Session:
    """The YOT manager names the presentation's invitees whose roles the contacts do not record
    (``week2.NAMED_ON_PRESENTATION``), one name each line."""
    keys = {i.key: i for i in W.NAMED_ON_PRESENTATION}
    people = [
        W.Attendee(name.strip(), str(keys[key].label), key).as_json()
        for key, names in named.items()
        if key in keys
        for name in names
        if name.strip()
    ]
    with transaction.atomic():
        current = _check_fresh(session, expected_revision)
        if current.kind != Week2Kind.PRESENTATION:
            raise ValidationError(_("This is not the presentation of draft findings."))
        current.attendees = people
        current.revision += 1
        current.save(update_fields=["attendees", "revision", "updated_at"])
        _audit(current.inspection, by, "week2_presentation_invitees", count=len(people))
    return current


def health_questionnaire_record(*, inspection: Inspection, by: User, completed_on: dt.date) -> HealthQuestionnaire:
    """The YOT completed the health inspectorate's annual questionnaire on ``completed_on``."""
    if completed_on > timezone.localdate():
        raise ValidationError(_("The date it was completed cannot be in the future."))
    with transaction.atomic():
        record, created = HealthQuestionnaire.objects.get_or_create(
            yot_id=inspection.yot_id, completed_on=completed_on, defaults={"recorded_by": by}
        )
        if created:
            _audit(inspection, by, "health_questionnaire_recorded", completed_on=completed_on.isoformat())
    return record


# --- The calendar ---------------------------------------------------------------------------------


def week2_calendar_for(user: User, inspection: Inspection) -> bytes:
    """The user's own week 2: the confirmed sessions they are given (and those cancelled since, so
    an imported event is removed), and the presentation."""
    events = []
    for session in sessions_of(inspection):
        mine = session.kind == Week2Kind.PRESENTATION or any(u.pk == user.pk for u in session.inspectors.all())
        if not mine or session.status == Week2Status.PROPOSED:
            continue
        facts = facts_of(session)
        lines = [str(session.get_kind_display())]
        if session.case_id and session.case.reference:
            lines.append(_("Case %(reference)s") % {"reference": session.case.reference})
        if session.kind != Week2Kind.PRESENTATION:
            lines.append(_("Attending: %(people)s") % {"people": W.attendee_line(facts)})
        lines.append(
            _("Inspection %(reference)s of %(yot)s.") % {"reference": inspection.reference, "yot": inspection.yot.name}
        )
        events.append(
            W.CalendarEvent(
                uid=W.safe_uid(inspection.reference, "week2", str(session.pk), str(user.pk), domain=UID_DOMAIN),
                sequence=session.revision,
                stamp=session.updated_at,
                day=session.day,
                window=facts.window,
                summary=session.display_title,
                location=inspection.yot.name,
                description="\n".join(lines),
                cancelled=session.status == Week2Status.CANCELLED,
            )
        )
    name = _("Fieldwork week 2, %(reference)s") % {"reference": inspection.reference}
    uid = W.safe_uid(inspection.reference, "week2", str(user.pk), domain=UID_DOMAIN)
    return W.calendar_bytes(W.CalendarFile(name=name, uid=uid, events=tuple(events)), prodid=PRODID)


# --- Findings: week 2's evidence for the judgements ----------------------------------------------


def judgement_areas_of(inspection: Inspection) -> list[tuple[str, str]]:
    """The report's judgement sections a session can inform, as (key, label): the four themes, then
    the inspection's additional modules (the same keys as ``reports.domain.stars.judgement_areas``)."""
    from casework.domain.bank import load_bank

    bank = load_bank()
    labels = {m.key: m.label for m in bank.modules}
    areas = [(f"theme-{t.key}", t.label) for t in bank.themes]
    return areas + [(f"module-{key}", labels.get(key, key)) for key in inspection.modules or ()]


def may_record_findings(user: User, session: Week2Session) -> bool:
    """The session's own inspectors, and the lead inspector, write what it found."""
    if session.kind == Week2Kind.PRESENTATION or session.status != Week2Status.CONFIRMED:
        return False
    if session.inspectors.filter(pk=user.pk).exists():
        return True
    return TeamMembership.objects.filter(
        inspection=session.inspection, user=user, role=TeamRole.LEAD_INSPECTOR
    ).exists()


def week2_findings_record(
    *, session: Week2Session, by: User, findings: str, informs: Sequence[str], expected_revision: int | None
) -> Week2Session:
    """Keep what a confirmed session found and which judgements it informs. ValidationError naming the
    field when the text is empty or an area is not one of the inspection's; StaleSession when someone
    changed the session meanwhile."""
    findings = findings.strip()
    if not findings:
        raise ValidationError({"findings": _("Write what the session found.")})
    known = {key for key, _label in judgement_areas_of(session.inspection)}
    chosen = list(dict.fromkeys(informs))
    if not chosen:
        raise ValidationError({"informs": _("Choose at least one judgement the session informs.")})
    if any(key not in known for key in chosen):
        raise ValidationError({"informs": _("Choose from this inspection’s judgements.")})
    with transaction.atomic():
        current = _check_fresh(session, expected_revision)
        if not may_record_findings(by, current):
            raise ValidationError(_("Only the session’s inspectors or the lead inspector can record what it found."))
        current.findings, current.informs = findings[:5000], chosen
        current.findings_by, current.findings_at = by, timezone.now()
        current.revision += 1
        current.save(update_fields=["findings", "informs", "findings_by", "findings_at", "revision", "updated_at"])
        _audit(current.inspection, by, "week2_findings_recorded", session=current.pk, informs=chosen)
    return current


def week2_evidence(inspection: Inspection) -> dict[str, list[str]]:
    """For each judgement section key, the findings of the sessions that inform it, one line each
    ("Focus group with case managers, Tuesday 9 February: …"), in the order the sessions were held."""
    from django.utils.formats import date_format

    evidence: dict[str, list[str]] = {}
    sessions = Week2Session.objects.filter(inspection=inspection, status=Week2Status.CONFIRMED).exclude(findings="")
    for session in sessions.order_by("day", "start", "pk"):
        line = f"{session.title}, {date_format(session.day, 'l j F')}: {session.findings}"
        for key in session.informs:
            evidence.setdefault(key, []).append(line)
    return evidence


# --- Sending the week 2 schedule -----------------------------------------------------------------

SENT_MILESTONE = "week2_schedule_due"


def week2_sent(inspection: Inspection) -> bool:
    return inspection.milestone_completions.filter(key=SENT_MILESTONE).exists()


def week2_schedule_send(*, inspection: Inspection, by: User) -> bool:
    """The YOT manager sends the week 2 schedule to the lead inspector (seed 001 §5, week +1: "by noon
    on Thursday"): the milestone is done and the lead inspector and the SSO are emailed. Returns False
    when it was already sent (a second click sends nothing). Refused while no session is proposed."""
    from django.urls import reverse

    from inspections.models import MilestoneCompletion
    from inspections.notifications import absolute_url, lead_and_sso, notify_people

    sessions = Week2Session.objects.filter(inspection=inspection).exclude(kind=Week2Kind.PRESENTATION)
    if not sessions.exclude(status=Week2Status.CANCELLED).exists():
        raise ValidationError(_("Propose the sessions before sending the week 2 schedule."))
    with transaction.atomic():
        _locked(inspection)
        _completion, created = MilestoneCompletion.objects.get_or_create(
            inspection=inspection, key=SENT_MILESTONE, defaults={"done_by": by}
        )
        if not created:
            return False
        _audit(inspection, by, "week2_schedule_sent", sessions=sessions.count())
        link = absolute_url(reverse("scheduling:week2", kwargs={"reference": inspection.reference}))
        notify_people(
            people=lead_and_sso(inspection), key=f"week2_schedule_sent:{inspection.pk}", kind="week2_schedule_sent",
            template="week2_schedule_sent", inspection=inspection,
            context={"inspection": inspection, "by": by, "link": link, "count": sessions.count()},
        )  # fmt: skip
    return True
