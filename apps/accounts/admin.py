"""Admin fixes for allauth's models on KIS's username-less user model."""

from __future__ import annotations

from collections.abc import Sequence

from allauth.account.adapter import get_adapter
from allauth.usersessions.admin import UserSessionAdmin as AllauthUserSessionAdmin
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.http import HttpRequest

# allauth searches sessions by "user__username", which KIS's User does not have: every
# search on the sessions changelist was a FieldError (500). Search the user fields that
# exist (email, as allauth's own EmailAddress admin does) instead.
admin.site.unregister(UserSession)


@admin.register(UserSession)
class UserSessionAdmin(AllauthUserSessionAdmin):
    def get_search_fields(self, request: HttpRequest) -> Sequence[str]:
        user_fields = get_adapter().get_user_search_fields()
        return ["ip", *(f"user__{name}" for name in user_fields)]
