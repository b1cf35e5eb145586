"""URL patterns of an owner-scoped list and its object pages, named after its declaration."""

from __future__ import annotations

from django.urls import URLPattern, path

from common.lists import objects
from common.lists.config import OwnedList
from common.lists.views import count_view, list_view


def list_urls(*, config: type[OwnedList], prefix: str = "") -> list[URLPattern]:
    """Return the list at PREFIX, its lazy count and every object page CONFIG declares.

    The names are the last part of ``url_name`` / ``count_url_name`` for the list and the
    count, and fixed for the rest (``create``, ``detail``, ``edit``, ``row``, ``row_edit``,
    ``delete``, ``bulk_delete``, ``undo``); the app's urls.py sets the namespace
    (``app_name``). A page is routed only when its template, form or hook is declared.
    """
    patterns = [path(prefix, list_view(config=config), name=config.url_name.rpartition(":")[2])]
    if config.count_url_name:
        name = config.count_url_name.rpartition(":")[2]
        patterns.append(path(f"{prefix}count/", count_view(config=config), name=name))
    if config.form_class and config.form_template_name:
        patterns.append(path(f"{prefix}new/", objects.create_view(config=config), name="create"))
    if config.trash_model is not None:
        patterns += [
            path(f"{prefix}delete/", objects.bulk_delete_view(config=config), name="bulk_delete"),
            path(f"{prefix}undo/<int:pk>/", objects.undo_view(config=config), name="undo"),
        ]
    one = f"{prefix}<int:pk>/"
    if config.detail_template_name:
        patterns.append(path(one, objects.detail_view(config=config), name="detail"))
    if config.form_class and config.form_template_name:
        patterns.append(path(f"{one}edit/", objects.edit_view(config=config), name="edit"))
    if config.row_form_class:
        patterns += [
            path(f"{one}row/", objects.row_view(config=config), name="row"),
            path(f"{one}row/edit/", objects.row_edit_view(config=config), name="row_edit"),
        ]
    if config.can_delete():
        patterns.append(path(f"{one}delete/", objects.delete_view(config=config), name="delete"))
    return patterns
