"""Idempotent create forms: a repeated submission of the same form creates one object.

A create form carries a hidden ``SubmissionKeyField`` (a fresh UUID each time the form is
shown). The service claims the key in the same transaction that creates the object, so a
double click, a resent POST or a second tab submitting the same form finds the key taken
and is sent to what the first submission created. A form that failed validation created
nothing and claimed nothing (its transaction rolled back), so it can be corrected and sent.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django import forms
from django.db import IntegrityError, transaction

from apps.core.models import SubmissionKey

if TYPE_CHECKING:
    from apps.users.models import User


class SubmissionKeyField(forms.UUIDField):
    """A hidden, optional UUID that names one submission of a form."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", uuid.uuid4)  # called per form: a new key each time
        super().__init__(**kwargs)


class AlreadySubmitted(Exception):
    """This form submission was handled before; RESULT_URL is what it led to."""

    def __init__(self, result_url: str) -> None:
        super().__init__(result_url)
        self.result_url = result_url


def submission_claim(*, owner: User, key: uuid.UUID | None) -> None:
    """Claim KEY for OWNER in the current transaction; raise AlreadySubmitted if taken.

    A concurrent claim of the same key waits for the other transaction (unique index)
    and then sees its result. No key (an old form, a script) claims nothing.
    """
    if key is None:
        return
    try:
        with transaction.atomic():
            SubmissionKey.objects.create(owner=owner, key=key)
    except IntegrityError:
        earlier = SubmissionKey.objects.filter(owner=owner, key=key).first()
        raise AlreadySubmitted(earlier.result_url if earlier else "") from None


def submission_complete(*, owner: User, key: uuid.UUID | None, result_url: str) -> None:
    """Record where the submission KEY led, for any repeat of it."""
    if key is not None:
        SubmissionKey.objects.filter(owner=owner, key=key).update(result_url=result_url[:500])
