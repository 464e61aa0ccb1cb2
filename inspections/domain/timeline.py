"""Compute an inspection's timeline from its programme, country and fieldwork start.

Pure functions over plain data; the rules are in ``milestones.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from inspections.domain.milestones import MILESTONES, MilestoneRule
from inspections.domain.workdays import WorkingCalendar

LONDON = ZoneInfo("Europe/London")
# A milestone with a date but no time of day is due by the end of that working day.
END_OF_WORKING_DAY = dt.time(17, 0)


class TimelineError(ValueError):
    """The inputs cannot give a timeline (for example a fieldwork start that is not a Monday)."""


@dataclass(frozen=True)
class Milestone:
    key: str
    label: str
    owner: str
    date: dt.date
    time: dt.time | None
    table_date: dt.date
    deadline: bool
    source: str
    note: str

    @property
    def moment(self) -> dt.datetime:
        """When it falls due, as an aware datetime in UK time."""
        return dt.datetime.combine(self.date, self.time or END_OF_WORKING_DAY, tzinfo=LONDON)

    def iso(self) -> str:
        if self.time is None:
            return self.date.isoformat()
        return dt.datetime.combine(self.date, self.time, tzinfo=LONDON).isoformat()


@dataclass(frozen=True)
class Timeline:
    programme: str
    country: str
    fieldwork_start: dt.date
    milestones: tuple[Milestone, ...]
    warnings: tuple[str, ...] = field(default=())
    # The milestone each warning is about (None for a warning about the fieldwork weeks themselves),
    # so a page can show each person the warnings that concern what they must do.
    warning_keys: tuple[str | None, ...] = field(default=())

    def warnings_for(self, owner: str | None = None) -> tuple[str, ...]:
        """All warnings, or those about fieldwork and about the milestones ``owner`` must meet."""
        if owner is None:
            return self.warnings
        owned = {m.key for m in self.milestones if m.owner == owner}
        return tuple(w for w, key in zip(self.warnings, self.warning_keys, strict=True) if key is None or key in owned)

    def get(self, key: str) -> Milestone:
        for milestone in self.milestones:
            if milestone.key == key:
                return milestone
        raise KeyError(key)

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {m.key: m.iso() for m in self.milestones}
        data["warnings"] = list(self.warnings)
        return data


def _sentence_case(label: str) -> str:
    """Lower-case the first letter for use mid-sentence, unless it starts an acronym (YOT, HMI)."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[0].lower() + label[1:]


def _long(day: dt.date) -> str:
    """'Monday 8 February 2027', in the active language (Welsh day and month names under cy)."""
    return date_format(day, "l j F Y")


def fieldwork_weeks(programme: str, fieldwork_start: dt.date) -> list[dt.date]:
    """The Monday of each week the team is on site: one for SQS, two (a week apart) for FJI."""
    if programme == "fji":
        return [fieldwork_start, fieldwork_start + dt.timedelta(weeks=2)]
    return [fieldwork_start]


def fieldwork_holiday_problems(programme: str, country: str, fieldwork_start: dt.date) -> list[str]:
    """Bank holidays inside a fieldwork week. Seed 002: inspection periods exclude bank-holiday weeks."""
    calendar = WorkingCalendar(country)
    problems = []
    for monday in fieldwork_weeks(programme, fieldwork_start):
        for day, name in calendar.holidays_between(monday, monday + dt.timedelta(days=4)):
            problems.append(
                _(
                    "The fieldwork week beginning %(monday)s includes %(holiday)s on %(day)s: "
                    "inspections are not held in a week with a bank holiday."
                )
                % {"monday": _long(monday), "holiday": name, "day": _long(day)}
            )
    return problems


def compute_timeline(*, programme: str, country: str, fieldwork_start: dt.date) -> Timeline:
    if programme not in MILESTONES:
        raise TimelineError(f"unknown programme {programme!r}: expected sqs or fji")
    if country not in ("england", "wales"):
        raise TimelineError(f"unknown country {country!r}: expected england or wales")
    if fieldwork_start.weekday() != 0:
        raise TimelineError(
            _("fieldwork must start on a Monday; %(date)s is a %(weekday)s")
            % {"date": date_format(fieldwork_start, "j F Y"), "weekday": date_format(fieldwork_start, "l")}
        )

    calendar = WorkingCalendar(country)
    dates: dict[str, dt.date] = {"fieldwork_start": fieldwork_start}
    labels: dict[str, str] = {"fieldwork_start": _("the start of fieldwork")}
    milestones: list[Milestone] = []
    warnings: list[str] = fieldwork_holiday_problems(programme, country, fieldwork_start)
    warning_keys: list[str | None] = [None] * len(warnings)

    for rule in MILESTONES[programme]:
        if not rule.applies_to(country):
            continue
        table_date = fieldwork_start + dt.timedelta(weeks=rule.week, days=rule.weekday)
        if rule.calendar:
            date = table_date
        else:
            date, warning = place(rule, calendar, table_date, dates[rule.anchor], labels[rule.anchor])
            if warning:
                warnings.append(warning)
                warning_keys.append(rule.key)
        dates[rule.key] = date
        labels[rule.key] = _sentence_case(_(rule.label))
        milestones.append(
            Milestone(
                key=rule.key,
                label=rule.label,
                owner=rule.owner,
                date=date,
                time=rule.time,
                table_date=table_date,
                deadline=rule.deadline,
                source=rule.source,
                note=rule.note,
            )
        )
    return Timeline(programme, country, fieldwork_start, tuple(milestones), tuple(warnings), tuple(warning_keys))


def place(
    rule: MilestoneRule, calendar: WorkingCalendar, table_date: dt.date, anchor_date: dt.date, anchor_label: str
) -> tuple[dt.date, str]:
    """Where a milestone falls, and the warning to show when that is not the table's date.

    The table's weekday of its week is the plan. A milestone whose working-day count is the
    seeds' own rule (``rule.counted``: the announcement 11 working days before fieldwork, the
    long-list 7, the sample 5, the YOT's 3 for factual accuracy) keeps its weekday but moves by
    whole weeks, away from its anchor, to the nearest week that still gives at least that count
    (before fieldwork: an earlier week; after the draft is sent: a later one, so the YOT's three
    working days are never cut). A date that is itself a bank holiday then moves to the working
    day before. Every other milestone is its table date, moved only off a bank holiday.
    """

    def off_holiday(day: dt.date) -> dt.date:
        while not calendar.is_working_day(day):
            day -= dt.timedelta(days=1)
        return day

    def enough(day: dt.date) -> bool:
        if not rule.counted:
            return True
        if rule.working_days < 0:
            return calendar.working_days_between(day, anchor_date) >= -rule.working_days
        return calendar.working_days_between(anchor_date, day) >= rule.working_days

    step = dt.timedelta(weeks=-1 if rule.working_days < 0 else 1)
    week = table_date
    date = off_holiday(week)
    while not enough(date):
        week += step
        date = off_holiday(week)
    if date == table_date:
        return date, ""
    params = {
        "label": _(rule.label),
        "table_date": _long(table_date),
        "n": abs(rule.working_days),
        "anchor": anchor_label,
        "anchor_date": _long(anchor_date),
        "date": _long(date),
    }
    if week == table_date:  # only off the bank holiday it fell on
        params["holiday"] = calendar.holiday_name(table_date) or _("a bank holiday")
        message = _("%(label)s: %(table_date)s is %(holiday)s, so it moves to %(date)s, the working day before.")
        return date, message % params
    low, high = sorted((anchor_date, table_date))
    found = calendar.holidays_between(low, high)
    params["holidays"] = _(" and ").join(f"{name} ({_long(day)})" for day, name in found)
    if not found:  # the table's own week is short of the count: no bank holiday to name
        message = _(
            "%(label)s: planned for %(table_date)s, but that leaves fewer than %(n)d working days "
            "from %(anchor)s (%(anchor_date)s), so it moves to %(date)s."
        )
    elif rule.working_days < 0:
        message = _(
            "%(label)s: planned for %(table_date)s, but %(holidays)s would leave fewer than %(n)d working "
            "days before %(anchor)s (%(anchor_date)s), so it moves to %(date)s."
        )
    else:
        message = _(
            "%(label)s: planned for %(table_date)s, but %(holidays)s would leave fewer than %(n)d working "
            "days after %(anchor)s (%(anchor_date)s), so it moves to %(date)s."
        )
    return date, message % params


# --- Milestone state -------------------------------------------------------

DONE = "done"
OVERDUE = "overdue"
DUE_SOON = "due_soon"
UPCOMING = "upcoming"


def milestone_state(
    milestone: Milestone,
    *,
    now: dt.datetime,
    done: bool,
    due_soon_working_days: int,
    country: str,
) -> str:
    """done, overdue, due soon or upcoming.

    A scheduled event (not a deadline) is done once its moment has passed. A deadline is
    due soon from ``due_soon_working_days`` working days before its date.
    """
    if done:
        return DONE
    if now >= milestone.moment:
        return DONE if not milestone.deadline else OVERDUE
    today = now.astimezone(LONDON).date()
    if WorkingCalendar(country).working_days_between(today, milestone.date) <= due_soon_working_days:
        return DUE_SOON
    return UPCOMING
