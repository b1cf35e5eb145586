"""The declaration of an owner-scoped list, in the spirit of a small ModelAdmin."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlencode

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern

from common.http import AuthenticatedHttpRequest
from common.lists import services
from common.lists.models import Trash
from common.permissions import OWNER_FIELD, owned_by
from common.reversing import reverse_plain

if TYPE_CHECKING:
    from uuid import UUID

    from common.lists.forms import VersionedForm

# A sort: (label shown on its link, keyset ordering ending with the unique id).
type Sort = tuple[str, tuple[str, ...]]


class OwnedList:
    """Declare one list of the signed-in user's objects; subclass it once per app.

    Only the class attributes are configuration; the views and selectors read them. A subclass
    that leaves ``model`` unset is abstract (a base for other declarations) and is not checked.
    """

    model: ClassVar[type[Model]]
    do_not_call_in_templates: ClassVar[bool] = True  # templates get the class as ``config``
    owner_field: ClassVar[str] = OWNER_FIELD
    # The field searched for the normalised (trimmed, lower-cased) query, and the lookup used.
    # None: the list has no search (the query is ignored).
    search_field: ClassVar[str | None] = None
    search_lookup: ClassVar[str] = "icontains"
    search_max: ClassVar[int] = 100
    # A search first looks for a page in a window of this many rows of the ordering, then
    # has the database sort every match (common.lists.selectors._search_page, ADR 0016).
    # A list whose rows are read keys first walks a longer window when the owner has many
    # rows: 1/search_walk_share of them (tallied lists; 2% of a million rows is 20,000).
    # None: always walk the ordering's index and filter as it goes.
    search_window: ClassVar[int | None] = 5000
    search_walk_share: ClassVar[int] = 50
    # sort key (the ?sort= value) -> (label, ordering). Each ordering must be total (end with
    # the primary key) and should match an index that starts with the owner field.
    sorts: ClassVar[Mapping[str, Sort]]
    default_sort: ClassVar[str | None] = None  # None: the first key of `sorts`
    page_size: ClassVar[int] = 50
    defer: ClassVar[tuple[str, ...]] = ()  # columns the rows never show
    # The list's template renders its rows with {% cachedfor %} (common.templatetags.kis_rows):
    # a page of a Versioned model reads its rows' keys first and fetches only the objects of
    # rows not cached. Set False for a template that loops with {% for %} (a second query).
    rows_cached: ClassVar[bool] = True

    template_name: ClassVar[str]
    results_partial: ClassVar[str] = "results"  # search and sort swap this
    rows_partial: ClassVar[str] = "rows"  # load-more (a request with a cursor) appends this
    count_template_name: ClassVar[str | None] = None  # None: no count view
    count_partial: ClassVar[str] = "count"
    # The count view counts at most this many rows and says "more than N" beyond: its cost
    # stays that of N rows however big the list grows (1M contacts: 200 ms a count).
    # None: always count exactly.
    count_limit: ClassVar[int | None] = 100_000
    # The model's app tallies its rows per owner (apps.core.tally.TallyRows in a migration):
    # the unfiltered count reads the tally (exact, however many rows) instead of counting.
    # Only right when get_queryset() is every object of the owner, as it is by default.
    count_tallied: ClassVar[bool] = False

    url_name: ClassVar[str]  # e.g. "contacts:list"
    count_url_name: ClassVar[str | None] = None  # e.g. "contacts:count"
    invalid_cursor_message: ClassVar[str] = (
        "That position in the list is no longer valid. Reload the page."
    )

    # -- object pages (common.lists.objects); an unset template or form: no such page -----
    detail_template_name: ClassVar[str | None] = None  # <pk>/
    form_class: ClassVar[type[VersionedForm] | None] = None  # new/ and <pk>/edit/
    create_form_class: ClassVar[type[VersionedForm] | None] = None  # new/ (default form_class)
    form_template_name: ClassVar[str | None] = None
    row_form_class: ClassVar[type[VersionedForm] | None] = None  # <pk>/row/ and row/edit/
    row_partial: ClassVar[str] = "row"  # of template_name: one table row
    row_edit_template_name: ClassVar[str] = "lists/row_edit.html"
    delete_template_name: ClassVar[str] = "lists/delete.html"  # <pk>/delete/
    trash_model: ClassVar[type[Trash] | None] = None  # delete/ (bulk) and undo/<pk>/
    bulk_max: ClassVar[int] = services.BULK_DELETE_MAX
    changed_event: ClassVar[str | None] = None  # default "<namespace>-changed"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "model" in cls.__dict__:
            cls.check()

    @classmethod
    def check(cls) -> None:
        """Raise ImproperlyConfigured when the declaration cannot work."""
        name = cls.__qualname__
        for attribute in ("sorts", "template_name", "url_name"):
            if not getattr(cls, attribute, None):
                raise ImproperlyConfigured(f"{name} must set {attribute}.")
        if bool(cls.count_template_name) != bool(cls.count_url_name):
            raise ImproperlyConfigured(
                f"{name} must set both count_template_name and count_url_name, or neither."
            )
        if cls.search_walk_share < 1:
            raise ImproperlyConfigured(f"{name}.search_walk_share must be at least 1.")
        if cls.default_sort is not None and cls.default_sort not in cls.sorts:
            raise ImproperlyConfigured(f"{name}.default_sort {cls.default_sort!r} is not a sort.")
        pk_names = {"pk", cls.model._meta.pk.name}
        for key, (_label, ordering) in cls.sorts.items():
            if not ordering or ordering[-1].lstrip("-") not in pk_names:
                raise ImproperlyConfigured(
                    f"{name}.sorts[{key!r}] must end with the primary key (a total ordering)."
                )

    # -- hooks -------------------------------------------------------------------------
    @classmethod
    def get_queryset(cls, *, owner: AbstractBaseUser | AnonymousUser) -> QuerySet[Any]:
        """Return every object OWNER may list (none for anonymous users); narrow it here."""
        return owned_by(cls.model, user=owner, owner_field=cls.owner_field)

    @classmethod
    def get_extra_context(cls, request: HttpRequest) -> dict[str, Any]:
        """Return what the full page shows besides the list (callables render lazily)."""
        return {}

    @classmethod
    def create(
        cls, *, owner: AbstractBaseUser, data: Mapping[str, Any], submission_key: UUID | None
    ) -> Any:
        """Create OWNER's object from a valid form's DATA; call the app's service here."""
        raise ImproperlyConfigured(f"{cls.__qualname__} must define create() to offer new/.")

    @classmethod
    def update(cls, *, obj: Any, data: Mapping[str, Any], version: int | None) -> Any:
        """Save DATA onto OBJ unless it moved past VERSION; call the app's service here."""
        raise ImproperlyConfigured(f"{cls.__qualname__} must define update() to offer edit.")

    @classmethod
    def delete(cls, *, owner: AbstractBaseUser, ids: list[int]) -> Any:
        """Delete OWNER's objects with IDS; return the Undo snapshot (None: nothing deleted)."""
        if cls.trash_model is None:
            raise ImproperlyConfigured(
                f"{cls.__qualname__} must set trash_model or define delete()."
            )
        return services.objects_delete(
            model=cls.model, trash_model=cls.trash_model, owner=owner, ids=ids, limit=cls.bulk_max
        )

    @classmethod
    def restore(cls, *, owner: AbstractBaseUser, trash_id: int) -> int:
        """Put back what one delete removed; return how many objects."""
        if cls.trash_model is None:
            raise ImproperlyConfigured(f"{cls.__qualname__} has no trash_model to restore from.")
        return services.objects_restore(
            model=cls.model, trash_model=cls.trash_model, owner=owner, trash_id=trash_id
        )

    @classmethod
    def get_object_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        """Return what OBJ's page shows besides OBJ (e.g. its related objects)."""
        return {}

    # -- derived -----------------------------------------------------------------------
    @classmethod
    def namespace(cls) -> str:
        """Return the URL namespace (the app's ``app_name``), from ``url_name``."""
        return cls.url_name.rpartition(":")[0]

    @classmethod
    def url(cls, action: str) -> str:
        """Return the URL name of ACTION (``"edit"`` -> ``"contacts:edit"``)."""
        namespace = cls.namespace()
        return f"{namespace}:{action}" if namespace else action

    @classmethod
    def url_names(cls) -> dict[str, str]:
        """Return every action's URL name (``{% url config.url_names.edit pk %}``)."""
        # The object pages, and the CSV jobs' (common.lists.csvjobs.CsvJobs.urls) for apps
        # that have them.
        actions = (
            *("create", "detail", "edit", "row", "row_edit", "delete", "bulk_delete", "undo"),
            *("import_start", "export_start", "export"),
        )
        return {action: cls.url(action) for action in actions}

    @classmethod
    def verbose_name(cls) -> str:
        return str(cls.model._meta.verbose_name)

    @classmethod
    def verbose_name_plural(cls) -> str:
        return str(cls.model._meta.verbose_name_plural)

    @classmethod
    def has_undo(cls) -> bool:
        return cls.trash_model is not None

    @classmethod
    def can_delete(cls) -> bool:
        """Return whether objects can be deleted: a trash_model, or an own delete()."""
        own_delete = cls.delete.__func__ is not OwnedList.delete.__func__  # type: ignore[attr-defined]
        return cls.has_undo() or own_delete

    @classmethod
    def object_name(cls) -> str:
        """Return the template variable of one object (the model name, e.g. ``contact``)."""
        return cls.model._meta.model_name or "object"

    @classmethod
    def row_id(cls, obj: Model) -> str:
        """Return the DOM id of OBJ's table row (``contact-7``)."""
        return f"{cls.object_name()}-{obj.pk}"

    @classmethod
    def get_changed_event(cls) -> str:
        """Return the client event a change fires (the lazy count reloads on it)."""
        return cls.changed_event or f"{cls.namespace() or cls.object_name()}-changed"

    @classmethod
    def require(cls, attribute: str) -> Any:
        """Return the declared ATTRIBUTE, or raise ImproperlyConfigured when it is unset."""
        value = getattr(cls, attribute, None)
        if not value:
            raise ImproperlyConfigured(f"{cls.__qualname__} must set {attribute}.")
        return value

    @classmethod
    def get_default_sort(cls) -> str:
        return cls.default_sort if cls.default_sort is not None else next(iter(cls.sorts))

    @classmethod
    def list_url(cls, *, q: str = "", sort: str | None = None, cursor: str | None = None) -> str:
        """Return the list's URL for this state (the default sort and empty values left out)."""
        params = {"q": q, "sort": sort, "cursor": cursor}
        if sort == cls.get_default_sort():
            params["sort"] = None
        query = urlencode({k: v for k, v in params.items() if v})
        base = reverse_plain(cls.url_name)
        return f"{base}?{query}" if query else base

    @classmethod
    def count_url(cls, *, q: str = "") -> str:
        """Return the lazy count's URL for query Q ("" when the list has no count view)."""
        if not cls.count_url_name:
            return ""
        return reverse_plain(cls.count_url_name) + ("?" + urlencode({"q": q}) if q else "")

    @classmethod
    def as_view(cls) -> Callable[[AuthenticatedHttpRequest], HttpResponse]:
        """Return the list view (page, ``results`` or ``rows`` partial)."""
        from common.lists.views import list_view

        return list_view(config=cls)

    @classmethod
    def as_count_view(cls) -> Callable[[AuthenticatedHttpRequest], HttpResponse]:
        """Return the lazy count view (page or ``count`` partial)."""
        from common.lists.views import count_view

        return count_view(config=cls)

    @classmethod
    def urls(cls, *, prefix: str = "") -> list[URLPattern]:
        """Return the URL patterns: the list at PREFIX, its count and the declared object pages."""
        from common.lists.urls import list_urls

        return list_urls(config=cls, prefix=prefix)
