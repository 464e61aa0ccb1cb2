"""Logs carry a request id from the request into the Celery tasks it queues (issue 11 §4)."""

from __future__ import annotations

import json
import logging
from types import SimpleNamespace

import pytest
import structlog

from config import logs

pytestmark = pytest.mark.django_db


def test_every_response_carries_a_request_id_and_a_callers_plain_one_is_kept(client):
    made = client.get("/healthz")["X-Request-ID"]
    assert len(made) == 32
    assert client.get("/healthz", headers={"X-Request-ID": "lb-4f2a.9"})["X-Request-ID"] == "lb-4f2a.9"
    hostile = client.get("/healthz", headers={"X-Request-ID": "x\nforged log line"})["X-Request-ID"]
    assert hostile != "x\nforged log line" and len(hostile) == 32


def _record(message: str) -> logging.LogRecord:
    return logging.LogRecord("inspections.test", logging.WARNING, __file__, 1, message, None, None)


def test_a_json_line_has_the_request_id_level_logger_and_time():
    tokens = structlog.contextvars.bind_contextvars(request_id="abc123")
    try:
        line = json.loads(logs.json_formatter().format(_record("report job 7 swept")))
    finally:
        structlog.contextvars.reset_contextvars(**tokens)
    assert line["event"] == "report job 7 swept"
    assert (line["request_id"], line["level"], line["logger"]) == ("abc123", "warning", "inspections.test")
    assert line["timestamp"].endswith("Z")


def test_a_text_line_names_the_request_id():
    tokens = structlog.contextvars.bind_contextvars(request_id="abc123")
    try:
        line = logs.text_formatter().format(_record("refused"))
    finally:
        structlog.contextvars.reset_contextvars(**tokens)
    assert line == "WARNING inspections.test: refused [request_id=abc123]"


def test_the_request_id_goes_with_a_queued_task_and_is_bound_in_the_worker():
    headers: dict = {}
    tokens = structlog.contextvars.bind_contextvars(request_id="abc123")
    try:
        logs._carry_request_id(headers=headers)
    finally:
        structlog.contextvars.reset_contextvars(**tokens)
    assert headers == {"request_id": "abc123"}
    # The worker side: Celery puts a message's custom headers on the task's request.
    task = SimpleNamespace(name="reports.generate_draft_report", request=SimpleNamespace(request_id="abc123"))
    logs._bind_task(task_id="t-1", task=task)
    try:
        bound = structlog.contextvars.get_contextvars()
        assert bound == {"task_id": "t-1", "task": "reports.generate_draft_report", "request_id": "abc123"}
    finally:
        logs._unbind_task()
    assert structlog.contextvars.get_contextvars() == {}
