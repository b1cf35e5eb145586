"""Demo data: one verified demo user, then whatever each app adds for it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from allauth.account.models import EmailAddress
from django.apps import apps
from django.db import transaction

if TYPE_CHECKING:
    from apps.users.models import User

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "kis-demo-2026"  # noqa: S105 - a published demo login, local only


class SeedsDemo(Protocol):
    """An AppConfig that adds demo data for the demo user.

    ``seed_demo`` must be idempotent: it runs on every ``make run`` and adds
    nothing when its data is already there.
    """

    def seed_demo(self, *, user: User) -> str: ...


@transaction.atomic
def demo_user_ensure(
    *, email: str = DEMO_EMAIL, password: str = DEMO_PASSWORD
) -> tuple[User, bool]:
    """Return the demo user (verified email), creating it the first time."""
    from apps.users.models import User

    user = User.objects.filter(email=email).first()
    created = user is None
    if user is None:
        user = User.objects.create_user(email=email, password=password, name="Demo User")
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user, created


def demo_data_seed(*, user: User) -> list[str]:
    """Let every app that defines ``seed_demo`` add its demo data; return what they did."""
    done = []
    for config in apps.get_app_configs():
        seed = getattr(config, "seed_demo", None)
        if callable(seed):
            done.append(f"{config.label}: {seed(user=user)}")
    return done
