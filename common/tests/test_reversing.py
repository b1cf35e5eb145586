"""common.reversing: a URL without arguments, reversed once per URLconf, prefix and language."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from common import reversing
from common.reversing import reverse_plain


def test_a_name_is_reversed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def counted(viewname: str) -> str:
        calls.append(viewname)
        return reverse(viewname)

    monkeypatch.setattr(reversing, "reverse", counted)
    reversing._reversed.clear()
    assert reverse_plain("contacts:list") == reverse_plain("contacts:list") == "/contacts/"
    assert calls == ["contacts:list"]


def test_the_script_prefix_is_part_of_the_answer() -> None:
    set_script_prefix("/kis/")
    try:
        assert reverse_plain("contacts:list") == "/kis/contacts/"
    finally:
        clear_script_prefix()
    assert reverse_plain("contacts:list") == "/contacts/"


@pytest.mark.urls("apps.core.urls")
def test_another_urlconf_answers_for_itself() -> None:
    with pytest.raises(NoReverseMatch):  # not mounted here, and never remembered
        reverse_plain("contacts:list")


def test_an_overridden_urlconf_is_answered_afresh(settings: Any) -> None:
    assert reverse_plain("contacts:list") == "/contacts/"
    settings.ROOT_URLCONF = "apps.core.urls"
    with pytest.raises(NoReverseMatch):
        reverse_plain("contacts:list")


def test_script_prefixes_a_request_chose_do_not_grow_the_memo_without_end() -> None:
    """A proxy may pass SCRIPT_NAME from the client (gunicorn trusts it from 127.0.0.1)."""
    reversing._reversed.clear()
    try:
        for n in range(reversing.REVERSED_KEPT * 3):
            set_script_prefix(f"/p{n}/")
            assert reverse_plain("contacts:list") == f"/p{n}/contacts/"
    finally:
        clear_script_prefix()
    assert len(reversing._reversed) <= reversing.REVERSED_KEPT
