"""Deadlines that events can move: a registry the apps above fill in (imports go one way).

The timeline gives every deadline as planned. Some move with what happens: the YOT's factual
accuracy check closes three working days after the draft is actually sent, if that is later than
planned (reports registers it). Whatever tells someone a deadline (the reminders) asks here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

from inspections.domain.timeline import Milestone
from inspections.models import Inspection

LONDON = ZoneInfo("Europe/London")

# (inspections) -> {inspection id: the moved deadline}, for those whose deadline moved.
Mover = Callable[[Sequence[Inspection]], dict[int, dt.datetime]]

_movers: dict[str, Mover] = {}


def register_deadline(key: str, mover: Mover) -> None:
    _movers[key] = mover


def milestones_of(inspections: Sequence[Inspection]) -> dict[int, tuple[Milestone, ...]]:
    """Each inspection's milestones with every moved deadline applied (one query per mover)."""
    moved = {key: mover(inspections) for key, mover in _movers.items()} if inspections else {}
    out: dict[int, tuple[Milestone, ...]] = {}
    for inspection in inspections:
        milestones = []
        for milestone in inspection.timeline.milestones:
            at = moved.get(milestone.key, {}).get(inspection.pk)
            if at is not None:
                local = at.astimezone(LONDON)
                milestone = dataclasses.replace(milestone, date=local.date(), time=local.time())
            milestones.append(milestone)
        out[inspection.pk] = tuple(milestones)
    return out
