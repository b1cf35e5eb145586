"""Accounts app: the account settings page, profile, data export and account deletion."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate

if TYPE_CHECKING:
    from apps.users.models import User


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from allauth.account.signals import user_logged_in

        from apps.accounts.receivers import security_log_connect
        from apps.accounts.signals import count_login_as_reauthentication, site_name_ensure

        user_logged_in.connect(count_login_as_reauthentication, dispatch_uid="kis_login_reauth")
        security_log_connect()
        # After django.contrib.sites creates its placeholder Site (this app has no models,
        # so it gets no post_migrate of its own).
        post_migrate.connect(
            site_name_ensure, sender=apps.get_app_config("sites"), dispatch_uid="kis_site_name"
        )

    def user_data(self, *, user: User) -> Mapping[str, Iterable[dict[str, Any]]]:
        """Return the account's own data for the export: profile, addresses, sessions, MFA."""
        from apps.accounts.selectors import account_data_for_export

        return account_data_for_export(user=user)
