"""Read-side queries of the home page: the signed-in dashboard."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Count, IntegerField, Model, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from apps.core.models import RowTally
from common.jobs import JobStatus

if TYPE_CHECKING:
    from apps.users.models import User

RECENT_CONTACTS = 5
JOBS_SHOWN = 5
# A failed job stays on the dashboard this long (then only its list's history has it).
FAILED_JOBS_SINCE = timedelta(days=7)

# (model, label, URL name of its page), each a user's CSV job.
_JOB_MODELS = (
    ("contacts.ContactExport", "Contacts export", "contacts:export"),
    ("contacts.ContactImport", "Contacts import", "contacts:import"),
    ("companies.CompanyExport", "Companies export", "companies:export"),
    ("companies.CompanyImport", "Companies import", "companies:import"),
)


@dataclass(frozen=True)
class ListCount:
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class DashboardJob:
    label: str
    status: str
    status_label: str
    percent: int
    created_at: datetime
    url: str

    @property
    def failed(self) -> bool:
        return self.status == JobStatus.FAILED


@dataclass(frozen=True)
class Dashboard:
    counts: list[ListCount] = field(default_factory=list)
    recent_contacts: list[Any] = field(default_factory=list)
    jobs: list[DashboardJob] = field(default_factory=list)


def row_tally_totals(*, owner: Any, models: Sequence[type[Model]]) -> dict[type[Model], int]:
    """Return OWNER's tallied row count of each of MODELS that has one (apps.core.tally).

    A model without a tally, or whose tally is off (below zero), is left out: count its rows.
    """
    if not models or not getattr(owner, "is_authenticated", False):
        return {}
    by_label = {model._meta.label_lower: model for model in models}
    rows = RowTally.objects.filter(owner=owner, label__in=by_label).values_list("label", "total")
    return {by_label[label]: total for label, total in rows if total >= 0}


def _url(name: str, *args: object) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # the app is installed but not mounted in this URLconf
        return None


def _count_of(model: Any) -> Coalesce:
    rows = model.objects.filter(owner=OuterRef("pk")).order_by().values("owner")
    return Coalesce(
        Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
        0,
    )


def dashboard(*, user: User) -> Dashboard:
    """Return USER's counts, recently changed contacts and unfinished or failed jobs.

    Four queries at most: the tallied counts (apps.core.tally), the counts of lists without
    a tally in one, the recent contacts, every job model in one UNION.
    """
    from apps.users.models import User as UserModel

    lists = [
        (label, model_name, url)
        for label, model_name, url_name in (
            ("Contacts", "contacts.Contact", "contacts:list"),
            ("Companies", "companies.Company", "companies:list"),
        )
        if apps.is_installed(f"apps.{model_name.partition('.')[0]}")
        and (url := _url(url_name)) is not None
    ]
    counts: list[ListCount] = []
    if lists:
        models = [apps.get_model(model_name) for _, model_name, _ in lists]
        numbers: dict[type[Model], int] = row_tally_totals(owner=user, models=models)
        annotations = {
            f"n{i}": _count_of(model) for i, model in enumerate(models) if model not in numbers
        }
        if annotations:  # lists without a tally (yet): count their rows, all in one query
            row = UserModel.objects.filter(pk=user.pk).annotate(**annotations).values(*annotations)
            counted = row.first() or {}
            for i, model in enumerate(models):
                numbers.setdefault(model, int(counted.get(f"n{i}") or 0))
        counts = [
            ListCount(label=label, count=numbers[model], url=url)
            for (label, _, url), model in zip(lists, models, strict=True)
        ]

    recent: list[Any] = []
    if any(model_name == "contacts.Contact" for _, model_name, _ in lists):
        contact = apps.get_model("contacts.Contact")
        recent = list(
            contact.objects.filter(owner=user)
            .only("pk", "first_name", "last_name", "email", "company_name", "updated_at")
            .order_by("-updated_at", "-id")[:RECENT_CONTACTS]
        )
    return Dashboard(counts=counts, recent_contacts=recent, jobs=_jobs(user=user))


def _jobs(*, user: User) -> list[DashboardJob]:
    since = timezone.now() - FAILED_JOBS_SINCE
    parts: list[QuerySet[Any]] = []
    pages: dict[int, tuple[str, str]] = {}
    for index, (model_name, label, url_name) in enumerate(_JOB_MODELS):
        app_label = model_name.partition(".")[0]
        if not apps.is_installed(f"apps.{app_label}") or _url(url_name, 0) is None:
            continue
        model = apps.get_model(model_name)
        pages[index] = (label, url_name)
        parts.append(
            model.objects.filter(owner=user, created_at__gte=since)
            .filter(status__in=(JobStatus.PENDING, JobStatus.RUNNING, JobStatus.FAILED))
            .order_by()
            .values("pk", "status", "processed", "total", "created_at")
            .annotate(kind=Value(index, output_field=IntegerField()))
        )
    if not parts:
        return []
    first, *rest = parts
    rows = first.union(*rest, all=True).order_by("-created_at", "-pk")[:JOBS_SHOWN]
    jobs = []
    for row in rows:
        label, url_name = pages[row["kind"]]
        total, processed = row["total"], row["processed"]
        jobs.append(
            DashboardJob(
                label=label,
                status=row["status"],
                status_label=JobStatus(row["status"]).label,
                percent=min(100, processed * 100 // total) if total else 0,
                created_at=row["created_at"],
                url=reverse(url_name, args=[row["pk"]]),
            )
        )
    return jobs
