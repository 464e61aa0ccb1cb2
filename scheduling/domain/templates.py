"""Slot templates: the pages of seed 000 Appendix B (SQS) and a reading for FJI week 1.

The data is in ``scheduling/data/slot_templates.yaml``; this module loads it once,
validates it (every case slot is 2 hours, blocks do not overlap, case slots fall between
Monday afternoon and 4pm Wednesday, and every standard SQS team's capacity equals its
§11.7 sample size) and builds a team's week from it with :func:`build_week`.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from scheduling.domain.model import Block, Role, Slot, TeamMember, Week, Window, parse_hhmm

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "slot_templates.yaml"

BLOCK_KINDS = frozenset(
    {"case", "observe", "travel", "briefing", "break", "lunch", "meeting", "quality_check", "debrief", "preparation"}
)
_CASE_LABEL = re.compile(r"^CASE(?: (\d+))?$")


class TemplateError(ValueError):
    """The slot template data, or a team asked of it, is not valid."""


@dataclass(frozen=True)
class SlotShape:
    length: int
    reading: int
    writing: int

    def interview_for(self, window: Window) -> Window:
        """The part of a case slot when the case manager is present (seed 000 §11.5)."""
        return Window(window.start + self.reading, window.end - self.writing)


@dataclass(frozen=True)
class PageBlock:
    day: int
    window: Window
    kind: str
    label: str
    partner: Role | None = None
    if_unpaired: str | None = None
    unpaired_label: str | None = None


@dataclass(frozen=True)
class TeamSpec:
    size: int
    counts: Mapping[Role, int]
    sample_size: int | None


@dataclass(frozen=True)
class Template:
    key: str
    title: str
    source: str
    shape: SlotShape
    days: Mapping[int, str]
    teams: Mapping[int, TeamSpec]
    pages: Mapping[Role, tuple[PageBlock, ...]]
    local_assessor_observes: bool
    case_slots_from: tuple[int, int]
    case_slots_until: tuple[int, int]

    def standard_team(self, size: int) -> tuple[Role, ...]:
        """The roles of a standard team of ``size`` (lead inspector first)."""
        if size not in self.teams:
            known = ", ".join(str(n) for n in sorted(self.teams)) or "none"
            raise TemplateError(f"{self.title}: no standard team of {size} (standard sizes: {known})")
        spec = self.teams[size]
        return tuple(role for role in Role for _ in range(spec.counts.get(role, 0)))


def _where(key: str, role: str | None = None, day: int | None = None) -> str:
    parts = [f"template {key!r}"]
    if role:
        parts.append(f"page {role!r}")
    if day is not None:
        parts.append(f"day {day}")
    return ", ".join(parts)


def _parse_block(raw: Mapping, *, key: str, role: str, day: int) -> PageBlock:
    where = _where(key, role, day)
    try:
        window = Window(parse_hhmm(str(raw["start"])), parse_hhmm(str(raw["end"])))
    except (KeyError, ValueError) as exc:
        raise TemplateError(f"{where}: bad block times {raw!r}: {exc}") from exc
    kind = raw.get("kind")
    if kind not in BLOCK_KINDS:
        raise TemplateError(f"{where}: unknown block kind {kind!r}")
    partner = raw.get("partner")
    if partner is not None and partner not in {r.value for r in Role}:
        raise TemplateError(f"{where}: unknown partner role {partner!r}")
    if_unpaired = raw.get("if_unpaired")
    if if_unpaired is not None and if_unpaired != "case":
        raise TemplateError(f"{where}: if_unpaired may only be 'case'")
    return PageBlock(
        day=day,
        window=window,
        kind=kind,
        label=str(raw.get("label", "")),
        partner=Role(partner) if partner else None,
        if_unpaired=if_unpaired,
        unpaired_label=raw.get("unpaired_label"),
    )


def _parse_template(key: str, raw: Mapping, shape: SlotShape) -> Template:
    days = {int(d["index"]): str(d["name"]) for d in raw.get("days", ())}
    if not days:
        raise TemplateError(f"{_where(key)}: no days")

    def moment(value: Mapping) -> tuple[int, int]:
        return int(value["day"]), parse_hhmm(str(value["time"]))

    slots_from, slots_until = moment(raw["case_slots_from"]), moment(raw["case_slots_until"])

    pages: dict[Role, tuple[PageBlock, ...]] = {}
    for role in Role:
        if role.value not in raw.get("pages", {}):
            raise TemplateError(f"{_where(key)}: no page for {role.value}")
        blocks: list[PageBlock] = []
        for page_day in raw["pages"][role.value]:
            day = int(page_day["day"])
            if day not in days:
                raise TemplateError(f"{_where(key, role.value, day)}: not one of the template's days")
            day_blocks = [_parse_block(b, key=key, role=role.value, day=day) for b in page_day["blocks"]]
            for earlier, later in itertools.pairwise(day_blocks):
                if later.window.start < earlier.window.end:
                    raise TemplateError(
                        f"{_where(key, role.value, day)}: {earlier.label} ({earlier.window}) and "
                        f"{later.label} ({later.window}) overlap or are out of order"
                    )
            blocks.extend(day_blocks)
        _validate_case_blocks(key, role, blocks, shape, slots_from, slots_until)
        pages[role] = tuple(blocks)

    teams: dict[int, TeamSpec] = {}
    for size, spec in (raw.get("teams") or {}).items():
        counts = {role: int(spec.get(role.value, 0)) for role in Role}
        if sum(counts.values()) != int(size):
            raise TemplateError(f"{_where(key)}: team of {size} lists {sum(counts.values())} people")
        if counts[Role.LEAD_INSPECTOR] != 1:
            raise TemplateError(f"{_where(key)}: team of {size} must have exactly one lead inspector")
        teams[int(size)] = TeamSpec(int(size), counts, spec.get("sample_size"))

    template = Template(
        key=key,
        title=str(raw.get("title", key)),
        source=str(raw.get("source", "")),
        shape=shape,
        days=days,
        teams=teams,
        pages=pages,
        local_assessor_observes=bool(raw.get("local_assessor_observes", False)),
        case_slots_from=slots_from,
        case_slots_until=slots_until,
    )
    # The arithmetic that ties the pages to the sample sizes (seed 000 §11.7).
    for size, spec in teams.items():
        members = standard_members(template, size)
        capacity = len(build_week(template, members).slots)
        if spec.sample_size is not None and capacity != spec.sample_size:
            raise TemplateError(
                f"{_where(key)}: the standard team of {size} has {capacity} case slots, "
                f"but its sample size is {spec.sample_size}"
            )
    return template


def _validate_case_blocks(
    key: str,
    role: Role,
    blocks: list[PageBlock],
    shape: SlotShape,
    slots_from: tuple[int, int],
    slots_until: tuple[int, int],
) -> None:
    number = 0
    for block in blocks:
        is_slot = block.kind == "case" or block.if_unpaired == "case"
        where = _where(key, role.value, block.day)
        if is_slot and block.window.minutes != shape.length:
            raise TemplateError(f"{where}: case slot {block.window} is not {shape.length} minutes long")
        if is_slot and not (
            slots_from <= (block.day, block.window.start) and (block.day, block.window.end) <= slots_until
        ):
            raise TemplateError(f"{where}: case slot {block.window} is outside the case assessment period")
        if block.kind == "case":
            number += 1
            match = _CASE_LABEL.match(block.label or "CASE")
            if not match:
                raise TemplateError(f"{where}: a case slot's label must be 'CASE' or 'CASE n', not {block.label!r}")
            if match.group(1) is not None and int(match.group(1)) != number:
                raise TemplateError(f"{where}: {block.label} is case {number} of the page")


@functools.cache
def load_templates(path: Path = DATA_FILE) -> Mapping[str, Template]:
    """Every slot template, keyed "sqs" and "fji_week1". Loaded and validated once."""
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    shape_raw = raw["slot_shape"]
    shape = SlotShape(
        int(shape_raw["length_minutes"]), int(shape_raw["reading_minutes"]), int(shape_raw["writing_minutes"])
    )
    if shape.reading + shape.writing >= shape.length:
        raise TemplateError("slot_shape: reading and writing up leave no time for the interview")
    return {key: _parse_template(key, value, shape) for key, value in raw["templates"].items()}


def get_template(key: str) -> Template:
    templates = load_templates()
    if key not in templates:
        raise TemplateError(f"no slot template {key!r} (known: {', '.join(sorted(templates))})")
    return templates[key]


def standard_members(template: Template | str, size: int) -> tuple[TeamMember, ...]:
    """Placeholder members of a standard team, for tests, benchmarks and previews."""
    template = get_template(template) if isinstance(template, str) else template
    prefixes = {Role.LEAD_INSPECTOR: "li", Role.ASSISTANT_INSPECTOR: "ai", Role.LOCAL_ASSESSOR: "la"}
    names = {
        Role.LEAD_INSPECTOR: "Lead inspector",
        Role.ASSISTANT_INSPECTOR: "Inspector",
        Role.LOCAL_ASSESSOR: "Local assessor",
    }
    seen: dict[Role, int] = {}
    members = []
    for role in template.standard_team(size):
        seen[role] = seen.get(role, 0) + 1
        suffix = "" if role is Role.LEAD_INSPECTOR else str(seen[role])
        members.append(TeamMember(f"{prefixes[role]}{suffix}", f"{names[role]} {suffix}".strip(), role))
    return tuple(members)


def default_observers(template: Template, members: Iterable[TeamMember]) -> dict[str, str]:
    """Pair each local assessor with a different second inspector, in team order.

    Appendix B: the local assessor observes the second inspector's first case on Monday.
    A local assessor left without a second inspector to observe takes a case instead.
    """
    if not template.local_assessor_observes:
        return {}
    members = list(members)
    inspectors = [m.id for m in members if m.role is Role.ASSISTANT_INSPECTOR]
    assessors = [m.id for m in members if m.role is Role.LOCAL_ASSESSOR]
    return dict(zip(assessors, inspectors, strict=False))


def build_week(
    template: Template | str,
    members: Iterable[TeamMember],
    *,
    observers: Mapping[str, str] | None = None,
) -> Week:
    """The team's week: one page per member from their role's page of the template.

    ``observers`` maps a local assessor's id to the id of the second inspector whose
    Monday case they observe; None pairs them in team order (:func:`default_observers`).
    A local assessor not in the mapping takes the Monday case slot instead of observing.
    """
    template = get_template(template) if isinstance(template, str) else template
    members = tuple(members)
    by_id = {m.id: m for m in members}
    if len(by_id) != len(members):
        raise TemplateError("two team members have the same id")
    if sum(m.role is Role.LEAD_INSPECTOR for m in members) != 1:
        raise TemplateError("the team must have exactly one lead inspector")
    pairs = default_observers(template, members) if observers is None else dict(observers)
    if pairs and not template.local_assessor_observes:
        raise TemplateError(f"{template.title}: local assessors do not observe in this template")
    for assessor, inspector in pairs.items():
        if assessor not in by_id or by_id[assessor].role is not Role.LOCAL_ASSESSOR:
            raise TemplateError(f"observer {assessor!r} is not a local assessor on the team")
        if inspector not in by_id or by_id[inspector].role is not Role.ASSISTANT_INSPECTOR:
            raise TemplateError(
                f"{by_id[assessor].name} cannot observe {inspector!r}: not a second inspector on the team"
            )
    if len(set(pairs.values())) != len(pairs):
        raise TemplateError("two local assessors observe the same second inspector")
    observed_by = {inspector: assessor for assessor, inspector in pairs.items()}

    slots: list[Slot] = []
    blocks: list[Block] = []
    for member in members:
        partner = pairs.get(member.id) or observed_by.get(member.id)
        number = 0
        for page_block in template.pages[member.role]:
            kind, label = page_block.kind, page_block.label
            if page_block.partner is not None and partner is None:
                label = page_block.unpaired_label or label
                if page_block.if_unpaired:
                    kind = page_block.if_unpaired
            elif page_block.partner is not None:
                label = label.replace("2nd inspector", by_id[partner].name).replace(
                    "LOCAL ASSESSOR", by_id[partner].name
                )
            if kind == "case":
                number += 1
                window = page_block.window
                slots.append(
                    Slot(
                        id=f"{member.id}:{page_block.day}:{window.start // 60:02d}{window.start % 60:02d}",
                        member_id=member.id,
                        day=page_block.day,
                        window=window,
                        interview=template.shape.interview_for(window),
                        label=f"CASE {number}",
                        observed_by=observed_by.get(member.id) if number == 1 else None,
                    )
                )
            else:
                blocks.append(Block(member.id, page_block.day, page_block.window, kind, label))
    return Week(
        template=template.key,
        members=members,
        slots=tuple(slots),
        blocks=tuple(blocks),
        days=tuple(sorted(template.days)),
    )
