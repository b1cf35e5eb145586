"""URLs of the companies app, under /companies/."""

from __future__ import annotations

from django.urls import path

from apps.companies import views
from apps.companies.jobs import CompanyCsv
from apps.companies.lists import CompanyList

app_name = "companies"

urlpatterns = [
    *CompanyList.urls(),  # list, count, new, detail, edit, row, delete, bulk delete, undo
    *CompanyCsv.urls(),  # export/, exports/<pk>/..., import/, imports/<pk>/...
    path("options/", views.company_options, name="options"),
    path("<int:pk>/contacts/", views.company_contacts, name="contacts"),
]
