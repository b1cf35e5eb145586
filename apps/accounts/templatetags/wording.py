"""``{% load wording %}``: one voice on every account page, allauth's included.

allauth's templates and forms say "Sign In", "Remember Me", "Two-Factor Authentication";
KIS writes sentence case ("Sign in", "Remember me", "Two-factor authentication"). The account
layouts (templates/allauth/layouts/) pass each rendered page through ``sentence_case``, which
rewrites exactly these phrases of allauth's (whole words, case-sensitive) and nothing else.
"""

from __future__ import annotations

import re

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# allauth's Title Case strings (templates, form labels, page titles) -> KIS's wording.
PHRASES = {
    "Account Connections": "Account connections",
    "Account Inactive": "Account inactive",
    "Add a Third-Party Account": "Add a third-party account",
    "Activate Authenticator App": "Set up authenticator app",
    "Add Email Address": "Add email address",
    "Add Email": "Add email",
    "Add Security Key": "Add security key",
    "Authenticator App": "Authenticator app",
    "Bad Token": "Bad token",
    "Cancel Change": "Cancel change",
    "Change Email": "Change email",
    "Change Password": "Change password",
    "Change Phone": "Change phone",
    "Confirm Access": "Confirm access",
    "Confirm Device": "Confirm device",
    "Confirm Email Address": "Confirm email address",
    "Create Passkey": "Create passkey",
    "Current Password": "Current password",
    "Deactivate Authenticator App": "Turn off authenticator app",
    "Edit Security Key": "Edit security key",
    "Email (again)": "Email (again)",
    "Email Address": "Email address",
    "Email Addresses": "Email addresses",
    "Email Verification": "Email verification",
    "Enter Email Verification Code": "Enter email verification code",
    "Enter Password Reset Code": "Enter password reset code",
    "Enter Sign-In Code": "Enter sign-in code",
    "Login Cancelled": "Sign-in cancelled",
    "Make Primary": "Make primary",
    "New Password (again)": "New password (again)",
    "New Password": "New password",
    "Passkey Sign Up": "Sign up with a passkey",
    "Password Reset": "Password reset",
    "Recovery Codes": "Recovery codes",
    "Remember Me": "Remember me",
    "Remove Security Key": "Remove security key",
    "Request Code": "Request code",
    "Reset My Password": "Reset my password",
    "Security Keys": "Security keys",
    "Set Password": "Set password",
    "Sign In": "Sign in",
    "Sign Out Other Sessions": "Sign out other sessions",
    "Sign Out": "Sign out",
    "Sign Up Closed": "Sign-up closed",
    "Sign Up": "Sign up",
    "Stay Signed In": "Stay signed in",
    "Signup": "Sign up",
    "Third-Party Login Failure": "Third-party sign-in failure",
    "Two-Factor Authentication": "Two-factor authentication",
    "User Sessions": "Sessions",
    "Verify Your Email Address": "Verify your email address",
}
# Longest first, so "Sign Out Other Sessions" is not read as "Sign Out" + the rest.
_PATTERN = re.compile(
    r"(?<![\w-])("
    + "|".join(re.escape(p) for p in sorted(PHRASES, key=len, reverse=True))
    + r")(?![\w-])"
)


def sentence_case_text(text: str) -> str:
    """Return TEXT with allauth's Title Case phrases in KIS's sentence case."""
    return _PATTERN.sub(lambda m: PHRASES[m.group(1)], text)


@register.filter(is_safe=True)
def sentence_case(value: object) -> SafeString | str:
    """Rewrite allauth's Title Case phrases in VALUE (rendered, safe HTML stays safe)."""
    text = str(value)
    result = sentence_case_text(text)
    return mark_safe(result) if isinstance(value, SafeString) else result  # noqa: S308


@register.filter(is_safe=True)
def squash_spaces(value: object) -> SafeString | str:
    """Collapse VALUE's runs of whitespace into one space and strip it (for <title>)."""
    result = " ".join(str(value).split())
    return mark_safe(result) if isinstance(value, SafeString) else result  # noqa: S308
