"""URLs of the contacts app, under /contacts/."""

from __future__ import annotations

from django.urls import path

from apps.contacts import views
from apps.contacts.jobs import ContactCsv
from apps.contacts.lists import ContactList

app_name = "contacts"

urlpatterns = [
    *ContactList.urls(),  # list, count, new, detail, edit, row, delete, bulk delete, undo
    path("validate/email/", views.contact_validate_email, name="validate_email"),
    *ContactCsv.urls(),  # export/, exports/<pk>/ (download/, retry/), import/, imports/<pk>/
    path("<int:pk>/favourite/", views.contact_favourite, name="favourite"),
]
