"""Forms of the accounts app."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest

from apps.accounts.services import PASSKEY_NAME_MAX_LENGTH
from apps.users.models import User
from apps.users.timezones import timezone_names

DELETE_CONFIRMATION = "delete my account"


class ProfileForm(forms.Form):
    """Display name and time zone."""

    name = forms.CharField(
        label="Display name",
        max_length=User._meta.get_field("name").max_length,
        required=False,
        help_text="Shown in the header instead of your email address.",
    )
    timezone = forms.ChoiceField(
        label="Time zone",
        required=False,
        help_text="Dates and times are shown in this zone.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Site default")] + [
            (name, name.replace("_", " ")) for name in timezone_names()
        ]
        self.fields["timezone"].choices = choices  # type: ignore[attr-defined]
        self.fields["name"].widget.attrs["autocomplete"] = "name"


class PasskeyRenameForm(forms.Form):
    """A passkey's new name."""

    name = forms.CharField(label="Passkey name", max_length=PASSKEY_NAME_MAX_LENGTH)


class AccountDeleteForm(forms.Form):
    """Typed confirmation before an account is deleted."""

    confirmation = forms.CharField(
        label=f'Type "{DELETE_CONFIRMATION}" to confirm',
        max_length=100,
        help_text="This deletes your account and everything in it. It cannot be undone.",
    )

    def clean_confirmation(self) -> str:
        value = " ".join(self.cleaned_data["confirmation"].split()).lower()
        if value != DELETE_CONFIRMATION:
            raise forms.ValidationError(
                f'Type "{DELETE_CONFIRMATION}" exactly to confirm. Nothing was deleted.'
            )
        return value


class SignupForm(AllauthSignupForm):
    """allauth's signup form, as slow for a taken email as for a new one.

    With ACCOUNT_PREVENT_ENUMERATION allauth answers a taken email like a new one but
    skips creating the user, so it answered ~20x faster: the time told whether the email
    has an account. Hashing the password as a new signup does makes both paths cost the
    same (the way Django's ModelBackend hashes for an unknown user).
    """

    def try_save(self, request: HttpRequest) -> tuple[Any, Any]:
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1") or None)
        saved: tuple[Any, Any] = super().try_save(request)  # (user, response)
        return saved
