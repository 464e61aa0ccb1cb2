"""What must be true before an inspection moves on, and who cannot be in two places at once.

Pure functions over plain data (issue 9 §5): each takes the facts and ``now`` and returns the
problems in the users' words, an empty list when the move may go ahead. The database side (which
facts, and the registry other apps fill in) is ``inspections/gates.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from inspections.domain.timeline import LONDON, fieldwork_weeks
from inspections.templatetags.govuk import govuk_time


def long_date(day: dt.date) -> str:
    """'Monday 8 February 2027', in the active language."""
    return date_format(day, "l j F Y")


def clock(moment: dt.datetime) -> str:
    """'1pm on Monday 8 February 2027' (UK time), the GOV.UK way of writing a time."""
    local = moment.astimezone(LONDON)
    return _("%(time)s on %(date)s") % {"time": govuk_time(local.time()), "date": long_date(local.date())}


# --- Status moves ------------------------------------------------------------------------------


def fieldwork_problems(*, starts_at: dt.datetime, now: dt.datetime) -> list[str]:
    """Fieldwork is marked as started once the team is due on site, not before."""
    if now < starts_at:
        return [
            _("Fieldwork starts at %(when)s: the inspection can be marked as in fieldwork from then.")
            % {"when": clock(starts_at)}
        ]
    return []


def draft_report_problems(*, fieldwork_ends_at: dt.datetime, now: dt.datetime) -> list[str]:
    """The draft report is written after the team has left: not before fieldwork ends."""
    if now < fieldwork_ends_at:
        return [
            _("Fieldwork ends at %(when)s: the draft report can be started after that.")
            % {"when": clock(fieldwork_ends_at)}
        ]
    return []


# --- Bookings: one YOT, one person, one place at a time ------------------------------------


@dataclass(frozen=True)
class Booking:
    """An inspection that is not yet published, as far as clashes are concerned."""

    reference: str
    programme: str
    fieldwork_start: dt.date
    yot_name: str = ""


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def weeks_on_site(booking: Booking) -> list[dt.date]:
    """The Monday of each week the team is on site (SQS: Monday to Wednesday of one week; FJI: two weeks)."""
    return sorted({_monday(day) for day in fieldwork_weeks(booking.programme, booking.fieldwork_start)})


def shared_weeks(a: Booking, b: Booking) -> list[dt.date]:
    """The weeks both inspections are on site (each named by its Monday)."""
    return sorted(set(weeks_on_site(a)) & set(weeks_on_site(b)))


def person_clash_problems(*, name: str, booking: Booking, others: Iterable[Booking]) -> list[str]:
    """``name`` cannot join ``booking`` while on another inspection that is on site the same week."""
    problems = []
    for other in sorted(others, key=lambda o: (o.fieldwork_start, o.reference)):
        if other.reference == booking.reference:
            continue
        for week in shared_weeks(booking, other):
            problems.append(
                _(
                    "%(name)s is already on %(other)s%(other_yot)s, on site in the week beginning %(week)s: "
                    "they cannot also be on %(this)s that week."
                )
                % {
                    "name": name,
                    "other": other.reference,
                    "other_yot": f" ({other.yot_name})" if other.yot_name else "",
                    "week": long_date(week),
                    "this": booking.reference or _("this inspection"),
                }
            )
    return problems


def yot_clash_problems(*, yot_name: str, live: Sequence[Booking]) -> list[str]:
    """A YOT has one inspection at a time: a second is planned only once the first is published."""
    return [
        _(
            "%(yot)s already has an inspection that is not yet published: %(ref)s, fieldwork from %(date)s. "
            "Plan the next one once that report is published."
        )
        % {"yot": yot_name, "ref": other.reference, "date": long_date(other.fieldwork_start)}
        for other in sorted(live, key=lambda o: (o.fieldwork_start, o.reference))
    ]
