from django import template

from reports.domain.text import blocks

register = template.Library()


@register.filter
def text_blocks(text):
    """A section's plain text as paragraphs and lists (reports/domain/text.py)."""
    return blocks(text or "")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
