"""Optional error tracking (Sentry or a Sentry-compatible service such as GlitchTip), on when
``SENTRY_DSN`` is set and off otherwise.

The service holds children's names and dates of birth, so nothing personal may leave it in an error
report: ``send_default_pii`` is off, and ``scrub`` removes from every event what the SDK would still
send (the request body, cookies, query string, headers other than a few harmless ones, local variables
of every frame, and any user field but the numeric id). What remains is the error, the stack
(file, line, function), the URL's path and the request id that ties it to the JSON logs.
"""

from __future__ import annotations

from typing import Any

KEPT_HEADERS = frozenset({"user-agent", "x-request-id", "content-type", "content-length"})


def scrub(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """Remove anything that could hold a child's details from an event before it is sent."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {k: v for k, v in headers.items() if k.lower() in KEPT_HEADERS}
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    for exception in (event.get("exception") or {}).get("values") or ():
        for frame in (exception.get("stacktrace") or {}).get("frames") or ():
            frame.pop("vars", None)
    for thread in (event.get("threads") or {}).get("values") or ():
        for frame in (thread.get("stacktrace") or {}).get("frames") or ():
            frame.pop("vars", None)
    event.pop("extra", None)
    breadcrumbs = event.get("breadcrumbs")
    if isinstance(breadcrumbs, dict):  # SQL and log breadcrumbs can quote names
        breadcrumbs["values"] = []
    return event


def _before_send(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    from config.logs import current_request_id

    request_id = current_request_id()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return scrub(event, hint)


def init_error_tracking(*, dsn: str | None, environment: str, release: str | None = None, **options: Any) -> bool:
    """Start the SDK with the Django and Celery integrations when a DSN is given. True when started."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_breadcrumbs=0,
        before_send=_before_send,
        traces_sample_rate=0.0,
        **options,
    )
    return True
