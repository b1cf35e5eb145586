"""Form building blocks of the app toolkit: versioned edit forms and inline row editors."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model
from django.http import QueryDict

INPUT = "input input-bordered w-full"
TEXTAREA = "textarea textarea-bordered w-full"
OPENED_SALT = "common.lists.forms.opened"
KEEP_PREFIX = "keep-"  # keep-<field>=theirs: take the other side's value of a clash


@dataclass(frozen=True)
class Opened:
    """What an edit form was opened with: its object, owner, version and shown values."""

    model: str  # the model's label, "contacts.Contact"
    pk: str
    owner: str
    version: int | None
    values: dict[str, Any]  # field name -> the value the input showed


def opened_sign(opened: Opened) -> str:
    """Return OPENED as a signed token (the edit form's hidden ``opened`` input)."""
    payload = {
        "m": opened.model,
        "pk": opened.pk,
        "u": opened.owner,
        "v": opened.version,
        "f": opened.values,
    }
    return signing.dumps(payload, salt=OPENED_SALT, compress=True)


def opened_read(token: Any, *, model: type[Model], pk: Any, owner: Any) -> Opened | None:
    """Return the snapshot in TOKEN if it is intact and names MODEL's PK opened by OWNER.

    A valid token proves that OWNER once had this object on screen (ids are never reused),
    so a missing object with one was deleted; without one it is a plain 404.
    """
    if not isinstance(token, str) or not token or owner is None:
        return None
    try:
        payload = signing.loads(token, salt=OPENED_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("f"), dict):
        return None
    version = payload.get("v")
    opened = Opened(
        model=str(payload.get("m")),
        pk=str(payload.get("pk")),
        owner=str(payload.get("u")),
        version=version if isinstance(version, int) else None,
        values=payload["f"],
    )
    expected = (model._meta.label, str(pk), str(owner.pk))
    return opened if (opened.model, opened.pk, opened.owner) == expected else None


def _json(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    return str(value)  # a date, Decimal or UUID: its field's to_python reads it back


def _raw(value: Any) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Clash:
    """A field both sides changed: this user's value (in the input) and the other one."""

    name: str
    label: str
    mine: str
    theirs: str


class VersionedBoundField(forms.BoundField):
    @property
    def clash(self) -> Clash | None:
        """Return this field's clash after a conflict (both sides changed it), or None."""
        return getattr(self.form, "clashes", {}).get(self.name)


class VersionedForm(forms.Form):
    """The editable fields of an object plus the version the user started from.

    Subclasses declare the fields; ``editable_fields`` names those passed to the service
    (``data_for_service``). Built with ``instance=``, the form starts from its values; with
    ``owner=`` too it carries a signed snapshot of them (``opened``), so that a save from a
    stale version can be merged field by field (``conflict_merge``) and a save of an object
    deleted meanwhile can be recognised as this user's (``opened_read``).
    """

    bound_field_class = VersionedBoundField
    editable_fields: ClassVar[Sequence[str]] = ()
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    opened = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *args: Any,
        instance: Model | None = None,
        owner: Any = None,
        **kwargs: Any,
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(instance)
        self.owner = owner
        self.clashes: dict[str, Clash] = {}
        self.taken: list[str] = []  # labels of fields changed elsewhere, now in the form
        self.opened_snapshot: Opened | None = None
        if data is not None and instance is not None:
            self.opened_snapshot = opened_read(
                data.get("opened"), model=type(instance), pk=instance.pk, owner=owner
            )
            data = self._keep_theirs(data)
        super().__init__(data, *args, **kwargs)
        self.instance = instance
        for field in self.fields.values():
            widget = field.widget
            if widget.is_hidden or "class" in widget.attrs:
                continue
            widget.attrs["class"] = TEXTAREA if isinstance(widget, forms.Textarea) else INPUT
        if instance is not None and owner is not None and not self.is_bound:
            self.initial["opened"] = self.opened_token(instance)

    # -- the snapshot the form was opened with, and merging a conflict -------------------
    @property
    def shown_fields(self) -> list[str]:
        """Return the visible editable fields: those a snapshot holds and a merge compares."""
        return [
            name
            for name, field in self.fields.items()
            if name in self.editable_fields and not field.widget.is_hidden
        ]

    def opened_token(self, instance: Model) -> str:
        """Return the signed snapshot of INSTANCE as this form shows it, for ``owner``."""
        initial = self.initial_from(instance)
        values = {
            name: _json(self.fields[name].prepare_value(initial.get(name)))
            for name in self.shown_fields
        }
        version = getattr(instance, "version", None)
        return opened_sign(
            Opened(
                model=type(instance)._meta.label,
                pk=str(instance.pk),
                owner=str(getattr(self.owner, "pk", "")),
                version=version,
                values=values,
            )
        )

    def _keep_theirs(self, data: Mapping[str, Any]) -> Mapping[str, Any]:
        """Put the other side's value into each clash the user resolved with "theirs"."""
        opened = self.opened_snapshot
        if opened is None or not hasattr(data, "keys"):
            return data
        chosen = [
            key.removeprefix(KEEP_PREFIX)
            for key in data
            if key.startswith(KEEP_PREFIX) and data.get(key) == "theirs"
        ]
        chosen = [name for name in chosen if name in opened.values]
        if not chosen:
            return data
        copy = data.copy() if isinstance(data, QueryDict) else dict(data)
        for name in chosen:
            copy[name] = _raw(opened.values[name])
        return copy

    def _norm(self, name: str, value: Any) -> Any:
        with contextlib.suppress(ValidationError):  # compared as typed
            value = self.fields[name].to_python(value)
        return "" if value is None else value

    def conflict_merge(self, current: Model) -> tuple[QueryDict, dict[str, Clash], list[str]]:
        """Return the data of the form to show after a conflict with CURRENT.

        A field only the other side changed takes CURRENT's value; one only this user
        changed keeps the user's; one both changed (to different values) keeps the user's
        and is a ``Clash`` showing both. Compared with the snapshot the form was opened
        with; without one (an old form, a script) every field counts as the user's.
        Returns (data, clashes, labels of the fields taken from CURRENT); the data carries
        CURRENT's version and a new snapshot, so saving it is a deliberate save.
        """
        data = self.data.copy() if isinstance(self.data, QueryDict) else QueryDict(mutable=True)
        if not isinstance(self.data, QueryDict):
            for key, value in self.data.items():
                data[key] = value
        for key in [k for k in data if k.startswith(KEEP_PREFIX)]:
            del data[key]
        opened = self.opened_snapshot.values if self.opened_snapshot else None
        initial = self.initial_from(current)
        clashes: dict[str, Clash] = {}
        taken: list[str] = []
        for name in self.shown_fields:
            field = self.fields[name]
            theirs_raw = _raw(field.prepare_value(initial.get(name)))
            theirs = self._norm(name, theirs_raw)
            mine = self._norm(name, self.cleaned_data.get(name))
            if opened is not None and name in opened:
                was = self._norm(name, opened[name])
                mine_changed, theirs_changed = mine != was, theirs != was
            else:
                mine_changed, theirs_changed = True, True
            if not mine_changed:
                if theirs_changed:
                    data[self.add_prefix(name)] = theirs_raw
                    taken.append(str(self[name].label))
            elif theirs_changed and mine != theirs:
                mine_raw = _raw(field.prepare_value(self.cleaned_data.get(name)))
                clashes[name] = Clash(name, str(self[name].label), mine_raw, theirs_raw)
        data[self.add_prefix("version")] = _raw(getattr(current, "version", None))
        if self.owner is not None:
            data[self.add_prefix("opened")] = self.opened_token(current)
        return data, clashes, taken

    def initial_from(self, instance: Model) -> dict[str, Any]:
        """Return the initial values for INSTANCE (its editable fields and version)."""
        return {name: getattr(instance, name) for name in (*self.editable_fields, "version")}

    @property
    def instance_values(self) -> list[tuple[str, Any]]:
        """Return (label, stored value) of each visible field: what the object reads now."""
        if self.instance is None:
            return []
        values = self.initial_from(self.instance)  # as the form shows them (a name, not a link)
        return [(str(self[name].label), values.get(name, "")) for name in self.shown_fields]

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
                # Below sm the row is a card: each input takes the card's width.
                field.widget.attrs["class"] = f"input input-sm {width} max-sm:w-full max-sm:min-w-0"
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
        """Return the field the editor starts in: the first invalid one, else the first one
        both sides changed (after a conflict), else the first."""
        names = self.row_fields
        errors = getattr(self, "_errors", None) or {}  # None until the form is cleaned
        clashes = getattr(self, "clashes", {})
        return next(
            (name for name in names if name in errors),
            next((name for name in names if name in clashes), names[0] if names else ""),
        )

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
