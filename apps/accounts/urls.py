"""URLs of the accounts app (mounted at /accounts/, before allauth's)."""

from __future__ import annotations

from django.urls import path

from apps.accounts import views

urlpatterns = [
    path("", views.account_settings, name="account_settings"),
    path("profile/", views.profile_update, name="account_profile"),
    path("keyboard/", views.keyboard_settings_update, name="account_keyboard"),
    path("sessions/", views.sessions_list, name="account_sessions"),  # replaces allauth's page
    path("sessions/<int:pk>/end/", views.session_end, name="account_session_end"),
    path("sessions/end-others/", views.sessions_end_others, name="account_sessions_end_others"),
    path("security-log/", views.security_log, name="account_security_log"),
    path("passkeys/<int:pk>/rename/", views.passkey_rename, name="account_passkey_rename"),
    path("export/", views.data_export, name="account_export"),
    path("export/<int:pk>/", views.data_export_job, name="account_export_job"),
    path("export/<int:pk>/download/", views.data_export_download, name="account_export_download"),
    path("export/<int:pk>/retry/", views.data_export_retry, name="account_export_retry"),
    path("delete/", views.account_delete, name="account_delete"),
    path("deleted/", views.account_deleted, name="account_deleted"),
]
