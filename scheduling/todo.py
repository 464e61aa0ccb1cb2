"""Scheduling's tasks on the home page (issue 9 §4), registered in ``SchedulingConfig.ready``.

SQS (seed 000 §10.4): HMI Probation (the SSO, and the lead inspector) builds the schedule, sends
it to the YOT and makes it final; the YOT manager enters the case managers' availability it is
built from. FJI (seed 001 §5, §8): the YOT manager fills the week 1 schedule and sends it; the
lead inspector approves or returns it. Every query covers all the person's inspections at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework.enums import CaseStatus
from casework.models import Case, LongList, LongListEntry
from inspections.enums import Programme, Status
from inspections.models import Inspection, User
from inspections.rules import is_lead_inspector_of, is_sso_of, is_yot_manager_of
from inspections.todo import Task, link, milestone_of, register_provider, status_at_least
from scheduling.enums import VersionState
from scheduling.models import CaseManagerDay, RecordOnlyCase, ScheduleVersion
from scheduling.selectors import normalise_email

CLAIMS = ("final_schedule_due",)

# The YOT gives availability with the long-list (seed 000 §10.2, §15: "long-list … including CM
# availability"), so its deadline is the long-list's; after it the task stays, overdue, until given.
AVAILABILITY_NEEDED_BY = "long_list_due"


def _versions(inspections: Sequence[Inspection]) -> dict[int, list[str]]:
    """Each inspection's schedule version states, newest first."""
    states: dict[int, list[str]] = defaultdict(list)
    rows = ScheduleVersion.objects.filter(inspection__in=list(inspections)).order_by("inspection_id", "-number")
    for inspection_id, state in rows.values_list("inspection_id", "state"):
        states[inspection_id].append(state)
    return states


def _schedule_task(user: User, inspection: Inspection, states: list[str]) -> Task | None:
    if VersionState.FINAL in states or status_at_least(inspection, Status.SCHEDULE_FINAL):
        return None
    latest = states[0] if states else None
    schedule = link("scheduling:schedule", inspection)
    if inspection.programme == Programme.SQS:
        if not (is_lead_inspector_of(user, inspection) or is_sso_of(user, inspection)):
            return None
        # The SSO starts once the sample is final; the lead inspector sees the deadlines from the start.
        if not is_lead_inspector_of(user, inspection) and not status_at_least(inspection, Status.SAMPLE_SELECTED):
            return None
        if VersionState.SENT not in states:
            return Task(
                _("Build the fieldwork schedule and send it to the YOT"),
                schedule,
                inspection,
                milestone_of(inspection, "sample_due"),
            )
        return Task(
            _("Make the fieldwork schedule final"), schedule, inspection, milestone_of(inspection, "final_schedule_due")
        )
    deadline = milestone_of(inspection, "final_schedule_due")
    if is_yot_manager_of(user, inspection) and latest != VersionState.SUBMITTED:
        if latest == VersionState.RETURNED:
            title = _("Change the fieldwork week 1 schedule and send it again: the lead inspector returned it")
        else:
            title = _("Fill in the fieldwork week 1 schedule and send it to the lead inspector")
        return Task(title, schedule, inspection, deadline)
    if is_lead_inspector_of(user, inspection) and latest == VersionState.SUBMITTED:
        return Task(_("Approve or return the YOT’s fieldwork week 1 schedule"), schedule, inspection, deadline)
    return None


def _availability_tasks(user: User, inspections: Sequence[Inspection], versions: dict[int, list[str]]) -> list[Task]:
    """The YOT manager: case managers whose availability is not (all) given yet.

    Before the sample: everyone on the newest long-list. Once there is a sample: its case managers
    with a case to interview (not one inspected from the record). A fixed number of queries.
    """
    pending = [
        i
        for i in inspections
        if is_yot_manager_of(user, i)
        and not status_at_least(i, Status.FIELDWORK)
        and VersionState.FINAL not in versions.get(i.pk, [])
    ]
    if not pending:
        return []
    needed: dict[int, set[str]] = defaultdict(set)
    record_only = set(RecordOnlyCase.objects.filter(case__inspection__in=pending).values_list("case_id", flat=True))
    cases = Case.objects.filter(inspection__in=pending, status=CaseStatus.SELECTED)
    for inspection_id, case_id, email in cases.values_list("inspection_id", "pk", "case_manager_email"):
        if case_id not in record_only and normalise_email(email):
            needed[inspection_id].add(normalise_email(email))
    without_sample = [i.pk for i in pending if i.pk not in needed]
    newest = (
        LongList.objects.filter(inspection_id__in=without_sample).values("inspection_id").annotate(v=Max("version"))
    )
    newest_version = {row["inspection_id"]: row["v"] for row in newest}
    entries = LongListEntry.objects.filter(long_list__inspection_id__in=list(newest_version)).values_list(
        "long_list__inspection_id", "long_list__version", "case_manager_email"
    )
    for inspection_id, version, email in entries:
        if version == newest_version[inspection_id] and normalise_email(email):
            needed[inspection_id].add(normalise_email(email))
    days_given: dict[tuple[int, str], set] = defaultdict(set)
    rows = CaseManagerDay.objects.filter(availability__inspection__in=pending).values_list(
        "availability__inspection_id", "availability__email", "day"
    )
    for inspection_id, email, day in rows:
        days_given[(inspection_id, normalise_email(email))].add(day)
    tasks = []
    for inspection in pending:
        fieldwork = set(inspection.fieldwork_days)
        missing = sum(1 for email in needed[inspection.pk] if fieldwork - days_given[(inspection.pk, email)])
        if not missing:
            continue
        title = ngettext(
            "Give the case managers’ availability: %(n)d case manager still to give",
            "Give the case managers’ availability: %(n)d case managers still to give",
            missing,
        ) % {"n": missing}
        tasks.append(
            Task(
                title,
                link("scheduling:availability", inspection),
                inspection,
                milestone_of(inspection, AVAILABILITY_NEEDED_BY),
            )
        )
    return tasks


def scheduling_tasks(user: User, inspections: Sequence[Inspection]) -> list[Task]:
    versions = _versions(inspections) if inspections else {}
    tasks = _availability_tasks(user, inspections, versions)
    for inspection in inspections:
        task = _schedule_task(user, inspection, versions.get(inspection.pk, []))
        if task is not None:
            tasks.append(task)
    return tasks


def register() -> None:
    register_provider(scheduling_tasks, claims=CLAIMS)
