"""Bank-holiday names reach a Welsh page in Welsh."""

import datetime as dt

import holidays
from django.utils import translation

from inspections.domain.workdays import HOLIDAY_NAMES, SUBDIVISIONS, WorkingCalendar


def test_every_name_the_package_gives_is_listed_for_translation():
    names = set()
    for subdiv in SUBDIVISIONS.values():
        names |= set(holidays.country_holidays("GB", subdiv=subdiv, years=range(2020, 2041), language="en_GB").values())
    assert names - set(HOLIDAY_NAMES) == set()


def test_holiday_names_follow_the_page_language():
    calendar = WorkingCalendar("wales")
    christmas = dt.date(2026, 12, 25)
    with translation.override("en"):
        assert calendar.holiday_name(christmas) == "Christmas Day"
    with translation.override("cy"):
        assert calendar.holiday_name(christmas) == "Dydd Nadolig"
    assert not calendar.is_working_day(christmas)
    assert calendar.holiday_name(dt.date(2026, 12, 23)) is None
