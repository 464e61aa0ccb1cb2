"""Editing the schedule by hand, as pretalx's schedule editor does: where a case can go, what
each place would break, and which cells of the timetable hold a clash.

Pure functions over the schedule's plain data (``scheduling.domain.model``) and the checks of
``scheduling.domain.checks`` - the same rules the solver keeps - so the timetable, the list of
places a case can go and the banner after a change all say the same thing. No database here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from inspections.domain.messages import Msg, _
from scheduling.domain.checks import BLOCKS_FINALISING, Violation, check_assignment
from scheduling.domain.model import Case, CaseManager, Pin, Slot, TeamMember

# The few words shown inside a timetable cell for each rule; the full sentence is in the checks
# list below the timetable. Rules about the schedule as a whole (a case not placed, a slot of
# someone who left the team) have no cell to show them in.
CELL_WORDS: Mapping[str, Msg] = {
    "case_manager_clash": _("Case manager in two interviews at once"),
    "case_manager_unavailable": _("Case manager not available then"),
    "double_booked": _("Two cases in one slot"),
    "high_rosh_with_local_assessor": _("High risk of serious harm: an inspector has room"),
    "pin_moved": _("Moved away from where it was pinned"),
    "over_daily_limit": _("Case manager over their daily limit"),
    "sensitive_with_local_assessor": _("High vulnerability with a local assessor"),
    "local_assessor_complexity": _("Complex case with a local assessor"),
    "returning_first_day": _("Case manager’s first day back"),
    "gap": _("Gap in the case manager’s day"),
    "extra_day": _("Case manager’s cases spread over days"),
    "no_overrun_room": _("No room if the interview runs over"),
    "high_rosh_no_room": _("High risk of serious harm with a local assessor"),
}
# A team member's share of the cases is a rule about the person, shown beside their name.
MEMBER_RULES = frozenset({"balance"})


@dataclass(frozen=True)
class Mark:
    """One thing wrong with a cell (or a team member's week): short words and the whole sentence."""

    rule: str
    breaks_rule: bool  # a hard rule: the schedule cannot be sent or made final
    words: Msg
    message: Msg


@dataclass
class Marks:
    """What the checks say, by case reference and by team member."""

    by_case: dict[str, list[Mark]] = field(default_factory=dict)
    by_member: dict[str, list[Mark]] = field(default_factory=dict)

    def of_case(self, ref: str) -> list[Mark]:
        return self.by_case.get(ref, [])

    def of_member(self, member_id: str) -> list[Mark]:
        return self.by_member.get(member_id, [])


def schedule_marks(violations: Iterable[Violation], members: Sequence[TeamMember] = ()) -> Marks:
    """The clashes of a schedule, put where they show in the timetable: each case a violation
    names gets a mark in its cell (hard rules first), and an uneven share of the cases goes
    beside the team members concerned."""
    member_ids = {m.id for m in members}
    by_case: dict[str, list[Mark]] = defaultdict(list)
    by_member: dict[str, list[Mark]] = defaultdict(list)
    for v in violations:
        if v.rule in MEMBER_RULES:
            for person in v.people:
                if not member_ids or person in member_ids:
                    by_member[person].append(Mark(v.rule, v.blocks_finalising, v.message, v.message))
            continue
        words = CELL_WORDS.get(v.rule)
        if words is None:
            continue
        for ref in v.cases:
            marks = by_case[ref]
            if not any(m.rule == v.rule and str(m.message) == str(v.message) for m in marks):
                marks.append(Mark(v.rule, v.blocks_finalising, words, v.message))
    for marks in by_case.values():
        marks.sort(key=lambda m: not m.breaks_rule)
    return Marks(dict(by_case), dict(by_member))


def _key(v: Violation) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    # The people too: an uneven load names no case, only the team members concerned.
    return v.rule, v.cases, v.people


def new_breaks(before: Iterable[Violation], after: Iterable[Violation]) -> list[Violation]:
    """The hard rules broken after a change that were not broken before it (most serious first)."""
    known = {_key(v) for v in before if v.severity == BLOCKS_FINALISING}
    return [v for v in after if v.severity == BLOCKS_FINALISING and _key(v) not in known]


def new_warnings(before: Iterable[Violation], after: Iterable[Violation]) -> list[Violation]:
    known = {_key(v) for v in before if v.severity != BLOCKS_FINALISING}
    return [v for v in after if v.severity != BLOCKS_FINALISING and _key(v) not in known]


@dataclass(frozen=True)
class Target:
    """A place a case could go: an empty slot (a move) or another case's slot (a swap)."""

    slot: Slot
    member: TeamMember | None
    occupant: Case | None  # the case in that slot now, swapped into the moving case's slot
    occupant_manager: CaseManager | None
    breaks: tuple[Violation, ...]  # hard rules the change would newly break
    warnings: tuple[Violation, ...]  # warnings it would newly add

    @property
    def is_swap(self) -> bool:
        return self.occupant is not None

    @property
    def keeps_rules(self) -> bool:
        return not self.breaks


def _moved(mapping: Mapping[str, str], pins: Iterable[Pin], changes: Mapping[str, str]) -> tuple[dict, tuple]:
    """The schedule after ``changes`` (case ref -> slot id); a pin goes with its case, as the
    services do."""
    after = {**mapping, **changes}
    return after, tuple(Pin(p.case_ref, changes.get(p.case_ref, p.slot_id)) for p in pins)


def move_targets(
    *,
    case_ref: str,
    mapping: Mapping[str, str],
    pins: Iterable[Pin],
    slots: Sequence[Slot],
    cases: Sequence[Case],
    case_managers: Sequence[CaseManager],
    members: Sequence[TeamMember],
) -> list[Target]:
    """Every case slot the case could go to but its own, in time order, each with what the change
    would newly break: an empty slot is a move, a slot holding another case a swap (which is
    only offered when the moving case has a slot to give in exchange)."""
    pins = tuple(pins)
    here = mapping.get(case_ref)
    occupant_of = {slot_id: ref for ref, slot_id in mapping.items()}
    case_by_ref = {c.ref: c for c in cases}
    member_by_id = {m.id: m for m in members}
    manager_by_id = {m.id: m for m in case_managers}

    def checked(assignment, pins_):
        return check_assignment(
            assignment=assignment,
            slots=slots,
            cases=cases,
            case_managers=case_managers,
            members=members,
            pins=pins_,
        )

    before = checked(mapping, pins)
    out = []
    for slot in sorted(slots, key=lambda s: (s.day, s.start, s.member_id)):
        if slot.id == here:
            continue
        other_ref = occupant_of.get(slot.id)
        if other_ref is not None and (here is None or other_ref not in case_by_ref):
            continue
        changes = {case_ref: slot.id}
        if other_ref is not None:
            changes[other_ref] = here
        after = checked(*_moved(mapping, pins, changes))
        occupant = case_by_ref.get(other_ref) if other_ref else None
        out.append(
            Target(
                slot=slot,
                member=member_by_id.get(slot.member_id),
                occupant=occupant,
                occupant_manager=manager_by_id.get(occupant.case_manager or "") if occupant else None,
                breaks=tuple(new_breaks(before, after)),
                warnings=tuple(new_warnings(before, after)),
            )
        )
    return out


@dataclass(frozen=True)
class SwapChoice:
    """A scheduled case as the swap lists name it: reference, time, team member, case manager."""

    pk: int
    label: str


def swap_label(*, ref: str, slot: Slot | None, member: str, case_manager: str | None) -> Msg:
    """'HMIP-05: Tuesday 10:00–12:00 with Jane Smith, case manager P. Patel'."""
    if slot is None:
        return _("%(ref)s: not in a slot", ref=ref)
    if case_manager:
        return _(
            "%(ref)s: %(slot)s with %(member)s, case manager %(manager)s",
            ref=ref,
            slot=slot.describe(),
            member=member,
            manager=case_manager,
        )
    return _(
        "%(ref)s: %(slot)s with %(member)s, no case manager (inspected from the record)",
        ref=ref,
        slot=slot.describe(),
        member=member,
    )
