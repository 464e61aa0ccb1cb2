"""Fieldwork week 2 of a Full Joint Inspection: its session times, the checks on a session, the
Friday presentation's invitees, the health questionnaire and the week's calendar file.

Seed 001 §3: partner inspectors join for the second fieldwork week, which inspects leadership,
management and partnership (L,M&P), the additional modules and the specialist elements of a subset
of cases; §5 (weeks +1 and +2): the YOT arranges the meetings the team asks for and sends the
schedule by noon on the Thursday before; the week ends with the presentation of draft findings on
Friday at 10am to the people §5 lists; §7 b-d and §11: interviews, focus groups, observation of
practice and of specialist provision; §9: health inspectorates ask every YOT for an annual
questionnaire.

Pure functions over plain data (no database): ``scheduling/services_week2.py`` turns rows into
:class:`SessionFacts` and back. The session times are in ``scheduling/data/week2_slots.yaml``.

A session names adults only: a session about a child names the case by its HMI Probation
reference (service users are met through another part of the service, seed 001 §10).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext, gettext_noop

from inspections.domain.messages import Msg, _
from inspections.enums import Country, Inspectorate
from scheduling.domain.model import Window, parse_hhmm
from scheduling.enums import Week2Kind, Week2Status

DATA_FILE = Path(__file__).resolve().parent / "data" / "week2_slots.yaml"
LONDON = ZoneInfo("Europe/London")
SESSION_DAYS = (0, 1, 2, 3)  # Monday to Thursday (seed 001 §5: "Monday to Thursday ... conduct meetings")
PRESENTATION_DAY = 4
MAX_ATTENDEES = 40
CORE_STRAND = "core"

# The labels of the fixed blocks in the data file, listed so that ``makemessages`` finds them.
FIXED_LABELS = (
    gettext_noop("INSPECTION TEAM MEETING"),
    gettext_noop("IT/HEALTH & SAFETY BRIEFING"),
    gettext_noop("MEETING with YOT MANAGER (outstanding planning for the week)"),
    gettext_noop("IT/HEALTH & SAFETY BRIEFING (if required)"),
    gettext_noop("INSPECTION TEAM MEETING (key findings, judgements and feedback)"),
    gettext_noop("PRESENTATION OF DRAFT FINDINGS"),
)

# Seed 001 §3 and §9: the health inspectorate of each country, which asks for the questionnaire.
HEALTH_INSPECTORATE = {Country.ENGLAND: Inspectorate.CQC, Country.WALES: Inspectorate.HIW}
# §9 "an annual questionnaire": read as one completed in the year before fieldwork week 2 begins.
QUESTIONNAIRE_VALID_DAYS = 365


class PlanError(ValueError):
    """The week-2 session times in the data file are not valid."""


# --- The session times ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FixedBlock:
    day: int
    window: Window
    label: str

    @property
    def label_read(self) -> str:
        return gettext(self.label)


@dataclass(frozen=True)
class Plan:
    source: str
    fixed: tuple[FixedBlock, ...]
    sessions: Mapping[int, tuple[Window, ...]]
    presentation: FixedBlock
    longest_break: int

    def runs(self, day: int) -> list[Window]:
        """Every window a session may take on ``day``: one session time, or several in a row joined
        by breaks no longer than ``longest_break``."""
        times = self.sessions.get(day, ())
        windows = []
        for i, first in enumerate(times):
            windows.append(first)
            for previous, following in zip(times[i:], times[i + 1 :], strict=False):
                if following.start - previous.end > self.longest_break:
                    break
                windows.append(Window(first.start, following.end))
        return windows

    def allows(self, day: int, window: Window) -> bool:
        return window in self.runs(day)


def _window(raw: Mapping, where: str) -> Window:
    try:
        return Window(parse_hhmm(str(raw["start"])), parse_hhmm(str(raw["end"])))
    except (KeyError, ValueError) as exc:
        raise PlanError(f"{where}: bad times {raw!r}: {exc}") from exc


def parse_plan(raw: Mapping) -> Plan:
    """The plan from the data file's mapping, validated: session times only Monday to Thursday,
    in order, inside the working day, never over a fixed block; the presentation on the Friday."""
    fixed = tuple(
        FixedBlock(int(b["day"]), _window(b, f"fixed block {i}"), str(b["label"]))
        for i, b in enumerate(raw.get("fixed", ()))
    )
    sessions: dict[int, tuple[Window, ...]] = {}
    for entry in raw.get("sessions", ()):
        day = int(entry["day"])
        if day not in SESSION_DAYS:
            raise PlanError(f"sessions on day {day}: sessions are held Monday to Thursday only")
        if day in sessions:
            raise PlanError(f"sessions on day {day} given twice")
        try:
            times = tuple(Window.parse(t) for t in entry["times"])
        except (KeyError, ValueError) as exc:
            raise PlanError(f"sessions on day {day}: {exc}") from exc
        for earlier, later in itertools.pairwise(times):
            if later.start < earlier.end:
                raise PlanError(f"sessions on day {day}: {later} starts before {earlier} ends")
        for window in times:
            if window.start < parse_hhmm("08:30") or window.end > parse_hhmm("17:30"):
                raise PlanError(f"sessions on day {day}: {window} is outside 08:30-17:30")
            for block in fixed:
                if block.day == day and block.window.overlaps(window):
                    raise PlanError(f"sessions on day {day}: {window} overlaps {block.label}")
        sessions[day] = times
    pres = raw.get("presentation") or {}
    presentation = FixedBlock(int(pres.get("day", -1)), _window(pres, "presentation"), str(pres.get("label", "")))
    if presentation.day != PRESENTATION_DAY or presentation.window.start != parse_hhmm("10:00"):
        raise PlanError("the presentation is on the Friday at 10:00 (seed 001 §5)")
    return Plan(
        source=str(raw.get("source", "")),
        fixed=fixed,
        sessions=sessions,
        presentation=presentation,
        longest_break=int(raw.get("longest_break_inside_a_session", 15)),
    )


@functools.cache
def load_plan() -> Plan:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return parse_plan(yaml.safe_load(handle))


def week_days(monday: dt.date) -> tuple[dt.date, ...]:
    """The five days of fieldwork week 2, from its Monday."""
    return tuple(monday + dt.timedelta(days=i) for i in range(5))


def day_index(monday: dt.date, day: dt.date) -> int | None:
    """0 for the Monday of week 2 ... 4 for its Friday; None for any other date."""
    index = (day - monday).days
    return index if 0 <= index <= 4 else None


def slot_choices(plan: Plan, monday: dt.date) -> list[tuple[dt.date, Window]]:
    """Every (date, window) a session may take, in time order: the form's choices."""
    return [(monday + dt.timedelta(days=d), w) for d in SESSION_DAYS for w in plan.runs(d)]


def describe_when(day: dt.date, window: Window) -> str:
    """'Tuesday 9 February, 09:00–10:00' in the active language."""
    return f"{date_format(day, 'l j F')}, {window}"


# --- A session as the checks see it -----------------------------------------------------------------


@dataclass(frozen=True)
class Attendee:
    name: str
    role: str
    invitee: str = ""  # for the presentation: which of the invitees they are (``INVITEES`` key)

    def as_json(self) -> dict[str, str]:
        data = {"name": self.name, "role": self.role}
        if self.invitee:
            data["invitee"] = self.invitee
        return data

    @classmethod
    def from_json(cls, data: Mapping) -> Attendee:
        return cls(str(data.get("name", "")), str(data.get("role", "")), str(data.get("invitee", "")))

    def __str__(self) -> str:
        return f"{self.name}, {self.role}" if self.role else self.name


@dataclass(frozen=True)
class SessionFacts:
    key: int | None
    title: str
    kind: str
    day: dt.date
    window: Window
    status: str = Week2Status.PROPOSED
    inspectors: frozenset[int] = frozenset()
    attendees: tuple[Attendee, ...] = ()
    nobody_available: bool = False
    strand: str = CORE_STRAND

    @property
    def is_live(self) -> bool:
        return self.status != Week2Status.CANCELLED

    def when(self) -> str:
        return describe_when(self.day, self.window)


def normalise_name(name: str) -> str:
    """The name as the clash check compares it: case, full stops and spacing do not matter."""
    return " ".join(name.replace(".", " ").casefold().split())


# A role that is a child or a young person: never on a week-2 session (seed 001 §10 is another part).
_CHILD_ROLES = frozenset(
    {"child", "the child", "young person", "the young person", "child or young person", "service user", "pupil"}
)


def parse_attendees(text: str) -> tuple[list[Attendee], list[Msg]]:
    """One person a line, "name, role" (the role after the first comma). Errors name the line."""
    people: list[Attendee] = []
    errors: list[Msg] = []
    lines = [line.strip() for line in text.splitlines()]
    numbered = [(n, line) for n, line in enumerate(lines, start=1) if line]
    if len(numbered) > MAX_ATTENDEES:
        return [], [_("List at most %(n)d people: for a larger group, name the group in the title.", n=MAX_ATTENDEES)]
    for n, line in numbered:
        name, sep, role = (part.strip() for part in line.partition(","))
        if not sep or len(name) < 2 or not role:
            errors.append(
                _(
                    "Line %(n)d: give the person’s name and their role, separated by a comma (for example "
                    "“A. Khan, Head of Education”).",
                    n=n,
                )
            )
        elif " ".join(role.casefold().split()) in _CHILD_ROLES:
            errors.append(
                _(
                    "Line %(n)d: only adults are listed here. A session about a child names the case by its "
                    "HMI Probation reference instead.",
                    n=n,
                )
            )
        elif len(name) > 200 or len(role) > 200:
            errors.append(_("Line %(n)d: a name or a role is longer than 200 characters.", n=n))
        else:
            people.append(Attendee(name, role))
    return people, errors


def attendees_text(attendees: Iterable[Attendee]) -> str:
    return "\n".join(str(a) for a in attendees if not a.invitee)


def check_session(
    candidate: SessionFacts,
    others: Iterable[SessionFacts],
    *,
    plan: Plan,
    monday: dt.date,
    names: Mapping[int, str],
) -> list[Msg]:
    """Why ``candidate`` cannot be held as it stands; empty when it can.

    Refused: a session outside fieldwork week 2 (or, but for the presentation, on its Friday); a time
    that is not one of the week's session times; an inspector or an attendee already in another
    session at the same time (every message names the sessions). ``names`` gives the inspectors'
    names by id.
    """
    errors: list[Msg] = []
    index = day_index(monday, candidate.day)
    days = week_days(monday)
    if candidate.kind == Week2Kind.PRESENTATION:
        if index != PRESENTATION_DAY or candidate.window != plan.presentation.window:
            errors.append(
                _(
                    "“%(title)s” is held on the Friday of fieldwork week 2 at %(window)s.",
                    title=candidate.title,
                    window=str(plan.presentation.window),
                )
            )
    elif index is None or index not in SESSION_DAYS:
        errors.append(
            _(
                "“%(title)s” is on %(day)s, which is not in fieldwork week 2 "
                "(sessions are from %(first)s to %(last)s).",
                title=candidate.title,
                day=date_format(candidate.day, "l j F Y"),
                first=date_format(days[0], "l j F"),
                last=date_format(days[3], "l j F"),
            )
        )
        return errors
    elif not plan.allows(index, candidate.window):
        errors.append(
            _(
                "“%(title)s”: %(window)s is not one of the session times on %(day)s.",
                title=candidate.title,
                window=str(candidate.window),
                day=date_format(candidate.day, "l j F"),
            )
        )
    people = {normalise_name(a.name): a.name for a in candidate.attendees}
    for other in sorted(others, key=lambda s: (s.day, s.window, s.title)):
        if other.key == candidate.key and candidate.key is not None:
            continue
        if not other.is_live or other.day != candidate.day or not other.window.overlaps(candidate.window):
            continue
        for member in sorted(candidate.inspectors & other.inspectors, key=lambda m: names.get(m, "")):
            errors.append(
                _(
                    "%(name)s is already in “%(other)s” at %(when)s, so cannot be in “%(title)s” too.",
                    name=names.get(member, str(member)),
                    other=other.title,
                    when=other.when(),
                    title=candidate.title,
                )
            )
        for name in sorted(people.keys() & {normalise_name(a.name) for a in other.attendees}):
            errors.append(
                _(
                    "%(name)s is already attending “%(other)s” at %(when)s, so cannot attend “%(title)s” too.",
                    name=people[name],
                    other=other.title,
                    when=other.when(),
                    title=candidate.title,
                )
            )
    return errors


def attendee_line(session: SessionFacts) -> str:
    """Who attends, as the schedule shows it; a session with nobody available says so in the words
    the week-1 schedule uses for a case with no case manager."""
    if session.nobody_available:
        return gettext("Nobody available: inspect from the documents")
    if not session.attendees:
        return gettext("Nobody named yet")
    return "; ".join(str(a) for a in session.attendees)


def week_problems(sessions: Sequence[SessionFacts], *, plan: Plan, monday: dt.date) -> list[Msg]:
    """What to put right before the week-2 schedule is complete, as the week-1 schedule lists what
    stops it being made: sessions nobody attends (unless marked as having nobody available, like a
    case with no case manager), confirmed sessions with no inspector, and sessions the week's dates
    no longer hold (the fieldwork dates moved)."""
    problems: list[Msg] = []
    for session in sessions:
        if not session.is_live:
            continue
        when = session.when()
        if session.kind != Week2Kind.PRESENTATION and not session.attendees and not session.nobody_available:
            problems.append(
                _(
                    "“%(title)s” (%(when)s) has nobody attending: add who attends, or mark the session as having "
                    "nobody available (it is then inspected from the documents).",
                    title=session.title,
                    when=when,
                )
            )
        if (
            session.status == Week2Status.CONFIRMED
            and not session.inspectors
            and session.kind != Week2Kind.PRESENTATION
        ):
            problems.append(_("“%(title)s” (%(when)s) has no inspector.", title=session.title, when=when))
        if session.kind != Week2Kind.PRESENTATION:
            index = day_index(monday, session.day)
            if index not in SESSION_DAYS or not plan.allows(index, session.window):
                problems.append(
                    _(
                        "“%(title)s” (%(when)s) is no longer at a session time of fieldwork week 2: "
                        "propose another time.",
                        title=session.title,
                        when=when,
                    )
                )
    return problems


# --- Strands and who sees what ----------------------------------------------------------------------


def strand_choices(country: str, modules: Sequence[str], partners: Sequence[str]) -> list[tuple[str, str]]:
    """What a session inspects: the core module's L,M&P (HMI Probation), an additional module of the
    inspection (seed 001 §6), or a partner inspectorate's specialist area (§7)."""
    from inspections.enums import Module  # the labels only

    choices = [(CORE_STRAND, gettext("Core: leadership, management and partnership"))]
    choices += [(m, gettext("Additional module: %(module)s") % {"module": Module(m).label}) for m in modules]
    choices += [(p, str(Inspectorate(p).label)) for p in partners]
    return choices


def partner_sees(session: SessionFacts, *, member: int, inspectorate: str) -> bool:
    """A partner inspector sees the presentation, the sessions they are in, and their strand's."""
    return session.kind == Week2Kind.PRESENTATION or member in session.inspectors or session.strand == inspectorate


# --- The Friday presentation's invitees -------------------------------------------------------------


@dataclass(frozen=True)
class Invitee:
    key: str
    label: str  # gettext_noop'd
    contact_roles: tuple[str, ...] = ()  # ContactRole values that fill it; empty: named on the presentation
    required: bool = True


# Seed 001 §5 week +2 Friday, "YOTs invite to this meeting:", in its order. The two lead elected
# members are two people (two contact roles). "Director of Children's Services" in Wales is the
# Director of Social Care Services (seed 001 §2 "or equivalent"). The roles the contacts page does
# not record are named on the presentation itself. "Other relevant partners or officers" is never
# missing.
INVITEES = (
    Invitee("chief_executive", gettext_noop("Local authority chief executive"), ("chief_executive",)),
    Invitee("board_chair", gettext_noop("Chair of the YOT Management Board"), ("board_chair",)),
    Invitee(
        "director_childrens_services",
        gettext_noop("Director of Children’s Services"),
        ("director_childrens_services", "director_social_care"),
    ),
    Invitee("board_members", gettext_noop("Members of the YOT Management Board (particularly statutory partners)")),
    Invitee("lscb_chair", gettext_noop("Chair of the Local Safeguarding Children Board")),
    Invitee("public_health", gettext_noop("Director of Public Health")),
    Invitee("health_wellbeing_chair", gettext_noop("Chair of the Health and Wellbeing Board")),
    Invitee("lead_member_children", gettext_noop("Lead elected member for children"), ("lead_member_children",)),
    Invitee("lead_member_crime", gettext_noop("Lead elected member for crime and disorder"), ("lead_member_crime",)),
    Invitee("yot_management", gettext_noop("YOT management team"), ("yot_manager",)),
    Invitee(
        "other_partners",
        gettext_noop("Other relevant partners or officers"),
        ("police_crime_commissioner", "strategic_manager"),
        required=False,
    ),
)
INVITEE_KEYS = frozenset(i.key for i in INVITEES)
NAMED_ON_PRESENTATION = tuple(i for i in INVITEES if not i.contact_roles)


@dataclass(frozen=True)
class InviteeLine:
    invitee: Invitee
    names: tuple[str, ...]
    from_contacts: bool

    @property
    def label(self) -> str:
        return gettext(self.invitee.label)

    @property
    def missing(self) -> bool:
        return self.invitee.required and not self.names


def presentation_invitees(contacts: Iterable[tuple[str, str]], attendees: Iterable[Attendee]) -> list[InviteeLine]:
    """Each invitee of seed 001 §5 with the people who fill it: the inspection's contacts of its
    roles, and the people named on the presentation for it. ``contacts`` are (role, name)."""
    by_role: dict[str, list[str]] = {}
    for role, name in contacts:
        by_role.setdefault(role, []).append(name)
    named: dict[str, list[str]] = {}
    for person in attendees:
        named.setdefault(person.invitee, []).append(person.name)
    lines = []
    for invitee in INVITEES:
        from_contacts = [n for role in invitee.contact_roles for n in by_role.get(role, [])]
        lines.append(
            InviteeLine(invitee, tuple(from_contacts + named.get(invitee.key, [])), from_contacts=bool(from_contacts))
        )
    return lines


def missing_invitees(lines: Iterable[InviteeLine]) -> list[str]:
    return [line.label for line in lines if line.missing]


# --- The health questionnaire (seed 001 §9) ---------------------------------------------------------


@dataclass(frozen=True)
class QuestionnaireState:
    inspectorate: str
    latest: dt.date | None
    current: bool


def questionnaire_state(country: str, completed: Iterable[dt.date], monday: dt.date) -> QuestionnaireState:
    """The health inspectorate's annual questionnaire: the latest completion the YOT recorded, and
    whether it is from the year before fieldwork week 2 (not a later date than the week's Friday)."""
    friday = monday + dt.timedelta(days=PRESENTATION_DAY)
    dates = [d for d in completed if d <= friday]
    latest = max(dates, default=None)
    current = latest is not None and (monday - latest).days <= QUESTIONNAIRE_VALID_DAYS
    return QuestionnaireState(HEALTH_INSPECTORATE.get(country, Inspectorate.CQC), latest, current)


# --- The calendar file ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    sequence: int
    stamp: dt.datetime
    day: dt.date
    window: Window
    summary: str
    location: str
    description: str
    cancelled: bool = False


@dataclass(frozen=True)
class CalendarFile:
    name: str
    uid: str
    events: tuple[CalendarEvent, ...] = field(default=())


def calendar_bytes(calendar: CalendarFile, *, prodid: str) -> bytes:
    """The events as an RFC 5545 file, wall-clock times in Europe/London with its VTIMEZONE. A UID is
    fixed by the inspection and the session, and SEQUENCE is the session's revision, so importing a
    newer file updates the events instead of adding copies."""
    from icalendar import Calendar, Event  # as in scheduling/calendar.py: only the downloads need it

    cal = Calendar.new(prodid=prodid, name=calendar.name, uid=calendar.uid, calscale="GREGORIAN")
    years = set()
    for item in calendar.events:
        start = dt.datetime.combine(item.day, item.window.start_time, tzinfo=LONDON)
        end = dt.datetime.combine(item.day, item.window.end_time, tzinfo=LONDON)
        years.add(item.day.year)
        event = Event.new(
            uid=item.uid,
            sequence=item.sequence,
            stamp=item.stamp.astimezone(dt.UTC),
            start=start,
            end=end,
            summary=item.summary,
            location=item.location or None,
            description=item.description,
        )
        if item.cancelled:
            event.add("status", "CANCELLED")
        cal.add_component(event)
    if years:
        cal.add_missing_timezones(first_date=dt.date(min(years) - 1, 1, 1), last_date=dt.date(max(years) + 2, 1, 1))
    return cal.to_ical()


def safe_uid(*parts: str, domain: str) -> str:
    return re.sub(r"[^A-Za-z0-9.-]", "-", ".".join(parts)) + "@" + domain
