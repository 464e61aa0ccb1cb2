"""The Welsh catalogue covers every interface string (issue 2 §9: English and Welsh treated equally)."""

import re
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = [ROOT / "locale" / "cy" / "LC_MESSAGES" / "django.po", *ROOT.glob("*/locale/cy/LC_MESSAGES/django.po")]


def _entries(text: str):
    """(msgid, msgstr) pairs of a .po file, continuation lines joined; the header skipped."""
    pattern = re.compile(r'^msgid ((?:".*"\n)+)(?:msgid_plural (?:".*"\n)+)?((?:msgstr(?:\[\d\])? (?:".*"\n)+)+)', re.M)
    for match in pattern.finditer(text + "\n"):
        msgid = "".join(re.findall(r'"(.*)"', match.group(1)))
        msgstr = "".join(re.findall(r'"(.*)"', match.group(2)))
        if msgid:
            yield msgid, msgstr, match.group(0)


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_has_a_welsh_translation_and_none_is_fuzzy(catalogue):
    text = catalogue.read_text(encoding="utf-8")
    missing = [msgid for msgid, msgstr, _ in _entries(text) if not msgstr]
    assert missing == []
    assert "#, fuzzy" not in text.split("\n\n", 1)[1]


def test_sign_in_navigation_and_timeline_are_welsh():
    with translation.override("cy"):
        for english in ("Sign in", "Sign out", "Timeline", "Overdue", "Due soon", "Done", "Your inspections"):
            assert translation.gettext(english) != english
