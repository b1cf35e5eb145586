"""Sessions and the security log name devices with ua-parser: "Chrome on Linux"."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.devices import PARSE_MAX, UNKNOWN, device_name
from apps.accounts.tests.helpers import password_login

SAMSUNG = (
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36"
)
VIVALDI = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36 Vivaldi/6.5.3206.48"
)
CHROME_LINUX = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


@pytest.mark.parametrize(
    ("agent", "expected"),
    [
        (CHROME_LINUX, "Chrome on Linux"),
        # Browsers a token list misreads as the Chrome they are built on:
        (SAMSUNG, "Samsung Internet on Android"),
        (VIVALDI, "Vivaldi on Linux"),
        (
            "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
            "Safari on iPadOS",
        ),
        (
            "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
            "Firefox on Linux",
        ),
        ("python-requests/2.32.3", "Python Requests"),
        ("SecondBrowser/1.0", "SecondBrowser"),
        ("", UNKNOWN),
        ("   ", UNKNOWN),
    ],
)
def test_device_names(agent, expected):
    assert device_name(agent) == expected


def test_a_huge_header_is_cut_before_parsing():
    assert device_name(CHROME_LINUX + " " + "x" * (PARSE_MAX * 50)) == "Chrome on Linux"


@pytest.mark.django_db
def test_the_sessions_list_names_the_device_and_keeps_the_raw_header(signed_in, user):
    other = Client(HTTP_USER_AGENT=SAMSUNG, REMOTE_ADDR="10.0.0.9")
    assert password_login(other, user.email).status_code == HTTPStatus.FOUND
    other.get(reverse("home"))
    html = signed_in.get(reverse("account_settings")).content.decode()
    assert ">Samsung Internet on Android<" in html
    assert f'title="{SAMSUNG}"' in html  # the raw header, on hover
    assert "session from 10.0.0.9, Samsung Internet on Android" in html  # its End button
