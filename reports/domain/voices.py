"""The service users' views in numbers and the report's draft words from them (pure; see reports/voices.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from reports.enums import ServiceUserAnswer, ServiceUserKind

QUESTIONS = ("understood", "listened", "helped")


@dataclass(frozen=True)
class VoicesSummary:
    """The views in numbers, for the report: how many of each kind, each question's answers, and the
    quotes given with consent."""

    total: int
    by_kind: dict[str, int]
    by_method: dict[str, int]
    answers: dict[str, dict[str, int]]
    helped_most: list[str] = field(default_factory=list)
    could_be_better: list[str] = field(default_factory=list)

    def yes_share(self, question: str) -> float | None:
        counts = self.answers.get(question, {})
        said = sum(n for answer, n in counts.items() if answer != ServiceUserAnswer.NOT_SAID)
        return 100 * counts.get(ServiceUserAnswer.YES, 0) / said if said else None


def summarise(views: Iterable) -> VoicesSummary:
    """``views``: ServiceUserView rows, or anything with their attributes."""
    views = list(views)
    answers = {q: dict(Counter(getattr(v, q) for v in views)) for q in QUESTIONS}
    quotes = [v for v in views if v.may_quote]
    return VoicesSummary(
        total=len(views),
        by_kind=dict(Counter(v.kind for v in views)),
        by_method=dict(Counter(v.method for v in views)),
        answers=answers,
        helped_most=[v.helped_most.strip() for v in quotes if v.helped_most.strip()],
        could_be_better=[v.could_be_better.strip() for v in quotes if v.could_be_better.strip()],
    )


def _share(summary: VoicesSummary, question: str) -> str:
    share = summary.yes_share(question)
    return "–" if share is None else f"{share:.0f}%"


def report_text(summary: VoicesSummary) -> str:
    """The draft of the report's section (English; the lead inspector edits it and writes the Welsh)."""
    if not summary.total:
        return (
            "[Lead inspector: no views of children, parents or carers, or victims are recorded yet. "
            "Record them on the service users page, or say why none were gathered.]"
        )
    kinds = {
        ServiceUserKind.CHILD: "children and young people",
        ServiceUserKind.PARENT: "parents or carers",
        ServiceUserKind.VICTIM: "victims",
    }
    heard = ", ".join(f"{n} {kinds[k]}" for k, n in summary.by_kind.items() if n)
    lines = [
        f"We heard from {summary.total} people: {heard}.",
        f"- Understood what the YOT was doing and why: {_share(summary, 'understood')} said yes.",
        f"- Felt the YOT listened to them: {_share(summary, 'listened')} said yes.",
        f"- Said the work had helped: {_share(summary, 'helped')} said yes.",
    ]
    if summary.helped_most:
        lines += ["", "What helped most, in their words:", *[f"- “{q}”" for q in summary.helped_most[:5]]]
    if summary.could_be_better:
        lines += ["", "What could be better:", *[f"- “{q}”" for q in summary.could_be_better[:5]]]
    lines += ["", "[Lead inspector: say what these views tell us about the work.]"]
    return "\n".join(lines)


def poster_line(summary: VoicesSummary) -> str | None:
    if not summary.total:
        return None
    return (
        f"We talked to {summary.total} children, parents, carers and victims. "
        f"{_share(summary, 'helped')} told us the work had helped."
    )
