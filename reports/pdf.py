"""A PDF is a pure function from a template and a context to bytes (STYLE.md).

WeasyPrint is imported inside the functions, so importing this module costs nothing. Every asset is
local: the stylesheet is read from ``static/css/report-pdf.css``, and the URL fetcher accepts only
images handed over in memory (the charts), ``data:`` URIs and files under the static directory,
so a report can never fetch from the network nor read other files, whatever its text contains.
A fetch it refuses stops the rendering rather than leaving a silent gap in the document.

What a render costs, and what is done about it (bench/bench_reports.py measures it):

- the stylesheet is parsed once per process (again only if the file changes), and one font
  configuration serves every render: neither depends on the document;
- the cyclic garbage collector is paused while a document is rendered. A render allocates a few
  hundred thousand objects, nearly all reachable until it ends, so the collections it would trigger
  find little to free, yet each full one walks the whole process's heap (in a worker with Django
  and the inspection loaded, about 100 ms, every other chart pack). The reference cycles the render
  leaves (some 30,000 objects for a chart pack) are then all in the youngest generation, and one
  young collection at the end frees them (about 10 ms);
- a chart is an 8-bit RGB PNG, and its compressed pixel data is already what a PDF image takes
  (Flate with PNG predictors). WeasyPrint would decode every PNG and compress it again, at zlib's
  default level, which was a sixth of a chart pack's time; ``_PlainPNG`` hands it the PNG's own data
  instead. Any other image goes through WeasyPrint's ordinary path.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import struct
import threading
from hashlib import md5
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string

STATIC_DIR = (Path(settings.BASE_DIR) / "static").resolve()
STYLESHEET = STATIC_DIR / "css" / "report-pdf.css"
PDF_VARIANT = "pdf/ua-1"

IMAGE_SCHEME = "image:"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

_per_thread = threading.local()


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


@functools.lru_cache(maxsize=1)
def _stylesheet(path: str, mtime_ns: int):
    """The report stylesheet, parsed once per version of the file."""
    from weasyprint import CSS

    return CSS(filename=path, url_fetcher=_local_fetcher({}))


def _font_config():
    """One font configuration per thread (Pango's font map is not for two threads at once). The
    stylesheet has no ``@font-face`` (it uses fonts fontconfig already has), so nothing a render
    does changes it; keeping it also keeps Pango's caches of fonts and metrics."""
    config = getattr(_per_thread, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _per_thread.font_config = FontConfiguration()
    return config


def png_pixel_data(data: bytes) -> bytes | None:
    """The concatenated IDAT data of an 8-bit, non-interlaced RGB PNG without transparency: a zlib
    stream of PNG-filtered rows, which a PDF image takes as it is. None for any other image."""
    if not data.startswith(PNG_SIGNATURE):
        return None
    chunks, position = [], len(PNG_SIGNATURE)
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            _width, _height, depth, colour, _compression, _filter, interlace = struct.unpack(">IIBBBBB", body)
            if (depth, colour, interlace) != (8, 2, 0):
                return None
        elif kind in (b"PLTE", b"tRNS"):
            return None
        elif kind == b"IDAT":
            chunks.append(body)
        elif kind == b"IEND":
            return b"".join(chunks) or None
        position += 12 + length
    return None


@functools.cache
def _plain_png_class():
    from weasyprint.images import RasterImage

    class _PlainPNG(RasterImage):
        """A raster image whose PDF stream is the PNG's own IDAT data (see the module's notes)."""

        def __init__(self, pillow_image, image_id, data, pixel_data, cache, options):
            super().__init__(pillow_image, image_id, data, cache=cache, orientation="none", options=options)
            self._pixel_data = pixel_data

        def _get_png_data(self, pillow_image):
            # Called by get_x_object with the image as given (not yet decoded) when it embeds it.
            if self.mode == "RGB" and pillow_image.size == (self.width, self.height):
                return self._pixel_data
            return RasterImage._get_png_data(pillow_image)

    return _PlainPNG


def _image_cache(images: dict[str, bytes], options: dict) -> dict:
    """WeasyPrint's image cache for one render, holding the charts that can be embedded as they are;
    any other image is left to the fetcher."""
    import io

    from PIL import Image
    from weasyprint import DEFAULT_OPTIONS

    cache: dict = {}
    for name, data in images.items():
        pixel_data = png_pixel_data(data)
        if pixel_data is None:
            continue
        url = IMAGE_SCHEME + name
        pillow_image = Image.open(io.BytesIO(data))  # reads the header only
        image_id = md5(url.encode(), usedforsecurity=False).hexdigest()
        cache[url] = _plain_png_class()(pillow_image, image_id, data, pixel_data, cache, {**DEFAULT_OPTIONS, **options})
    return cache


@contextlib.contextmanager
def _collector_paused():
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


def render_pdf(template_name: str, context: dict, *, images: dict[str, bytes] | None = None) -> bytes:
    """Render ``template_name`` with ``context`` into a tagged PDF (PDF/UA-1).

    The template sets the document's language (``<html lang>``, and ``lang`` on any part in
    another language) and title (``<title>``); headings are real ``h1``–``h3`` elements, which
    WeasyPrint tags as such. ``images`` are PNGs the template names as ``image:<name>``: passed
    as bytes rather than ``data:`` URIs, which the HTML parser would have to scan character by
    character (a chart pack's charts made that most of its time).
    """
    from weasyprint import HTML

    images = images or {}
    with _collector_paused():
        html = render_to_string(template_name, context)
        document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=_local_fetcher(images))
        stylesheet = _stylesheet(str(STYLESHEET), STYLESHEET.stat().st_mtime_ns)
        options = {"pdf_variant": PDF_VARIANT}
        return document.write_pdf(
            stylesheets=[stylesheet], font_config=_font_config(), cache=_image_cache(images, options), **options
        )
