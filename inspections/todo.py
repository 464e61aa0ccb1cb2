"""What's next: the tasks waiting for one person across their inspections (issue 9 §4).

A task is one thing a person must do, in their words, with the page where it is done and the
milestone of the inspection's timeline it is due by. The facts behind most tasks live in the apps
above this one (the long-list and cases in casework, the schedule in scheduling, the report in
reports) and imports go one way only, so each app registers a *provider* in its
``AppConfig.ready()`` with :func:`register_provider`, as it registers its gates.

A provider is ``provider(user, inspections) -> list[Task]``. ``inspections`` are every inspection
the user may see, from ``inspections.selectors.inspections_for_tasks``: their YOT, team,
milestone completions and documents are loaded and the user's roles on each are known, so the
role predicates of ``inspections.rules`` ask nothing more. A provider asks the database a fixed
number of questions about all of them together (``inspection__in``), never one per inspection.

Providers leave ``state`` alone: :func:`tasks_for` works out overdue, due soon or open from the
deadline, by the timeline's own rule, and puts the tasks soonest first.

Milestones: this module makes a task for each open deadline of the person's side of an
inspection (the YOT manager: the YOT's; the lead inspector: HMI Probation's), except those a
provider claims (``register_provider(..., claims=[...])``) because its app knows better what
is left to do and where: the long-list and the sample (casework), the schedule (scheduling),
the draft report and publication (reports).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from inspections.deadlines import milestones_of
from inspections.domain.timeline import DUE_SOON, OVERDUE, Milestone, milestone_state
from inspections.enums import STATUS_ORDER
from inspections.models import Inspection, User
from inspections.rules import is_lead_inspector_of, is_yot_manager_of
from inspections.selectors import is_history
from inspections.services import milestone_done_keys

OPEN = "open"
STATES = (OVERDUE, DUE_SOON, OPEN)


@dataclass(frozen=True)
class Task:
    """Something waiting for the person: ``title`` in their words, ``link`` the page where it is done."""

    title: str
    link: str
    inspection: Inspection | None = None
    # The milestone the task is due by; None for a task with no deadline (an open Concern).
    deadline: Milestone | None = None
    state: str = OPEN

    @property
    def due(self) -> dt.datetime | None:
        return self.deadline.moment if self.deadline else None


Provider = Callable[[User, Sequence[Inspection]], Iterable[Task]]

_providers: list[Provider] = []
_claimed: set[str] = set()


def register_provider(provider: Provider, *, claims: Iterable[str] = ()) -> None:
    """Add a provider; ``claims`` are the milestone keys whose tasks it makes. Registering twice keeps one."""
    if provider not in _providers:
        _providers.append(provider)
    _claimed.update(claims)


def task_state(task: Task, now: dt.datetime) -> str:
    """Overdue, due soon or open, by the timeline's rule for deadlines."""
    if task.deadline is None or task.inspection is None:
        return OPEN
    # A task's milestone is a deadline for whoever must act, even when the timeline shows it as a
    # scheduled event (the end of fieldwork, by which the cases are assessed).
    state = milestone_state(
        replace(task.deadline, deadline=True),
        now=now,
        done=False,
        due_soon_working_days=settings.TIMELINE_DUE_SOON_WORKING_DAYS,
        country=task.inspection.country,
    )
    return state if state in (OVERDUE, DUE_SOON) else OPEN


def _soonest_first(task: Task) -> tuple:
    due = task.due
    return (due is None, due.timestamp() if due else 0.0, task.inspection.reference if task.inspection else "")


def tasks_for(user: User, inspections: Sequence[Inspection], *, now: dt.datetime | None = None) -> list[Task]:
    """Every provider's tasks for ``user``, each with its state, soonest first and undated last."""
    now = now or timezone.now()
    # Deadlines that events moved (a draft sent late moves the YOT's factual accuracy check): the
    # providers' milestone_of reads them from here, one query per mover for all the inspections.
    moved = milestones_of(inspections)
    for inspection in inspections:
        inspection._moved_milestones = {m.key: m for m in moved[inspection.pk]}
    tasks: list[Task] = []
    for provider in _providers:
        tasks.extend(replace(task, state=task_state(task, now)) for task in provider(user, inspections))
    return sorted(tasks, key=_soonest_first)


# --- Helpers for providers -------------------------------------------------------------------------


def milestone_of(inspection: Inspection, key: str) -> Milestone | None:
    """The inspection's milestone ``key`` (as moved by events, when ``tasks_for`` has read them), or
    None where its programme and country have none."""
    moved = getattr(inspection, "_moved_milestones", None)
    if moved is not None:
        return moved.get(key)
    try:
        return inspection.timeline.get(key)
    except KeyError:
        return None


def status_at_least(inspection: Inspection, status: str) -> bool:
    return STATUS_ORDER.index(inspection.status) >= STATUS_ORDER.index(status)


def link(url_name: str, inspection: Inspection, *args, anchor: str = "") -> str:
    url = reverse(url_name, args=[inspection.reference, *args])
    return f"{url}#{anchor}" if anchor else url


# --- This app's own tasks: the milestones nobody else claims -----------------------------------------

# What the person does for each milestone of this app, and where. A milestone not listed here is
# named by its timeline label and marked done on the timeline.
MILESTONE_TASKS: dict[str, tuple[str, str]] = {
    "announcement": (gettext_noop("Record the announcement call"), "inspections:announce"),
    "planning_meeting": (gettext_noop("Hold the planning meeting with the YOT manager"), "inspections:timeline"),
    "iia_due": (gettext_noop("Send Information in Advance"), "inspections:documents"),
    "week2_schedule_due": (gettext_noop("Send the schedule of meetings for fieldwork week 2"), "inspections:timeline"),
    "improvement_plan_due": (gettext_noop("Send your improvement plan"), "reports:improvement_plan"),
    "report_drafted": (gettext_noop("Draft the short report"), "inspections:timeline"),
    "report_quality_assured": (
        gettext_noop("Have the draft report edited and quality assured"),
        "inspections:timeline",
    ),
    "report_agreed": (gettext_noop("Agree the draft report with the partner inspectorates"), "inspections:timeline"),
    "translation_sent": (gettext_noop("Send the report for Welsh translation"), "inspections:timeline"),
}


def _sides(user: User, inspection: Inspection) -> set[str]:
    """Whose milestones are this person's to meet: the YOT's for its manager, HMI Probation's for the lead."""
    sides = set()
    if is_yot_manager_of(user, inspection):
        sides.add("yot")
    if is_lead_inspector_of(user, inspection):
        sides.add("hmip")
    return sides


def milestone_tasks(user: User, inspections: Sequence[Inspection]) -> list[Task]:
    tasks = []
    for inspection in inspections:
        sides = _sides(user, inspection)
        if not sides:
            continue
        done = milestone_done_keys(inspection)
        for milestone in inspection.timeline.milestones:
            if (
                not milestone.deadline
                or milestone.owner not in sides
                or milestone.key in done
                or milestone.key in _claimed
                or is_history(inspection, milestone)
            ):
                continue
            title, url_name = MILESTONE_TASKS.get(milestone.key, (milestone.label, "inspections:timeline"))
            anchor = f"milestone-{milestone.key}" if url_name == "inspections:timeline" else ""
            tasks.append(
                Task(
                    title=_(title),
                    link=link(url_name, inspection, anchor=anchor),
                    inspection=inspection,
                    deadline=milestone,
                )
            )
    return tasks


def administrator_tasks(user: User, inspections: Sequence[Inspection]) -> list[Task]:
    if not user.is_administrator:
        return []
    try:
        # The people pages are another engineer's work: until they exist there is nothing to link to.
        url = reverse("accounts:people")
    except NoReverseMatch:
        return []
    return [Task(title=_("Manage people and their access to the service"), link=url)]


register_provider(milestone_tasks)
register_provider(administrator_tasks)
