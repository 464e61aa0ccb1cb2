"""Writes for the schedule. Each validates, writes in one transaction, leaves an audit row and
creates its emails with ``inspections.notifications`` (sent after the commit, once per key).

Versions: the latest version is the working copy while it is a draft; solving, moving,
swapping and pinning edit it in place. Once a version has been sent (or submitted,
returned or made final) it is never changed: the next edit starts a new draft, a copy of
it, numbered one higher, and the changes from the version the YOT last saw are listed
when the new one is sent.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import Case
from inspections.domain.messages import _ as message
from inspections.domain.messages import ngettext, to_json, to_text_field
from inspections.enums import STATUS_ORDER, Programme, Status
from inspections.models import AuditEvent, Inspection, User
from inspections.notifications import absolute_url, lead_and_sso, notify, notify_people, yot_managers_of
from inspections.services import inspection_set_status, milestone_mark_done
from scheduling import selectors as S
from scheduling.availability import (
    MAX_INTERVIEWS_PER_DAY,
    DayEntry,
    Prefill,
    SheetError,
    build_template,
    day_errors,
    read_upload,
)
from scheduling.domain import constraints as C
from scheduling.domain.checks import Violation, blocks_finalising
from scheduling.domain.diagnose import Problem
from scheduling.domain.model import Pin
from scheduling.domain.solver import STATUS_CANCELLED, Solution, solve
from scheduling.enums import ACTIVE_SOLVE_STATUSES, SolveStatus, VersionState
from scheduling.models import (
    CaseManagerAvailability,
    CaseManagerDay,
    RecordOnlyCase,
    ScheduledCase,
    ScheduleVersion,
    SolveJob,
)


def _audit(inspection: Inspection, actor: User | None, action: str, **detail) -> AuditEvent:
    return AuditEvent.objects.create(inspection=inspection, actor=actor, action=action, detail=detail)


def _lock(inspection: Inspection) -> Inspection:
    """Serialise every write to one inspection's schedule."""
    return Inspection.objects.select_for_update().get(pk=inspection.pk)


# --- Availability -------------------------------------------------------------------------------


def _known_case_managers(inspection: Inspection) -> dict[str, str]:
    """email -> name of everyone availability may be given for: the newest long-list and the sample."""
    people, _no_email = S.availability_people(inspection)
    return {p.email: p.name for p in people}


def _write_availability(
    *,
    inspection: Inspection,
    email: str,
    name: str,
    by: User,
    returning_from_absence: bool,
    needs: str,
    max_per_day: int,
    days: Sequence[DayEntry],
) -> CaseManagerAvailability:
    """Replace one case manager's availability (call inside a transaction). Days not in ``days``
    are not given yet: no row."""
    row, _created = CaseManagerAvailability.objects.update_or_create(
        inspection=inspection,
        email=email,
        defaults={
            "name": name[:200],
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
    return row


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
    """Record one case manager's availability (all or nothing).

    Anyone on the newest long-list can be given availability, before the sample exists (seed 000
    §10.2: it comes with the long-list). ``days`` holds the days given; a fieldwork day left out is
    "not given yet", never "available".
    """
    email = S.normalise_email(email)
    name = _known_case_managers(inspection).get(email)
    if name is None:
        raise ValidationError(
            _("%(email)s is not the email of a case manager on the long-list or the sample.") % {"email": email}
        )
    errors: dict[str, list[str]] = {}
    fieldwork_days = inspection.fieldwork_days
    given = [d.day for d in days]
    if len(set(given)) != len(given) or not set(given) <= set(fieldwork_days):
        errors.setdefault("__all__", []).append(_("Give the availability for fieldwork days only, each day once."))
    if not 1 <= max_per_day <= MAX_INTERVIEWS_PER_DAY:
        errors.setdefault("max_per_day", []).append(
            _("%(name)s: enter a number of interviews a day from 1 to %(max)d")
            % {"name": name, "max": MAX_INTERVIEWS_PER_DAY}
        )
    for entry in days:
        if entry.day in fieldwork_days:
            for field_name, message in day_errors(name=name, index=fieldwork_days.index(entry.day), entry=entry):
                errors.setdefault(field_name, []).append(message)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _lock(inspection)
        row = _write_availability(
            inspection=inspection,
            email=email,
            name=name,
            by=by,
            returning_from_absence=returning_from_absence,
            needs=needs,
            max_per_day=max_per_day,
            days=days,
        )
        _audit(inspection, by, "availability_saved", case_manager=name, days=len(days))
    return row


class AvailabilityInvalid(Exception):
    """The spreadsheet was read and refused; ``errors`` says why, row by row and column by column."""

    def __init__(self, *, filename: str, errors: Sequence[SheetError]):
        super().__init__(filename)
        self.filename = filename
        self.errors = tuple(errors)


@dataclass(frozen=True)
class AvailabilityUploaded:
    saved: list[str]  # the names of the case managers whose availability the file gave
    unchanged: int  # rows with nothing but a name and an email: nothing changed for them


def availability_upload(*, inspection: Inspection, by: User, data: bytes, filename: str) -> AvailabilityUploaded:
    """Read and check the whole availability spreadsheet, then store every row in one transaction,
    or nothing and raise AvailabilityInvalid.

    Each row with anything given replaces that case manager's availability (the template comes
    filled in with what was given before); a row with nothing given changes nothing. A refused
    file leaves an audit row with its name and number of errors only.
    """
    result = read_upload(data, days=inspection.fieldwork_days, people=_known_case_managers(inspection))
    if not result.ok:
        _audit(inspection, by, "availability_refused", file=filename[:255], errors=len(result.errors))
        raise AvailabilityInvalid(filename=filename, errors=result.errors)
    with transaction.atomic():
        _lock(inspection)
        for row in result.rows:
            _write_availability(
                inspection=inspection,
                email=row.email,
                name=row.name,
                by=by,
                returning_from_absence=row.returning_from_absence,
                needs=row.needs,
                max_per_day=row.max_per_day,
                days=row.days,
            )
        _audit(
            inspection,
            by,
            "availability_uploaded",
            file=filename[:255],
            case_managers=len(result.rows),
            unchanged=result.blank_rows,
        )
    return AvailabilityUploaded(saved=[r.name for r in result.rows], unchanged=result.blank_rows)


def availability_template(*, inspection: Inspection) -> bytes:
    """The availability spreadsheet, one row per case manager, filled in with what was given so far."""
    people, _no_email = S.availability_people(inspection)
    prefill = []
    for person in people:
        row = person.availability
        if row is None:
            prefill.append(Prefill(email=person.email, name=person.name))
            continue
        days = {
            d.day: DayEntry(
                day=d.day,
                available=d.available,
                from_1=d.from_1,
                until_1=d.until_1,
                from_2=d.from_2,
                until_2=d.until_2,
                commitments=d.commitments,
            )
            for d in row.days.all()
        }
        prefill.append(
            Prefill(
                email=person.email,
                name=person.name,
                days=days,
                returning_from_absence=row.returning_from_absence,
                max_per_day=row.max_per_day,
                needs=row.needs,
            )
        )
    return build_template(yot_name=inspection.yot.name, days=inspection.fieldwork_days, people=prefill)


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
    notes: list = field(default_factory=list)  # messages (``Msg``), shown in the reader's language
    moved: tuple[str, ...] = ()  # refs of the cases moved from the version the build started from

    @property
    def found(self) -> bool:
        return self.solution is not None and self.solution.found

    @property
    def cancelled(self) -> bool:
        return self.status == STATUS_CANCELLED


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
        built_from=latest.built_from if latest else {},
    )
    if latest is not None:
        ScheduledCase.objects.bulk_create(
            ScheduledCase(version=version, case_id=e.case_id, slot_id=e.slot_id, pinned=e.pinned)
            for e in latest.entries.all()
        )
    return version


def _solver_seconds() -> float:
    return float(getattr(settings, "SCHEDULE_SOLVER_SECONDS", 10))


class SolveCancelled(Exception):
    """The SSO cancelled the build after the solver had finished: nothing is written."""


def schedule_solve(
    *,
    inspection: Inspection,
    by: User | None,
    time_limit_s: float | None = None,
    seed: int = 0,
    dry_run: bool = False,
    poll: Callable[[float], bool] | None = None,
    on_write: Callable[[SolveOutcome], None] | None = None,
) -> SolveOutcome:
    """Place every sampled case with the solver, keeping pinned cases where they are and
    moving as few of the others as the rules allow from where the latest version has them
    (``constraints.W_MOVE``).

    Nothing is written unless a schedule is found (then the working draft's rows are replaced
    in one transaction). An infeasible input comes back with ``problems`` that name the case
    managers and cases concerned (``diagnose``). ``poll`` is the solver's (see
    ``domain.solver.solve``): True cancels, and the outcome is then ``cancelled`` with nothing
    written. ``on_write(outcome)`` runs inside the writing transaction, after the version is
    written; raising there (``SolveCancelled``) writes nothing.
    """
    inputs = S.schedule_inputs(inspection)
    if inputs.problems:
        return SolveOutcome("invalid", problems=inputs.problems)
    latest = S.latest_version(inspection)
    previous, pins = S.assignment_of(S.entries_of(latest))
    slot_ids = {s.id for s in inputs.slots}
    notes = []
    kept: list[Pin] = []
    for pin in pins:
        if pin.slot_id in slot_ids:
            kept.append(pin)
        else:  # the team member left the team: their pinned case is placed again
            notes.append(
                message(
                    "%(ref)s was pinned to %(name)s, who is no longer on the team: it has been placed again.",
                    ref=pin.case_ref,
                    name=inputs.member_name(S.member_of_slot(pin.slot_id)),
                )
            )
    if poll is not None and poll(0.0):  # cancelled while the inputs were read
        return SolveOutcome(STATUS_CANCELLED, notes=notes)
    solution = solve(
        slots=inputs.slots,
        cases=inputs.cases,
        case_managers=inputs.case_managers,
        members=inputs.members,
        pins=kept,
        time_limit_s=time_limit_s if time_limit_s is not None else _solver_seconds(),
        seed=seed,
        previous=previous,
        poll=poll,
    )
    if solution.status == STATUS_CANCELLED:
        return SolveOutcome(STATUS_CANCELLED, solution=solution, notes=notes)
    if not solution.found:
        problems = list(solution.problems)
        if not problems:
            problems = [
                Problem(
                    "timeout",
                    message(
                        "No schedule was found in the time allowed, though one may exist: "
                        "build it again, or unpin some cases."
                    ),
                )
            ]
        return SolveOutcome(solution.status, solution=solution, problems=problems, notes=notes)
    outcome = SolveOutcome(solution.status, solution=solution, notes=notes, moved=solution.moved)
    if dry_run:
        return outcome
    with transaction.atomic():
        _lock(inspection)
        latest_now = S.latest_version(inspection)
        # The moves are counted from ``previous``: a hand edit meanwhile makes them wrong too.
        if (latest_now.pk if latest_now else None) != (latest.pk if latest else None) or (
            latest_now is not None and S.assignment_of(S.entries_of(latest_now)) != (previous, pins)
        ):
            raise ValidationError(_("Someone else changed the schedule while it was being built: build it again."))
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
        version.built_from = previous
        if previous:
            text = ngettext(
                "Built again, keeping %(n)d pinned case(s) in place; %(moved)d case moved from where it was.",
                "Built again, keeping %(n)d pinned case(s) in place; %(moved)d cases moved from where they were.",
                len(solution.moved),
                n=len(kept),
                moved=len(solution.moved),
            )
        else:
            text = message("Built automatically, keeping %(n)d pinned case(s) in place.", n=len(kept))
        version.status_text = to_text_field(text, 500)
        version.save()
        _audit(
            inspection,
            by,
            "schedule_solved",
            version=version.number,
            objective=solution.objective,
            bound=solution.best_bound,
            moved=len(solution.moved),
        )
        outcome.version = version
        if on_write is not None:
            on_write(outcome)
    return outcome


def solve_outcome_notices(outcome: SolveOutcome) -> list:
    """What to tell the SSO about a build that found a schedule (messages)."""
    solution = outcome.solution
    notices = [
        message(
            "Schedule built (version %(n)d): %(objective)s points of preferences not met; no schedule "
            "could have fewer than %(bound)s.",
            n=outcome.version.number,
            objective=solution.objective,
            bound=solution.best_bound,
        )
    ]
    if outcome.version.built_from:
        if outcome.moved:
            notices.append(
                ngettext(
                    "%(count)d case moved from where the last version had it: %(refs)s.",
                    "%(count)d cases moved from where the last version had them: %(refs)s.",
                    len(outcome.moved),
                    count=len(outcome.moved),
                    refs=", ".join(outcome.moved),
                )
            )
        else:
            notices.append(message("No case moved from where the last version had it."))
    return notices + list(outcome.notes)


# --- Building in the background -----------------------------------------------------------------
#
# The life of a report job (reports/services.py), for the solver: ``solve_job_start`` makes the
# row and queues the task after the commit; the worker claims it with a conditional UPDATE and a
# token (a second delivery finds nothing to claim), beats its heartbeat with each progress step,
# reads the cancel flag at the same moment, and writes the schedule and "done" in one transaction.
# ``solve_jobs_sweep`` (beat) sends again a build whose message or worker was lost.

SOLVE_MAX_ATTEMPTS = 3
PROGRESS_EVERY_S = 0.5


class SolveJobLost(Exception):
    """The build is gone, finished or taken over by another worker: stop quietly."""


def solve_stale_after() -> dt.timedelta:
    """A running build silent this long lost its worker: past Celery's hard limit, after which
    the worker would have stopped it itself (diagnosing an impossible schedule beats no heart)."""
    seconds = getattr(settings, "SCHEDULE_SOLVE_STALE_SECONDS", settings.CELERY_TASK_TIME_LIMIT + 60)
    return dt.timedelta(seconds=seconds)


def solve_job_active(inspection: Inspection) -> SolveJob | None:
    return SolveJob.objects.filter(inspection=inspection, status__in=ACTIVE_SOLVE_STATUSES).first()


def solve_job_start(*, inspection: Inspection, by: User) -> SolveJob:
    """Queue a build of the schedule. A second click while one is queued or running returns that one."""
    from scheduling.tasks import enqueue_solve  # tasks call back into this module when they run

    with transaction.atomic():
        if existing := solve_job_active(inspection):
            return existing
        try:
            with transaction.atomic():  # a savepoint: the loser of a race sees the winner's build
                job = SolveJob.objects.create(
                    inspection=inspection,
                    created_by=by,
                    time_limit_s=_solver_seconds(),
                    message=to_text_field(message("Waiting to start"), 500),
                )
        except IntegrityError:
            existing = solve_job_active(inspection)
            if existing is None:
                raise
            return existing
        _audit(inspection, by, "schedule_build_queued", job=job.pk)
        enqueue_solve(job)
    return job


def solve_job_cancel(*, job: SolveJob, by: User) -> SolveJob:
    """Stop a build. Queued: it never starts. Running: the solver stops at its next look at the
    flag (a quarter of a second) and writes nothing. Already finished: nothing changes, and the
    job says how it ended."""
    with transaction.atomic():
        row = SolveJob.objects.select_for_update().get(pk=job.pk)
        if not row.is_active or row.cancel_requested:
            return row
        row.cancel_requested = True
        row.cancelled_by = by
        fields = ["cancel_requested", "cancelled_by"]
        if row.status == SolveStatus.QUEUED:
            row.status = SolveStatus.CANCELLED
            row.finished_at = timezone.now()
            row.message = to_text_field(message("Cancelled: the schedule has not changed."), 500)
            fields += ["status", "finished_at", "message"]
        else:
            row.message = to_text_field(message("Cancelling…"), 500)
            fields.append("message")
        row.save(update_fields=fields)
        _audit(row.inspection, by, "schedule_build_cancelled", job=row.pk)
    return row


def _solve_job_claim(job_id: int, now: dt.datetime | None = None) -> str | None:
    now = now or timezone.now()
    token = uuid.uuid4().hex
    claimed = (
        SolveJob.objects.filter(pk=job_id, attempts__lt=SOLVE_MAX_ATTEMPTS, cancel_requested=False)
        .filter(
            Q(status=SolveStatus.QUEUED) | Q(status=SolveStatus.RUNNING, heartbeat_at__lt=now - solve_stale_after())
        )
        .update(
            status=SolveStatus.RUNNING,
            claim_token=token,
            attempts=F("attempts") + 1,
            started_at=now,
            heartbeat_at=now,
            progress=0,
            message=to_text_field(message("Reading the sample and the case managers’ availability"), 500),
        )
    )
    return token if claimed else None


def _solve_job_end(job_id: int, token: str, status: str, text, **fields) -> None:
    SolveJob.objects.filter(pk=job_id, status=SolveStatus.RUNNING, claim_token=token).update(
        status=status,
        message=to_text_field(text, 500),
        finished_at=timezone.now(),
        claim_token="",
        **fields,
    )


def solve_job_run(*, job_id: int) -> SolveJob | None:
    """The worker's part: claim the build, solve with progress and the cancel flag, store the
    outcome. None when the build was not this worker's to run (gone, done, or held elsewhere)."""
    token = _solve_job_claim(job_id)
    if token is None:
        return None
    job = SolveJob.objects.select_related("inspection", "created_by").get(pk=job_id)
    mine = SolveJob.objects.filter(pk=job_id, status=SolveStatus.RUNNING, claim_token=token)
    searching = to_text_field(message("Looking for the schedule that fits best"), 500)
    last_beat = [0.0]

    def poll(used: float) -> bool:
        now = time.monotonic()
        if now - last_beat[0] >= PROGRESS_EVERY_S:
            last_beat[0] = now
            if not mine.update(progress=5 + int(used * 90), message=searching, heartbeat_at=timezone.now()):
                raise SolveJobLost(job_id)
        cancel = mine.values_list("cancel_requested", flat=True).first()
        if cancel is None:
            raise SolveJobLost(job_id)
        return cancel

    def on_write(outcome: SolveOutcome) -> None:
        row = mine.select_for_update().first()
        if row is None:
            raise SolveJobLost(job_id)
        if row.cancel_requested:
            raise SolveCancelled(job_id)
        row.status = SolveStatus.DONE
        row.progress = 100
        row.message = to_text_field(message("Built"), 500)
        row.version = outcome.version
        row.notices = [to_json(n) for n in solve_outcome_notices(outcome)]
        row.moved = list(outcome.moved)
        row.finished_at = timezone.now()
        row.claim_token = ""
        row.save()

    try:
        outcome = schedule_solve(
            inspection=job.inspection, by=job.created_by, time_limit_s=job.time_limit_s, poll=poll, on_write=on_write
        )
    except SolveJobLost:
        return None
    except SolveCancelled:
        outcome = SolveOutcome(STATUS_CANCELLED)
    except ValidationError as exc:  # someone changed the schedule meanwhile
        _solve_job_end(job_id, token, SolveStatus.FAILED, exc.messages[0], progress=100)
        return SolveJob.objects.get(pk=job_id)
    if outcome.cancelled:
        _solve_job_end(job_id, token, SolveStatus.CANCELLED, message("Cancelled: the schedule has not changed."))
    elif not outcome.found:
        _solve_job_end(
            job_id,
            token,
            SolveStatus.NO_SCHEDULE,
            message("No schedule is possible yet:"),
            progress=100,
            problems=[to_json(p.message) for p in outcome.problems] + [to_json(n) for n in outcome.notes],
        )
    return SolveJob.objects.get(pk=job_id)


def solve_job_fail(*, job_id: int, text) -> None:
    """Mark a build failed (from the task's on_failure): the page offers to build again.
    ``text``: a message (``Msg``) or plain text."""
    SolveJob.objects.filter(pk=job_id, status__in=ACTIVE_SOLVE_STATUSES).update(
        status=SolveStatus.FAILED, message=to_text_field(text, 500), finished_at=timezone.now(), claim_token=""
    )


def solve_jobs_sweep(*, now: dt.datetime | None = None) -> dict[str, list[int]]:
    """Beat's check that every build finishes or fails visibly.

    Queued for longer than ``SCHEDULE_SOLVE_QUEUED_SECONDS`` (120) and never started: its message
    was lost, so it is sent again. Running with a heartbeat older than ``solve_stale_after()``: its
    worker died; sent again while it has attempts left, else failed; cancelled if the SSO had asked.
    """
    from scheduling.tasks import enqueue_solve  # see solve_job_start

    now = now or timezone.now()
    queued_limit = dt.timedelta(seconds=getattr(settings, "SCHEDULE_SOLVE_QUEUED_SECONDS", 120))
    done: dict[str, list[int]] = {"sent_again": [], "failed": []}
    lost = SolveJob.objects.filter(
        status=SolveStatus.QUEUED, started_at__isnull=True, created_at__lt=now - queued_limit
    )
    stale = SolveJob.objects.filter(status=SolveStatus.RUNNING, heartbeat_at__lt=now - solve_stale_after())
    with transaction.atomic():
        for job in lost.select_for_update(skip_locked=True):
            job.retry_note = to_text_field(message("Sent to a worker again: it had not started."), 300)
            job.save(update_fields=["retry_note"])
            enqueue_solve(job)
            done["sent_again"].append(job.pk)
        for job in stale.select_for_update(skip_locked=True):
            if job.cancel_requested or job.attempts >= SOLVE_MAX_ATTEMPTS:
                job.status = SolveStatus.CANCELLED if job.cancel_requested else SolveStatus.FAILED
                job.finished_at = now
                job.claim_token = ""
                job.message = to_text_field(
                    message("Cancelled: the schedule has not changed.")
                    if job.cancel_requested
                    else message("The worker building the schedule stopped; it was not tried again. Build it again."),
                    500,
                )
                job.save(update_fields=["status", "finished_at", "claim_token", "message"])
                done["failed"].append(job.pk)
            else:
                job.retry_note = to_text_field(message("Started again: the worker building it stopped."), 300)
                job.save(update_fields=["retry_note"])
                enqueue_solve(job)
                done["sent_again"].append(job.pk)
    return done


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
        version.status_text = to_text_field(
            message(
                "%(ref)s moved from %(from)s to %(to)s.",
                ref=case.label,
                **{"from": S.describe_slot(inputs, before), "to": S.describe_slot(inputs, slot_id)},
            ),
            500,
        )
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
        version.status_text = to_text_field(message("%(a)s and %(b)s swapped.", a=case_a.label, b=case_b.label), 500)
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
        text = message("%(ref)s pinned.", ref=case.label) if pinned else message("%(ref)s unpinned.", ref=case.label)
        version.status_text = to_text_field(text, 500)
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
            version.status_text = to_text_field(message("%(ref)s taken out of the schedule.", ref=case.label), 500)
            version.save(update_fields=["status_text", "updated_at"])
            _audit(inspection, by, "schedule_unplaced", version=version.number, case=case.label)
    return EditOutcome(version, _checked(inputs, version))


# --- Sending, approving, finalising --------------------------------------------------------------


class ScheduleAlreadyDone(ValidationError):
    """The version the page showed has already been sent or made final (a second click, or
    someone else first): nothing is done twice."""


def _current_for_action(
    inspection: Inspection,
    expected_number: int | None,
    states: Sequence[str],
    nothing: str,
    done_states: Sequence[str] = (),
    done: str = "",
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
    if expected_number is not None and version.state in done_states:
        raise ScheduleAlreadyDone(done % {"n": version.number})
    if version.state not in states:
        raise ValidationError(nothing % {"n": version.number, "state": version.get_state_display().lower()})
    return version


def _blocking(inputs: S.ScheduleInputs, version: ScheduleVersion, doing: str) -> list[str]:
    violations = _checked(inputs, version)
    if blocks_finalising(violations):
        return [_("Fix these first, then %(doing)s:") % {"doing": doing}] + [
            v.message for v in violations if v.blocks_finalising
        ]
    return []


def _refuse_if_blocked(inputs: S.ScheduleInputs, version: ScheduleVersion, doing: str) -> None:
    blocking = _blocking(inputs, version, doing)
    if blocking:
        raise ValidationError(blocking)


def _changes_from_seen(inputs: S.ScheduleInputs, version: ScheduleVersion) -> list[dict[str, str]]:
    previous = S.previous_seen(version)
    if previous is None:
        return []
    before, _pins = S.assignment_of(S.entries_of(previous))
    after, _pins = S.assignment_of(S.entries_of(version))
    return S.changes_between(inputs, before, after)


def _send_version(inspection: Inspection, expected_number: int | None) -> ScheduleVersion:
    fji = inspection.programme == Programme.FJI
    return _current_for_action(
        inspection,
        expected_number,
        [VersionState.DRAFT],
        _("Version %(n)d is %(state)s: there is no draft to send."),
        done_states=[VersionState.SUBMITTED, VersionState.SENT, VersionState.RETURNED, VersionState.FINAL],
        done=_("Version %(n)d has already been sent to the lead inspector; nothing was sent twice.")
        if fji
        else _("Version %(n)d has already been sent to the YOT; nothing was sent twice."),
    )


def _finalise_version(inspection: Inspection, expected_number: int | None) -> ScheduleVersion:
    fji = inspection.programme == Programme.FJI
    return _current_for_action(
        inspection,
        expected_number,
        [VersionState.SUBMITTED] if fji else [VersionState.DRAFT, VersionState.SENT],
        _("Version %(n)d is %(state)s: only a schedule sent for approval can be approved.")
        if fji
        else _("Version %(n)d is %(state)s: there is nothing to make final."),
        done_states=[VersionState.FINAL],
        done=_("Version %(n)d is already final; nothing changed."),
    )


@dataclass(frozen=True)
class ActionPreview:
    """What sending (or making final) the latest version would do, for the confirmation page."""

    version: ScheduleVersion
    recipients: list[User]
    changes: list[dict[str, str]]
    warnings: int  # checks that do not block
    moves_status: bool = False  # finalising moves the inspection to "Schedule final"


def schedule_send_preview(*, inspection: Inspection, expected_number: int | None = None) -> ActionPreview:
    """Raises ValidationError with what stops sending (ScheduleAlreadyDone once it has gone)."""
    inputs = S.schedule_inputs(inspection)
    version = _send_version(inspection, expected_number)
    _refuse_if_blocked(inputs, version, _("send it"))
    fji = inspection.programme == Programme.FJI
    return ActionPreview(
        version=version,
        recipients=lead_and_sso(inspection) if fji else yot_managers_of(inspection),
        changes=_changes_from_seen(inputs, version),
        warnings=len(_checked(inputs, version)),
    )


def schedule_finalise_preview(*, inspection: Inspection, expected_number: int | None = None) -> ActionPreview:
    """Raises ValidationError with what stops making the latest version final."""
    inputs = S.schedule_inputs(inspection)
    version = _finalise_version(inspection, expected_number)
    _refuse_before_sample(inspection)
    _refuse_if_blocked(inputs, version, _("make it final"))
    return ActionPreview(
        version=version,
        recipients=yot_managers_of(inspection),
        changes=_changes_from_seen(inputs, version) if version.state == VersionState.DRAFT else version.changes,
        warnings=len(_checked(inputs, version)),
        moves_status=inspection.status == Status.SAMPLE_SELECTED,
    )


def _refuse_before_sample(inspection: Inspection) -> None:
    if STATUS_ORDER.index(inspection.status) < STATUS_ORDER.index(Status.SAMPLE_SELECTED):
        raise ValidationError(_("The schedule can be made final once the sample has been selected."))


def schedule_send(*, inspection: Inspection, by: User, expected_number: int | None = None) -> ScheduleVersion:
    """SQS: send the draft to the YOT (seed 000 §10.4: by 4pm on the Monday before fieldwork).
    FJI: the YOT sends its draft to the lead inspector for approval (seed 001 §5, §8).

    Side effects: the version can no longer change; what changed since the last version the
    other side saw is stored on it; they are emailed (``version_notify``); the first SQS version
    sent marks the "sample and schedule sent" milestone done, the first FJI one the "draft
    schedule sent" milestone. Raises ScheduleAlreadyDone when the expected version has gone.
    """
    inputs = S.schedule_inputs(inspection)
    fji = inspection.programme == Programme.FJI
    with transaction.atomic():
        _lock(inspection)
        version = _send_version(inspection, expected_number)
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
        version_notify(version=version, inputs=inputs)
    return version


def schedule_finalise(*, inspection: Inspection, by: User, expected_number: int | None = None) -> ScheduleVersion:
    """Make the latest version final (SQS: on the Thursday, seed 000 §15; FJI: the lead
    inspector approves the YOT's draft).

    Refused while any violation blocks finalising. Side effects: each case is allocated to the
    team member whose slot it is in (casework's ``Case.assessor``); the inspection moves to
    "Schedule final" through ``inspection_set_status`` when it is at "Sample selected"; the YOT
    managers are emailed that it is final and each team member with cases gets the list of theirs
    (``version_notify``). Raises ScheduleAlreadyDone when the expected version is already final.
    """
    inputs = S.schedule_inputs(inspection)
    with transaction.atomic():
        locked = _lock(inspection)
        version = _finalise_version(inspection, expected_number)
        _refuse_before_sample(locked)
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
        version_notify(version=version, inputs=inputs)
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
        version_notify(version=version)
    return version


# --- Emails -----------------------------------------------------------------------------------------


def _schedule_link(inspection: Inspection) -> str:
    return absolute_url(reverse("scheduling:schedule", kwargs={"reference": inspection.reference}))


def version_notify(*, version: ScheduleVersion, inputs: S.ScheduleInputs | None = None) -> list:
    """The emails a version's state calls for, each created once (a second call creates nothing).

    Sent (SQS): the YOT managers. Submitted (FJI): the lead inspector and the SSO. Returned (FJI):
    the YOT managers. Final: the YOT managers, and each team member with cases on it gets the list
    of their cases and a link to them. Call inside the transaction that changed the state.
    """
    inspection = version.inspection
    context = {"inspection": inspection, "version": version, "link": _schedule_link(inspection)}
    state = version.state
    if state == VersionState.SENT:
        people, event = yot_managers_of(inspection), "schedule_sent"
    elif state == VersionState.SUBMITTED:
        people, event = lead_and_sso(inspection), "schedule_submitted"
    elif state == VersionState.RETURNED:
        people, event = yot_managers_of(inspection), "schedule_returned"
    elif state == VersionState.FINAL:
        people, event = yot_managers_of(inspection), "schedule_final"
    else:
        return []
    created = notify_people(
        people=people,
        key=f"{event}:{version.pk}",
        kind=event,
        template=event,
        context=context,
        inspection=inspection,
    )
    if state == VersionState.FINAL:
        created += _notify_assessors(version, inputs or S.schedule_inputs(inspection))
    return created


def _notify_assessors(version: ScheduleVersion, inputs: S.ScheduleInputs) -> list:
    """Each team member with cases on the final version: their cases, by reference, day and time."""
    inspection = version.inspection
    fieldwork_start = inspection.fieldwork_start
    theirs: dict[str, list[dict]] = {}
    for entry in version.entries.select_related("case").order_by("slot_id"):
        slot = inputs.slot(entry.slot_id)
        member = S.member_of_slot(entry.slot_id)
        if slot is None or member not in inputs.users:
            continue
        theirs.setdefault(member, []).append(
            {
                "reference": entry.case.label,
                "date": fieldwork_start + dt.timedelta(days=slot.day),
                "start": slot.window.start_time,
                "end": slot.window.end_time,
                "case_manager": inputs.manager_name(entry.case),
            }
        )
    link = absolute_url(reverse("casework:cases", kwargs={"reference": inspection.reference}))
    created = []
    for member, cases in theirs.items():
        cases.sort(key=lambda c: (c["date"], c["start"]))
        person = inputs.users[member]
        notification = notify(
            key=f"schedule_final_assessor:{version.pk}:{person.pk}",
            kind="schedule_final_assessor",
            template="schedule_final_assessor",
            context={"inspection": inspection, "version": version, "cases": cases, "link": link},
            recipient=person,
            inspection=inspection,
        )
        if notification is not None:
            created.append(notification)
    return created


def current_penalty(inputs: S.ScheduleInputs, mapping: dict[str, str], built_from: dict | None = None) -> int:
    """The soft-rule penalty of a schedule as it stands (after hand moves), as the solver counts it:
    with ``built_from`` (the version's), the cases moved from where its last build started count too."""
    return C.total(
        C.score(
            assignment=mapping,
            slots=inputs.slots,
            cases=inputs.cases,
            case_managers=inputs.case_managers,
            members=inputs.members,
        )
    ) + C.total(C.move_penalties(mapping, {r: s for r, s in (built_from or {}).items() if r in inputs.case_by_ref}))
