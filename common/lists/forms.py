"""Form building blocks of the app toolkit: versioned edit forms and inline row editors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Model

INPUT = "input input-bordered w-full"
TEXTAREA = "textarea textarea-bordered w-full"


class VersionedForm(forms.Form):
    """The editable fields of an object plus the version the user started from.

    Subclasses declare the fields; ``editable_fields`` names those passed to the service
    (``data_for_service``). Built with ``instance=``, the form starts from its values.
    """

    editable_fields: ClassVar[Sequence[str]] = ()
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, instance: Model | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(instance)
        super().__init__(*args, **kwargs)
        self.instance = instance
        for field in self.fields.values():
            widget = field.widget
            if widget.is_hidden or "class" in widget.attrs:
                continue
            widget.attrs["class"] = TEXTAREA if isinstance(widget, forms.Textarea) else INPUT

    def initial_from(self, instance: Model) -> dict[str, Any]:
        """Return the initial values for INSTANCE (its editable fields and version)."""
        return {name: getattr(instance, name) for name in (*self.editable_fields, "version")}

    @property
    def instance_values(self) -> list[tuple[str, Any]]:
        """Return (label, stored value) of each visible field: what the object reads now."""
        if self.instance is None:
            return []
        values = self.initial_from(self.instance)  # as the form shows them (a name, not a link)
        return [
            (str(self[name].label), values.get(name, ""))
            for name, field in self.fields.items()
            if name in self.editable_fields and not field.widget.is_hidden
        ]

    @property
    def has_field_errors(self) -> bool:
        """Return whether a field, not only the form as a whole, has an error to mark."""
        return any(name != NON_FIELD_ERRORS for name in self.errors)

    def data_for_service(self) -> dict[str, Any]:
        """Return the cleaned editable fields, as the app's service takes them."""
        return {
            name: self.cleaned_data[name]
            for name in self.editable_fields
            if name in self.cleaned_data
        }


class RowFormMixin(forms.Form):
    """Make a form an inline row editor: its inputs live in table cells, outside its <form>.

    Mix it in before the app's form and pass ``row_id`` (the row's DOM id). Each input gets
    ``form="<row_id>-form"``, a unique id and the compact input style; ``row_widths`` maps a
    field to a width class. The first invalid field (else the first field) gets autofocus, so
    a correction goes into the right field.
    """

    use_required_attribute = False  # the server's messages, in the row, not the browser's
    row_widths: ClassVar[dict[str, str]] = {}
    # Fields that share one table cell, by the cell's first field (``{"first_name":
    # ("first_name", "last_name")}``); every other visible field has a cell of its own.
    row_cells: ClassVar[dict[str, tuple[str, ...]]] = {}

    def __init__(self, *args: Any, row_id: str = "row", **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{row_id}-%s")
        super().__init__(*args, **kwargs)
        self.row_id = row_id
        self.form_id = f"{row_id}-form"
        for name, field in self.fields.items():
            field.help_text = ""  # a table cell has no room for it (nor its aria-describedby)
            field.widget.attrs["form"] = self.form_id
            if not field.widget.is_hidden:
                width = self.row_widths.get(name, "w-32")
                field.widget.attrs["class"] = f"input input-sm {width}"
        self._mark_focus()

    @property
    def row_fields(self) -> list[str]:
        """Return the names of the editor's visible fields, in order."""
        return [name for name, field in self.fields.items() if not field.widget.is_hidden]

    @property
    def cells(self) -> list[list[forms.BoundField]]:
        """Return the editor's table cells, each a list of the bound fields it holds."""
        grouped = {name for names in self.row_cells.values() for name in names}
        cells = []
        for name in self.row_fields:
            if name in self.row_cells:
                cells.append([self[n] for n in self.row_cells[name] if n in self.fields])
            elif name not in grouped:
                cells.append([self[name]])
        return cells

    @property
    def focus_field(self) -> str:
        """Return the field the editor starts in: the first invalid one, else the first."""
        names = self.row_fields
        errors = getattr(self, "_errors", None) or {}  # None until the form is cleaned
        return next((name for name in names if name in errors), names[0] if names else "")

    def _mark_focus(self) -> None:
        for name in self.row_fields:
            self.fields[name].widget.attrs.pop("autofocus", None)
        if self.focus_field:
            self.fields[self.focus_field].widget.attrs["autofocus"] = True

    def full_clean(self) -> None:
        super().full_clean()
        self._mark_focus()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        self._mark_focus()
