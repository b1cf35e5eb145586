"""Account emails: a plain-text and an HTML part, both naming the site."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from django.urls import reverse

from apps.accounts.tests.helpers import last_code
from apps.users.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _check(message, site_name="KIS"):
    assert message.subject.startswith(f"[{site_name}] ")
    assert site_name in message.body
    html = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    assert len(html) == 1, message.alternatives
    assert site_name in html[0]
    assert "<html" in html[0]
    return html[0]


def test_signup_code_email_has_text_and_html(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "password1": "a-long-passphrase-1",
            "password2": "a-long-passphrase-1",
        },
    )
    html = _check(mail.outbox[-1])
    assert last_code() in html


def test_login_code_and_reset_code_emails(client, user):
    client.post(reverse("account_request_login_code"), {"email": user.email})
    _check(mail.outbox[-1])
    client.post(reverse("account_reset_password"), {"email": user.email})
    _check(mail.outbox[-1])


def test_html_part_escapes_user_supplied_text(client, user, settings):
    from apps.accounts.adapter import AccountAdapter

    adapter = AccountAdapter()
    message = adapter.render_mail(
        "account/email/login_code",
        user.email,
        {"code": "<b>X</b>", "current_site": type("S", (), {"name": "KIS", "domain": "kis"})()},
    )
    assert isinstance(message, EmailMultiAlternatives)
    html = str(message.alternatives[0][0])
    assert "<b>X</b>" not in html
    assert "&lt;b&gt;X&lt;/b&gt;" in html


def test_flushed_site_is_named_after_kis_again(settings):
    from django.contrib.sites.models import Site
    from django.core.management import call_command

    Site.objects.filter(pk=settings.SITE_ID).update(name="example.com", domain="example.com")
    call_command("migrate", verbosity=0)  # post_migrate runs, as after a flush
    site = Site.objects.get(pk=settings.SITE_ID)
    assert (site.name, site.domain) == (settings.SITE_NAME, settings.SITE_DOMAIN)

    Site.objects.filter(pk=settings.SITE_ID).update(name="Our Team")
    call_command("migrate", verbosity=0)
    assert Site.objects.get(pk=settings.SITE_ID).name == "Our Team"  # an admin's name stays


# ------------------------------------------------------------------------------
# Links and the site's address: the request's scheme and host, else SITE_URL
# (apps.accounts.adapter.AccountAdapter.mail_site, common.siteurl).
# ------------------------------------------------------------------------------
URL_RE = re.compile(r"""https?://[^\s"'<>]+""")
OTHER_HOST = "app.example.test:8443"


def _links_and_names(message) -> tuple[list[str], str]:
    """Every URL in both parts of MESSAGE, and both parts' text."""
    html = "".join(str(content) for content, _mimetype in message.alternatives)
    text = f"{message.body}\n{html}"
    return URL_RE.findall(text), text


@pytest.fixture
def other_host(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "app.example.test"]
    return {"HTTP_HOST": OTHER_HOST, "secure": True}


def test_mail_links_use_the_host_the_request_came_to(client, user, other_host):
    """Every mail's links and its site line: https://app.example.test:8443, not localhost:8000."""
    form = {"password1": "a-long-passphrase-1", "password2": "a-long-passphrase-1"}
    client.post(reverse("account_reset_password"), {"email": user.email}, **other_host)
    client.post(reverse("account_reset_password"), {"email": "nobody@example.com"}, **other_host)
    client.post(reverse("account_signup"), {"email": user.email, **form}, **other_host)
    Client().post(reverse("account_signup"), {"email": "new@example.com", **form}, **other_host)
    assert len(mail.outbox) == 4  # reset code, unknown account, already exists, verification
    for message in mail.outbox:
        links, text = _links_and_names(message)
        assert links, message.body
        assert all(link.startswith(f"https://{OTHER_HOST}/") for link in links), links
        assert OTHER_HOST in message.body  # "Thank you for using KIS! app.example.test:8443"
        assert "localhost" not in text
    links, _text = _links_and_names(mail.outbox[1])  # "Unknown account": sign up here
    assert f"https://{OTHER_HOST}/accounts/signup/" in links


def test_security_notice_names_the_host_the_request_came_to(client, user, other_host):
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}, **other_host)
    client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "a-new-passphrase-2",
            "password2": "a-new-passphrase-2",
        },
        **other_host,
    )
    notice = mail.outbox[-1]
    assert "password" in notice.subject.lower()
    links, text = _links_and_names(notice)
    assert OTHER_HOST in notice.body
    assert all(link.startswith(f"https://{OTHER_HOST}/") for link in links), links
    assert "localhost" not in text


def test_host_outside_allowed_hosts_gets_400_and_no_mail(client, user):
    response = client.post(
        reverse("account_reset_password"), {"email": user.email}, HTTP_HOST="evil.example.test"
    )
    assert response.status_code == 400
    assert mail.outbox == []


def test_mail_without_a_request_uses_site_url(user, settings):
    """A background task has no request: the mail's links and site line come from SITE_URL."""
    from allauth.account.adapter import get_adapter
    from allauth.core import context

    from common.siteurl import absolute_url

    settings.SITE_URL = "https://kis.example.test"
    assert context.request is None  # as in the task worker
    get_adapter().send_mail(
        "account/email/unknown_account",
        user.email,
        {"email": user.email, "signup_url": absolute_url(reverse("account_signup"))},
    )
    links, text = _links_and_names(mail.outbox[-1])
    assert "https://kis.example.test/accounts/signup/" in links
    assert all(link.startswith("https://kis.example.test/") for link in links), links
    assert "kis.example.test" in mail.outbox[-1].body
    assert "localhost" not in text


def test_site_url_is_the_request_origin_else_the_setting(rf, settings):
    from common.siteurl import absolute_url, site_url

    settings.SITE_URL = "https://kis.example.test/"
    settings.ALLOWED_HOSTS = ["app.example.test"]
    assert site_url() == "https://kis.example.test"
    assert absolute_url("/a/b/") == "https://kis.example.test/a/b/"
    request = rf.get("/", HTTP_HOST=OTHER_HOST, secure=True)
    assert site_url(request) == f"https://{OTHER_HOST}"
    assert absolute_url("/a/", request) == f"https://{OTHER_HOST}/a/"
    settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"  # production: always https
    assert site_url(rf.get("/", HTTP_HOST="app.example.test")) == "https://app.example.test"


# ------------------------------------------------------------------------------
# Subjects: sentence case, in the site's own words (templates/account/email/,
# templates/mfa/email/ override allauth's Title Case subjects).
# ------------------------------------------------------------------------------
def test_mail_subjects_are_sentence_case(client, user):
    form = {"password1": "a-long-passphrase-1", "password2": "a-long-passphrase-1"}
    client.post(reverse("account_request_login_code"), {"email": user.email})
    client.post(reverse("account_reset_password"), {"email": user.email})
    client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    Client().post(reverse("account_signup"), {"email": user.email, **form})
    Client().post(reverse("account_signup"), {"email": "new@example.com", **form})
    assert [message.subject for message in mail.outbox] == [
        "[KIS] Your sign-in code",
        "[KIS] Your password reset code",
        "[KIS] No account for this email address",
        "[KIS] You already have an account",
        "[KIS] Confirm your email address",
    ]


def test_every_allauth_subject_is_overridden() -> None:
    """A new allauth mail would arrive in Title Case: each of its subjects has ours."""
    from pathlib import Path

    import allauth
    from django.apps import apps
    from django.conf import settings

    theirs = Path(allauth.__file__).parent / "templates"
    ours = Path(settings.BASE_DIR) / "templates"
    names = {
        path.relative_to(theirs)
        for path in theirs.glob("*/email/*_subject.txt")
        if "include" not in path.read_text()
        and apps.is_installed(f"allauth.{path.relative_to(theirs).parts[0]}")
    }
    assert names
    missing = sorted(str(name) for name in names if not (ours / name).exists())
    assert not missing, missing
