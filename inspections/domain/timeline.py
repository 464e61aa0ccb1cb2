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
                    "inspection periods exclude bank-holiday weeks (seed 002)."
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
            anchor_date = dates[rule.anchor]
            date = calendar.add_working_days(anchor_date, rule.working_days)
            if date != table_date:
                warnings.append(_disagreement(rule, calendar, anchor_date, labels[rule.anchor], table_date, date))
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


def _disagreement(
    rule: MilestoneRule,
    calendar: WorkingCalendar,
    anchor_date: dt.date,
    anchor_label: str,
    table_date: dt.date,
    date: dt.date,
) -> str:
    low = min(anchor_date, table_date, date)
    high = max(anchor_date, table_date, date)
    found = calendar.holidays_between(low, high)
    names = _(" and ").join(f"{name} ({_long(day)})" for day, name in found)
    params = {
        "label": _(rule.label),
        "table_date": _long(table_date),
        "holidays": names,
        "n": abs(rule.working_days),
        "anchor": anchor_label,
        "anchor_date": _long(anchor_date),
        "date": _long(date),
        "source": rule.source,
    }
    if rule.working_days > 0:
        message = _(
            "%(label)s: the seed's table puts this on %(table_date)s, but %(holidays)s come in between; "
            "counting %(n)d working days after %(anchor)s (%(anchor_date)s) gives %(date)s. "
            "This timeline uses %(date)s, the working-day reading (%(source)s)."
        )
    else:
        message = _(
            "%(label)s: the seed's table puts this on %(table_date)s, but %(holidays)s come in between; "
            "counting %(n)d working days before %(anchor)s (%(anchor_date)s) gives %(date)s. "
            "This timeline uses %(date)s, the working-day reading (%(source)s)."
        )
    return message % params


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
