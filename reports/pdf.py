"""A PDF is a pure function from a template and a context to bytes (STYLE.md).

WeasyPrint is imported inside the function, so importing this module costs nothing. Every asset is
local: the stylesheet is read from ``static/css/report-pdf.css`` and a URL fetcher refuses anything
that is not a ``data:`` URI or a file under the static directory, so a report can never fetch from the
network (nor read other files) whatever its text contains.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

STATIC_DIR = Path(settings.BASE_DIR) / "static"
STYLESHEET = STATIC_DIR / "css" / "report-pdf.css"


def _local_only(url: str, *args, **kwargs):
    from weasyprint.urls import default_url_fetcher

    if url.startswith("data:"):
        return default_url_fetcher(url, *args, **kwargs)
    if url.startswith("file://"):
        path = Path(url.removeprefix("file://")).resolve()
        if path.is_relative_to(STATIC_DIR.resolve()):
            return default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"reports may only use local assets, not {url!r}")


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render ``template_name`` with ``context`` into a tagged PDF (PDF/UA-1).

    The template sets the document's language (``<html lang>``) and title (``<title>``); headings
    are real ``h1``–``h3`` elements, which WeasyPrint tags as such.
    """
    from weasyprint import CSS, HTML

    html = render_to_string(template_name, context)
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=_local_only)
    return document.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))], pdf_variant="pdf/ua-1")
