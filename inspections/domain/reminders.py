"""When the YOT is reminded of its deadlines (issue 9 §3). Pure: plain data in, plain data out.

Reading (docs/rulebook.md): "one working day before each YOT deadline" is a reminder sent from
the start of the working day before the deadline's date (bank holidays skipped), up to the
deadline itself, so a reminder delayed by an outage still arrives while it can help. "On the
morning of an overdue one" is a second email from the start of the first working day after the
deadline's date, while the milestone is still not done. Each goes once per milestone and person;
``reminder_key`` is what makes it once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from inspections.domain.milestones import YOT
from inspections.domain.timeline import Milestone
from inspections.domain.workdays import WorkingCalendar

LONDON = ZoneInfo("Europe/London")
# The start of the working day: reminders are not sent in the small hours.
MORNING = dt.time(8, 0)

DUE = "due"
OVERDUE = "overdue"


@dataclass(frozen=True)
class ReminderDue:
    milestone: Milestone
    kind: str  # DUE or OVERDUE


def _morning(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, MORNING, tzinfo=LONDON)


def reminders_due(
    *, milestones: Iterable[Milestone], done: set[str], now: dt.datetime, country: str, owner: str = YOT
) -> list[ReminderDue]:
    """The reminders that should have gone by ``now`` for the open deadlines ``owner`` must meet."""
    calendar = WorkingCalendar(country)
    due: list[ReminderDue] = []
    for milestone in milestones:
        if milestone.owner != owner or not milestone.deadline or milestone.key in done:
            continue
        day_before = calendar.add_working_days(milestone.date, -1)
        if _morning(day_before) <= now < milestone.moment:
            due.append(ReminderDue(milestone, DUE))
        elif now >= milestone.moment and now >= _morning(calendar.add_working_days(milestone.date, 1)):
            due.append(ReminderDue(milestone, OVERDUE))
    return due


def reminder_key(reference: str, milestone_key: str, kind: str, user_id: int) -> str:
    return f"reminder:{reference}:{milestone_key}:{kind}:{user_id}"
