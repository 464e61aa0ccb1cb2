"""A PDF is a pure function from a template and a context to bytes (STYLE.md).

WeasyPrint is imported inside the function, so importing this module costs nothing. Every asset is
local: the stylesheet is read from ``static/css/report-pdf.css``, and the URL fetcher accepts only
images handed over in memory (the charts), ``data:`` URIs and files under the static directory,
so a report can never fetch from the network nor read other files, whatever its text contains.
A fetch it refuses stops the rendering rather than leaving a silent gap in the document.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string

STATIC_DIR = (Path(settings.BASE_DIR) / "static").resolve()
STYLESHEET = STATIC_DIR / "css" / "report-pdf.css"


IMAGE_SCHEME = "image:"


def _local_fetcher(images: dict[str, bytes]):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith(IMAGE_SCHEME):
                name = url.removeprefix(IMAGE_SCHEME)
                if name not in images:
                    raise ValueError(f"no image {name!r} was given to render_pdf")
                return URLFetcherResponse(url, images[name], {"Content-Type": "image/png"})
            if url.startswith("file:"):
                path = Path(unquote(urlsplit(url).path)).resolve()
                if not path.is_relative_to(STATIC_DIR):
                    raise ValueError(f"reports may only use files under {STATIC_DIR}, not {url!r}")
            return super().fetch(url, headers)

    return LocalOnly(allowed_protocols={"data", "file", "image"}, fail_on_errors=True)


def render_pdf(template_name: str, context: dict, *, images: dict[str, bytes] | None = None) -> bytes:
    """Render ``template_name`` with ``context`` into a tagged PDF (PDF/UA-1).

    The template sets the document's language (``<html lang>``, and ``lang`` on any part in
    another language) and title (``<title>``); headings are real ``h1``–``h3`` elements, which
    WeasyPrint tags as such. ``images`` are PNGs the template names as ``image:<name>``: passed
    as bytes rather than ``data:`` URIs, which the HTML parser would have to scan character by
    character (a chart pack's charts made that most of its time).
    """
    from weasyprint import CSS, HTML

    fetcher = _local_fetcher(images or {})
    html = render_to_string(template_name, context)
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher)
    stylesheet = CSS(filename=str(STYLESHEET), url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet], pdf_variant="pdf/ua-1")
