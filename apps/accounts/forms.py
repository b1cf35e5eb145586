"""Forms of the accounts app."""

from __future__ import annotations

from typing import Any

from django import forms

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

    name = forms.CharField(label="Passkey name", max_length=100)


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
