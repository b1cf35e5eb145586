"""allauth adapter: every account email gets an HTML part next to its text part."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    """KIS's account adapter."""

    def get_email_verification_redirect_url(self, email_address: EmailAddress) -> str:
        """Return to the account page after a signed-in user verifies a (new) address."""
        if self.request.user.is_authenticated:
            return reverse("account_settings")
        return super().get_email_verification_redirect_url(email_address)

    def render_mail(
        self,
        template_prefix: str,
        email: str | list[str],
        context: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> EmailMessage:
        """Render the email; wrap its text in the KIS HTML layout when it has no HTML part.

        allauth ships text templates only. The HTML part is the same text in a
        simple, branded layout, so both parts always say the same thing.
        """
        msg = super().render_mail(template_prefix, email, context, headers)
        if isinstance(msg, EmailMultiAlternatives) and not msg.alternatives:
            site = context.get("current_site")
            html = render_to_string(
                "account/email/layout.html",
                {
                    "subject": msg.subject,
                    "text": msg.body,
                    "site_name": getattr(site, "name", ""),
                    "site_domain": getattr(site, "domain", ""),
                    "code": context.get("code", ""),
                },
            )
            msg.attach_alternative(html, "text/html")
        return msg
