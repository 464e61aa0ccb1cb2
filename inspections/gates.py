"""The gates on an inspection's status moves (issue 9 §5): what must be true before it moves on.

``inspection_set_status`` asks :func:`gate_problems` before every move and refuses, writing
nothing, while any gate names a problem. A gate is ``check(inspection, now) -> problems``.

The facts behind some gates live in apps above this one (the long-list and sample in casework,
the schedule in scheduling, the report in reports), and imports go one way only, so each app
registers its own gates in its ``AppConfig.ready()`` with :func:`register_gate`. The gates whose
facts are here (the announcement contacts, the fieldwork dates) are registered at the bottom.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from inspections.domain import gates as rules
from inspections.enums import Programme, Status
from inspections.models import Inspection

Gate = Callable[[Inspection, dt.datetime], list[str]]

_gates: dict[str, list[Gate]] = {}

# The only moves the lead inspector makes by hand ("Mark as ..." on the overview). Every other
# move is the side effect of its own action (the announcement, the long-list upload, the sample
# or the schedule made final, sending or publishing the report), which knows what it needs.
GENERIC_MOVES = (Status.FIELDWORK, Status.DRAFT_REPORT)


@dataclass(frozen=True)
class MoveAction:
    """What moves the inspection on to a status that has its own action, for the overview."""

    text: str
    url_name: str
    link_text: str


def moved_by(to_status: str) -> MoveAction | None:
    """The action that moves the inspection to ``to_status``; None for the lead inspector's own moves.

    URL names only: the pages belong to the apps above, which this app does not import.
    """
    actions = {
        Status.ANNOUNCED: MoveAction(
            _("The inspection moves to “Announced” when you record the announcement call."),
            "inspections:announce",
            _("Record the announcement"),
        ),
        Status.LONG_LIST_RECEIVED: MoveAction(
            _("The inspection moves to “Long-list received” when the YOT uploads its long-list of cases."),
            "casework:longlist",
            _("Go to the long-list"),
        ),
        Status.SAMPLE_SELECTED: MoveAction(
            _("The inspection moves to “Sample selected” when the case sample is made final."),
            "casework:sample",
            _("Go to the case sample"),
        ),
        Status.SCHEDULE_FINAL: MoveAction(
            _("The inspection moves to “Schedule final” when the fieldwork schedule is made final."),
            "scheduling:schedule",
            _("Go to the schedule"),
        ),
        Status.FACTUAL_ACCURACY: MoveAction(
            _("The inspection moves to “Factual accuracy check” when you send the draft report to the YOT manager."),
            "reports:reports",
            _("Go to the reports"),
        ),
        Status.PUBLISHED: MoveAction(
            _("The inspection moves to “Published” when you publish the report."),
            "reports:reports",
            _("Go to the reports"),
        ),
    }
    return actions.get(to_status)


def register_gate(to_status: str, check: Gate) -> None:
    """Add a check on moves to ``to_status``. Registering the same function twice keeps one."""
    checks = _gates.setdefault(to_status, [])
    if check not in checks:
        checks.append(check)


def gate_problems(inspection: Inspection, to_status: str, now: dt.datetime) -> list[str]:
    """Everything that stops ``inspection`` moving to ``to_status`` at ``now``, in users' words."""
    problems: list[str] = []
    for check in _gates.get(to_status, []):
        problems.extend(check(inspection, now))
    return problems


# --- The gates whose facts are in this app ------------------------------------------------------


def _announcement_contacts(inspection: Inspection, now: dt.datetime) -> list[str]:
    # Inline: services imports this module to run the gates.
    from inspections.services import missing_announcement_contacts

    missing = missing_announcement_contacts(inspection)
    if missing:
        return [
            _("Add the contact details of everyone who receives the confirmation email first: %(roles)s.")
            % {"roles": ", ".join(missing)}
        ]
    return []


def fieldwork_end_key(programme: str) -> str:
    """The milestone at which the team leaves for good: an FJI has a second fieldwork week."""
    return "fieldwork_week2_end" if programme == Programme.FJI else "fieldwork_end"


def _fieldwork_has_started(inspection: Inspection, now: dt.datetime) -> list[str]:
    return rules.fieldwork_problems(starts_at=inspection.timeline.get("fieldwork_start").moment, now=now)


def _fieldwork_has_ended(inspection: Inspection, now: dt.datetime) -> list[str]:
    ends_at = inspection.timeline.get(fieldwork_end_key(inspection.programme)).moment
    return rules.draft_report_problems(fieldwork_ends_at=ends_at, now=now)


register_gate(Status.ANNOUNCED, _announcement_contacts)
register_gate(Status.FIELDWORK, _fieldwork_has_started)
register_gate(Status.DRAFT_REPORT, _fieldwork_has_ended)
