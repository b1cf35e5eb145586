"""``<time datetime>`` values: ISO 8601 to the second with an offset, never microseconds.

HTML allows at most three fraction digits; ``|date:'c'`` and ``isoformat()`` give six
(17 Nu checker errors on the account page). Every ``datetime=`` attribute in every
template goes through ``{% load kis_time %}`` ``|datetime_attr``
(common/templatetags/kis_time.py); the scan below keeps raw uses from coming back.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent.parent
WITH_MICROSECONDS = datetime(2026, 12, 2, 4, 5, 6, 789012, tzinfo=UTC)
# A valid global date and time string as KIS writes it: seconds, no fraction, an offset.
ATTR_VALUE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:Z|[+-]\d\d:\d\d)$")
DATETIME_ATTR = re.compile(r"""\bdatetime\s*=\s*(["'])(.*?)\1""", re.DOTALL)
# The one allowed form of a template's datetime attribute: {{ <expression>|datetime_attr }}.
FILTERED = re.compile(r"^\{\{\s*[\w.]+\s*\|\s*datetime_attr\s*\}\}$")


def _render(source: str, **context: object) -> str:
    return engines["django"].from_string(source).render(context)


def test_datetime_attr_drops_microseconds_and_keeps_the_offset():
    html = _render(
        '{% load kis_time %}<time datetime="{{ t|datetime_attr }}">', t=WITH_MICROSECONDS
    )
    assert html == '<time datetime="2026-12-02T04:05:06+00:00">'


def test_datetime_attr_is_in_the_active_time_zone_like_the_text():
    with timezone.override(zoneinfo.ZoneInfo("Europe/Berlin")):
        html = _render("{% load kis_time %}{{ t|datetime_attr }}", t=WITH_MICROSECONDS)
    assert html == "2026-12-02T05:05:06+01:00"


@pytest.mark.parametrize(
    ("value", "expected"), [(date(2026, 12, 2), "2026-12-02"), (None, ""), ("", "")]
)
def test_datetime_attr_of_a_date_or_nothing(value, expected):
    assert _render("{% load kis_time %}{{ t|datetime_attr }}", t=value) == expected


@pytest.mark.django_db
def test_account_page_time_attributes_have_no_microseconds(signed_in):
    """The account page (sessions, security log): every datetime= is valid HTML."""
    html = signed_in.get(reverse("account_settings")).content.decode()
    values = [value for _quote, value in DATETIME_ATTR.findall(html)]
    assert values, "the account page shows no <time> (a session at least)"
    assert all(ATTR_VALUE.match(value) for value in values), values


# ------------------------------------------------------------------------------
# The scan: every template KIS ships (the project's, the apps', the app template's).
# ------------------------------------------------------------------------------
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("apps/*/templates"), ROOT / "scripts/app_template"]


def _raw_uses() -> dict[str, list[str]]:
    """Each template's datetime= values that do not go through |datetime_attr."""
    files = {path for folder in TEMPLATE_DIRS for path in folder.rglob("*.html")}
    assert ROOT / "templates/accounts/settings.html" in files  # the scan sees the templates
    found = {}
    for path in sorted(files):
        source = path.read_text(encoding="utf-8")
        raw = [v for _quote, v in DATETIME_ATTR.findall(source) if not FILTERED.match(v)]
        if raw:
            found[path.relative_to(ROOT).as_posix()] = raw
    return found


def test_every_template_datetime_attribute_goes_through_datetime_attr():
    assert _raw_uses() == {}, "use {% load kis_time %} and {{ value|datetime_attr }} in datetime="
