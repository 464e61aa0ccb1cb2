"""Logs with a request id (issue 11 §4), through structlog over the standard library's logging.

Every request gets an id: the caller's ``X-Request-ID`` when it is a plain token (a load balancer's),
otherwise a new one. It is bound for the request's log lines, returned in the response's
``X-Request-ID`` header, and carried in the headers of every Celery task the request queues, so a
worker's lines about that job carry the same id. ``LOG_FORMAT=json`` (the production default)
writes one JSON object per line; ``text`` writes ``level logger: message [request_id=…]``.
"""

from __future__ import annotations

import re
import uuid

import structlog
from celery.signals import before_task_publish, task_postrun, task_prerun

HEADER = "X-Request-ID"
_VALID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def current_request_id() -> str | None:
    return structlog.contextvars.get_contextvars().get("request_id")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request_id = given if _VALID.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        tokens = structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            response = self.get_response(request)
        finally:
            structlog.contextvars.reset_contextvars(**tokens)
        response[HEADER] = request_id
        return response


@before_task_publish.connect
def _carry_request_id(headers=None, **kwargs) -> None:
    request_id = current_request_id()
    if request_id and headers is not None:
        headers.setdefault("request_id", request_id)


@task_prerun.connect
def _bind_task(task_id=None, task=None, **kwargs) -> None:
    request = getattr(task, "request", None)
    request_id = getattr(request, "request_id", None) or (getattr(request, "headers", None) or {}).get("request_id")
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(task_id=task_id, task=getattr(task, "name", None))
    if request_id:
        structlog.contextvars.bind_contextvars(request_id=request_id)


@task_postrun.connect
def _unbind_task(**kwargs) -> None:
    structlog.contextvars.clear_contextvars()


def _shared_processors() -> list:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def _text(logger, method_name, event_dict) -> str:
    extra = " ".join(f"{key}={event_dict[key]}" for key in ("request_id", "task_id") if event_dict.get(key))
    line = f"{event_dict.get('level', '').upper()} {event_dict.get('logger', '')}: {event_dict.get('event', '')}"
    if event_dict.get("exception"):
        line += "\n" + event_dict["exception"]
    return f"{line} [{extra}]" if extra else line


def formatter(fmt: str) -> structlog.stdlib.ProcessorFormatter:
    """The formatter for the console handler: ``json`` or ``text``."""
    render = structlog.processors.JSONRenderer() if fmt == "json" else _text
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_shared_processors(),
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            render,
        ],
    )


def json_formatter() -> structlog.stdlib.ProcessorFormatter:
    return formatter("json")


def text_formatter() -> structlog.stdlib.ProcessorFormatter:
    return formatter("text")
