"""Dates and times the GOV.UK way: 'midday', '4pm', '9:30am'; 'Thursday 28 January 2027'."""

import datetime as dt

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def govuk_time(value: dt.time | None) -> str:
    if value is None:
        return ""
    if value == dt.time(12, 0):
        return _("midday")
    if value == dt.time(0, 0):
        return _("midnight")
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"
