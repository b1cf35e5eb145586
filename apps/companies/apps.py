"""Companies app: the organisations a user's contacts work for (built on common.lists)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig

if TYPE_CHECKING:
    from apps.users.models import User


class CompaniesConfig(AppConfig):
    name = "apps.companies"
    label = "companies"
    verbose_name = "Companies"
    default_auto_field = "django.db.models.BigAutoField"
    nav = ("Companies", "companies:list", "The organisations your contacts work for.")

    def user_data(self, *, user: User) -> Mapping[str, Iterable[dict[str, Any]]]:
        """Return every company and live undo snapshot USER owns (streamed)."""
        from apps.companies.selectors import companies_user_data

        return companies_user_data(owner=user)
