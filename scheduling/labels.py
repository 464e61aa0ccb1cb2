"""The words of the slot template's blocks, in the reader's language.

The slot templates (``scheduling/data/slot_templates.yaml``) write each block's label in English, as
the inspectorate's schedule does ("LUNCH", "CASE 3"). The schedule page, its spreadsheet and its PDF
show them through :func:`block_label`. Every label the templates use is listed here so that
``makemessages`` finds it; a test checks the list against the templates.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext, gettext_noop

LABELS = (
    gettext_noop("BREAK"),
    gettext_noop("LUNCH"),
    gettext_noop("LUNCH / time available for other LI activities"),
    gettext_noop("INSPECTORATE PREPARATION"),
    gettext_noop("INSPECTORATE MEETINGS/PREPARATION"),
    gettext_noop("TRAVEL TO YOT"),
    gettext_noop("TRAVEL HOME"),
    gettext_noop("IT/HEALTH & SAFETY BRIEFING"),
    gettext_noop("CONTEXT BRIEFING"),
    gettext_noop("CONTEXT BRIEFING (led by the lead inspector)"),
    gettext_noop("INSPECTION DEBRIEF"),
    gettext_noop("INSPECTION TEAM DEBRIEF"),
    gettext_noop("MEETING with YOT MANAGER"),
    gettext_noop("MEETING with YOT MANAGER (fieldwork week 2 requirements)"),
    gettext_noop("PLANNING MEETING with YOT MANAGER"),
    gettext_noop("MEETING with LOCAL ASSESSOR"),
    gettext_noop("MEETING with 2nd inspector"),
    gettext_noop("DEBRIEF MEETING with LOCAL ASSESSOR"),
    gettext_noop("DEBRIEF MEETING with 2nd inspector"),
    gettext_noop("DATA QUALITY CHECK"),
    gettext_noop("DATA QUALITY CHECK with STAFF"),
    gettext_noop("DATA QUALITY CHECK with LOCAL ASSESSOR"),
    gettext_noop("OBSERVE 2nd inspector (CASE 1)"),
    gettext_noop("CASE"),
)

# The team roles as the schedule's pages and files name them (scheduling.domain.model.ROLE_LABELS,
# which stays free of Django), so that ``makemessages`` finds them.
ROLE_WORDS = (gettext_noop("lead inspector"), gettext_noop("second inspector"), gettext_noop("local assessor"))

_CASE_N = re.compile(r"CASE (\d+)")

# Labels naming the team member a block pairs with ("MEETING with 2nd inspector" becomes "MEETING with
# Sam Okafor" on the page): the words around the name are translated, the name kept.
NAMED = (
    (re.compile(r"MEETING with (?P<name>.+)"), gettext_noop("MEETING with %(name)s")),
    (re.compile(r"DEBRIEF MEETING with (?P<name>.+)"), gettext_noop("DEBRIEF MEETING with %(name)s")),
    (re.compile(r"DATA QUALITY CHECK with (?P<name>.+)"), gettext_noop("DATA QUALITY CHECK with %(name)s")),
    (re.compile(r"OBSERVE (?P<name>.+) \(CASE 1\)"), gettext_noop("OBSERVE %(name)s (CASE 1)")),
)


def block_label(label: str) -> str:
    """A block's label in the active language ("CASE 3" keeps its number)."""
    if not label:
        return label
    numbered = _CASE_N.fullmatch(label)
    if numbered:
        return gettext("CASE %(number)s") % {"number": numbered.group(1)}
    if label in LABELS:
        return gettext(label)
    for pattern, words in NAMED:
        named = pattern.fullmatch(label)
        if named:
            return gettext(words) % {"name": named.group("name")}
    return gettext(label)
