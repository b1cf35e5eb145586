"""Forms parse and shape input; the rules live in services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from apps.contacts.models import (
    COMPANY_MAX,
    EMAIL_MAX,
    NAME_MAX,
    NOTES_MAX,
    PHONE_MAX,
    Contact,
    DuplicateMode,
)
from apps.contacts.services import EDITABLE_FIELDS
from apps.core.idempotency import SubmissionKeyField

INPUT = "input input-bordered w-full"


class ContactForm(forms.Form):
    """The fields of a contact, plus the version the user started editing from."""

    first_name = forms.CharField(max_length=NAME_MAX, required=False)
    last_name = forms.CharField(max_length=NAME_MAX, required=False)
    email = forms.EmailField(max_length=EMAIL_MAX, required=False)
    phone = forms.CharField(max_length=PHONE_MAX, required=False)
    company = forms.CharField(max_length=COMPANY_MAX, required=False)
    notes = forms.CharField(
        max_length=NOTES_MAX, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, contact: Contact | None = None, **kwargs: Any) -> None:
        if contact is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(contact, name) for name in (*EDITABLE_FIELDS, "version")
            }
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name == "notes":
                field.widget.attrs["class"] = "textarea textarea-bordered w-full"
            elif not field.widget.is_hidden:
                field.widget.attrs["class"] = INPUT
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.fields["phone"].widget.attrs["autocomplete"] = "off"

    @property
    def has_field_errors(self) -> bool:
        """Return whether a field, not only the form as a whole, has an error to mark."""
        return any(name != NON_FIELD_ERRORS for name in self.errors)

    def data_for_service(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name] for name in EDITABLE_FIELDS if name in self.cleaned_data
        }


class ContactCreateForm(ContactForm):
    """The new-contact form: sent twice (double click, resend, two tabs), it creates one."""

    submission_key = SubmissionKeyField()


class RowForm(ContactForm):
    """The inline row editor: the table's columns only."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["notes"]

    @property
    def focus_field(self) -> str:
        """Return the field the editor starts in: the first invalid one, else the first."""
        invalid = (name for name in self.fields if name != "version" and name in self.errors)
        return next(invalid, "first_name")


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,text/csv", "class": "file-input file-input-bordered w-full"}
        ),
    )
    duplicates = forms.ChoiceField(
        choices=DuplicateMode.choices,
        initial=DuplicateMode.SKIP,
        widget=forms.RadioSelect,
        label="When an email is already in your address book",
    )
