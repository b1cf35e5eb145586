"""Core app: the home page, health endpoints, error pages and demo data."""

from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        """Send the admin's login through allauth, so its rate limits and MFA apply."""
        from allauth.account.decorators import secure_admin_login
        from django.contrib import admin

        admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
