"""Scheduling's gates on the inspection's status (registered in ``SchedulingConfig.ready``, issue 9 §5).

"Schedule final" is made by ``schedule_finalise``, which marks the version final first; fieldwork
needs the final schedule the team works to.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from inspections.enums import Status
from inspections.gates import register_gate
from inspections.models import Inspection
from scheduling.enums import VersionState
from scheduling.models import ScheduleVersion


def has_final_schedule(inspection: Inspection, now: dt.datetime) -> list[str]:
    if not ScheduleVersion.objects.filter(inspection=inspection, state=VersionState.FINAL).exists():
        return [_("The fieldwork schedule has not been made final yet.")]
    return []


def register() -> None:
    register_gate(Status.SCHEDULE_FINAL, has_final_schedule)
    register_gate(Status.FIELDWORK, has_final_schedule)
