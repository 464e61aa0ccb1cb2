"""The schedule editor's pages and page helpers: the timetable with its clashes marked, the page
listing where one case can go (the keyboard and no-script way to move it), the swap lists that
name the time and the case manager, and the banner a change that breaks a rule leaves behind.

The moves themselves go through the schedule's own move and swap endpoints (``views.move`` and
``views.swap``), whichever way they are asked for: dragging, this page's buttons or the forms."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from casework.enums import CaseStatus
from casework.models import Case
from inspections.selectors import get_inspection_for
from scheduling import selectors as S
from scheduling import workbench
from scheduling.domain.model import ROLE_LABELS
from scheduling.exports import Cell, MemberPage, Row

SESSION_KEY = "schedule_breaks"


# --- The timetable --------------------------------------------------------------------------------


@dataclass
class MarkedCell:
    cell: Cell
    marks: list[workbench.Mark]

    @property
    def breaks_rule(self) -> bool:
        return any(m.breaks_rule for m in self.marks)


@dataclass
class MarkedRow:
    row: Row
    cells: list[MarkedCell | None]


@dataclass
class MarkedPage:
    page: MemberPage
    marks: list[workbench.Mark]
    rows: list[MarkedRow]

    @property
    def breaks_rule(self) -> bool:
        return any(m.breaks_rule for m in self.marks)


def timetable(pages: list[MemberPage], violations, members) -> list[MarkedPage]:
    """The team's pages with each cell's clashes (``workbench.schedule_marks``) beside it."""
    marks = workbench.schedule_marks(violations, members)
    out = []
    for page in pages:
        rows = [
            MarkedRow(
                row,
                [
                    None if cell is None else MarkedCell(cell, marks.of_case(cell.reference) if cell.reference else [])
                    for cell in row.cells
                ],
            )
            for row in page.rows
        ]
        out.append(MarkedPage(page, marks.of_member(page.member.id), rows))
    return out


def swap_choices(inputs: S.ScheduleInputs, entries) -> list[workbench.SwapChoice]:
    """The scheduled cases for the swap lists, each named with its time, team member and case manager."""
    choices = []
    for entry in sorted(entries, key=lambda e: e.case.label):
        if entry.case.reference not in inputs.case_by_ref:
            continue
        slot = inputs.slot(entry.slot_id)
        label = workbench.swap_label(
            ref=entry.case.label,
            slot=slot,
            member=inputs.member_name(S.member_of_slot(entry.slot_id)),
            case_manager=inputs.manager_name(entry.case) or None,
        )
        choices.append(workbench.SwapChoice(entry.case_id, str(label)))
    return choices


# --- After a change that breaks a rule -------------------------------------------------------------


@dataclass(frozen=True)
class Broken:
    """What a change did and the rules it newly broke, as text for the red banner."""

    notice: str
    reasons: list[str]


def broken(notice: str, violations) -> Broken:
    return Broken(str(notice), [str(v.message) for v in violations])


def remember_broken(request, inspection, outcome: Broken) -> None:
    """Keep the banner for the page the plain form is sent back to (as messages are kept)."""
    request.session[SESSION_KEY] = {"inspection": inspection.pk, "notice": outcome.notice, "reasons": outcome.reasons}


def take_broken(request, inspection) -> Broken | None:
    data = request.session.get(SESSION_KEY)
    if not data or data.get("inspection") != inspection.pk:
        return None
    del request.session[SESSION_KEY]
    return Broken(data["notice"], list(data["reasons"]))


# --- Where one case can go ------------------------------------------------------------------------


def _role(member) -> str:
    return _(ROLE_LABELS[member.role]) if member else ""


def case_move(request, reference, pk):
    """Every slot the case could go to, each with a button (a plain form: no script, no dragging),
    and what the move or swap would break."""
    inspection = get_inspection_for(request.user, reference, "scheduling.edit_schedule")
    case = Case.objects.filter(inspection=inspection, pk=pk, status=CaseStatus.SELECTED).first()
    inputs = S.schedule_inputs(inspection)
    if case is None or case.reference not in inputs.case_by_ref:
        raise Http404("No such case")
    entries = S.entries_of(S.latest_version(inspection))
    mapping, pins = S.assignment_of(entries)
    targets = workbench.move_targets(
        case_ref=case.reference,
        mapping=mapping,
        pins=pins,
        slots=inputs.slots,
        cases=inputs.cases,
        case_managers=inputs.case_managers,
        members=inputs.members,
    )
    here = mapping.get(case.reference)
    pk_of = {e.case.reference: e.case_id for e in entries}
    rows = [
        {
            "target": t,
            "member": t.member.name if t.member else inputs.member_name(t.slot.member_id),
            "role": _role(t.member),
            "occupant_pk": pk_of.get(t.occupant.ref) if t.occupant else None,
            "occupant_manager": (t.occupant_manager.name if t.occupant_manager else "") if t.occupant else "",
        }
        for t in targets
    ]
    return render(
        request,
        "scheduling/case_move.html",
        {
            "inspection": inspection,
            "case": case,
            "here": S.describe_slot(inputs, here) if here else None,
            "case_manager": inputs.manager_name(case),
            "empty": [r for r in rows if not r["target"].is_swap],
            "swaps": [r for r in rows if r["target"].is_swap],
        },
    )
