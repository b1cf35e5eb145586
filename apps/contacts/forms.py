"""Forms parse and shape input; the rules live in services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model

from apps.contacts.models import (
    COMPANY_MAX,
    EMAIL_MAX,
    NAME_MAX,
    NOTES_MAX,
    PHONE_MAX,
    DuplicateMode,
)
from apps.contacts.services import EDITABLE_FIELDS
from apps.core.idempotency import SubmissionKeyField
from common.lists.forms import RowFormMixin, VersionedForm
from common.lists.widgets import PickerInput


class ContactForm(VersionedForm):
    """The fields of a contact, plus the version the user started editing from."""

    editable_fields = EDITABLE_FIELDS

    first_name = forms.CharField(max_length=NAME_MAX, required=False)
    last_name = forms.CharField(max_length=NAME_MAX, required=False)
    email = forms.EmailField(max_length=EMAIL_MAX, required=False)
    phone = forms.CharField(max_length=PHONE_MAX, required=False)
    company = forms.CharField(
        max_length=COMPANY_MAX,
        required=False,
        widget=PickerInput(options_url_name="companies:options", label="Companies"),
        help_text="Choose one of your companies, or type a new name to add it.",
    )
    notes = forms.CharField(
        max_length=NOTES_MAX, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def initial_from(self, instance: Model) -> dict[str, Any]:
        initial = super().initial_from(instance)
        initial["company"] = getattr(instance, "company_name", "")  # the name, not the link
        return initial

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.fields["phone"].widget.attrs["autocomplete"] = "off"


class ContactCreateForm(ContactForm):
    """The new-contact form: sent twice (double click, resend, two tabs), it creates one."""

    submission_key = SubmissionKeyField()


class RowForm(RowFormMixin, ContactForm):
    """The inline row editor: the table's columns only (both names share the Name cell)."""

    row_cells = {"first_name": ("first_name", "last_name")}
    row_widths = {
        "first_name": "w-28",
        "last_name": "w-28",
        "email": "w-48",
        "phone": "w-32",
        "company": "w-36",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["notes"]
        self._mark_focus()


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
