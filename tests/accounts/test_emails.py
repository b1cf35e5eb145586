"""Account emails: a plain-text and an HTML part, both naming the site."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from tests.accounts.conftest import last_code

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
