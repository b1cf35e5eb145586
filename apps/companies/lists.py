"""The companies list and pages, declared on the app toolkit (common.lists)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from django.http import HttpRequest

from apps.companies import services
from apps.companies.forms import CompanyCreateForm, CompanyForm, CompanyRowForm
from apps.companies.models import Company, CompanyExport, DeletedCompanies
from apps.companies.selectors import company_contacts_context
from common.lists import OwnedList
from common.lists.csvjobs.views import latest_export


class CompanyList(OwnedList):
    """Each user's companies: search, two sorts, pages, inline edit, delete with Undo."""

    model = Company
    search_field = "search"  # lower-cased name and website (trigram index on PostgreSQL)
    search_lookup = "contains"
    sorts = {
        "name": ("Name", ("name", "id")),
        "updated": ("Recently updated", ("-updated_at", "-id")),
    }
    defer = ("notes", "search")
    template_name = "companies/list.html"
    count_template_name = "lists/count.html"
    count_tallied = True  # migration 0002 tallies companies per owner
    url_name = "companies:list"
    count_url_name = "companies:count"
    detail_template_name = "companies/detail.html"
    form_class = CompanyForm
    create_form_class = CompanyCreateForm
    form_template_name = "companies/form.html"
    row_form_class = CompanyRowForm
    trash_model = DeletedCompanies

    @classmethod
    def get_extra_context(cls, request: HttpRequest) -> dict[str, Any]:
        # A callable: the template calls it only when it renders the full page.
        return {"latest_export": lambda: latest_export(request=request, model=CompanyExport)}

    @classmethod
    def get_object_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        # The company page lists its contacts: the first page here, the rest by load-more.
        return company_contacts_context(company=obj)

    @classmethod
    def create(cls, *, owner: Any, data: Mapping[str, Any], submission_key: UUID | None) -> Company:
        return services.company_create(owner=owner, data=data, submission_key=submission_key)

    @classmethod
    def update(cls, *, obj: Any, data: Mapping[str, Any], version: int | None) -> Company:
        return services.company_update(company=obj, data=data, version=version)

    @classmethod
    def delete(cls, *, owner: Any, ids: list[int]) -> DeletedCompanies | None:
        return services.companies_delete(owner=owner, ids=ids)

    @classmethod
    def restore(cls, *, owner: Any, trash_id: int) -> int:
        return services.companies_restore(owner=owner, trash_id=trash_id)
