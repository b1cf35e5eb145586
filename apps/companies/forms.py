"""Forms parse and shape input; the rules live in services.py."""

from __future__ import annotations

from typing import Any

from django import forms

from apps.companies.models import NAME_MAX, NOTES_MAX, WEBSITE_MAX
from apps.companies.services import EDITABLE_FIELDS
from apps.core.idempotency import SubmissionKeyField
from common.lists.forms import RowFormMixin, VersionedForm


class CompanyForm(VersionedForm):
    """The fields of a company, plus the version the user started editing from."""

    editable_fields = EDITABLE_FIELDS

    name = forms.CharField(max_length=NAME_MAX)
    website = forms.URLField(max_length=WEBSITE_MAX, required=False, assume_scheme="https")
    notes = forms.CharField(
        max_length=NOTES_MAX, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs["placeholder"] = "example.com"


class CompanyCreateForm(CompanyForm):
    """The new-company form: sent twice (double click, resend, two tabs), it creates one."""

    submission_key = SubmissionKeyField()


class CompanyRowForm(RowFormMixin, CompanyForm):
    """The inline row editor: the table's columns only."""

    row_widths = {"name": "w-48", "website": "w-56"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["notes"]
        self._mark_focus()
