"""What the report must be before it goes to the YOT and before it is published (issue 9 §5).

Pure functions over plain data: each returns the problems in the users' words, naming the
section, and an empty list when the step may go ahead. ``reports/gates.py`` gathers the facts and
registers these as gates on the inspection's status.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from inspections.domain.gates import clock
from inspections.domain.timeline import LONDON
from inspections.domain.workdays import WorkingCalendar

# The YOT's time to check the draft for factual accuracy (seed 000 §14.3: "Three working days are
# allowed for this").
FACTUAL_ACCURACY_WORKING_DAYS = 3

# A prompt the draft leaves for the lead inspector, as ``reports.domain.drafting`` writes them:
# "[Lead inspector: explain what lies behind this.]", "[Recommendation to improve: …]". That is,
# square brackets around a short label, a colon and the prompt. A translator writing the Welsh
# version is asked to keep the same shape ("[Arolygydd arweiniol: …]").
PLACEHOLDER = re.compile(r"\[\s*[^\W\d_][^\[\]\n:]{0,80}:[^\[\]\n]*\]")

# How much of a prompt a message quotes.
QUOTE_LIMIT = 90


@dataclass(frozen=True)
class SectionText:
    """A section's current text, as far as the gates are concerned."""

    title: str
    text: str
    text_cy: str = ""


# How long a section, a comment and a note may be (issue 15 §6). A section of 15,000 characters is
# about six pages of the letter; a draft that ran to hundreds of pages was a paste gone wrong.
SECTION_MAX_CHARACTERS = 15_000
COMMENT_MAX_CHARACTERS = 3_000
NOTE_MAX_CHARACTERS = 3_000


def too_long(text: str, limit: int, message: str) -> str | None:
    """``message`` (with %(limit)s and %(n)s) when ``text`` is longer than ``limit`` characters."""
    if len(text or "") <= limit:
        return None
    return message % {"limit": f"{limit:,}", "n": f"{len(text):,}"}


def factual_accuracy_closes_at(*, planned: dt.datetime, sent_at: dt.datetime | None, country: str) -> dt.datetime:
    """When the YOT's factual accuracy check closes.

    Sending the draft starts the YOT's three working days. ``planned`` is the deadline on the
    timeline, which assumes the draft goes by its due date; a draft sent late still gives the YOT
    three full working days, to the same time of day, so the check closes at the later of the two.
    ``sent_at`` is None before the draft is sent: the planned deadline.
    """
    if sent_at is None:
        return planned
    local_planned = planned.astimezone(LONDON)
    day = WorkingCalendar(country).add_working_days(sent_at.astimezone(LONDON).date(), FACTUAL_ACCURACY_WORKING_DAYS)
    from_sending = dt.datetime.combine(day, local_planned.time(), tzinfo=LONDON)
    return max(planned, from_sending)


def placeholders_in(text: str) -> list[str]:
    """Every prompt in square brackets still left in ``text``, in order."""
    return PLACEHOLDER.findall(text or "")


def _quote(prompt: str) -> str:
    return prompt if len(prompt) <= QUOTE_LIMIT else prompt[: QUOTE_LIMIT - 2].rstrip() + "…]"


def unfinished_text_problems(sections: Iterable[SectionText], *, welsh: bool = False) -> list[str]:
    """Sections that are empty or still hold a prompt, each named (in English or in Welsh)."""
    problems = []
    for section in sections:
        text = section.text_cy if welsh else section.text
        if not (text or "").strip():
            problems.append(
                _("The Welsh version of “%(section)s” is empty.") % {"section": section.title}
                if welsh
                else _("“%(section)s” is empty: write its text.") % {"section": section.title}
            )
            continue
        prompts = placeholders_in(text)
        if prompts:
            params = {"section": section.title, "n": len(prompts), "first": _quote(prompts[0])}
            if welsh:
                message = ngettext(
                    "The Welsh version of “%(section)s” still has a prompt in square brackets to replace: %(first)s",
                    "The Welsh version of “%(section)s” still has %(n)d prompts in square brackets to replace, "
                    "such as %(first)s",
                    len(prompts),
                )
            else:
                message = ngettext(
                    "“%(section)s” still has a prompt in square brackets to replace: %(first)s",
                    "“%(section)s” still has %(n)d prompts in square brackets to replace, such as %(first)s",
                    len(prompts),
                )
            problems.append(message % params)
    return problems


def sending_problems(*, sections: Sequence[SectionText], unset_judgements: Sequence[str] = ()) -> list[str]:
    """Before the draft goes to the YOT manager: generated, every judgement set, every section written."""
    if not sections:
        return [_("Generate the draft before sending it.")]
    problems = []
    if unset_judgements:
        problems.append(
            _("Set the judgement of every theme and module before sending the report. Not set yet: %(areas)s.")
            % {"areas": ", ".join(unset_judgements)}
        )
    problems.extend(unfinished_text_problems(sections))
    return problems


def publication_problems(
    *,
    comments_close_at: dt.datetime,
    now: dt.datetime,
    open_comments: Sequence[str],
    sections: Sequence[SectionText],
    wales: bool,
) -> list[str]:
    """Before publication: the YOT's three working days are over, every comment is resolved, every
    section is finished and, in Wales, every section has its Welsh version (seed 000 §1, §14.3, §15).

    ``open_comments`` holds the title of the section of each comment still waiting.
    """
    problems = []
    if now <= comments_close_at:
        problems.append(
            _(
                "The YOT has until %(when)s to check the draft for factual accuracy: "
                "the report can be published after that."
            )
            % {"when": clock(comments_close_at)}
        )
    if open_comments:
        waiting = Counter(open_comments)
        problems.append(
            _("Resolve every comment from the YOT before publishing. Still waiting: %(where)s.")
            % {
                "where": ", ".join(
                    ngettext("%(n)d on “%(section)s”", "%(n)d on “%(section)s”", n) % {"n": n, "section": title}
                    for title, n in waiting.items()
                )
            }
        )
    problems.extend(unfinished_text_problems(sections))
    if wales:
        missing = [s.title for s in sections if not (s.text_cy or "").strip()]
        if missing:
            problems.append(
                _("Enter the Welsh version of every section before publishing: %(sections)s.")
                % {"sections": ", ".join(missing)}
            )
        problems.extend(unfinished_text_problems([s for s in sections if (s.text_cy or "").strip()], welsh=True))
    return problems


@dataclass(frozen=True)
class CorrectionVersion:
    """The section version a lead inspector names as the correction of a comment."""

    number: int
    section_title: str
    same_section: bool
    saved_at: dt.datetime


def correction_problems(*, section_title: str, comment_at: dt.datetime, version: CorrectionVersion | None) -> list[str]:
    """A comment marked corrected points to a version of its own section saved after the comment."""
    if version is None:
        return [
            _(
                "Choose the version of “%(section)s” that makes this correction. If you have not saved the "
                "corrected text of “%(section)s” yet, do that first."
            )
            % {"section": section_title}
        ]
    if not version.same_section:
        return [
            _("Version %(n)d is a version of “%(other)s”: choose a version of “%(section)s”.")
            % {"n": version.number, "other": version.section_title, "section": section_title}
        ]
    if version.saved_at <= comment_at:
        return [
            _(
                "Version %(n)d of “%(section)s” was saved before the comment was made, so it cannot be the "
                "correction. Save the corrected text of “%(section)s”, then choose that version."
            )
            % {"n": version.number, "section": section_title}
        ]
    return []
