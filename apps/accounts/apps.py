"""Accounts app: the account settings page, profile, data export and account deletion."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import AppConfig

if TYPE_CHECKING:
    from apps.users.models import User


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from allauth.account.signals import user_logged_in

        from apps.accounts.signals import count_login_as_reauthentication

        user_logged_in.connect(count_login_as_reauthentication, dispatch_uid="kis_login_reauth")

    def user_data(self, *, user: User) -> dict[str, list[dict[str, Any]]]:
        """Return the account's own data for the export: profile, addresses, sessions, MFA."""
        from apps.accounts.selectors import account_data_for_export

        return account_data_for_export(user=user)
