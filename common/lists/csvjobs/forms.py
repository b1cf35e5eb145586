"""The upload form of a CSV import: the file and what to do with duplicates."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from common.lists.csvjobs.config import CsvJobs
from common.lists.csvjobs.importing import duplicate_modes
from common.lists.csvjobs.models import DuplicateMode


class CsvImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,text/csv", "class": "file-input file-input-bordered w-full"}
        ),
    )
    duplicates = forms.ChoiceField(
        initial=DuplicateMode.SKIP, widget=forms.RadioSelect, label="When a row is already there"
    )

    def __init__(self, *args: Any, config: type[CsvJobs], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ChoiceField", self.fields["duplicates"])
        field.choices = duplicate_modes(config)
        if config.import_ is not None:
            field.label = config.import_.duplicates_label
