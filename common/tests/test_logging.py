"""JSON and text log formatting with the request id."""

from __future__ import annotations

import json
import logging

from common.logging import JSONFormatter, RequestIDFilter, request_id_var


def _record(msg: str = "hello %s", args: tuple = ("world",), **extra) -> logging.LogRecord:
    record = logging.LogRecord("kis.test", logging.INFO, __file__, 1, msg, args, None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_json_line_has_message_level_and_request_id():
    token = request_id_var.set("req-1")
    try:
        record = _record(user_id=7)
        RequestIDFilter().filter(record)
        line = JSONFormatter().format(record)
    finally:
        request_id_var.reset(token)
    payload = json.loads(line)
    assert "\n" not in line
    assert payload["message"] == "hello world"
    assert payload["level"] == "INFO"
    assert payload["logger"] == "kis.test"
    assert payload["request_id"] == "req-1"
    assert payload["user_id"] == 7


def test_json_includes_exception_text():
    try:
        raise ValueError("bad")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    payload = json.loads(JSONFormatter().format(record))
    assert "ValueError: bad" in payload["exc_info"]


def test_outside_a_request_the_id_is_a_dash():
    record = _record()
    RequestIDFilter().filter(record)
    assert record.request_id == "-"
