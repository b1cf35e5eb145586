"""Contacts app: the reference hypermedia app of KIS."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig

if TYPE_CHECKING:
    from apps.users.models import User


class ContactsConfig(AppConfig):
    name = "apps.contacts"
    label = "contacts"
    verbose_name = "Contacts"
    default_auto_field = "django.db.models.BigAutoField"
    nav = ("Contacts", "contacts:list", "Your address book: search, edit, import and export.")

    def seed_demo(self, *, user: User) -> str:
        """Give the demo user a realistic address book once."""
        from apps.contacts.lists import ContactList
        from apps.contacts.seed import contacts_seed
        from common.lists.selectors import list_count

        existing = list_count(config=ContactList, owner=user)
        if existing:
            return f"{existing} contacts already there"
        made = contacts_seed(owner=user, count=250)
        return f"{made} contacts created"

    def user_data(self, *, user: User) -> Mapping[str, Iterable[dict[str, Any]]]:
        """Return every contact, export, import and live undo snapshot USER owns (streamed)."""
        from apps.contacts.selectors import contacts_user_data

        return contacts_user_data(owner=user)
