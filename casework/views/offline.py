"""The assessment pages' service worker, served at /sw.js (issue 12 §2).

It is served from the root, not from /static/, because a worker may control only the pages at
or below its own address, and it must control /inspections/.... What it caches and why (static
files only, never a page) is written at the top of ``service_worker.js``. The script names
nobody: the same bytes for every signed-in user, built from the static files' addresses.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.templatetags.static import PrefixNode
from django.urls import reverse
from django.views.decorators.http import require_GET

SOURCE = Path(__file__).with_name("service_worker.js")
OUTBOX = settings.BASE_DIR / "static" / "js" / "answer_outbox.js"

# The app shell: what an assessment page loads from /static/ (base.html and view.html).
SHELL = (
    "vendor/govuk/govuk-frontend.min.css",
    "css/app.css",
    "js/app.js",
    "vendor/govuk/govuk-frontend.min.js",
    "vendor/htmx/htmx.min.js",
    "js/assessment.js",
    "js/answer_outbox.js",
    "vendor/govuk/assets/rebrand/images/favicon.ico",
    "vendor/govuk/assets/fonts/bold-b542beb274-v2.woff2",
    "vendor/govuk/assets/fonts/light-94a07e06a1-v2.woff2",
)


@lru_cache(maxsize=1)
def service_worker_source() -> str:
    """The worker's script with the shell's addresses filled in; its version changes whenever the
    script or any shell address (hashed in production) does, so browsers replace the old cache."""
    shell = [staticfiles_storage.url(name) for name in SHELL]
    source = SOURCE.read_text(encoding="utf-8")
    # The page imports the outbox as a module; the worker is a classic script (see its first lines),
    # so it gets the same code with its exports made plain declarations.
    outbox = OUTBOX.read_text(encoding="utf-8")
    outbox = re.sub(r"^export ", "", outbox, flags=re.MULTILINE)
    version = hashlib.sha256((source + outbox + json.dumps(shell)).encode()).hexdigest()[:12]
    filled = {
        "__OUTBOX__": outbox,
        "__SHELL__": json.dumps(shell),
        "__VERSION__": version,
        "__STATIC_URL__": PrefixNode.handle_simple("STATIC_URL"),  # e.g. "/static/"
        "__SIGN_OUT_URL__": reverse("logout"),
    }
    for name, value in filled.items():
        source = source.replace(name, value)
    return source


@require_GET
def service_worker(request):
    # Signing in is needed, as for every page (LoginRequiredEverywhereMiddleware); the script itself
    # holds nothing of the user. DEBUG re-reads it so an edit shows without a restart.
    if settings.DEBUG:
        service_worker_source.cache_clear()
    return HttpResponse(service_worker_source(), content_type="text/javascript; charset=utf-8")
