"""One voice on every page: sentence case, allauth's pages and form labels included."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from apps.accounts.templatetags.wording import PHRASES, sentence_case, sentence_case_text

# What allauth (and KIS before) said, which no page may say any more.
TITLE_CASE = sorted({p for p, s in PHRASES.items() if p != s} | {"Log in", "Log out", "Log In"})
ANONYMOUS = ["home", "account_login", "account_signup", "account_reset_password"]
SIGNED_IN = [
    "home",
    "account_settings",
    "account_logout",
    "account_email",
    "account_change_password",
    "mfa_index",
    "mfa_activate_totp",
    "mfa_add_webauthn",
    "usersessions_list",
]


def _visible(html: str) -> str:
    """HTML without its <head> (the title is checked separately) nor comments."""
    return re.sub(r"<!--.*?-->", "", html, flags=re.S)


def _assert_sentence_case(html: str, where: str) -> None:
    said = [
        phrase
        for phrase in TITLE_CASE
        if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", html)
    ]
    assert not said, f"{where} says {said}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ANONYMOUS)
def test_entrance_pages_use_sentence_case(client, name):
    response = client.get(reverse(name))
    assert response.status_code == HTTPStatus.OK
    _assert_sentence_case(_visible(response.content.decode()), name)


@pytest.mark.django_db
@pytest.mark.parametrize("name", SIGNED_IN)
def test_account_pages_use_sentence_case(signed_in, name):
    response = signed_in.get(reverse(name), follow=True)
    assert response.status_code == HTTPStatus.OK
    _assert_sentence_case(_visible(response.content.decode()), name)


@pytest.mark.django_db
def test_the_login_page_says_sign_in_and_remember_me(client):
    html = client.get(reverse("account_login")).content.decode()
    assert "<title>Sign in · " in html
    assert re.search(r"<button[^>]*>\s*Sign in\s*</button>", html)
    assert "Remember me" in html
    header = html.split("<header", 1)[1].split("</header>", 1)[0]
    assert ">Sign in</a>" in header


@pytest.mark.django_db
def test_the_signed_in_header_says_sign_out(user_client):
    header = user_client.get("/").content.decode().split("<header", 1)[1].split("</header>")[0]
    assert "Sign out" in header
    assert "Log out" not in header


def test_sentence_case_rewrites_whole_phrases_only():
    assert sentence_case_text("Sign Out Other Sessions") == "Sign out other sessions"
    assert sentence_case_text("Sign In, Sign Up") == "Sign in, Sign up"
    assert sentence_case_text("Remember Me") == "Remember me"
    assert sentence_case_text("Sign Inside") == "Sign Inside"
    assert sentence_case_text("x-Sign In") == "x-Sign In"


def test_sentence_case_keeps_safe_html_safe_and_escapes_the_rest():
    from django.utils.safestring import SafeString, mark_safe

    assert isinstance(sentence_case(mark_safe("<b>Sign In</b>")), SafeString)
    assert not isinstance(sentence_case("<b>Sign In</b>"), SafeString)
