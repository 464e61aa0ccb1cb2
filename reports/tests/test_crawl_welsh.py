"""Every page a Welsh-reading demo person reaches reads in Welsh (issue: Welsh treated no less favourably).

Each page is fetched twice, in English and in Welsh, as the same person; a piece of visible text that is
the same on both and reads as English words fails the test, unless it is something the people
themselves entered or the service holds as data: names, references and what was typed into the demo
(every text stored in the database is allowed), the local authorities' names, and a short list of
proper nouns. The bank's own English is allowed only for questions whose Welsh is still missing
(casework/tests/test_bank_welsh_complete.py fails for those).
"""

import re
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.test import Client

from casework.domain.bank import available_versions, load_bank
from inspections.models import User
from reports.domain.text import blocks
from reports.tests.test_crawl import crawl

# A Welsh-speaking YOT manager and a local assessor do their whole journey in Welsh; the inspectorate's
# own roles see the same pages for a Welsh inspection.
ROLES = ["yotmanager.wales", "assessor", "lead", "sso"]
ENGLISH = re.compile(r"[A-Za-z]{3,} [a-z]{3,}")
PROPER_NOUNS = {"HM Inspectorate of Probation", "HMI Probation", "GOV.UK", "Youth Justice Board"}


class _Text(HTMLParser):
    """Visible text, leaving out scripts and the like, and any part the page marks as being in another
    language than Welsh (``lang="en-GB"``: an email previewed as its English readers get it)."""

    def __init__(self):
        super().__init__()
        self.out, self.skip = [], 0
        self.other_language: list = []  # [tag, depth] of the element marked with another language

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "title", "textarea"):
            self.skip += 1
        if self.other_language:
            if tag == self.other_language[0]:
                self.other_language[1] += 1
        elif tag != "html" and (dict(attrs).get("lang") or "cy").split("-")[0] != "cy":
            self.other_language = [tag, 1]

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title", "textarea") and self.skip:
            self.skip -= 1
        if self.other_language and tag == self.other_language[0]:
            self.other_language[1] -= 1
            if not self.other_language[1]:
                self.other_language = []

    def handle_data(self, data):
        if not self.skip and not self.other_language and data.strip():
            self.out.append(" ".join(data.split()))


def visible_texts(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.out


def stored_texts() -> set[str]:
    """Every text held in the database: what people entered and the data the service keeps."""
    found: set[str] = set()

    def add(value):
        if isinstance(value, str):
            found.add(" ".join(value.split()))
            found.update(" ".join(line.split()) for line in value.splitlines() if line.strip())
            # Report text is shown as paragraphs and bullet points (reports.domain.text.blocks).
            if "\n" in value:
                for block in blocks(value):
                    found.update(" ".join(part.split()) for part in block.items)
        elif isinstance(value, dict):
            for item in value.values():
                add(item)
        elif isinstance(value, list):
            for item in value:
                add(item)

    for model in apps.get_models():
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField))
        ]
        if names:
            for row in model.objects.values_list(*names):
                for value in row:
                    add(value)
    return found


def untranslated_bank_texts() -> set[str]:
    texts: set[str] = set()
    for version in available_versions():
        for question in load_bank(version).questions:
            for key in ("text", "quality_indicators", "guidance"):
                if getattr(question, key) and not question.cy.get(key):
                    for line in getattr(question, key).splitlines():
                        line = " ".join(line.split())
                        texts.update((line, line.removeprefix("- ")))
            if not question.cy.get("options"):
                texts.update(question.options)
    return texts


def allowed(text: str, stored: set[str], bank: set[str]) -> bool:
    if not ENGLISH.search(text) or text in PROPER_NOUNS or text in stored or text in bank:
        return True
    if text.endswith("…") and any(t.startswith(text[:-1].strip()) for t in bank):
        return True  # a shortened question text
    # Text made of stored values (a name in a sentence of the page's own words is caught elsewhere).
    return any(part.strip() in stored for part in re.split(r"[,;:·–—()]", text) if part.strip()) and all(
        not ENGLISH.search(part) or part.strip() in stored for part in re.split(r"[,;:·–—()]", text)
    )


@pytest.mark.django_db(transaction=True)
def test_every_page_a_demo_person_reaches_in_welsh_has_no_english():
    call_command("load_demo", stdout=StringIO())
    stored, bank = stored_texts(), untranslated_bank_texts()
    leaks: dict[str, str] = {}
    for username in ROLES:
        user = User.objects.get(username=username)
        english, welsh = Client(HTTP_ACCEPT_LANGUAGE="en-gb"), Client(HTTP_ACCEPT_LANGUAGE="cy")
        # As chosen with the language switch: Nia has recorded Welsh, which would otherwise win.
        english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"
        welsh.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
        english.force_login(user)
        welsh.force_login(user)
        seen, errors = crawl(welsh, limit=150)
        assert errors == [], username
        for url in sorted(seen):
            page = welsh.get(url)
            if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
                continue
            same = set(visible_texts(english.get(url).content.decode()))
            for text in visible_texts(page.content.decode()):
                if text in same and not allowed(text, stored, bank):
                    leaks.setdefault(text, f"{username} {url}")
    assert leaks == {}, "\n".join(f"{where}: {text[:120]}" for text, where in sorted(leaks.items()))
