"""Reads for the schedule: the domain's input built from the database, and who sees which version.

Team members become ``TeamMember(id="m<user pk>")`` so a slot id ("m12:1:0900") keeps naming
its person after they leave the team; case managers become ``CaseManager(id=<email>)``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _

from casework.enums import CaseStatus, Heading
from casework.models import Case, LongList
from inspections.domain.messages import Msg, from_json, to_json
from inspections.domain.messages import _ as message
from inspections.enums import Programme, TeamRole
from inspections.models import Inspection, User
from inspections.rules import _roles_on, is_lead_inspector_of, is_sso_of, is_yot_manager_of
from scheduling.availability import OFFICE_CLOSES, OFFICE_OPENS
from scheduling.domain import model as D
from scheduling.domain.checks import Violation, check_assignment
from scheduling.domain.diagnose import Problem
from scheduling.domain.templates import Template, TemplateError, build_week, get_template
from scheduling.enums import VersionState
from scheduling.models import CaseManagerAvailability, RecordOnlyCase, ScheduledCase, ScheduleVersion

TEMPLATE_FOR = {Programme.SQS: "sqs", Programme.FJI: "fji_week1"}
ROLE_FOR = {
    TeamRole.LEAD_INSPECTOR: D.Role.LEAD_INSPECTOR,
    TeamRole.ASSISTANT_INSPECTOR: D.Role.ASSISTANT_INSPECTOR,
    TeamRole.LOCAL_ASSESSOR: D.Role.LOCAL_ASSESSOR,
}
# Seed 000 §11.3: the team has the office from 8.30am to 6pm; "available" with no times given
# means all of that.
WHOLE_DAY = D.Window.from_times(OFFICE_OPENS, OFFICE_CLOSES)
# READING: the long-list gives no complexity score, so the schedule orders cases by their
# heading (1st tier < community < custodial, seed 000 §11.7's three kinds of sentence),
# then an ASSET score of 30 or more, then the high RoSH and high vulnerability flags.
HEADING_COMPLEXITY = {Heading.FIRST_TIER: 1, Heading.COMMUNITY: 2, Heading.CUSTODIAL: 3}
HIGH_ASSET_SCORE = 30

_MEMBER_ID = re.compile(r"^m(\d+)$")


def member_id(user_id: int) -> str:
    return f"m{user_id}"


def user_id_of(member: str) -> int | None:
    match = _MEMBER_ID.match(member)
    return int(match.group(1)) if match else None


def member_of_slot(slot_id: str) -> str:
    return slot_id.rsplit(":", 2)[0] if slot_id.count(":") >= 2 else ""


def normalise_email(email: str) -> str:
    return email.strip().lower()


# --- The team and its week ----------------------------------------------------------------


def template_for(inspection: Inspection) -> Template:
    return get_template(TEMPLATE_FOR[Programme(inspection.programme)])


def team_members(inspection: Inspection) -> tuple[tuple[D.TeamMember, ...], dict[str, str], dict[str, User]]:
    """The members who take cases (lead inspector first), the local assessors' observation
    pairs and each member's user.

    A local assessor observes their supervising inspector's first case when the supervisor
    is a second inspector (seed 000 §4, Appendix B); the others are paired in team order.
    """
    memberships = sorted(
        (m for m in inspection.team.select_related("user") if m.role in ROLE_FOR),
        key=lambda m: (list(ROLE_FOR).index(m.role), m.pk),
    )
    members = tuple(D.TeamMember(member_id(m.user_id), str(m.user), ROLE_FOR[m.role]) for m in memberships)
    users = {member_id(m.user_id): m.user for m in memberships}
    observers: dict[str, str] = {}
    if template_for(inspection).local_assessor_observes:
        inspectors = [member_id(m.user_id) for m in memberships if m.role == TeamRole.ASSISTANT_INSPECTOR]
        assessors = [m for m in memberships if m.role == TeamRole.LOCAL_ASSESSOR]
        for assessor in assessors:
            supervisor = member_id(assessor.supervisor_id) if assessor.supervisor_id else None
            if supervisor in inspectors and supervisor not in observers.values():
                observers[member_id(assessor.user_id)] = supervisor
        free = [i for i in inspectors if i not in observers.values()]
        for assessor in assessors:
            key = member_id(assessor.user_id)
            if key not in observers and free:
                observers[key] = free.pop(0)
    return members, observers, users


# --- Cases and case managers ----------------------------------------------------------------


@dataclass
class CaseManagerGroup:
    """The sampled cases of one case manager, and the availability entered for them."""

    email: str
    name: str
    cases: list[Case] = field(default_factory=list)
    availability: CaseManagerAvailability | None = None

    @property
    def refs(self) -> list[str]:
        return [c.label for c in self.cases]


def sampled_cases(inspection: Inspection) -> list[Case]:
    return list(
        Case.objects.filter(inspection=inspection, status=CaseStatus.SELECTED)
        .select_related("entry")
        .order_by("reference", "position", "id")
    )


def record_only_ids(inspection: Inspection) -> set[int]:
    return set(RecordOnlyCase.objects.filter(case__inspection=inspection).values_list("case_id", flat=True))


def case_manager_groups(
    inspection: Inspection, cases: Sequence[Case] | None = None
) -> tuple[list[CaseManagerGroup], list[CaseManagerGroup]]:
    """(case managers with an email, case managers without one), each with their cases."""
    cases = sampled_cases(inspection) if cases is None else cases
    rows = {a.email: a for a in inspection.case_manager_availability.prefetch_related("days")}
    by_email: dict[str, CaseManagerGroup] = {}
    no_email: dict[str, CaseManagerGroup] = {}
    for case in cases:
        email = normalise_email(case.case_manager_email)
        name = case.case_manager.strip() or _("Unnamed case manager")
        if email:
            group = by_email.setdefault(email, CaseManagerGroup(email, name, availability=rows.get(email)))
        else:
            group = no_email.setdefault(name.lower(), CaseManagerGroup("", name))
        group.cases.append(case)
    ordered = sorted(by_email.values(), key=lambda g: (g.name.lower(), g.email))
    return ordered, sorted(no_email.values(), key=lambda g: g.name.lower())


@dataclass
class CaseManagerPerson:
    """A case manager the YOT gives availability for: everyone on the newest long-list, and anyone
    else the sample names (seed 000 §10.2 and Appendix A: the availability comes with the long-list,
    before the sample exists)."""

    email: str
    name: str
    long_list_cases: int = 0
    cases: list[Case] = field(default_factory=list)  # in the sample (none before it is selected)
    availability: CaseManagerAvailability | None = None

    @property
    def refs(self) -> list[str]:
        return [c.label for c in self.cases]


def current_long_list(inspection: Inspection) -> LongList | None:
    return LongList.objects.filter(inspection=inspection).order_by("-version").first()


def long_list_case_managers(inspection: Inspection) -> dict[str, tuple[str, int]]:
    """email -> (name, number of cases) on the newest long-list, by the long-list's order."""
    long_list = current_long_list(inspection)
    if long_list is None:
        return {}
    out: dict[str, tuple[str, int]] = {}
    for name, email in long_list.entries.order_by("heading", "row_number", "id").values_list(
        "case_manager", "case_manager_email"
    ):
        email = normalise_email(email)
        if email:
            first_name, count = out.get(email, (name.strip() or _("Unnamed case manager"), 0))
            out[email] = (first_name, count + 1)
    return out


def availability_people(inspection: Inspection) -> tuple[list[CaseManagerPerson], list[CaseManagerGroup]]:
    """(every case manager availability can be given for, the sample's case managers with no email).

    Those with cases in the sample come first: theirs is the availability the schedule needs.
    """
    groups, no_email = case_manager_groups(inspection)
    rows = {a.email: a for a in inspection.case_manager_availability.prefetch_related("days")}
    people: dict[str, CaseManagerPerson] = {}
    for group in groups:
        people[group.email] = CaseManagerPerson(
            group.email, group.name, cases=group.cases, availability=rows.get(group.email)
        )
    for email, (name, count) in long_list_case_managers(inspection).items():
        person = people.setdefault(email, CaseManagerPerson(email, name, availability=rows.get(email)))
        person.long_list_cases = count
    ordered = sorted(people.values(), key=lambda p: (not p.cases, p.name.lower(), p.email))
    return ordered, no_email


def days_not_given(availability: CaseManagerAvailability | None, days: Sequence[dt.date]) -> list[dt.date]:
    """The fieldwork days the YOT has said nothing about for this case manager."""
    if availability is None:
        return list(days)
    given = {d.day for d in availability.days.all()}
    return [day for day in days if day not in given]


@dataclass(frozen=True)
class NotGiven:
    name: str
    refs: tuple[str, ...]
    days: tuple[dt.date, ...]
    nothing: bool  # no day given at all


def availability_not_given(
    inspection: Inspection, groups: Sequence[CaseManagerGroup], record_only: set[int]
) -> list[NotGiven]:
    """The sample's case managers with a case to interview whose availability is not (all) given."""
    days = inspection.fieldwork_days
    out = []
    for group in groups:
        waiting = [c for c in group.cases if c.pk not in record_only]
        missing = days_not_given(group.availability, days)
        if waiting and missing:
            out.append(NotGiven(group.name, tuple(c.label for c in waiting), tuple(missing), len(missing) == len(days)))
    return out


def windows_of(day_row) -> tuple[D.Window, ...]:
    if not day_row.available:
        return ()
    windows = []
    for start, end in ((day_row.from_1, day_row.until_1), (day_row.from_2, day_row.until_2)):
        if start is None and end is None:
            continue
        start_min = start.hour * 60 + start.minute if start else WHOLE_DAY.start
        end_min = end.hour * 60 + end.minute if end else WHOLE_DAY.end
        if start_min < end_min:
            windows.append(D.Window(start_min, end_min))
    return tuple(windows) or (WHOLE_DAY,)


def domain_case_manager(group: CaseManagerGroup, fieldwork_start: dt.date) -> D.CaseManager:
    """The case manager as the solver and the checks see them.

    READING (seed 000 §10.2, §10.4, §15): the YOT gives case managers' availability with the
    long-list, and HMI Probation "decide[s] which slot best suits the availability of the case
    manager". Nothing is assumed: a day the YOT has not given yet counts as a day the case manager
    cannot attend, so no interview is ever put in a time the YOT has not offered. A case manager of
    the sample with no day given at all stops the solver with a message naming them (see
    ``schedule_inputs``) until the YOT gives it, or the case is marked to be inspected from the
    record (§11.6); one with some days given is scheduled on those days, and the schedule page lists
    the days still missing.
    """
    row = group.availability
    if row is None:  # nothing given yet: no availability (schedule_inputs names them first)
        return D.CaseManager(id=group.email, name=group.name, email=group.email)
    availability = {}
    for day_row in row.days.all():
        windows = windows_of(day_row)
        if windows:
            availability[(day_row.day - fieldwork_start).days] = windows
    return D.CaseManager(
        id=group.email,
        name=row.name or group.name,
        email=group.email,
        availability=availability,
        returning_from_absence=row.returning_from_absence,
        max_per_day=max(1, row.max_per_day),
        notes=row.needs,
    )


def complexity(case: Case) -> int:
    score = HEADING_COMPLEXITY.get(case.heading, 2)
    asset = getattr(case.entry, "asset_score", None) if case.entry_id else None
    if asset is not None and asset >= HIGH_ASSET_SCORE:
        score += 1
    return score + int(case.high_rosh) + int(case.high_vulnerability)


@dataclass
class ScheduleInputs:
    """Everything the solver and the checks need, plus what the pages need to name things."""

    inspection: Inspection
    template: Template
    week: D.Week | None
    members: tuple[D.TeamMember, ...]
    users: dict[str, User]
    cases: tuple[D.Case, ...]
    case_managers: tuple[D.CaseManager, ...]
    case_by_ref: dict[str, Case]
    groups: list[CaseManagerGroup]
    record_only: set[str]
    problems: list[Problem]  # what stops any schedule before the solver runs

    @property
    def slots(self) -> tuple[D.Slot, ...]:
        return self.week.slots if self.week else ()

    def slot(self, slot_id: str) -> D.Slot | None:
        return next((s for s in self.slots if s.id == slot_id), None)

    def member_name(self, member: str) -> str:
        for m in self.members:
            if m.id == member:
                return m.name
        user_id = user_id_of(member)
        user = User.objects.filter(pk=user_id).first() if user_id else None
        return str(user) if user else member

    def manager_name(self, case: Case) -> str:
        if case.reference in self.record_only:
            return ""
        return case.case_manager


def schedule_inputs(inspection: Inspection) -> ScheduleInputs:
    template = template_for(inspection)
    members, observers, users = team_members(inspection)
    problems: list[Problem] = []
    week = None
    try:
        week = build_week(template, members, observers=observers)
    except TemplateError as exc:
        problems.append(Problem("team", _("The team cannot be scheduled: %(why)s.") % {"why": exc}))
    cases = sampled_cases(inspection)
    unreferenced = [c for c in cases if not c.reference]
    if unreferenced:
        problems.append(
            Problem(
                "sample_not_final",
                _(
                    "%(n)d sampled cases have no HMI Probation reference yet: make the sample final first "
                    "(the references are given then)."
                )
                % {"n": len(unreferenced)},
            )
        )
    if not cases:
        problems.append(Problem("no_cases", _("There are no sampled cases to schedule yet.")))
    record_only_case_ids = record_only_ids(inspection)
    record_only = {c.reference for c in cases if c.pk in record_only_case_ids}
    groups, no_email = case_manager_groups(inspection, cases)
    for group in no_email:
        waiting = [c for c in group.cases if c.pk not in record_only_case_ids]
        if waiting:
            refs = ", ".join(c.label for c in waiting)
            problems.append(
                Problem(
                    "no_email",
                    _(
                        "%(name)s (%(refs)s) has no email address on the sample, so their availability cannot be "
                        "entered: add their email to the long-list, or mark the case as having no case manager "
                        "available (it is then inspected from the record)."
                    )
                    % {"name": group.name, "refs": refs},
                    tuple(c.label for c in waiting),
                    (group.name,),
                )
            )
    for missing in availability_not_given(inspection, groups, record_only_case_ids):
        if missing.nothing:
            problems.append(
                Problem(
                    "availability_not_given",
                    _(
                        "%(name)s (%(refs)s): the YOT has not given their availability yet, so their cases "
                        "cannot be placed. It is given on the case managers’ availability page; or mark the case as "
                        "having no case manager available (it is then inspected from the record)."
                    )
                    % {"name": missing.name, "refs": ", ".join(missing.refs)},
                    missing.refs,
                    (missing.name,),
                )
            )
    fieldwork_start = inspection.fieldwork_start
    managers = tuple(domain_case_manager(g, fieldwork_start) for g in groups)
    domain_cases = []
    for case in cases:
        if not case.reference:
            continue
        email = normalise_email(case.case_manager_email)
        manager = None if (case.pk in record_only_case_ids or not email) else email
        domain_cases.append(
            D.Case(
                ref=case.reference,
                case_manager=manager,
                high_rosh=case.high_rosh,
                high_vulnerability=case.high_vulnerability,
                complexity=complexity(case),
            )
        )
    # Only case managers with a case still to interview take part (a case manager whose every
    # case is read from the record must not be reported as having no availability).
    needed = {c.case_manager for c in domain_cases if c.case_manager}
    return ScheduleInputs(
        inspection=inspection,
        template=template,
        week=week,
        members=members,
        users=users,
        cases=tuple(domain_cases),
        case_managers=tuple(m for m in managers if m.id in needed),
        case_by_ref={c.reference: c for c in cases if c.reference},
        groups=groups,
        record_only=record_only,
        problems=problems,
    )


# --- Versions ---------------------------------------------------------------------------------


def latest_version(inspection: Inspection) -> ScheduleVersion | None:
    return inspection.schedule_versions.order_by("-number").first()


def may_build(user, inspection: Inspection) -> bool:
    return user.has_perm("scheduling.edit_schedule", inspection)


def visible_states(user, inspection: Inspection) -> set[str]:
    """Which states of a version this user may see (the latest such version is shown)."""
    if may_build(user, inspection):
        return {s.value for s in VersionState}
    if inspection.programme == Programme.FJI:
        if is_lead_inspector_of(user, inspection) or is_sso_of(user, inspection):
            return {VersionState.SUBMITTED, VersionState.RETURNED, VersionState.FINAL}
    elif is_yot_manager_of(user, inspection):
        return {VersionState.SENT, VersionState.FINAL}
    if _roles_on(user, inspection) or is_yot_manager_of(user, inspection):
        return {VersionState.FINAL}
    return set()


def version_for(user, inspection: Inspection) -> ScheduleVersion | None:
    states = visible_states(user, inspection)
    if not states:
        return None
    return inspection.schedule_versions.filter(state__in=states).order_by("-number").first()


def entries_of(version: ScheduleVersion | None) -> list[ScheduledCase]:
    if version is None:
        return []
    return list(version.entries.select_related("case"))


def assignment_of(entries: Iterable[ScheduledCase]) -> tuple[dict[str, str], tuple[D.Pin, ...]]:
    mapping = {e.case.reference: e.slot_id for e in entries if e.case.status == CaseStatus.SELECTED}
    pins = tuple(
        D.Pin(e.case.reference, e.slot_id) for e in entries if e.pinned and e.case.status == CaseStatus.SELECTED
    )
    return mapping, pins


def check(inputs: ScheduleInputs, mapping: Mapping[str, str], pins: Iterable[D.Pin] = ()) -> list[Violation]:
    """check_assignment, with a team member removed after the schedule was made named."""
    violations = check_assignment(
        assignment=mapping,
        slots=inputs.slots,
        cases=inputs.cases,
        case_managers=inputs.case_managers,
        members=inputs.members,
        pins=pins,
    )
    out = []
    for v in violations:
        if v.rule == "member_not_on_team" and v.people:
            name = inputs.member_name(v.people[0])
            v = replace(
                v,
                message=_("%(ref)s is in a slot of %(name)s, who is no longer on the team: move it to someone else.")
                % {"ref": ", ".join(v.cases), "name": name},
                people=(name,),
            )
        out.append(v)
    return out


def describe_slot(inputs: ScheduleInputs, slot_id: str | None) -> Msg | str:
    """'Tuesday 09:00–11:00 with A. Inspector' (or who it was, for a removed member), translated when shown."""
    if not slot_id:
        return message("not scheduled")
    slot = inputs.slot(slot_id)
    who = inputs.member_name(member_of_slot(slot_id))
    if slot is None:
        parts = slot_id.split(":")
        try:
            day, start = int(parts[-2]), parts[-1]
            at = Msg("%(day)s %(time)s", {"day": D.day_name(day), "time": f"{start[:2]}:{start[2:]}"})
            return message("%(slot)s with %(name)s", slot=at, name=who)
        except (ValueError, IndexError):
            return slot_id
    return message("%(slot)s with %(name)s", slot=slot.describe(), name=who)


def changes_between(
    inputs: ScheduleInputs, before: Mapping[str, str], after: Mapping[str, str]
) -> list[dict[str, str]]:
    """Each case whose slot differs, with from and to in words, in reference order."""
    out = []
    for ref in sorted(set(before) | set(after)):
        if before.get(ref) != after.get(ref):
            out.append(
                {
                    "case": ref,
                    # Stored (ScheduleVersion.changes): messages as JSON, read back with read_changes.
                    "from": to_json(describe_slot(inputs, before.get(ref))),
                    "to": to_json(describe_slot(inputs, after.get(ref))),
                }
            )
    return out


def read_changes(changes: list[dict]) -> list[dict]:
    """Stored changes with their slot descriptions in the reader's language."""
    return [{**c, "from": from_json(c.get("from", "")), "to": from_json(c.get("to", ""))} for c in changes]


def previous_seen(version: ScheduleVersion) -> ScheduleVersion | None:
    """The latest earlier version that left the builder (sent, submitted, returned or final)."""
    return (
        version.inspection.schedule_versions.filter(number__lt=version.number)
        .exclude(state=VersionState.DRAFT)
        .order_by("-number")
        .first()
    )


def by_member(entries: Iterable[ScheduledCase]) -> dict[str, list[ScheduledCase]]:
    out: dict[str, list[ScheduledCase]] = defaultdict(list)
    for entry in entries:
        out[member_of_slot(entry.slot_id)].append(entry)
    return out
