"""Owner-scoped access: a user only ever reaches their own objects (404 for others')."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)

OWNER_FIELD = "owner"


def owned_by[M: Model](
    queryset: QuerySet[M] | type[M],
    *,
    user: AbstractBaseUser | AnonymousUser,
    owner_field: str = OWNER_FIELD,
) -> QuerySet[M]:
    """Return QUERYSET narrowed to USER's rows; empty for anonymous users."""
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(**{owner_field: user})


def get_owned_or_404[M: Model](
    queryset: QuerySet[M] | type[M],
    *,
    user: AbstractBaseUser | AnonymousUser,
    owner_field: str = OWNER_FIELD,
    **lookup: Any,
) -> M:
    """Return USER's object matching LOOKUP, or raise Http404.

    Another user's object is indistinguishable from a missing one, so ids leak nothing.
    """
    try:
        return owned_by(queryset, user=user, owner_field=owner_field).get(**lookup)
    except (ObjectDoesNotExist, ValidationError, ValueError) as exc:
        # ValueError / ValidationError: a malformed id ("abc" for an integer pk).
        raise Http404("No such object.") from exc
