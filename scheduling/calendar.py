"""The fieldwork schedule as calendar files (.ics, RFC 5545): each team member's week, and each
case manager's interviews for the YOT manager to hand out (issue 12 §8).

Like the xlsx and PDF (``scheduling/exports.py``), a calendar names a case by its HMI Probation
reference and its case manager, never the child (seed 000 §10.4: "The completed schedule does not
include information about the child or young person, other than our reference number").

Re-importing a newer file updates the events already in someone's calendar instead of adding copies:
every event's UID is fixed by the inspection, the slot (or case) and the person, and its SEQUENCE is
the schedule version's number, so a later version always wins. Times are wall-clock times in
Europe/London, with the zone's VTIMEZONE in the file, so BST and GMT weeks both come out right.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.translation import gettext as _

from casework.models import Case
from inspections.enums import ContactRole, Language, StaffRole
from inspections.models import Inspection, User
from inspections.notifications import BILINGUAL, email_language
from scheduling import selectors as S
from scheduling.domain.model import ROLE_LABELS, Block, Slot, Window, format_hhmm
from scheduling.enums import VersionState
from scheduling.forms import case_manager_key
from scheduling.labels import block_label
from scheduling.models import ScheduledCase, ScheduleVersion

LONDON = ZoneInfo("Europe/London")
CONTENT_TYPE = "text/calendar; charset=utf-8"
PRODID = "-//HM Inspectorate of Probation//Youth offending inspections//EN"
# A fixed domain, not SITE_URL's host: a UID must not change when the service moves address, or a
# re-import would duplicate every event.
UID_DOMAIN = "youth-inspections.hmiprobation.gov.uk"

# A team member's calendar is their week as it stands: only a final schedule (seed 000 §10.4, §15:
# the FINAL version on the Thursday; seed 001 §8: the version the lead inspector approved).
TEAM_STATES = frozenset({VersionState.FINAL})
# Case managers' invitations: a schedule shared with the YOT, that is sent to it (SQS) or final. Who
# may see which of those is still ``selectors.visible_states``, so the YOT manager gets exactly the
# version their schedule page shows, and the lead inspector and SSO the same one.
INVITATION_STATES = frozenset({VersionState.SENT, VersionState.FINAL})


class NoCalendar(Exception):
    """Nothing to put in the calendar asked for (no shared version, or no slot of this person)."""


# --- Which version ---------------------------------------------------------------------------------


def calendar_version(user, inspection: Inspection, states: Iterable[str]) -> ScheduleVersion | None:
    """The latest version ``user`` may see now whose state is one of ``states``."""
    allowed = S.visible_states(user, inspection) & {str(s) for s in states}
    if not allowed:
        return None
    return inspection.schedule_versions.filter(state__in=allowed).order_by("-number").first()


def _stamp(version: ScheduleVersion) -> dt.datetime:
    """DTSTAMP: with no METHOD, RFC 5545 §3.8.7.2 makes it when the information was last revised,
    which for a version that left the builder is when it was made final or sent. Fixed, so the same
    version always gives the same bytes."""
    moment = version.finalised_at or version.sent_at or version.updated_at
    return moment.astimezone(dt.UTC)


def _local(inspection: Inspection, day: int, minutes: int) -> dt.datetime:
    date = inspection.fieldwork_start + dt.timedelta(days=day)
    return dt.datetime.combine(date, dt.time(minutes // 60, minutes % 60), tzinfo=LONDON)


def _uid(inspection: Inspection, key: str, person: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9.-]", "-", f"{inspection.reference}.{key}.{person}")
    return f"{safe}@{UID_DOMAIN}"


# --- Languages -------------------------------------------------------------------------------------


def calendar_language(preference: str | None, inspection: Inspection) -> str:
    """The one rule for emails (``notifications.email_language``): the recorded preference, else
    Welsh and English in Wales and English in England."""
    return email_language(preference, country=inspection.country)


def invitation_language(inspection: Inspection) -> str:
    """The language of the case managers' invitations.

    Case managers have no account here and no language on the long-list; the YOT manager hands the
    invitations out, so they are in the YOT manager's language: the YOT manager contact of this
    inspection (their account's choice, if they have one), else the YOT's first manager; with none
    recorded, the rule for emails decides.
    """
    contact = inspection.contacts.filter(role=ContactRole.YOT_MANAGER).select_related("user").first()
    if contact is not None:
        return calendar_language(contact.user.language if contact.user else contact.language, inspection)
    manager = (
        User.objects.filter(is_active=True, role=StaffRole.YOT_MANAGER, yot_id=inspection.yot_id).order_by("id").first()
    )
    return calendar_language(manager.language if manager else None, inspection)


def _in_language(language: str, build, inspection: Inspection) -> bytes:
    """``build()`` (a Calendar made with the active language) as bytes in ``language``.

    Bilingual (Welsh and English, as emails in Wales to someone whose language is not known): the
    calendar is built in each language and every event carries both texts, Welsh first, under the
    same UID, so each event is still one event.
    """
    if language != BILINGUAL:
        with translation.override(language):
            return _finish(build(), inspection)
    with translation.override(Language.WELSH):
        calendar = build()
    with translation.override(Language.ENGLISH):
        english = build()
    for name in ("NAME", "X-WR-CALNAME"):
        if name in calendar and str(calendar[name]) != str(english[name]):
            calendar[name] = f"{calendar[name]} / {english[name]}"
    for welsh_event, english_event in zip(calendar.walk("VEVENT"), english.walk("VEVENT"), strict=True):
        if str(welsh_event["SUMMARY"]) != str(english_event["SUMMARY"]):
            welsh_event["SUMMARY"] = f"{welsh_event['SUMMARY']} / {english_event['SUMMARY']}"
        if str(welsh_event["DESCRIPTION"]) != str(english_event["DESCRIPTION"]):
            welsh_event["DESCRIPTION"] = f"{welsh_event['DESCRIPTION']}\n\n{english_event['DESCRIPTION']}"
    return _finish(calendar, inspection)


# --- Building blocks -------------------------------------------------------------------------------


def _office(case: Case, inspection: Inspection) -> str:
    """Where the interview is: the office the long-list gives for the case (seed 000 Appendix A,
    "Office location where the case manager is based"), else the YOT."""
    office = case.entry.office.strip() if case.entry_id and case.entry else ""
    return office or inspection.yot.name


def _footer(inspection: Inspection, version: ScheduleVersion) -> str:
    return _("Inspection %(reference)s of %(yot)s, schedule version %(n)d (%(state)s).") % {
        "reference": inspection.reference,
        "yot": inspection.yot.name,
        "n": version.number,
        "state": version.get_state_display(),
    }


def _calendar(*, name: str, uid: str):
    from icalendar import Calendar

    return Calendar.new(prodid=PRODID, name=name, uid=uid, calscale="GREGORIAN")


def _event(*, uid, version, start, end, summary, location, description, cancelled=False):
    from icalendar import Event

    event = Event.new(
        uid=uid,
        sequence=version.number,
        stamp=_stamp(version),
        start=start,
        end=end,
        summary=summary,
        location=location or None,
        description=description,
    )
    if cancelled:
        event.add("status", "CANCELLED")
    return event


def _finish(calendar, inspection: Inspection) -> bytes:
    # A VTIMEZONE for the years around fieldwork only: the full 1970-2038 table is 60 lines of noise.
    year = inspection.fieldwork_start.year
    calendar.add_missing_timezones(first_date=dt.date(year - 1, 1, 1), last_date=dt.date(year + 2, 1, 1))
    return calendar.to_ical()


# --- A team member's week --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Placed:
    slot: Slot
    entry: ScheduledCase | None


def _case_description(inputs: S.ScheduleInputs, slot: Slot, entry: ScheduledCase) -> list[str]:
    case = entry.case
    lines = [_("Case %(reference)s") % {"reference": case.label}]
    if case.reference in inputs.record_only:
        lines.append(_("No case manager: inspect from the record"))
    else:
        lines.append(_("Case manager: %(name)s") % {"name": case.case_manager})
        lines.append(
            _("Read the case from %(start)s; the case manager joins at %(joins)s and leaves at %(leaves)s.")
            % {
                "start": format_hhmm(slot.window.start),
                "joins": format_hhmm(slot.interview.start),
                "leaves": format_hhmm(slot.interview.end),
            }
        )
    if slot.observed_by:
        lines.append(_("Observed by %(name)s") % {"name": inputs.member_name(slot.observed_by)})
    return lines


def _slot_event(inputs, version, member, placed: _Placed):
    inspection = inputs.inspection
    slot, entry = placed.slot, placed.entry
    label = block_label(slot.label)
    if entry is None:
        summary = _("%(label)s: empty slot") % {"label": label}
        lines, location = [], inspection.yot.name
    else:
        summary = _("%(label)s: %(reference)s") % {"label": label, "reference": entry.case.label}
        lines, location = _case_description(inputs, slot, entry), _office(entry.case, inspection)
    return _event(
        uid=_uid(inspection, slot.id, member.id),
        version=version,
        start=_local(inspection, slot.day, slot.window.start),
        end=_local(inspection, slot.day, slot.window.end),
        summary=summary,
        location=location,
        description="\n".join([*lines, _footer(inspection, version)]),
    )


def _observed(inputs, member_id: str, block: Block, placed: dict[str, ScheduledCase]) -> ScheduledCase | None:
    """The case a local assessor observes in this block (Appendix B: the second inspector's case 1)."""
    for slot in inputs.slots:
        if slot.observed_by == member_id and slot.day == block.day and slot.window.overlaps(block.window):
            return placed.get(slot.id)
    return None


def _block_event(inputs, version, member, block: Block, placed: dict[str, ScheduledCase]):
    inspection = inputs.inspection
    summary, lines = block_label(block.label), []
    if block.kind == "observe":
        entry = _observed(inputs, member.id, block, placed)
        if entry is not None:
            summary = _("%(label)s: %(reference)s") % {"label": summary, "reference": entry.case.label}
            lines.append(_("Case %(reference)s") % {"reference": entry.case.label})
    # Like a slot id ("m12:1:0900"): member, day, start; the kind keeps two blocks apart.
    key = f"{member.id}:{block.day}:{format_hhmm(block.window.start).replace(':', '')}:{block.kind}"
    return _event(
        uid=_uid(inspection, key, member.id),
        version=version,
        start=_local(inspection, block.day, block.window.start),
        end=_local(inspection, block.day, block.window.end),
        summary=summary,
        # Seed 000 §12.6: other meetings are "normally [in] the same office that they use for their
        # case inspections"; travel has no place.
        location="" if block.kind == "travel" else inspection.yot.name,
        description="\n".join([*lines, _footer(inspection, version)]),
    )


def member_calendar(
    *, inputs: S.ScheduleInputs, version: ScheduleVersion, entries: Sequence[ScheduledCase], user: User
) -> bytes:
    """``user``'s fieldwork week in ``version``: every case slot (filled or empty) and every other
    block of their page (briefings, meetings, breaks, travel), in ``user``'s language (the rule for
    emails: Welsh and English in Wales when they have not said).

    Raises NoCalendar when ``user`` has no page in the schedule (the SSO, a partner inspector).
    """
    member_key = S.member_id(user.pk)
    week = inputs.week
    member = next((m for m in week.members if m.id == member_key), None) if week else None
    if member is None:
        raise NoCalendar("no page in this schedule")
    inspection = inputs.inspection
    placed = {e.slot_id: e for e in entries}

    def build():
        calendar = _calendar(
            name=_("Fieldwork %(reference)s: %(name)s") % {"reference": inspection.reference, "name": member.name},
            uid=_uid(inspection, "team", member.id),
        )
        events = [
            (slot.day, slot.window.start, _slot_event(inputs, version, member, _Placed(slot, placed.get(slot.id))))
            for slot in week.slots_of(member.id)
        ]
        events += [
            (block.day, block.window.start, _block_event(inputs, version, member, block, placed))
            for block in week.blocks
            if block.member_id == member.id
        ]
        for _day, _start, event in sorted(events, key=lambda e: (e[0], e[1])):
            calendar.add_component(event)
        return calendar

    return _in_language(calendar_language(user.language, inspection), build, inspection)


def member_has_calendar(inputs: S.ScheduleInputs, user: User) -> bool:
    return bool(inputs.week) and any(m.id == S.member_id(user.pk) for m in inputs.week.members)


def member_download_name(version: ScheduleVersion) -> str:
    return f"{version.inspection.reference}-my-fieldwork-week-v{version.number}.ics"


# --- Case managers' interviews ---------------------------------------------------------------------


@dataclass
class Appointment:
    case: Case
    slot: Slot
    inspector: str
    role: str  # the inspector's role, in English (translated when shown)
    observed_by: str


@dataclass
class CaseManagerInvitations:
    email: str
    name: str
    appointments: list[Appointment]
    cancelled: list[tuple[Case, str]]  # (case, its earlier slot id): shared before, no interview now

    @property
    def key(self) -> str:
        return case_manager_key(self.email)

    @property
    def file_name(self) -> str:
        return re.sub(r"[^A-Za-z0-9@._-]", "_", self.email) + ".ics"


def invitations(inputs: S.ScheduleInputs, version: ScheduleVersion, entries: Sequence[ScheduledCase]):
    """Each case manager with an interview in ``version`` (or one cancelled since an earlier shared
    version), by name. A case inspected from the record has no interview (seed 000 §11.6)."""
    slots = {s.id: s for s in inputs.slots}
    roles = {m.id: m.role for m in inputs.members}
    by_email: dict[str, CaseManagerInvitations] = {}
    names = {
        g.email: (g.availability.name if g.availability and g.availability.name else g.name) for g in inputs.groups
    }
    for entry in sorted(entries, key=lambda e: e.slot_id):
        case = entry.case
        email = S.normalise_email(case.case_manager_email)
        slot = slots.get(entry.slot_id)
        if not email or slot is None or case.reference in inputs.record_only:
            continue
        person = by_email.setdefault(
            email, CaseManagerInvitations(email, names.get(email) or case.case_manager, [], [])
        )
        person.appointments.append(
            Appointment(
                case=case,
                slot=slot,
                inspector=inputs.member_name(slot.member_id),
                role=ROLE_LABELS.get(roles.get(slot.member_id), ""),
                observed_by=inputs.member_name(slot.observed_by) if slot.observed_by else "",
            )
        )
    _add_cancelled(inputs.inspection, version, by_email, names)
    for person in by_email.values():
        person.appointments.sort(key=lambda a: (a.slot.day, a.slot.interview.start, a.case.label))
    return sorted(by_email.values(), key=lambda p: (p.name.lower(), p.email))


def _add_cancelled(inspection, version, by_email, names) -> None:
    """An interview a case manager was given in an earlier shared version and no longer has goes in
    their file as cancelled, with the same UID, so re-importing takes it out of their calendar."""
    current = {a.case.pk for p in by_email.values() for a in p.appointments}
    earlier = (
        ScheduledCase.objects.filter(
            version__inspection=inspection, version__number__lt=version.number, version__state__in=INVITATION_STATES
        )
        .exclude(case_id__in=current)
        .select_related("case")
        .order_by("-version__number", "slot_id")  # the latest earlier slot of each case
    )
    seen: set[int] = set()
    for entry in earlier:
        case = entry.case
        email = S.normalise_email(case.case_manager_email)
        if not email or case.pk in seen:
            continue
        seen.add(case.pk)
        person = by_email.setdefault(
            email, CaseManagerInvitations(email, names.get(email) or case.case_manager, [], [])
        )
        person.cancelled.append((case, entry.slot_id))


def _appointment_event(inspection, version, person: CaseManagerInvitations, appointment: Appointment):
    from icalendar import vCalAddress

    case, slot = appointment.case, appointment.slot
    lines = [
        _("Case %(reference)s, with %(inspector)s (%(role)s), HM Inspectorate of Probation.")
        % {"reference": case.label, "inspector": appointment.inspector, "role": _(appointment.role)},
        _("The inspector reads the case from %(start)s; please join them at %(joins)s until %(leaves)s.")
        % {
            "start": format_hhmm(slot.window.start),
            "joins": format_hhmm(slot.interview.start),
            "leaves": format_hhmm(slot.interview.end),
        },
    ]
    if appointment.observed_by:
        lines.append(_("Observed by %(name)s") % {"name": appointment.observed_by})
    event = _event(
        uid=_uid(inspection, case.label, f"cm-{person.key}"),
        version=version,
        # The case manager's time is the interview, not the whole slot (seed 000 §11.5).
        start=_local(inspection, slot.day, slot.interview.start),
        end=_local(inspection, slot.day, slot.interview.end),
        summary=_("Inspection interview: case %(reference)s with %(inspector)s")
        % {"reference": case.label, "inspector": appointment.inspector},
        location=_office(case, inspection),
        description="\n".join([*lines, _footer(inspection, version)]),
    )
    # The case manager is organiser and attendee: the file goes into their own calendar as their
    # appointment, and no calendar offers to send replies to anyone else.
    event.add("organizer", vCalAddress.new(person.email, cn=person.name))
    event.add(
        "attendee",
        vCalAddress.new(person.email, cn=person.name, role="REQ-PARTICIPANT", partstat="ACCEPTED"),
    )
    return event


def _cancelled_event(inputs, version, person: CaseManagerInvitations, case: Case, slot_id: str):
    inspection = inputs.inspection
    slot = inputs.slot(slot_id)
    # RFC 5545 wants a DTSTART even on a cancelled event: the interview's old time where the slot
    # still exists, else the first fieldwork morning.
    window = slot.interview if slot else Window(9 * 60, 9 * 60 + 15)
    day = slot.day if slot else 0
    return _event(
        uid=_uid(inspection, case.label, f"cm-{person.key}"),
        version=version,
        start=_local(inspection, day, window.start),
        end=_local(inspection, day, window.end),
        summary=_("Cancelled: inspection interview, case %(reference)s") % {"reference": case.label},
        location="",
        description="\n".join(
            [
                _("This interview is no longer in the schedule: nothing is needed from you for it."),
                _footer(inspection, version),
            ]
        ),
        cancelled=True,
    )


def case_manager_calendar(
    *, inputs: S.ScheduleInputs, version: ScheduleVersion, person: CaseManagerInvitations, language: str
) -> bytes:
    """One case manager's interviews in ``version`` (and those cancelled since), in ``language``."""
    inspection = inputs.inspection

    def build():
        calendar = _calendar(
            name=_("Inspection interviews %(reference)s: %(name)s")
            % {"reference": inspection.reference, "name": person.name},
            uid=_uid(inspection, "interviews", f"cm-{person.key}"),
        )
        for appointment in person.appointments:
            calendar.add_component(_appointment_event(inspection, version, person, appointment))
        for case, slot_id in person.cancelled:
            calendar.add_component(_cancelled_event(inputs, version, person, case, slot_id))
        return calendar

    return _in_language(language, build, inspection)


def invitations_zip(
    *, inputs: S.ScheduleInputs, version: ScheduleVersion, people: Sequence[CaseManagerInvitations], language: str
) -> bytes:
    """One .ics per case manager, named by their email, so each gets only their own interviews."""
    buffer = io.BytesIO()
    when = _stamp(version).astimezone(LONDON)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for person in people:
            info = zipfile.ZipInfo(person.file_name, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(
                info, case_manager_calendar(inputs=inputs, version=version, person=person, language=language)
            )
    return buffer.getvalue()


def case_manager_download_name(version: ScheduleVersion, person: CaseManagerInvitations) -> str:
    return f"{version.inspection.reference}-interviews-v{version.number}-{person.file_name}"


def invitations_download_name(version: ScheduleVersion) -> str:
    return f"{version.inspection.reference}-case-manager-invitations-v{version.number}.zip"


# --- What the schedule page offers -----------------------------------------------------------------


@dataclass
class CalendarLinks:
    mine: bool  # the user has a page in the final schedule
    invitations_version: ScheduleVersion | None
    people: list[CaseManagerInvitations]


def page_links(user, inspection: Inspection, inputs: S.ScheduleInputs) -> CalendarLinks:
    mine = (
        user.has_perm("scheduling.download_own_calendar", inspection)
        and member_has_calendar(inputs, user)
        and calendar_version(user, inspection, TEAM_STATES) is not None
    )
    version, people = None, []
    if user.has_perm("scheduling.download_invitations", inspection):
        version = calendar_version(user, inspection, INVITATION_STATES)
        if version is not None:
            people = invitations(inputs, version, S.entries_of(version))
    return CalendarLinks(mine=mine, invitations_version=version, people=people)
