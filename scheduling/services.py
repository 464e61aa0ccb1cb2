"""Writes for the schedule. Each validates, writes in one transaction, leaves an audit row and
sends email only after the commit (a Celery task per notice).

Versions: the latest version is the working copy while it is a draft; solving, moving,
swapping and pinning edit it in place. Once a version has been sent (or submitted,
returned or made final) it is never changed: the next edit starts a new draft, a copy of
it, numbered one higher, and the changes from the version the YOT last saw are listed
when the new one is sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import Case
from inspections.enums import STATUS_ORDER, ContactRole, Programme, StaffRole, Status, TeamRole
from inspections.models import AuditEvent, Inspection, User
from inspections.services import inspection_set_status, milestone_mark_done
from scheduling import selectors as S
from scheduling.domain import constraints as C
from scheduling.domain.checks import Violation, blocks_finalising
from scheduling.domain.diagnose import Problem
from scheduling.domain.model import DAY_NAMES, Pin
from scheduling.domain.solver import Solution, solve
from scheduling.enums import NoticeEvent, VersionState
from scheduling.models import (
    CaseManagerAvailability,
    CaseManagerDay,
    RecordOnlyCase,
    ScheduledCase,
    ScheduleNotice,
    ScheduleVersion,
)

MAX_INTERVIEWS_PER_DAY = 6


def _audit(inspection: Inspection, actor: User | None, action: str, **detail) -> AuditEvent:
    return AuditEvent.objects.create(inspection=inspection, actor=actor, action=action, detail=detail)


def _lock(inspection: Inspection) -> Inspection:
    """Serialise every write to one inspection's schedule."""
    return Inspection.objects.select_for_update().get(pk=inspection.pk)


# --- Availability -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayEntry:
    day: dt.date
    available: bool = True
    from_1: dt.time | None = None
    until_1: dt.time | None = None
    from_2: dt.time | None = None
    until_2: dt.time | None = None
    commitments: str = ""


def day_errors(*, name: str, index: int, entry: DayEntry) -> list[tuple[str, str]]:
    """(field, message) for one day of one case manager; fields are named ``d<index>_<part>``.

    Times are ignored on a day they are not available. A window may leave out its start (from
    8.30am) or its end (until 6pm), seed 000 §11.3.
    """
    if not entry.available:
        return []
    day = _(DAY_NAMES[entry.day.weekday()])
    errors: list[tuple[str, str]] = []
    windows = []
    for k, (start, end) in enumerate(((entry.from_1, entry.until_1), (entry.from_2, entry.until_2)), start=1):
        if start is not None and end is not None and end <= start:
            errors.append(
                (
                    f"d{index}_until_{k}",
                    _("%(name)s, %(day)s: the end time must be after the start time") % {"name": name, "day": day},
                )
            )
        elif start is not None or end is not None:
            windows.append((k, start or dt.time(8, 30), end or dt.time(18, 0)))
    if len(windows) == 2:
        (_k1, s1, e1), (_k2, s2, e2) = windows
        if s1 < e2 and s2 < e1:
            errors.append(
                (
                    f"d{index}_from_2",
                    _(
                        "%(name)s, %(day)s: the second window overlaps the first; "
                        "enter one window or two that do not overlap"
                    )
                    % {"name": name, "day": day},
                )
            )
    return errors


def availability_save(
    *,
    inspection: Inspection,
    email: str,
    by: User,
    returning_from_absence: bool,
    needs: str,
    max_per_day: int,
    days: Sequence[DayEntry],
) -> CaseManagerAvailability:
    """Record one case manager's availability for every fieldwork day (all or nothing)."""
    email = S.normalise_email(email)
    groups, _no_email = S.case_manager_groups(inspection)
    group = next((g for g in groups if g.email == email), None)
    if group is None:
        raise ValidationError(_("%(email)s is not the email of a case manager on the sample.") % {"email": email})
    errors: dict[str, list[str]] = {}
    fieldwork_days = inspection.fieldwork_days
    if sorted(d.day for d in days) != fieldwork_days:
        errors.setdefault("__all__", []).append(_("Give the availability for each fieldwork day."))
    if not 1 <= max_per_day <= MAX_INTERVIEWS_PER_DAY:
        errors.setdefault("max_per_day", []).append(
            _("%(name)s: enter a number of interviews a day from 1 to %(max)d")
            % {"name": group.name, "max": MAX_INTERVIEWS_PER_DAY}
        )
    for entry in days:
        if entry.day in fieldwork_days:
            for field_name, message in day_errors(name=group.name, index=fieldwork_days.index(entry.day), entry=entry):
                errors.setdefault(field_name, []).append(message)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row, _created = CaseManagerAvailability.objects.update_or_create(
            inspection=inspection,
            email=email,
            defaults={
                "name": group.name,
                "returning_from_absence": returning_from_absence,
                "needs": needs.strip()[:1000],
                "max_per_day": max_per_day,
                "updated_by": by,
            },
        )
        row.days.all().delete()
        CaseManagerDay.objects.bulk_create(
            CaseManagerDay(
                availability=row,
                day=entry.day,
                available=entry.available,
                from_1=entry.from_1 if entry.available else None,
                until_1=entry.until_1 if entry.available else None,
                from_2=entry.from_2 if entry.available else None,
                until_2=entry.until_2 if entry.available else None,
                commitments=entry.commitments.strip()[:500],
            )
            for entry in sorted(days, key=lambda d: d.day)
        )
        _audit(inspection, by, "availability_saved", case_manager=group.name, days=sum(d.available for d in days))
    return row


@transaction.atomic
def case_record_only_set(*, inspection: Inspection, case: Case, record_only: bool, by: User) -> Case:
    """Mark (or unmark) a case as having no case manager available: read from the record (§11.6)."""
    if case.inspection_id != inspection.pk:
        raise ValidationError(_("That case is not in this inspection."))
    if record_only:
        _obj, created = RecordOnlyCase.objects.get_or_create(case=case, defaults={"marked_by": by})
    else:
        created = bool(RecordOnlyCase.objects.filter(case=case).delete()[0])
    if created:
        _audit(inspection, by, "case_record_only", case=case.label, record_only=record_only)
    return case


# --- Solving ----------------------------------------------------------------------------------------


@dataclass
class SolveOutcome:
    status: str
    solution: Solution | None = None
    version: ScheduleVersion | None = None
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return self.solution is not None and self.solution.found


def _working_draft(inspection: Inspection, by: User | None) -> ScheduleVersion:
    """The latest version if it is a draft, else a new draft copied from the latest."""
    latest = S.latest_version(inspection)
    if latest is not None and latest.state == VersionState.DRAFT:
        return latest
    version = ScheduleVersion.objects.create(
        inspection=inspection,
        number=(latest.number + 1) if latest else 1,
        created_by=by,
        objective=latest.objective if latest else None,
        best_bound=latest.best_bound if latest else None,
        solver_status=latest.solver_status if latest else "",
    )
    if latest is not None:
        ScheduledCase.objects.bulk_create(
            ScheduledCase(version=version, case_id=e.case_id, slot_id=e.slot_id, pinned=e.pinned)
            for e in latest.entries.all()
        )
    return version


def _solver_seconds() -> float:
    return float(getattr(settings, "SCHEDULE_SOLVER_SECONDS", 10))


def schedule_solve(
    *,
    inspection: Inspection,
    by: User | None,
    time_limit_s: float | None = None,
    seed: int = 0,
    dry_run: bool = False,
) -> SolveOutcome:
    """Place every sampled case with the solver, keeping pinned cases where they are.

    Nothing is written unless a schedule is found (then the working draft's rows are replaced
    in one transaction). An infeasible input comes back with ``problems`` that name the case
    managers and cases concerned (``diagnose``).
    """
    inputs = S.schedule_inputs(inspection)
    if inputs.problems:
        return SolveOutcome("invalid", problems=inputs.problems)
    latest = S.latest_version(inspection)
    _mapping, pins = S.assignment_of(S.entries_of(latest))
    slot_ids = {s.id for s in inputs.slots}
    notes = []
    kept: list[Pin] = []
    for pin in pins:
        if pin.slot_id in slot_ids:
            kept.append(pin)
        else:  # the team member left the team: their pinned case is placed again
            notes.append(
                _("%(ref)s was pinned to %(name)s, who is no longer on the team: it has been placed again.")
                % {"ref": pin.case_ref, "name": inputs.member_name(S.member_of_slot(pin.slot_id))}
            )
    solution = solve(
        slots=inputs.slots,
        cases=inputs.cases,
        case_managers=inputs.case_managers,
        members=inputs.members,
        pins=kept,
        time_limit_s=time_limit_s if time_limit_s is not None else _solver_seconds(),
        seed=seed,
    )
    if not solution.found:
        problems = list(solution.problems)
        if not problems:
            problems = [
                Problem(
                    "timeout",
                    _(
                        "The solver found no schedule in the time allowed, though one may exist: "
                        "solve again, or unpin some cases."
                    ),
                )
            ]
        return SolveOutcome(solution.status, solution=solution, problems=problems, notes=notes)
    outcome = SolveOutcome(solution.status, solution=solution, notes=notes)
    if dry_run:
        return outcome
    with transaction.atomic():
        _lock(inspection)
        latest_now = S.latest_version(inspection)
        if (latest_now.pk if latest_now else None) != (latest.pk if latest else None) or (
            latest_now is not None and S.assignment_of(S.entries_of(latest_now))[1] != pins
        ):
            raise ValidationError(_("Someone else changed the schedule while the solver was running: solve again."))
        version = _working_draft(inspection, by)
        version.entries.all().delete()
        pinned_refs = {p.case_ref for p in kept}
        ScheduledCase.objects.bulk_create(
            ScheduledCase(
                version=version,
                case=inputs.case_by_ref[a.case_ref],
                slot_id=a.slot_id,
                pinned=a.case_ref in pinned_refs,
            )
            for a in solution.assignments
        )
        version.objective = solution.objective
        version.best_bound = solution.best_bound
        version.solver_status = solution.status
        version.status_text = (_("Solved by the solver, keeping %(n)d pinned case(s) in place.") % {"n": len(kept)})[
            :500
        ]
        version.save()
        _audit(
            inspection,
            by,
            "schedule_solved",
            version=version.number,
            objective=solution.objective,
            bound=solution.best_bound,
        )
    outcome.version = version
    return outcome


# --- Hand edits ---------------------------------------------------------------------------------


@dataclass
class EditOutcome:
    version: ScheduleVersion
    violations: list[Violation]


def _checked(inputs: S.ScheduleInputs, version: ScheduleVersion) -> list[Violation]:
    mapping, pins = S.assignment_of(S.entries_of(version))
    return S.check(inputs, mapping, pins)


def _case_in(inputs: S.ScheduleInputs, case: Case) -> Case:
    if case.inspection_id != inputs.inspection.pk or case.reference not in inputs.case_by_ref:
        raise ValidationError(_("That case is not in this inspection's final sample."))
    return inputs.case_by_ref[case.reference]


def schedule_move(*, inspection: Inspection, case: Case, slot_id: str, by: User) -> EditOutcome:
    """Put a case in an empty slot (from another slot, or not yet scheduled). A pin moves with it."""
    inputs = S.schedule_inputs(inspection)
    case = _case_in(inputs, case)
    slot = inputs.slot(slot_id)
    if slot is None:
        raise ValidationError(_("That slot is not on the schedule: choose one of the team's case slots."))
    with transaction.atomic():
        _lock(inspection)
        version = _working_draft(inspection, by)
        occupant = version.entries.filter(slot_id=slot_id).exclude(case=case).select_related("case").first()
        if occupant is not None:
            raise ValidationError(
                _("%(slot)s already holds %(other)s: swap the two cases instead.")
                % {"slot": S.describe_slot(inputs, slot_id), "other": occupant.case.label}
            )
        entry = version.entries.filter(case=case).first()
        before = entry.slot_id if entry else None
        if entry is None:
            ScheduledCase.objects.create(version=version, case=case, slot_id=slot_id)
        else:
            entry.slot_id = slot_id
            entry.save(update_fields=["slot_id"])
        version.status_text = (
            _("%(ref)s moved from %(from)s to %(to)s.")
            % {"ref": case.label, "from": S.describe_slot(inputs, before), "to": S.describe_slot(inputs, slot_id)}
        )[:500]
        version.save(update_fields=["status_text", "updated_at"])
        _audit(inspection, by, "schedule_moved", version=version.number, case=case.label, to=slot_id)
    return EditOutcome(version, _checked(inputs, version))


def schedule_swap(*, inspection: Inspection, case_a: Case, case_b: Case, by: User) -> EditOutcome:
    """Exchange the slots of two scheduled cases (their pins go with them)."""
    inputs = S.schedule_inputs(inspection)
    case_a, case_b = _case_in(inputs, case_a), _case_in(inputs, case_b)
    if case_a.pk == case_b.pk:
        raise ValidationError(_("Choose two different cases to swap."))
    with transaction.atomic():
        _lock(inspection)
        version = _working_draft(inspection, by)
        entries = {e.case_id: e for e in version.entries.filter(case__in=[case_a, case_b])}
        missing = [c.label for c in (case_a, case_b) if c.pk not in entries]
        if missing:
            raise ValidationError(
                _("%(refs)s is not on the schedule yet: move it into an empty slot instead.")
                % {"refs": ", ".join(missing)}
            )
        a, b = entries[case_a.pk], entries[case_b.pk]
        slot_a, slot_b = a.slot_id, b.slot_id
        # One slot per version is a database constraint: park one entry while the other moves.
        a.slot_id = f"swap:{a.pk}"
        a.save(update_fields=["slot_id"])
        b.slot_id = slot_a
        b.save(update_fields=["slot_id"])
        a.slot_id = slot_b
        a.save(update_fields=["slot_id"])
        version.status_text = (_("%(a)s and %(b)s swapped.") % {"a": case_a.label, "b": case_b.label})[:500]
        version.save(update_fields=["status_text", "updated_at"])
        _audit(inspection, by, "schedule_swapped", version=version.number, cases=[case_a.label, case_b.label])
    return EditOutcome(version, _checked(inputs, version))


def schedule_pin(*, inspection: Inspection, case: Case, pinned: bool, by: User) -> EditOutcome:
    """Pin a case to its slot (re-solving keeps it there) or unpin it."""
    inputs = S.schedule_inputs(inspection)
    case = _case_in(inputs, case)
    with transaction.atomic():
        _lock(inspection)
        latest = S.latest_version(inspection)
        current = latest.entries.filter(case=case).first() if latest else None
        if current is None:
            raise ValidationError(
                _("%(ref)s is not on the schedule: place it before pinning it.") % {"ref": case.label}
            )
        if current.pinned == pinned:
            return EditOutcome(latest, _checked(inputs, latest))
        version = _working_draft(inspection, by)
        version.entries.filter(case=case).update(pinned=pinned)
        text = _("%(ref)s pinned.") if pinned else _("%(ref)s unpinned.")
        version.status_text = (text % {"ref": case.label})[:500]
        version.save(update_fields=["status_text", "updated_at"])
        _audit(
            inspection,
            by,
            "schedule_pinned" if pinned else "schedule_unpinned",
            version=version.number,
            case=case.label,
        )
    return EditOutcome(version, _checked(inputs, version))


def schedule_unplace(*, inspection: Inspection, case: Case, by: User) -> EditOutcome:
    """Take a case out of its slot (an FJI schedule being filled by hand)."""
    inputs = S.schedule_inputs(inspection)
    case = _case_in(inputs, case)
    with transaction.atomic():
        _lock(inspection)
        version = _working_draft(inspection, by)
        deleted, _detail = version.entries.filter(case=case).delete()
        if deleted:
            version.status_text = (_("%(ref)s taken out of the schedule.") % {"ref": case.label})[:500]
            version.save(update_fields=["status_text", "updated_at"])
            _audit(inspection, by, "schedule_unplaced", version=version.number, case=case.label)
    return EditOutcome(version, _checked(inputs, version))


# --- Sending, approving, finalising --------------------------------------------------------------


def _current_for_action(
    inspection: Inspection, expected_number: int | None, states: Sequence[str], nothing: str
) -> ScheduleVersion:
    version = S.latest_version(inspection)
    if version is None:
        raise ValidationError(_("There is no schedule yet."))
    if expected_number is not None and version.number != expected_number:
        raise ValidationError(
            _(
                "Someone else changed the schedule since you opened this page: version %(n)d is now the latest. "
                "Check it and try again."
            )
            % {"n": version.number}
        )
    if version.state not in states:
        raise ValidationError(nothing % {"n": version.number, "state": version.get_state_display().lower()})
    return version


def _refuse_if_blocked(inputs: S.ScheduleInputs, version: ScheduleVersion, doing: str) -> list[Violation]:
    violations = _checked(inputs, version)
    if blocks_finalising(violations):
        blocking = [v.message for v in violations if v.blocks_finalising]
        raise ValidationError([_("Fix these first, then %(doing)s:") % {"doing": doing}, *blocking])
    return violations


def yot_manager_emails(inspection: Inspection) -> list[str]:
    users = User.objects.filter(role=StaffRole.YOT_MANAGER, yot=inspection.yot, is_active=True).exclude(email="")
    contacts = inspection.contacts.filter(role=ContactRole.YOT_MANAGER)
    return list(dict.fromkeys([u.email for u in users] + [c.email for c in contacts]))


def hmip_emails(inspection: Inspection) -> list[str]:
    team = inspection.team.filter(role__in=[TeamRole.LEAD_INSPECTOR, TeamRole.SSO]).select_related("user")
    return list(dict.fromkeys(m.user.email for m in team if m.user.email))


def _notice(version: ScheduleVersion, event: str, recipients: list[str]) -> ScheduleNotice:
    notice, _created = ScheduleNotice.objects.get_or_create(
        version=version, event=event, defaults={"recipients": recipients}
    )
    from scheduling.tasks import enqueue_schedule_notice

    enqueue_schedule_notice(notice.pk)
    return notice


def _changes_from_seen(inputs: S.ScheduleInputs, version: ScheduleVersion) -> list[dict[str, str]]:
    previous = S.previous_seen(version)
    if previous is None:
        return []
    before, _pins = S.assignment_of(S.entries_of(previous))
    after, _pins = S.assignment_of(S.entries_of(version))
    return S.changes_between(inputs, before, after)


def schedule_send(*, inspection: Inspection, by: User, expected_number: int | None = None) -> ScheduleVersion:
    """SQS: send the draft to the YOT (seed 000 §10.4: by 4pm on the Monday before fieldwork).
    FJI: the YOT sends its draft to the lead inspector for approval (seed 001 §5, §8).

    Side effects: the version can no longer change; what changed since the last version the
    other side saw is stored on it; they are emailed after the commit; the first SQS version
    sent marks the "sample and schedule sent" milestone done, the first FJI one the "draft
    schedule sent" milestone.
    """
    inputs = S.schedule_inputs(inspection)
    fji = inspection.programme == Programme.FJI
    with transaction.atomic():
        _lock(inspection)
        version = _current_for_action(
            inspection,
            expected_number,
            [VersionState.DRAFT],
            _("Version %(n)d is %(state)s: there is no draft to send."),
        )
        _refuse_if_blocked(inputs, version, _("send it"))
        first = not inspection.schedule_versions.exclude(state=VersionState.DRAFT).exists()
        version.state = VersionState.SUBMITTED if fji else VersionState.SENT
        version.sent_at = timezone.now()
        version.sent_by = by
        version.changes = _changes_from_seen(inputs, version)
        version.save()
        _audit(inspection, by, "schedule_sent", version=version.number, changes=len(version.changes))
        if first:
            milestone_mark_done(inspection=inspection, key="final_schedule_due" if fji else "sample_due", by=by)
        if fji:
            _notice(version, NoticeEvent.SUBMITTED, hmip_emails(inspection))
        else:
            _notice(version, NoticeEvent.SENT, yot_manager_emails(inspection))
    return version


def schedule_finalise(*, inspection: Inspection, by: User, expected_number: int | None = None) -> ScheduleVersion:
    """Make the latest version final (SQS: on the Thursday, seed 000 §15; FJI: the lead
    inspector approves the YOT's draft).

    Refused while any violation blocks finalising. Side effects: each case is allocated to the
    team member whose slot it is in (casework's ``Case.assessor``); the inspection moves to
    "Schedule final" through ``inspection_set_status`` when it is at "Sample selected"; the YOT
    manager is emailed after the commit.
    """
    inputs = S.schedule_inputs(inspection)
    fji = inspection.programme == Programme.FJI
    with transaction.atomic():
        locked = _lock(inspection)
        states = [VersionState.SUBMITTED] if fji else [VersionState.DRAFT, VersionState.SENT]
        nothing = (
            _("Version %(n)d is %(state)s: only a schedule sent for approval can be approved.")
            if fji
            else _("Version %(n)d is %(state)s: there is nothing to make final.")
        )
        version = _current_for_action(inspection, expected_number, states, nothing)
        position = STATUS_ORDER.index(locked.status)
        if position < STATUS_ORDER.index(Status.SAMPLE_SELECTED):
            raise ValidationError(_("The schedule can be made final once the sample has been selected."))
        _refuse_if_blocked(inputs, version, _("make it final"))
        if version.state == VersionState.DRAFT:
            version.changes = _changes_from_seen(inputs, version)
        version.state = VersionState.FINAL
        version.finalised_at = timezone.now()
        version.finalised_by = by
        version.save()
        for entry in version.entries.select_related("case"):
            user = inputs.users.get(S.member_of_slot(entry.slot_id))
            Case.objects.filter(pk=entry.case_id).update(assessor=user)
        if locked.status == Status.SAMPLE_SELECTED:
            inspection_set_status(
                inspection=inspection,
                to_status=Status.SCHEDULE_FINAL,
                by=by,
                expected=Status.SAMPLE_SELECTED,
                note=_("Schedule version %(n)d made final.") % {"n": version.number},
            )
        _audit(inspection, by, "schedule_final", version=version.number)
        _notice(version, NoticeEvent.FINAL, yot_manager_emails(inspection))
    return version


def schedule_return(
    *, inspection: Inspection, by: User, note: str, expected_number: int | None = None
) -> ScheduleVersion:
    """FJI: the lead inspector returns the YOT's draft with a note saying what to change."""
    if not note.strip():
        raise ValidationError({"note": _("Say what the YOT should change.")})
    with transaction.atomic():
        _lock(inspection)
        version = _current_for_action(
            inspection,
            expected_number,
            [VersionState.SUBMITTED],
            _("Version %(n)d is %(state)s: only a schedule sent for approval can be returned."),
        )
        version.state = VersionState.RETURNED
        version.note = note.strip()[:1000]
        version.save(update_fields=["state", "note", "updated_at"])
        _audit(inspection, by, "schedule_returned", version=version.number)
        _notice(version, NoticeEvent.RETURNED, yot_manager_emails(inspection))
    return version


# --- Emails -----------------------------------------------------------------------------------------


def notice_email(notice: ScheduleNotice) -> tuple[str, str]:
    version = notice.version
    context = {"notice": notice, "version": version, "inspection": version.inspection}
    subject = render_to_string("scheduling/emails/notice_subject.txt", context).strip()
    return subject, render_to_string("scheduling/emails/notice.txt", context)


def schedule_notice_send(*, notice: ScheduleNotice) -> bool:
    """Send one notice once; safe to run twice (the claim is a conditional UPDATE)."""
    claimed = ScheduleNotice.objects.filter(pk=notice.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    if not claimed:
        return False
    if not notice.recipients:
        return True
    subject, body = notice_email(notice)
    try:
        EmailMessage(
            subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=list(notice.recipients)
        ).send()
    except Exception:
        ScheduleNotice.objects.filter(pk=notice.pk).update(sent_at=None)  # give the claim back for the retry
        raise
    _audit(notice.version.inspection, None, "schedule_notice_sent", event=notice.event, to=list(notice.recipients))
    return True


def current_penalty(inputs: S.ScheduleInputs, mapping: dict[str, str]) -> int:
    """The soft-rule penalty of a schedule as it stands (after hand moves), as the solver counts it."""
    return C.total(
        C.score(
            assignment=mapping,
            slots=inputs.slots,
            cases=inputs.cases,
            case_managers=inputs.case_managers,
            members=inputs.members,
        )
    )
