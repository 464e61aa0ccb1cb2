"""Small filters for the assessor's pages: the bank's guidance as GOV.UK paragraphs and lists."""

from __future__ import annotations

import functools

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@functools.lru_cache(maxsize=2048)
def _bank_text_html(text: str) -> str:
    # The bank writes one paragraph per line and bullets as "- " lines (casework/bank/SCHEMA.md).
    parts: list[str] = []
    bullets: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("- "):
            bullets.append(f"<li>{escape(line[2:].strip())}</li>")
            continue
        if bullets:
            parts.append('<ul class="govuk-list govuk-list--bullet">' + "".join(bullets) + "</ul>")
            bullets = []
        if line:
            parts.append(f'<p class="govuk-body">{escape(line)}</p>')
    if bullets:
        parts.append('<ul class="govuk-list govuk-list--bullet">' + "".join(bullets) + "</ul>")
    return "".join(parts)


@register.filter
def bank_text(text: str | None) -> SafeString:
    """Guidance text as HTML; cached, since the same guidance is shown on every case."""
    return mark_safe(_bank_text_html(text or ""))  # noqa: S308 - every piece is escaped above


@register.filter
def answer_text(value) -> str:
    """An answer as the assessor reads it: labels joined, "—" when there is none."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    return str(value)


@register.filter
def question_slug(question_id: str) -> str:
    """An HTML id fragment for a question: "1.1.1" -> "1-1-1" (ids never contain "-")."""
    return question_id.replace(".", "-")
