"""Working-day arithmetic over the bank holidays of England and Wales.

England and Wales share one set of bank holidays, but the `holidays` package keeps
them per subdivision (ENG, WLS), so the country of the inspection picks its own list
in case the two ever differ.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import holidays
from django.utils.translation import gettext, gettext_noop

SUBDIVISIONS = {"england": "ENG", "wales": "WLS"}

# The `holidays` package names bank holidays in English only. Its names are listed here for
# translation, and holiday_name gives them in the language active when it is called (a page's).
# A test checks that every name the package gives for the coming years is listed.
HOLIDAY_NAMES = (
    gettext_noop("New Year's Day"),
    gettext_noop("New Year's Day (observed)"),
    gettext_noop("Good Friday"),
    gettext_noop("Easter Monday"),
    gettext_noop("May Day"),
    gettext_noop("Spring Bank Holiday"),
    gettext_noop("Late Summer Bank Holiday"),
    gettext_noop("Christmas Day"),
    gettext_noop("Christmas Day (observed)"),
    gettext_noop("Boxing Day"),
    gettext_noop("Boxing Day (observed)"),
    # One-off bank holidays the package knows (inspection history may cross them).
    gettext_noop("Platinum Jubilee of Elizabeth II"),
    gettext_noop("State Funeral of Queen Elizabeth II"),
    gettext_noop("Coronation of Charles III"),
)


@cache
def _holiday_table(country: str, year: int) -> dict[dt.date, str]:
    try:
        subdiv = SUBDIVISIONS[country]
    except KeyError:
        raise ValueError(f"unknown country {country!r}: expected england or wales") from None
    return dict(holidays.country_holidays("GB", subdiv=subdiv, years=year, language="en_GB"))


@dataclass(frozen=True)
class WorkingCalendar:
    """Bank holidays of one country, with the arithmetic the timeline needs."""

    country: str

    def holiday_name(self, day: dt.date) -> str | None:
        """The bank holiday on ``day`` in the active language, or None."""
        name = _holiday_table(self.country, day.year).get(day)
        return gettext(name) if name is not None else None

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in _holiday_table(self.country, day.year)

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The date ``n`` working days after ``day`` (before it when ``n`` is negative).

        ``day`` itself never counts, so ``add_working_days(monday, -1)`` is the Friday before
        (or the Thursday, if that Friday is a bank holiday). ``n == 0`` returns ``day``.
        """
        step = 1 if n > 0 else -1
        remaining = abs(n)
        current = day
        while remaining:
            current += dt.timedelta(days=step)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if ``end`` is earlier)."""
        if end < start:
            return -self.working_days_between(end, start)
        days = 0
        current = start
        while current < end:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                days += 1
        return days

    def holidays_between(self, start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
        """Bank holidays on weekdays from ``start`` to ``end`` inclusive, in date order.

        Weekend dates that the package also lists (Boxing Day on a Saturday) change nothing
        and are left out; their substitute weekdays are included.
        """
        found = []
        current = start
        while current <= end:
            name = self.holiday_name(current)
            if name is not None and current.weekday() < 5:
                found.append((current, name))
            current += dt.timedelta(days=1)
        return found
