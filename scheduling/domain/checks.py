"""What a hand-edited schedule breaks, ranked by impact (pretalx schedule warnings style).

:func:`check_assignment` applies the rules of ``constraints.py`` - the same ones the
solver uses - to any schedule (case ref -> slot id), independently of the solver, so a
move or swap on the schedule page is checked at once. A hard rule broken "blocks
finalising"; a soft rule bent is a "warning" whose impact is the penalty the solver
would count for it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from inspections.domain.messages import Msg, _, join, ngettext
from scheduling.domain import constraints as C
from scheduling.domain.diagnose import describe_availability
from scheduling.domain.model import Assignment, Case, CaseManager, Pin, Slot, TeamMember, day_name

BLOCKS_FINALISING = "blocks finalising"
WARNING = "warning"

# Hard breaches outrank every warning; among them, a case with nowhere to go or a person
# in two places at once comes before a data problem.
_HARD_IMPACT = {
    "unplaced": 1400,
    "case_manager_clash": 1300,
    "case_manager_unavailable": 1200,
    "double_booked": 1100,
    "member_not_on_team": 1050,
    "unknown_slot": 1000,
    "high_rosh_with_local_assessor": 950,
    "pin_moved": 900,
    "unknown_case": 800,
    "unknown_case_manager": 800,
}

# Warnings about the schedule as a whole, which the solver also hands back with its result.
SCHEDULE_WARNINGS = frozenset({"high_rosh_no_room"})


@dataclass(frozen=True)
class Violation:
    severity: str  # BLOCKS_FINALISING or WARNING
    rule: str
    impact: int  # higher first; hard rules always outrank warnings
    cases: tuple[str, ...]
    people: tuple[str, ...]  # case-manager and team-member ids concerned
    message: Msg  # becomes text in the language of whoever reads it

    @property
    def blocks_finalising(self) -> bool:
        return self.severity == BLOCKS_FINALISING


def _as_mapping(assignment: Mapping[str, str] | Iterable[Assignment]) -> dict[str, str]:
    if isinstance(assignment, Mapping):
        return dict(assignment)
    return {a.case_ref: a.slot_id for a in assignment}


def check_assignment(
    *,
    assignment: Mapping[str, str] | Iterable[Assignment],
    slots: Sequence[Slot],
    cases: Sequence[Case],
    case_managers: Sequence[CaseManager],
    members: Sequence[TeamMember],
    pins: Iterable[Pin] = (),
) -> list[Violation]:
    """Every rule the schedule breaks, most serious first."""
    mapping = _as_mapping(assignment)
    slot_by_id = {s.id: s for s in slots}
    member_by_id = {m.id: m for m in members}
    managers = {m.id: m for m in case_managers}
    case_by_ref = {c.ref: c for c in cases}
    out: list[Violation] = []

    def hard(rule: str, cases_: Iterable[str], people: Iterable[str], message: Msg) -> None:
        out.append(
            Violation(BLOCKS_FINALISING, rule, _HARD_IMPACT[rule], tuple(sorted(cases_)), tuple(people), message)
        )

    def who(member_id: str) -> str:
        member = member_by_id.get(member_id)
        return member.name if member else member_id

    for ref in sorted(set(mapping) - set(case_by_ref)):
        hard(
            "unknown_case", (ref,), (), _("%(ref)s is on the schedule but not in the final sample: remove it.", ref=ref)
        )

    placed: dict[str, Slot] = {}
    for case in cases:
        slot_id = mapping.get(case.ref)
        if slot_id is None:
            hard(
                "unplaced",
                (case.ref,),
                (),
                _("%(ref)s has no slot: every sampled case must be scheduled.", ref=case.ref),
            )
            continue
        slot = slot_by_id.get(slot_id)
        if slot is None:
            member_id = slot_id.rsplit(":", 2)[0] if slot_id.count(":") >= 2 else ""
            if member_id and member_id not in member_by_id:
                hard(
                    "member_not_on_team",
                    (case.ref,),
                    (member_id,),
                    _(
                        "%(ref)s is in a slot of a team member who is no longer on the team: move it to someone else.",
                        ref=case.ref,
                    ),
                )
            else:
                hard(
                    "unknown_slot",
                    (case.ref,),
                    (),
                    _("%(ref)s is in a slot that is not in the template: move it.", ref=case.ref),
                )
            continue
        placed[case.ref] = slot

    occupants: dict[str, list[str]] = defaultdict(list)
    for ref, slot in placed.items():
        occupants[slot.id].append(ref)
    for slot_id, refs in sorted(occupants.items()):
        if len(refs) > 1:
            slot = slot_by_id[slot_id]
            hard(
                "double_booked",
                refs,
                (slot.member_id,),
                _(
                    "%(cases)s are all in %(member)s's slot %(slot)s: a slot holds one case.",
                    cases=join(sorted(refs)),
                    member=who(slot.member_id),
                    slot=slot.describe(),
                ),
            )

    by_manager: dict[str, list[tuple[str, Slot]]] = defaultdict(list)
    for ref, slot in placed.items():
        case = case_by_ref[ref]
        if case.case_manager is None:
            continue
        manager = managers.get(case.case_manager)
        if manager is None:
            hard(
                "unknown_case_manager",
                (ref,),
                (case.case_manager,),
                _(
                    "%(ref)s names a case manager (%(manager)s) who is not on the list of case managers.",
                    ref=ref,
                    manager=case.case_manager,
                ),
            )
            continue
        by_manager[manager.id].append((ref, slot))
        if not C.fits(manager, slot):
            hard(
                "case_manager_unavailable",
                (ref,),
                (manager.id, slot.member_id),
                _(
                    "%(ref)s: %(manager)s is not available for the interview on %(day)s %(time)s "
                    "(available %(available)s).",
                    ref=ref,
                    manager=manager.name,
                    day=day_name(slot.day),
                    time=str(slot.interview),
                    available=describe_availability(manager),
                ),
            )
    for manager_id, items in sorted(by_manager.items()):
        items.sort(key=lambda item: (item[1].day, item[1].interview.start))
        for a in range(len(items)):
            for b in range(a + 1, len(items)):
                (ref_a, slot_a), (ref_b, slot_b) = items[a], items[b]
                if C.interviews_clash(slot_a, slot_b):
                    hard(
                        "case_manager_clash",
                        (ref_a, ref_b),
                        (manager_id, slot_a.member_id, slot_b.member_id),
                        _(
                            "%(manager)s would be in two interviews at once on %(day)s: %(ref_a)s (%(time_a)s with "
                            "%(member_a)s) and %(ref_b)s (%(time_b)s with %(member_b)s).",
                            manager=managers[manager_id].name,
                            day=day_name(slot_a.day),
                            ref_a=ref_a,
                            time_a=str(slot_a.interview),
                            member_a=who(slot_a.member_id),
                            ref_b=ref_b,
                            time_b=str(slot_b.interview),
                            member_b=who(slot_b.member_id),
                        ),
                    )

    for pin in pins:
        if pin.case_ref in case_by_ref and mapping.get(pin.case_ref) != pin.slot_id:
            pinned_slot = slot_by_id.get(pin.slot_id)
            where = (
                _("%(slot)s with %(member)s", slot=pinned_slot.describe(), member=who(pinned_slot.member_id))
                if pinned_slot
                else pin.slot_id
            )
            hard(
                "pin_moved",
                (pin.case_ref,),
                (),
                _(
                    "%(ref)s is pinned to %(where)s but has been moved: unpin it or put it back.",
                    ref=pin.case_ref,
                    where=where,
                ),
            )

    out.extend(_high_rosh(placed, slots, cases, case_managers, members, pins))
    out.extend(_soft(placed, slots, cases, case_managers, members))
    for manager in case_managers:
        if not manager.email and any(c.case_manager == manager.id for c in cases):
            out.append(
                Violation(
                    WARNING,
                    "no_email",
                    1,
                    tuple(sorted(c.ref for c in cases if c.case_manager == manager.id)),
                    (manager.id,),
                    _("%(manager)s has no email address, so cannot be sent the feedback survey.", manager=manager.name),
                )
            )
    out.sort(key=lambda v: (v.severity != BLOCKS_FINALISING, -v.impact, v.cases, v.rule))
    return out


def _high_rosh(
    placed: Mapping[str, Slot],
    slots: Sequence[Slot],
    cases: Sequence[Case],
    case_managers: Sequence[CaseManager],
    members: Sequence[TeamMember],
    pins: Iterable[Pin],
) -> list[Violation]:
    """A high-RoSH case with a local assessor (constraints.py, READING (high RoSH)).

    It breaks the rule when an HMI Probation inspector could take it now: one of their
    slots is free at a time its case manager can come, or holds a case that is not high
    RoSH and not pinned, which could go to the local assessor's slot instead. A pin does
    not excuse it (the SSO sees the pin break the rule). Otherwise the inspectors have no
    room for it, and the schedule says how many go to local assessors.

    The solver's schedules never break it: it places as few high-RoSH cases with local
    assessors as ``constraints.high_rosh_room`` allows, and that count is never more than
    any schedule needs, so no single move or exchange could place one more with an
    inspector.
    """
    member_by_id = {m.id: m for m in members}
    hmip = {m.id for m in members if m.is_hmip_staff}
    managers = {m.id: m for m in case_managers}
    case_by_ref = {c.ref: c for c in cases}
    pinned = C.pins_by_case(pins)
    high = [c for c in cases if c.high_rosh and c.ref in placed]
    with_local = [c for c in high if placed[c.ref].member_id not in hmip]
    if not with_local:
        return []
    occupant = {slot.id: ref for ref, slot in placed.items()}
    interviews_of: dict[str, list[tuple[str, Slot]]] = defaultdict(list)
    for ref, slot in placed.items():
        manager_id = case_by_ref[ref].case_manager
        if manager_id is not None:
            interviews_of[manager_id].append((ref, slot))
    inspector_slots = [s for s in slots if s.member_id in hmip]

    def can_go(case: Case, slot: Slot, leaving: set[str]) -> bool:
        if not C.case_slot_ok(case, slot, managers):
            return False
        others = interviews_of.get(case.case_manager or "", ())
        return not any(C.interviews_clash(slot, other) for ref, other in others if ref not in leaving)

    def inspector_for(case: Case) -> tuple[Slot, str | None] | None:
        here = placed[case.ref]
        for slot in inspector_slots:
            if slot.id not in occupant and can_go(case, slot, {case.ref}):
                return slot, None
        for slot in inspector_slots:
            other_ref = occupant.get(slot.id)
            if other_ref is None or other_ref in pinned or case_by_ref[other_ref].high_rosh:
                continue
            leaving = {case.ref, other_ref}
            if can_go(case, slot, leaving) and can_go(case_by_ref[other_ref], here, leaving):
                return slot, other_ref
        return None

    out: list[Violation] = []
    stuck: list[Case] = []
    for case in with_local:
        found = inspector_for(case)
        if found is None:
            stuck.append(case)
            continue
        slot, other = found
        inspector = _name(member_by_id, slot.member_id)
        where = (
            _("%(member)s's free slot %(slot)s", member=inspector, slot=slot.describe())
            if other is None
            else _(
                "%(member)s's slot %(slot)s, in exchange for %(other)s",
                member=inspector,
                slot=slot.describe(),
                other=other,
            )
        )
        local = placed[case.ref].member_id
        args = dict(ref=case.ref, member=_name(member_by_id, local), where=where)
        message = (
            _(
                "%(ref)s has a high risk of serious harm and is pinned to %(member)s, a local assessor, while an HMI "
                "Probation inspector can take it (%(where)s): unpin it and move it there. A case with a high risk "
                "of serious harm goes to HMI Probation staff whenever they have room.",
                **args,
            )
            if pinned.get(case.ref) == placed[case.ref].id
            else _(
                "%(ref)s has a high risk of serious harm but is with %(member)s, a local assessor, while an HMI "
                "Probation inspector can take it (%(where)s): move it there. A case with a high risk of serious "
                "harm goes to HMI Probation staff whenever they have room.",
                **args,
            )
        )
        cases_ = (case.ref,) if other is None else tuple(sorted((case.ref, other)))
        out.append(
            Violation(
                BLOCKS_FINALISING,
                "high_rosh_with_local_assessor",
                _HARD_IMPACT["high_rosh_with_local_assessor"],
                cases_,
                (local, slot.member_id),
                message,
            )
        )
    if stuck:
        refs = sorted(c.ref for c in stuck)
        room = len(high) - len(stuck)
        if room == 0:
            message = ngettext(
                "%(refs)s has a high risk of serious harm, but the HMI Probation inspectors have no room for it at "
                "a time its case manager can come, so it goes to a local assessor.",
                "%(refs)s have a high risk of serious harm, but the HMI Probation inspectors have no room for them "
                "at times their case managers can come, so they go to local assessors.",
                len(refs),
                refs=join(refs),
            )
        else:
            message = ngettext(
                "%(total)s, but the HMI Probation inspectors have room for only %(room)d at times their case "
                "managers can come; %(excess)d goes to a local assessor (%(refs)s).",
                "%(total)s, but the HMI Probation inspectors have room for only %(room)d at times their case "
                "managers can come; %(excess)d go to local assessors (%(refs)s).",
                len(refs),
                total=ngettext(
                    "%(n)d case with a high risk of serious harm",
                    "%(n)d cases with a high risk of serious harm",
                    len(high),
                    n=len(high),
                ),
                room=room,
                excess=len(refs),
                refs=join(refs),
            )
        people = tuple(dict.fromkeys(placed[ref].member_id for ref in refs))
        out.append(
            Violation(
                WARNING,
                "high_rosh_no_room",
                C.W_SENSITIVE_WITH_LOCAL_ASSESSOR * len(refs),
                tuple(refs),
                people,
                message,
            )
        )
    return out


def _soft(
    placed: Mapping[str, Slot],
    slots: Sequence[Slot],
    cases: Sequence[Case],
    case_managers: Sequence[CaseManager],
    members: Sequence[TeamMember],
) -> list[Violation]:
    member_by_id = {m.id: m for m in members}
    managers = {m.id: m for m in case_managers}
    case_by_ref = {c.ref: c for c in cases}
    penalties = C.score(
        assignment={ref: s.id for ref, s in placed.items()},
        slots=slots,
        cases=cases,
        case_managers=case_managers,
        members=members,
    )
    hmip_complexities = [
        case_by_ref[ref].complexity
        for ref, slot in placed.items()
        if slot.member_id in member_by_id and member_by_id[slot.member_id].is_hmip_staff
    ]
    least_with_hmip = min(hmip_complexities, default=None)
    out: list[Violation] = []
    for p in penalties:
        message = None
        people = p.people
        impact = p.points
        if p.rule == "sensitive_with_local_assessor":
            if not p.detail.get("high_vulnerability"):
                continue  # high RoSH alone: _high_rosh says what there is to say
            ref = p.cases[0]
            what = _list_flags({"high_vulnerability": True})
            impact = C.W_SENSITIVE_WITH_LOCAL_ASSESSOR  # the high-RoSH part is _high_rosh's
            message = _(
                "%(ref)s is %(what)s but is with %(member)s, a local assessor: such cases go to HMI Probation staff.",
                ref=ref,
                what=what,
                member=_name(member_by_id, p.people[0]),
            )
        elif p.rule == "local_assessor_complexity":
            ref = p.cases[0]
            complexity = p.detail["complexity"]
            if least_with_hmip is None or complexity <= least_with_hmip:
                continue  # no less complex case with HMI Probation staff to swap with
            message = _(
                "%(ref)s is with %(member)s, a local assessor, while HMI Probation staff have a less complex "
                "case: local assessors should have the less complex cases (a custodial sentence more than a "
                "community one, a community one more than first tier, and a high ASSET score, high risk of "
                "serious harm or high vulnerability each add to it).",
                ref=ref,
                member=_name(member_by_id, p.people[0]),
            )
        elif p.rule == "returning_first_day":
            manager = managers[p.people[0]]
            message = _(
                "%(ref)s: %(manager)s was absent the week before and this is their first day back (%(day)s); "
                "schedule it later in the week.",
                ref=p.cases[0],
                manager=manager.name,
                day=day_name(p.detail["day"]),
            )
        elif p.rule == "returning_early":
            continue  # a tie-breaker towards the end of the week, not worth a warning
        elif p.rule == "over_daily_limit":
            manager = managers[p.people[0]]
            message = _(
                "%(manager)s has %(count)s interviews on %(day)s (%(cases)s); their limit is %(limit)s a day.",
                manager=manager.name,
                count=p.detail["count"],
                day=day_name(p.detail["day"]),
                cases=join(list(p.cases)),
                limit=p.detail["limit"],
            )
        elif p.rule == "extra_day":
            manager = managers[p.people[0]]
            days = [day_name(d) for d in p.detail["days"]]
            if len(days) <= -(-len(p.cases) // manager.max_per_day):
                continue  # the extra days are what keeps them within their daily limit
            message = _(
                "%(manager)s's cases (%(cases)s) are spread over %(count)s days (%(days)s); closer together "
                "is easier for them.",
                manager=manager.name,
                cases=join(list(p.cases)),
                count=len(days),
                days=join(days),
            )
        elif p.rule == "gap":
            manager = managers[p.people[0]]
            message = _(
                "%(manager)s has a gap between interviews on %(day)s (%(cases)s); adjacent slots waste less "
                "of their time.",
                manager=manager.name,
                day=day_name(p.detail["day"]),
                cases=join(list(p.cases)),
            )
        elif p.rule == "no_overrun_room":
            manager = managers[p.people[0]]
            message = _(
                "%(ref)s: %(manager)s's availability ends before the slot does, leaving no room if the "
                "interview runs over.",
                ref=p.cases[0],
                manager=manager.name,
            )
        elif p.rule == "balance":
            names = join([_name(member_by_id, m) for m in p.people])
            load = p.detail["load"]
            if len(p.people) == 1:
                message = ngettext(
                    "Uneven load: %(names)s has %(load)s case against a fair share of %(share)s.",
                    "Uneven load: %(names)s has %(load)s cases against a fair share of %(share)s.",
                    load,
                    names=names,
                    load=load,
                    share=p.detail["share"],
                )
            elif p.detail["spread"] > 1:
                message = ngettext(
                    "Uneven load: %(names)s have %(load)s case against a fair share of %(share)s (and differ "
                    "by %(spread)s between them).",
                    "Uneven load: %(names)s have %(load)s cases against a fair share of %(share)s (and differ "
                    "by %(spread)s between them).",
                    load,
                    names=names,
                    load=load,
                    share=p.detail["share"],
                    spread=p.detail["spread"],
                )
            else:
                message = ngettext(
                    "Uneven load: %(names)s have %(load)s case against a fair share of %(share)s.",
                    "Uneven load: %(names)s have %(load)s cases against a fair share of %(share)s.",
                    load,
                    names=names,
                    load=load,
                    share=p.detail["share"],
                )
        if message is None:
            continue
        if p.rule != "balance":
            slot_members = tuple(placed[ref].member_id for ref in p.cases if ref in placed)
            people = tuple(dict.fromkeys(people + slot_members))
        out.append(Violation(WARNING, p.rule, impact, p.cases, people, message))
    return out


def _name(member_by_id: Mapping[str, TeamMember], member_id: str) -> str:
    member = member_by_id.get(member_id)
    return member.name if member else member_id


def _list_flags(detail: Mapping[str, object]) -> Msg:
    flags = []
    if detail.get("high_rosh"):
        flags.append(_("high risk of serious harm"))
    if detail.get("high_vulnerability"):
        flags.append(_("high vulnerability"))
    return join(flags)


def blocks_finalising(violations: Iterable[Violation]) -> bool:
    return any(v.blocks_finalising for v in violations)
