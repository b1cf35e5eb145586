"""The application error type."""

from __future__ import annotations

from http import HTTPStatus

from common.exceptions import ApplicationError, ConflictError


def test_defaults_to_bad_request():
    error = ApplicationError("nope")
    assert error.status == HTTPStatus.BAD_REQUEST
    assert error.message == "nope"
    assert error.extra == {}


def test_status_and_extra_can_be_given():
    error = ApplicationError("gone", status=410, extra={"id": 3})
    assert error.status == HTTPStatus.GONE
    assert error.extra == {"id": 3}


def test_conflict_is_409():
    assert ConflictError("changed").status == HTTPStatus.CONFLICT
