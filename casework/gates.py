"""Casework's gates on the inspection's status (registered in ``CaseworkConfig.ready``, issue 9 §5).

Both moves are made by casework's own actions, which write what the gate looks for first: the
long-list upload stores the long-list, making the sample final stores ``finalised_at``.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from casework.models import LongList, Sample
from inspections.enums import Status
from inspections.gates import register_gate
from inspections.models import Inspection


def long_list_received(inspection: Inspection, now: dt.datetime) -> list[str]:
    if not LongList.objects.filter(inspection=inspection).exists():
        return [_("The YOT has not uploaded its long-list of cases yet.")]
    return []


def sample_selected(inspection: Inspection, now: dt.datetime) -> list[str]:
    if not Sample.objects.filter(inspection=inspection, finalised_at__isnull=False).exists():
        return [_("The case sample has not been made final yet.")]
    return []


def register() -> None:
    register_gate(Status.LONG_LIST_RECEIVED, long_list_received)
    register_gate(Status.SAMPLE_SELECTED, sample_selected)
