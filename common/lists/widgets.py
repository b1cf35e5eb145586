"""Widgets of the app toolkit: a search-as-you-type picker for a related object."""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString


class PickerInput(forms.TextInput):
    """A text input that suggests matching objects while typing (an ARIA combobox).

    OPTIONS_URL_NAME names a view that answers ``?q=`` with ``<li role="option">`` items
    (``templates/lists/widgets/options.html``); static/js/picker.js handles the keyboard
    (Up/Down, Enter, Escape) and the mouse. The value is the typed or chosen text, so
    without JavaScript it is a plain text field and the server resolves the name.
    """

    template = "lists/widgets/picker.html"

    def __init__(
        self, *, options_url_name: str, label: str, attrs: dict[str, Any] | None = None
    ) -> None:
        super().__init__(attrs)
        self.options_url_name = options_url_name
        self.label = label

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        context = self.get_context(name, value, attrs)
        widget = context["widget"]
        widget_id = widget["attrs"].get("id") or f"id_{name}"
        widget["attrs"]["id"] = widget_id
        context |= {
            "listbox_id": f"{widget_id}-listbox",
            "options_url": reverse(self.options_url_name),
            "label": self.label,
        }
        return SafeString(render_to_string(self.template, context))
