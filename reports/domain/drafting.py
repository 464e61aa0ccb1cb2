"""The generated first draft of each report section, from the scores. Pure functions.

What is generated is a draft for the lead inspector to edit (issue 5 §2): the wording states the
numbers and the pre-coded reasons; square brackets mark what the lead inspector must write. The
narrative answers are not copied into the report: seed 004 says they "will be used by the Lead
Inspector to understand the context of judgements when they write the report", and they can name
people. They are shown beside the editor as prompts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from casework.domain.bank import Bank
from casework.domain.scores import Scores, Tally
from reports.domain.findings import IMPROVEMENT_BELOW, MIN_JUDGEMENTS, STRENGTH_AT_LEAST, THEME, Finding, findings
from reports.domain.stars import GRADES, JudgementArea, judgement_areas
from reports.domain.voices import VoicesSummary
from reports.domain.voices import poster_line as voices_poster_line
from reports.domain.voices import report_text as voices_report_text
from reports.enums import SectionKind


@dataclass(frozen=True)
class Narrative:
    case_label: str
    question_id: str
    view_title: str
    text: str


@dataclass(frozen=True)
class SectionDraft:
    key: str
    kind: str
    title: str
    text: str
    prompts: tuple[str, ...] = field(default=())


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"


def describe_tally(tally: Tally) -> str:
    return f"{pct(tally.percentage)} Sufficient ({tally.sufficient} of {tally.total} judgements)"


def finding_line(finding: Finding) -> str:
    if finding.level == THEME:
        line = f"{finding.label}: {describe_tally(finding.tally)} across the theme."
    else:
        line = f"“{finding.label}” (question {finding.key}): {describe_tally(finding.tally)}."
    if finding.reasons:
        reasons = "; ".join(f"{r.text} ({r.count})" for r in finding.reasons)
        line += f" Most frequent reasons: {reasons}."
    return f"- {line}"


def narrative_prompts(narratives: Iterable[Narrative]) -> tuple[str, ...]:
    return tuple(f"{n.case_label}, {n.view_title} ({n.question_id}): {n.text}" for n in narratives)


def sqs_sections(bank: Bank, scores: Scores, narratives: Iterable[Narrative] = ()) -> list[SectionDraft]:
    """Seed 000 §3.5: strengths, areas for improvement and a commentary."""
    found = findings(bank, scores)
    if found.strengths:
        strengths = "\n".join(finding_line(f) for f in found.strengths)
    else:
        strengths = (
            f"No theme or question reached {STRENGTH_AT_LEAST:.0f}% Sufficient "
            f"on at least {MIN_JUDGEMENTS} judgements. "
            "[Lead inspector: name any strengths seen in the casework.]"
        )
    if found.improvements:
        improvements = "\n".join(finding_line(f) for f in found.improvements)
    else:
        improvements = (
            f"No theme or question fell below {IMPROVEMENT_BELOW:.0f}% Sufficient "
            f"on at least {MIN_JUDGEMENTS} judgements. "
            "[Lead inspector: name any areas for improvement seen in the casework.]"
        )
    commentary = [
        f"We inspected {scores.cases} cases. Overall, {describe_tally(scores.overall)}.",
        "",
    ]
    for theme in bank.themes:
        tally = scores.by_theme.get(theme.key, Tally())
        if tally.total:
            commentary.append(
                f"{theme.label}: {describe_tally(tally)}. [Lead inspector: explain what lies behind this.]"
            )
            commentary.append("")
    return [
        SectionDraft("strengths", SectionKind.STRENGTHS, "Strengths", strengths),
        SectionDraft("improvements", SectionKind.IMPROVEMENTS, "Areas for improvement", improvements),
        SectionDraft(
            "commentary",
            SectionKind.COMMENTARY,
            "Commentary",
            "\n".join(commentary).strip(),
            narrative_prompts(narratives),
        ),
    ]


def stars_text(stars: int | None) -> str:
    if stars is None:
        return "no proposal (too few judgements): set by the lead inspector"
    name, _ = GRADES[stars]
    return f"{stars} star{'s' if stars > 1 else ''} ({name})"


def judgement_text(area: JudgementArea, area_findings: list[Finding]) -> str:
    lines = [
        f"Work was judged {describe_tally(area.tally)}. "
        f"Proposed judgement from the scores: {stars_text(area.proposed)}.",
        "",
    ]
    lines += [finding_line(f) for f in area_findings]
    if area_findings:
        lines.append("")
    lines.append("[Lead inspector: explain the judgement, drawing on the casework and other evidence.]")
    return "\n".join(lines)


def fji_sections(
    bank: Bank,
    scores: Scores,
    modules: list[str] | tuple[str, ...],
    narratives: Iterable[Narrative] = (),
    voices: VoicesSummary | None = None,
    week2: dict[str, list[str]] | None = None,
) -> list[SectionDraft]:
    """Seed 001 §12: a judgement per theme and per additional module, what service users told us
    (§10), recommendations, the poster."""
    found = findings(bank, scores)
    every = [f for f in found.strengths + found.improvements if f.level != THEME]
    areas = judgement_areas(bank, scores, modules)
    prompts = narrative_prompts(narratives)
    sections = [
        SectionDraft(
            "summary",
            SectionKind.SUMMARY,
            "Summary",
            f"We inspected {scores.cases} cases. Overall, {describe_tally(scores.overall)}. "
            "[Lead inspector: summarise the inspection's main findings.]",
            prompts,
        )
    ]
    for area in areas:
        if area.key.startswith("theme-"):
            theme_key = area.key.removeprefix("theme-")
            mine = [f for f in every if bank.question(f.key).theme == theme_key]
        else:
            module_key = area.key.removeprefix("module-")
            mine = [f for f in every if module_key in bank.question(f.key).modules]
        # Week 2's evidence for this judgement (what its sessions found), beside the editor.
        evidence = tuple(f"Fieldwork week 2: {line}" for line in (week2 or {}).get(area.key, ()))
        sections.append(SectionDraft(area.key, SectionKind.JUDGEMENT, area.label, judgement_text(area, mine), evidence))
    if voices is not None:
        sections.append(
            SectionDraft(
                "voices",
                SectionKind.COMMENTARY,
                "What children, parents and carers, and victims told us",
                voices_report_text(voices),
            )
        )
    recommendations = [
        f"- [Recommendation to improve: {f.label} ({pct(f.percentage)} Sufficient)]" for f in found.improvements
    ]
    sections.append(
        SectionDraft(
            "recommendations",
            SectionKind.RECOMMENDATIONS,
            "Recommendations",
            "\n".join(recommendations) or "- [Lead inspector: write the recommendations.]",
        )
    )
    poster = [
        "We looked at how well the youth offending team worked with children and young people in "
        f"{scores.cases} cases.",
        *([voices_poster_line(voices)] if voices is not None and voices.total else []),
        "",
        "[Lead inspector: say in simple words what the team does well and what it must do better.]",
    ]
    sections.append(
        SectionDraft("poster", SectionKind.POSTER, "Summary for children and young people", "\n".join(poster))
    )
    # Seed 001 §12: "a press notice is produced"; the PDF adds the judgements and the notes to editors.
    press = [
        "HM Inspectorate of Probation today publishes its Full Joint Inspection of youth offending work in the area.",
        "",
        "[Lead inspector: the main findings in two or three sentences.]",
        "",
        "[Lead inspector: a quotation from the Chief Inspector of Probation.]",
    ]
    sections.append(SectionDraft("press", SectionKind.PRESS, "Press notice", "\n".join(press)))
    return sections
