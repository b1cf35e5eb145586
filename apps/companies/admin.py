"""The admin for companies (for staff; users work in the app's own pages)."""

from __future__ import annotations

from django.contrib import admin

from apps.companies.models import Company


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin[Company]):
    list_display = ("name", "website", "owner", "updated_at")
    search_fields = ("name", "website", "owner__email")
    raw_id_fields = ("owner",)
    readonly_fields = ("created_at", "updated_at", "version")
