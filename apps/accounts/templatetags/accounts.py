"""Template filters of the accounts app."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import strip_tags

from apps.accounts.security import user_agent_describe

register = template.Library()


@register.filter
def as_json(value: Any) -> str:
    """Serialise VALUE as JSON text (autoescaped by the template, read back via textContent)."""
    return json.dumps(value, cls=DjangoJSONEncoder)


@register.filter
def has_text(value: Any) -> bool:
    """Return True when rendered slot content VALUE (a string or list of them) shows any text."""
    text = "".join(value) if isinstance(value, (list, tuple)) else str(value or "")
    return bool(strip_tags(text).strip())


@register.filter
def device(user_agent: str | None) -> str:
    """Describe a User-Agent header briefly, e.g. "Firefox on Windows"."""
    return user_agent_describe(user_agent=user_agent or "")
