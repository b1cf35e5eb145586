"""The declaration of an app's CSV export and import, in the spirit of a small ModelAdmin.

An app fills a ``CsvJobs`` subclass with its model, its URL namespace and a ``CsvExport``
and/or ``CsvImport`` spec (plain data and a few functions); the toolkit supplies the
services (``exporting``, ``importing``), the job pages (``views``) and their URL patterns
(``CsvJobs.urls()``). See docs/building-an-app.md, "CSV import and export".
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db.models import Model, QuerySet
from django.urls import URLPattern

from common.lists.csvjobs.models import ExportJob, ImportJob
from common.permissions import OWNER_FIELD

if TYPE_CHECKING:
    from apps.users.models import User

PROGRESS_EVERY = 1000
IMPORT_MAX_BYTES = 20 * 1024 * 1024
IMPORT_MAX_ROWS = 200_000
IMPORT_MAX_REPORTED = 500  # report entries kept per kind (rejected, skipped)


class ExportRows(Protocol):
    """Return OWNER's rows to export, in a stable order (counted, then iterated)."""

    def __call__(self, *, owner: User) -> QuerySet[Any, Any]: ...


class ExportRow(Protocol):
    """Return one queryset item as the cells of its CSV row (in ``columns`` order)."""

    def __call__(self, item: Any, /) -> Sequence[Any]: ...


class PrepareRow(Protocol):
    """Return one row's DATA (field -> stripped text) adjusted before it is keyed and built."""

    def __call__(self, data: dict[str, str], /) -> dict[str, str]: ...


class ExistingKeys(Protocol):
    """Return OWNER's objects as lower-cased key -> primary key."""

    def __call__(self, *, owner: User) -> Mapping[str, int]: ...


class BuildObject(Protocol):
    """Return a new, validated, unsaved object for OWNER from DATA; raise ValidationError.

    MEMO lives as long as the batch the object goes into: what a row looks up or creates that
    other rows name too (their company, say) can be kept there, once per batch, not per row.
    """

    def __call__(self, *, owner: User, data: dict[str, str], memo: dict[Any, Any]) -> Model: ...


class MergeObject(Protocol):
    """Update OWNER's object PK with DATA through the app's locked service.

    Raise ValidationError for bad data, the model's DoesNotExist when it is gone.
    """

    def __call__(self, *, owner: User, pk: int, data: dict[str, str]) -> object: ...


def _identity(item: Any, /) -> Sequence[Any]:
    return list(item)


@dataclass(kw_only=True)
class CsvExport:
    """What an export writes: the job model, the header and each owner's rows."""

    job_model: type[ExportJob]
    columns: Sequence[str]  # the header row
    rows: ExportRows  # e.g. a ``values_list(...)`` ordered by id
    row: ExportRow = _identity  # queryset item -> cells
    filename: str  # "contacts" -> stored contacts-<stamp>.csv, downloaded contacts-<date>.csv
    progress_every: int = PROGRESS_EVERY
    chunk_size: int = 2000


@dataclass(kw_only=True)
class CsvImport:
    """How an import reads rows: header aliases, the duplicate key, build and merge."""

    job_model: type[ImportJob]
    aliases: Mapping[str, str]  # header key (lower-case, "_" for spaces/dashes) -> field
    required: Collection[str]  # at least one of these fields must be a column
    required_label: str  # for the message: "at least <a name or email column>"
    example: str  # for the messages and the form: "name,email,phone"
    key_field: str  # a row's duplicate key: this field, case-insensitive ("" = no key)
    build: BuildObject
    merge: MergeObject | None = None  # None: duplicates can only be skipped
    prepare: PrepareRow | None = None  # e.g. split a "name" column into first and last
    existing: ExistingKeys | None = None  # default: the owner's objects by Lower(key_field)
    columns_help: Sequence[str] = ()  # the columns the form names (default: the fields)
    duplicates_label: str = "When a row is already there"
    max_bytes: int = IMPORT_MAX_BYTES
    max_rows: int = IMPORT_MAX_ROWS
    max_reported: int = IMPORT_MAX_REPORTED
    progress_every: int = PROGRESS_EVERY
    fields: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        self.fields = tuple(dict.fromkeys(self.aliases.values()))
        if not self.columns_help:
            self.columns_help = self.fields


class CsvJobs:
    """Declare an app's CSV export and/or import; subclass it once per app.

    A subclass that leaves ``model`` unset is abstract and is not checked.
    """

    model: ClassVar[type[Model]]
    owner_field: ClassVar[str] = OWNER_FIELD
    namespace: ClassVar[str]  # the app's URL namespace (its urls.py ``app_name``)
    list_url_name: ClassVar[str]  # where "Back to ..." goes, e.g. "contacts:list"
    export: ClassVar[CsvExport | None] = None
    import_: ClassVar[CsvImport | None] = None
    # Labels; default: the model's verbose names ("contact", "contacts").
    singular: ClassVar[str] = ""
    plural: ClassVar[str] = ""
    export_template_name: ClassVar[str] = "lists/csv_export.html"
    import_template_name: ClassVar[str] = "lists/csv_import.html"
    import_form_template_name: ClassVar[str] = "lists/csv_import_form.html"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "model" in cls.__dict__:
            cls.check()

    @classmethod
    def check(cls) -> None:
        """Raise ImproperlyConfigured when the declaration cannot work."""
        name = cls.__qualname__
        for attribute in ("namespace", "list_url_name"):
            if not getattr(cls, attribute, None):
                raise ImproperlyConfigured(f"{name} must set {attribute}.")
        if cls.export is None and cls.import_ is None:
            raise ImproperlyConfigured(f"{name} must set export, import_ or both.")
        spec = cls.import_
        if spec is not None:
            try:
                cls.model._meta.get_field(spec.key_field)
            except FieldDoesNotExist as exc:
                raise ImproperlyConfigured(
                    f"{name}.import_.key_field {spec.key_field!r} is not a field of "
                    f"{cls.model.__name__}."
                ) from exc
            if not set(spec.required) <= set(spec.fields):
                raise ImproperlyConfigured(f"{name}.import_.required must be alias targets.")

    # -- derived -----------------------------------------------------------------------
    @classmethod
    def get_singular(cls) -> str:
        return cls.singular or str(cls.model._meta.verbose_name)

    @classmethod
    def get_plural(cls) -> str:
        return cls.plural or str(cls.model._meta.verbose_name_plural)

    @classmethod
    def url_name(cls, name: str) -> str:
        """Return the namespaced name of one job page, e.g. ``contacts:export``."""
        return f"{cls.namespace}:{name}"

    @classmethod
    def template_context(cls) -> dict[str, Any]:
        """Return ``csv``, what the shared job templates need to know about the app."""
        spec = cls.import_
        return {
            "singular": cls.get_singular(),
            "plural": cls.get_plural(),
            "list_url": cls.list_url_name,
            "urls": {
                name: cls.url_name(name)
                for name in (
                    "export_start",
                    "export",
                    "export_download",
                    "export_retry",
                    "import_start",
                    "import",
                    "import_retry",
                )
            },
            "columns": spec.columns_help if spec else (),
            "max_mb": f"{spec.max_bytes / 1024 / 1024:g}" if spec else "",
        }

    @classmethod
    def urls(cls) -> list[URLPattern]:
        """Return the job pages' URL patterns (export/, exports/<pk>/..., import/, ...)."""
        from common.lists.csvjobs.urls import csv_urls

        return csv_urls(config=cls)
