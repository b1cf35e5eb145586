"""URLs of the contacts app, under /contacts/."""

from __future__ import annotations

from django.urls import path

from apps.contacts import views
from apps.contacts.lists import ContactList

app_name = "contacts"

urlpatterns = [
    *ContactList.urls(),  # "" (list) and "count/" (count)
    path("new/", views.contact_create, name="create"),
    path("validate/email/", views.contact_validate_email, name="validate_email"),
    path("delete/", views.contact_bulk_delete, name="bulk_delete"),
    path("undo/<int:pk>/", views.contact_undo, name="undo"),
    path("export/", views.contact_export_start, name="export_start"),
    path("exports/<int:pk>/", views.contact_export, name="export"),
    path("exports/<int:pk>/download/", views.contact_export_download, name="export_download"),
    path("exports/<int:pk>/retry/", views.contact_export_retry, name="export_retry"),
    path("import/", views.contact_import_start, name="import_start"),
    path("imports/<int:pk>/", views.contact_import, name="import"),
    path("imports/<int:pk>/retry/", views.contact_import_retry, name="import_retry"),
    path("<int:pk>/", views.contact_detail, name="detail"),
    path("<int:pk>/edit/", views.contact_edit, name="edit"),
    path("<int:pk>/row/", views.contact_row, name="row"),
    path("<int:pk>/row/edit/", views.contact_row_edit, name="row_edit"),
    path("<int:pk>/favourite/", views.contact_favourite, name="favourite"),
    path("<int:pk>/delete/", views.contact_delete, name="delete"),
]
