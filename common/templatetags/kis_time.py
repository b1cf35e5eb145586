"""``{% load kis_time %}``: dates and times for HTML attributes.

``<time datetime="{{ value|datetime_attr }}">``: HTML wants a "valid global date and
time string" with at most three fraction digits; Django's ``|date:'c'`` and
``isoformat()`` give six (microseconds), which the Nu checker rejects. Every
``datetime=`` attribute uses this filter (common/tests/test_time_attr.py scans the
templates for any other).
"""

from __future__ import annotations

from datetime import date, datetime

from django import template

register = template.Library()


@register.filter(expects_localtime=True)
def datetime_attr(value: datetime | date | None) -> str:
    """Format VALUE as ISO 8601 to the second with its UTC offset: 2026-12-02T04:05:06+00:00.

    In the active time zone, like the text beside it; a date is ``2026-12-02``; anything
    else (None, "") is "" so a missing value never renders a wrong time.
    """
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return ""
