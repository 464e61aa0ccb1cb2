"""Plain data for the fieldwork schedule: the team, the cases, the case managers and slots.

Everything here is a frozen dataclass over built-in types so the solver, the checks and
the infeasibility explanations can be tested without a database. Times of day are whole
minutes after midnight (``Window(540, 660)`` is 09:00-11:00); day indexes count from the
Monday of the fieldwork week (0 = Monday).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from inspections.domain.messages import Msg, _

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Role(StrEnum):
    LEAD_INSPECTOR = "lead_inspector"
    ASSISTANT_INSPECTOR = "assistant_inspector"  # the "2nd inspector" of seed 000 Appendix B
    LOCAL_ASSESSOR = "local_assessor"


# HMI Probation's own staff, as opposed to a local assessor (a peer from another YOT).
HMIP_ROLES = frozenset({Role.LEAD_INSPECTOR, Role.ASSISTANT_INSPECTOR})

ROLE_LABELS = {
    Role.LEAD_INSPECTOR: "lead inspector",
    Role.ASSISTANT_INSPECTOR: "second inspector",
    Role.LOCAL_ASSESSOR: "local assessor",
}

_HHMM = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


def parse_hhmm(text: str) -> int:
    """'09:15' or '9.15' -> 555 (minutes after midnight)."""
    match = _HHMM.match(text)
    if not match:
        raise ValueError(f"not a time of day (HH:MM): {text!r}")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        raise ValueError(f"not a time of day (HH:MM): {text!r}")
    return hours * 60 + minutes


def format_hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def day_name(day: int) -> Msg:
    """The weekday's name, in the language of whoever reads the message it goes into."""
    if 0 <= day < len(DAY_NAMES):
        return Msg(DAY_NAMES[day])  # the names are in the catalogue through the forms' _(DAY_NAMES[...])
    return _("day %(number)s", number=day)


@dataclass(frozen=True, order=True)
class Window:
    """A half-open interval of the day, [start, end), in minutes after midnight."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not (0 <= self.start < self.end <= 24 * 60):
            raise ValueError(f"a window must start before it ends within one day: {self.start}-{self.end}")

    @classmethod
    def parse(cls, text: str) -> Window:
        """'09:00-11:00' (an en dash is accepted too)."""
        start, sep, end = text.replace("–", "-").partition("-")
        if not sep:
            raise ValueError(f"not a window (HH:MM-HH:MM): {text!r}")
        return cls(parse_hhmm(start), parse_hhmm(end))

    @classmethod
    def from_times(cls, start: dt.time, end: dt.time) -> Window:
        return cls(start.hour * 60 + start.minute, end.hour * 60 + end.minute)

    @property
    def start_time(self) -> dt.time:
        return dt.time(self.start // 60, self.start % 60)

    @property
    def end_time(self) -> dt.time:
        if self.end == 24 * 60:
            return dt.time(23, 59)
        return dt.time(self.end // 60, self.end % 60)

    @property
    def minutes(self) -> int:
        return self.end - self.start

    def contains(self, other: Window) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Window) -> bool:
        return self.start < other.end and other.start < self.end

    def __str__(self) -> str:
        return f"{format_hhmm(self.start)}–{format_hhmm(self.end)}"


@dataclass(frozen=True)
class TeamMember:
    id: str
    name: str
    role: Role

    @property
    def is_hmip_staff(self) -> bool:
        return self.role in HMIP_ROLES


@dataclass(frozen=True)
class Case:
    """A sampled case, known to the schedule only by its HMI Probation reference.

    The child's name never enters the schedule (seed 000 §10.4). ``case_manager`` is the
    id of the CaseManager to interview, or None when no case manager is available and the
    case is read from the record (seed 000 §11.6). ``complexity`` is any non-negative
    integer scale where higher means more complex (for example 1-5 from the long-list's
    ASSET score, tier and flags); only its order matters to the schedule.
    """

    ref: str
    case_manager: str | None = None
    high_rosh: bool = False
    high_vulnerability: bool = False
    complexity: int = 0

    def __post_init__(self) -> None:
        if self.complexity < 0:
            raise ValueError(f"{self.ref}: complexity must not be negative")

    @property
    def is_sensitive(self) -> bool:
        """High RoSH or high vulnerability: a case for HMI Probation staff."""
        return self.high_rosh or self.high_vulnerability


@dataclass(frozen=True)
class CaseManager:
    """A case manager and when they can attend an interview during the fieldwork week.

    ``availability`` maps a day index to the windows in which they can attend; a day that
    is missing (or maps to no windows) is a day they cannot attend (absence, part-time
    day). ``returning_from_absence``: absent the week before fieldwork, so their cases go
    later in the week and not on their first day back (seed 000 §10.4). ``max_per_day``
    is how many interviews in one day is reasonable for them (a soft limit).
    """

    id: str
    name: str
    email: str | None = None
    availability: Mapping[int, tuple[Window, ...]] = field(default_factory=dict)
    returning_from_absence: bool = False
    max_per_day: int = 2
    notes: str = ""  # needs to take into account at interview (shown, never scheduled on)

    def __post_init__(self) -> None:
        if self.max_per_day < 1:
            raise ValueError(f"{self.name}: max_per_day must be at least 1")

    def windows_on(self, day: int) -> tuple[Window, ...]:
        return tuple(self.availability.get(day, ()))

    def is_available(self, day: int, window: Window) -> bool:
        """True when one availability window covers the whole of ``window`` on ``day``.

        Adjacent or overlapping windows entered separately are merged first, so
        09:00-12:00 and 12:00-17:00 cover an interview at 11:45-13:00.
        """
        return any(w.contains(window) for w in merge_windows(self.windows_on(day)))

    @property
    def available_days(self) -> tuple[int, ...]:
        return tuple(sorted(day for day, windows in self.availability.items() if windows))

    @property
    def has_any_availability(self) -> bool:
        return bool(self.available_days)


def merge_windows(windows: tuple[Window, ...] | list[Window]) -> tuple[Window, ...]:
    merged: list[Window] = []
    for window in sorted(windows):
        if merged and window.start <= merged[-1].end:
            if window.end > merged[-1].end:
                merged[-1] = Window(merged[-1].start, window.end)
        else:
            merged.append(window)
    return tuple(merged)


@dataclass(frozen=True)
class Block:
    """A fixed, non-case block of a member's page (briefing, break, meeting, travel...)."""

    member_id: str
    day: int
    window: Window
    kind: str
    label: str


@dataclass(frozen=True)
class Slot:
    """One 2-hour case slot of one team member.

    ``interview`` is when the case manager is with the inspector: from 30 minutes after
    the start (the inspector reads the case first) to 15 minutes before the end (the
    inspector writes up), seed 000 §11.5.
    """

    id: str
    member_id: str
    day: int
    window: Window
    interview: Window
    label: str = ""
    observed_by: str | None = None  # the local assessor who observes this case (Appendix B)

    @property
    def start(self) -> int:
        return self.window.start

    @property
    def end(self) -> int:
        return self.window.end

    def describe(self) -> Msg:
        return Msg("%(day)s %(window)s", {"day": day_name(self.day), "window": str(self.window)})


@dataclass(frozen=True)
class Pin:
    """The SSO has fixed this case in this slot; re-solving keeps it there."""

    case_ref: str
    slot_id: str


@dataclass(frozen=True)
class Assignment:
    case_ref: str
    slot_id: str


@dataclass(frozen=True)
class Week:
    """A team's fieldwork week built from a template: the case slots and the fixed blocks."""

    template: str
    members: tuple[TeamMember, ...]
    slots: tuple[Slot, ...]
    blocks: tuple[Block, ...]
    days: tuple[int, ...]

    def slots_of(self, member_id: str) -> tuple[Slot, ...]:
        return tuple(s for s in self.slots if s.member_id == member_id)

    def capacity(self) -> int:
        return len(self.slots)
