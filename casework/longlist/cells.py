"""Cell converters: one per field, built once per upload, each turning a non-blank cell value into its
clean value or raising Invalid with the plain-English problem ("31/02/2009 is not a date")."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.utils.translation import gettext as _

from .spec import Field, FieldType, normalise_value


class Invalid(Exception):
    pass


def fmt_date(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def show(value: object) -> str:
    if isinstance(value, dt.datetime):
        return fmt_date(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text if len(text) <= 60 else text[:57] + "..."


_TEXT_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00)?)?\s*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def _parse_text_date(text: str) -> dt.date:
    match = _TEXT_DATE.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        if len(match.group(3)) != 4:
            raise Invalid(_("%(value)s has a two-digit year; write dates as dd/mm/yyyy") % {"value": text.strip()})
    else:
        match = _ISO_DATE.match(text)
        if not match:
            raise Invalid(_("%(value)s is not a date; write dates as dd/mm/yyyy") % {"value": show(text)})
        year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise Invalid(_("%(value)s is not a date") % {"value": text.strip()}) from None


_UNIQUE_TEXT = frozenset({"case_id", "family_name", "first_names", "suitability_note", "other_information"})


class Converters:
    """Per-field converters built once per upload; each takes a non-blank cell value."""

    def __init__(self, *, is_csv: bool):
        self.is_csv = is_csv
        self._strings: dict[str, str] = {}  # shares repeated text (case managers, offices) between rows
        self._dates: dict[object, dt.date] = {}
        # (template header, value as written, choice) -> rows: values read through a synonym.
        self.read_as: dict[tuple[str, str, str], int] = {}

    def for_field(self, f: Field) -> Callable[[object], object]:
        if f.type is FieldType.DATE:
            return self.date
        if f.type is FieldType.NUMBER:
            return self._number(f)
        if f.type is FieldType.CHOICE:
            return self._choice(f)
        if f.type is FieldType.EMAIL:
            return self._email(f)
        return self._text(f)

    def _string(self, value: object, share: bool = True) -> str:
        if type(value) is str:
            text = value.strip()
            if text[:1] == "=":
                raise Invalid(
                    _("contains a formula (%(value)s); type the value itself, not a formula") % {"value": show(text)}
                )
        elif isinstance(value, bool):
            text = "TRUE" if value else "FALSE"
        elif isinstance(value, float) and value.is_integer():
            text = str(int(value))
        elif isinstance(value, dt.datetime):
            text = fmt_date(value)
        else:
            text = str(value).strip()
        return self._strings.setdefault(text, text) if share else text

    def _text(self, f: Field) -> Callable[[object], object]:
        limit = f.max_length
        # Sharing one string object between rows saves memory only for values that repeat.
        share = f.key not in _UNIQUE_TEXT

        def convert(value: object) -> str:
            text = self._string(value, share)
            if len(text) > limit:
                raise Invalid(_("is longer than %(limit)d characters") % {"limit": limit})
            return text

        return convert

    def _email(self, f: Field) -> Callable[[object], object]:
        def convert(value: object) -> str:
            text = self._string(value)
            if len(text) > f.max_length or not _EMAIL.match(text):
                raise Invalid(_("%(value)s is not an email address") % {"value": show(text)})
            return text

        return convert

    def _choice(self, f: Field) -> Callable[[object], object]:
        exact = {normalise_value(c): c for c in f.choices}
        synonyms = f.synonyms
        allowed = ", ".join(f.choices)
        read_as = self.read_as

        def convert(value: object) -> str:
            text = self._string(value)
            key = normalise_value(text)
            choice = exact.get(key)
            if choice is not None:
                return choice
            choice = synonyms.get(key)
            if choice is None:
                raise Invalid(_("%(value)s is not one of %(allowed)s") % {"value": show(text), "allowed": allowed})
            seen = (f.header, show(text), choice)
            read_as[seen] = read_as.get(seen, 0) + 1
            return choice

        return convert

    def _number(self, f: Field) -> Callable[[object], object]:
        def convert(value: object) -> int:
            if isinstance(value, bool):
                raise Invalid(_("%(value)s is not a whole number") % {"value": show(value)})
            if isinstance(value, int):
                number = value
            elif isinstance(value, float) and value.is_integer():
                number = int(value)
            else:
                text = self._string(value)
                if not re.fullmatch(r"\d+", text):
                    raise Invalid(_("%(value)s is not a whole number") % {"value": show(text)})
                number = int(text)
            if (f.minimum is not None and number < f.minimum) or (f.maximum is not None and number > f.maximum):
                raise Invalid(
                    _("%(value)d is not between %(low)s and %(high)s")
                    % {"value": number, "low": f.minimum, "high": f.maximum}
                )
            return number

        return convert

    def date(self, value: object) -> dt.date:
        try:
            return self._dates[value]
        except KeyError:
            pass
        except TypeError:  # unhashable: cannot happen with cell values, but never crash
            pass
        if isinstance(value, dt.datetime):
            day = value.date()
        elif isinstance(value, dt.date):
            day = value
        elif type(value) is str:
            text = value.strip()
            if text[:1] == "=":
                raise Invalid(_("contains a formula (%(value)s); type the date itself") % {"value": show(text)})
            day = _parse_text_date(text)  # raises "is not a date" for 31/02/2009 and the like
            if not self.is_csv:
                raise Invalid(
                    _(
                        "%(value)s is typed as text, not entered as a date; retype it as a date "
                        "(or format the column as Date, dd/mm/yyyy)"
                    )
                    % {"value": text}
                )
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            raise Invalid(
                _("%(value)s is a number, not a date; format the cell as a date (dd/mm/yyyy)") % {"value": show(value)}
            )
        else:
            raise Invalid(_("%(value)s is not a date") % {"value": show(value)})
        self._dates[value] = day
        return day
