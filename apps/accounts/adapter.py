"""allauth adapter: HTML mail parts, the site's real address, a clear error when mail fails."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from allauth.core import ratelimit
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from common.siteurl import site_url

logger = logging.getLogger(__name__)

MAIL_NOT_SENT = "We could not send the email right now. Please try again in a few minutes."


class MailNotSentError(Exception):
    """An account email could not be handed to the mail server (SMTP down, refused)."""


@dataclass(frozen=True)
class MailSite:
    """The site as a mail names it: ``current_site`` in allauth's mail templates.

    ``domain`` and ``url`` are where the mail's request came to (or ``SITE_URL`` without
    a request), never the Site row's stored domain; ``name`` is the Site's (an admin's).
    """

    name: str
    domain: str
    url: str


class AccountAdapter(DefaultAccountAdapter):
    """KIS's account adapter."""

    def get_email_verification_redirect_url(self, email_address: EmailAddress) -> str:
        """Return to the account page after a signed-in user verifies a (new) address."""
        if self.request.user.is_authenticated:
            return reverse("account_settings")
        url: str = super().get_email_verification_redirect_url(email_address)
        return url

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
        msg: EmailMessage = super().render_mail(template_prefix, email, context, headers)
        if isinstance(msg, EmailMultiAlternatives) and not msg.alternatives:
            site = context.get("current_site")
            html = render_to_string(
                "account/email/layout.html",
                {
                    "subject": msg.subject,
                    "text": msg.body,
                    "site_name": getattr(site, "name", ""),
                    "site_domain": getattr(site, "domain", ""),
                    "site_url": getattr(site, "url", ""),
                    "code": context.get("code", ""),
                },
            )
            msg.attach_alternative(html, "text/html")
        return msg

    def mail_site(self) -> MailSite:
        """Return the site every account mail names and links to (common.siteurl).

        The request's scheme and host (validated against ALLOWED_HOSTS by
        ``get_host()``), or ``settings.SITE_URL`` when there is no request (a task).
        """
        request = allauth_context.request
        url = site_url(request)
        return MailSite(
            name=get_current_site(request).name, domain=url.partition("://")[2], url=url
        )

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Send the email; raise MailNotSentError when the mail server cannot take it.

        apps.accounts.middleware.MailFailureMiddleware then undoes the request and
        tells the user to try again.
        """
        context = {"current_site": self.mail_site(), **context}
        try:
            super().send_mail(template_prefix, email, context)
        except (OSError, smtplib.SMTPException) as exc:
            logger.error(
                "account email not sent: %s: %s",
                type(exc).__name__,
                exc,
                extra={"template": template_prefix},
            )
            if template_prefix.startswith("account/email/email_confirmation"):
                # The code never arrived: let the user ask again at once, not in 3 minutes.
                ratelimit.clear(self.request, action="confirm_email", key=email.lower())
            raise MailNotSentError(MAIL_NOT_SENT) from exc

    def send_notification_mail(
        self,
        template_prefix: str,
        user: Any,
        context: dict[str, Any] | None = None,
        email: str | None = None,
    ) -> None:
        """Send a security notification if the mail server takes it; never block the change.

        The change the user made (password, email address, ...) stands; only the
        note about it is lost, and the failure is logged.
        """
        try:
            super().send_notification_mail(template_prefix, user, context, email)
        except MailNotSentError:
            logger.warning("security notification not sent", extra={"template": template_prefix})
