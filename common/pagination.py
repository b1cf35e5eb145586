"""Keyset (cursor) pagination: constant cost per page, however deep.

Offset pagination makes the database skip N rows on page N; keyset pagination
asks for "rows after the last one I saw" and walks an index instead. The
ordering must be total (end it with a unique field such as ``pk``) and its
fields must not be NULL.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime
import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NoReturn, TypeVar, overload

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connections
from django.db.models import (
    BooleanField,
    CharField,
    DateField,
    DecimalField,
    F,
    FloatField,
    IntegerField,
    Lookup,
    Model,
    OrderBy,
    Q,
    QuerySet,
    TextField,
    UUIDField,
)
from django.db.models.fields.tuple_lookups import (
    Tuple,
    TupleGreaterThan,
    TupleGreaterThanOrEqual,
    TupleLessThan,
    TupleLessThanOrEqual,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from common.text import has_unstorable_chars

M = TypeVar("M", bound=Model)

CURSOR_MAX = 8192  # characters; a cursor of long names is a few hundred
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def _no_constant(name: str) -> NoReturn:
    """Refuse JSON's NaN, Infinity and -Infinity (json.loads accepts them by default)."""
    raise ValueError(f"{name} is not allowed in a cursor")


def _json_types(field: Any) -> tuple[type, ...]:
    """Return the JSON types ``_encode`` writes for FIELD's values."""
    if isinstance(field, IntegerField):
        return (int,)
    if isinstance(field, BooleanField):
        return (bool,)
    if isinstance(field, FloatField):
        return (int, float)
    if isinstance(field, (CharField, TextField, DateField, DecimalField, UUIDField)):
        return (str,)  # text, and what json.dumps(default=str) makes of dates, decimals, UUIDs
    return (str, int, float)


def _check_storable(value: Any) -> None:
    """Raise ValueError when VALUE would fail on its way into a query."""
    if isinstance(value, datetime.datetime):
        if settings.USE_TZ and timezone.is_naive(value):
            raise ValueError("naive datetime")
        value.astimezone(datetime.UTC)  # what the database gets; OverflowError near year 1/9999
    elif (isinstance(value, float) and not math.isfinite(value)) or (
        isinstance(value, Decimal) and not value.is_finite()
    ):
        raise ValueError("not finite")


class InvalidCursor(ValueError):
    """The cursor was not made by this paginator for this ordering."""


class RowKey:
    """What names one version of a row: its model's options, primary key, version and time
    of update (the attributes ``common.templatetags.kis_rows`` keys a cached row by)."""

    __slots__ = ("_meta", "pk", "updated_at", "version")

    def __init__(self, meta: Any, pk: Any, version: Any, updated_at: Any) -> None:
        self._meta, self.pk, self.version, self.updated_at = meta, pk, version, updated_at


class PageRows[M: Model](Sequence[M]):
    """A page's rows, read first as their keys; the objects are fetched when asked for.

    ``{% cachedfor %}`` (``common.templatetags.kis_rows``) renders each row from the cache
    by its key and asks ``objects_for`` only for the rows it misses: a page whose rows are
    all cached costs one narrow query and builds no model instances. Anything else that
    reads the rows (iterates, indexes) gets the objects, fetched in one query the first
    time. A row deleted between the two queries is left out of the objects; ``len`` is the
    number of keys.
    """

    def __init__(self, queryset: QuerySet[M], keys: list[RowKey]) -> None:
        self.queryset = queryset
        self.keys = keys
        self._objects: list[M] | None = None

    def objects_for(self, keys: Sequence[RowKey]) -> dict[Any, M]:
        """Return the objects of KEYS (those still there) by primary key, in one query."""
        if not keys:
            return {}
        return {obj.pk: obj for obj in self.queryset.filter(pk__in=[key.pk for key in keys])}

    def _all(self) -> list[M]:
        if self._objects is None:
            found = self.objects_for(self.keys)
            self._objects = [found[key.pk] for key in self.keys if key.pk in found]
        return self._objects

    def __len__(self) -> int:
        return len(self.keys)

    def __bool__(self) -> bool:
        return bool(self.keys)

    @overload
    def __getitem__(self, index: int) -> M: ...
    @overload
    def __getitem__(self, index: slice) -> list[M]: ...
    def __getitem__(self, index: int | slice) -> M | list[M]:
        return self._all()[index]

    def __iter__(self) -> Iterator[M]:
        return iter(self._all())


@dataclass(frozen=True)
class KeysetPage[M: Model]:
    """One page of results and the cursor that continues after it."""

    items: Sequence[M]
    next_cursor: str | None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


@dataclass(frozen=True)
class Walk[M: Model]:
    """What ``KeysetPaginator.walk_page`` found: a page, or the rows that matched short of one."""

    page: KeysetPage[M] | None
    found: tuple[tuple[Any, ...], ...] = ()  # (ordering values…, pk, version, updated_at)

    @property
    def matched(self) -> int:
        """Return how many rows matched: more than a page when there is one."""
        return len(self.found) if self.page is None else len(self.page.items) + 1


class KeysetPaginator[M: Model]:
    """Paginate QUERYSET by ORDERING (e.g. ``("last_name", "first_name", "pk")``).

    A leading ``-`` sorts a field descending. Cursors are opaque URL-safe strings.
    """

    def __init__(
        self,
        queryset: QuerySet[M],
        *,
        ordering: Sequence[str],
        page_size: int,
        keys_first: bool = False,
    ) -> None:
        """KEYS_FIRST: a page reads its rows' keys and gives them as ``PageRows`` (the
        model must have ``version`` and ``updated_at``, as ``common.lists.models.Versioned``)."""
        if not ordering:
            raise ValueError("Keyset pagination needs at least one ordering field.")
        if page_size < 1:
            raise ValueError("page_size must be positive.")
        self.queryset = queryset
        self.ordering = tuple(ordering)
        self.page_size = page_size
        self.keys_first = keys_first
        self._fields = [name.lstrip("-") for name in self.ordering]

    # -- cursor encoding -------------------------------------------------------
    def _encode(self, obj: M) -> str:
        return self._encode_values([self._value_of(obj, name) for name in self._fields])

    @staticmethod
    def _encode_values(values: Sequence[Any]) -> str:
        raw = json.dumps(list(values), separators=(",", ":"), default=str).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @staticmethod
    def _value_of(obj: M, name: str) -> Any:
        if name == "pk":
            return obj.pk
        field = obj._meta.get_field(name)
        return getattr(obj, getattr(field, "attname", name))

    def _decode(self, cursor: str) -> list[Any]:
        """Return CURSOR's values, each checked against its ordering field's type.

        Raises InvalidCursor for anything this paginator could not have made: a cursor
        that is not base64 JSON, has the wrong length, or holds a value of the wrong type
        or out of its column's range (so a hand-made cursor never reaches the database).
        """
        if len(cursor) > CURSOR_MAX:
            raise InvalidCursor("Cursor is too long.")
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            values = json.loads(
                base64.urlsafe_b64decode(padded.encode("ascii")), parse_constant=_no_constant
            )
        except (binascii.Error, ValueError, RecursionError) as exc:
            raise InvalidCursor("Malformed cursor.") from exc
        if not isinstance(values, list) or len(values) != len(self._fields):
            raise InvalidCursor("Cursor does not match this ordering.")
        model = self.queryset.model
        decoded = []
        for name, value in zip(self._fields, values, strict=True):
            field = model._meta.pk if name == "pk" else self._get_field(model, name)
            decoded.append(self._checked(field, value))
        return decoded

    def _checked(self, field: Any, value: Any) -> Any:
        """Return VALUE as FIELD's Python value, or raise InvalidCursor when it cannot be one."""
        target = field.target_field if field.is_relation else field
        if isinstance(value, str) and has_unstorable_chars(value):
            raise InvalidCursor("Cursor value holds characters a database cannot store.")
        if type(value) not in _json_types(target):  # exact: a bool is not an int here
            raise InvalidCursor("Cursor value has the wrong type.")
        if isinstance(target, IntegerField):
            low, high = self._int_range(target)
            if not low <= value <= high:
                raise InvalidCursor("Cursor value is out of range.")
            return value
        try:
            python = target.to_python(value)
            _check_storable(python)
        except (ValidationError, TypeError, ValueError, OverflowError) as exc:
            raise InvalidCursor("Cursor value has the wrong type.") from exc
        return python

    def _int_range(self, field: IntegerField[Any, Any]) -> tuple[int, int]:
        low, high = None, None
        with contextlib.suppress(KeyError):
            low, high = connections[self.queryset.db].ops.integer_field_range(
                field.get_internal_type()
            )
        return (INT64_MIN if low is None else low, INT64_MAX if high is None else high)

    @staticmethod
    def _get_field(model: type[Model], name: str) -> Any:
        try:
            return model._meta.get_field(name)
        except FieldDoesNotExist as exc:
            raise ValueError(f"Unknown ordering field {name!r}.") from exc

    # -- paging ------------------------------------------------------------------
    def _after(self, values: list[Any]) -> Q | Lookup[Any]:
        """Return the filter for rows strictly after VALUES in this ordering.

        When every field sorts the same way this is one row-value comparison,
        ``(a, b, id) > (x, y, z)``, which PostgreSQL and SQLite answer by seeking
        in a matching index. Mixed directions fall back to the expanded
        ``a > x OR (a = x AND b < y) ...`` form.
        """
        descending = {name.startswith("-") for name in self.ordering}
        if len(descending) == 1 and len(self._fields) > 1:
            row_lookup = TupleLessThan if descending.pop() else TupleGreaterThan
            return row_lookup(Tuple(*(F(name) for name in self._fields)), tuple(values))
        condition = Q()
        for i, name in enumerate(self.ordering):
            field = name.lstrip("-")
            lookup = "lt" if name.startswith("-") else "gt"
            term = Q(**{f"{field}__{lookup}": values[i]})
            for j in range(i):
                term &= Q(**{self._fields[j]: values[j]})
            condition |= term
        return condition

    def _order_by(self, *, sorted_by_database: bool) -> list[OrderBy]:
        """Return the ORDER BY terms; ``COALESCE(f, f)`` when the database must sort.

        ``COALESCE(f, f)`` is ``f`` (the fields are never NULL), with the same collation, but
        no index matches it: the planner sorts the rows the filter found instead of walking
        an index in order and filtering as it goes.
        """
        terms = []
        for name in self.ordering:
            field = name.lstrip("-")
            expression = Coalesce(F(field), F(field)) if sorted_by_database else F(field)
            terms.append(expression.desc() if name.startswith("-") else expression.asc())
        return terms

    def _up_to(self, values: list[Any]) -> Q | Lookup[Any]:
        """Return the filter for rows up to and including VALUES in this ordering.

        One row-value comparison when every field sorts the same way, so that the index
        walk stops there (``NOT (a, b, id) > (…)`` would not bound it).
        """
        descending = {name.startswith("-") for name in self.ordering}
        if len(descending) == 1 and len(self._fields) > 1:
            row_lookup = TupleGreaterThanOrEqual if descending.pop() else TupleLessThanOrEqual
            return row_lookup(Tuple(*(F(name) for name in self._fields)), tuple(values))
        return ~Q(self._after(values))

    def after(self, cursor: str) -> Q | Lookup[Any]:
        """Return the filter for rows after CURSOR; raise InvalidCursor for a foreign one."""
        return self._after(self._decode(cursor))

    def nth_after(self, cursor: str | None, n: int) -> M | None:
        """Return the Nth row after CURSOR in this ordering (None when fewer are left).

        This walks the ordering's index for N entries: the end of a window of N rows.
        """
        qs = self.queryset.order_by(*self.ordering)
        if cursor:
            qs = qs.filter(self.after(cursor))
        rows = list(qs.only(*self._fields)[n - 1 : n])
        return rows[0] if rows else None

    def page(
        self,
        cursor: str | None = None,
        *,
        until: M | None = None,
        sort: bool = False,
    ) -> KeysetPage[M]:
        """Return the page after CURSOR (the first page when CURSOR is empty).

        UNTIL: consider only rows up to and including it (a window of the ordering).
        SORT: make the database sort the matching rows rather than walk an index in order:
        right when the filter matches few rows (see ``_order_by``).
        """
        qs = self.queryset.order_by(*self._order_by(sorted_by_database=sort))
        if cursor:
            qs = qs.filter(self.after(cursor))
        if until is not None:
            qs = qs.filter(self._up_to([self._value_of(until, name) for name in self._fields]))
        if self.keys_first:
            return self._keys_page(qs)
        rows = list(qs[: self.page_size + 1])
        has_next = len(rows) > self.page_size
        items = rows[: self.page_size]
        return KeysetPage(items=items, next_cursor=self._encode(items[-1]) if has_next else None)

    def walk_page(
        self,
        cursor: str | None,
        *,
        within: QuerySet[M],
        where: Q,
        columns: Sequence[str],
        rows: int,
        going_on: Walk[M] | None = None,
    ) -> Walk[M]:
        """Return the page of the rows after CURSOR that match WHERE among WITHIN's next ROWS
        rows in this ordering; when fewer than a page matched there, the rows that did.

        One query that walks the ordering's index and stops once it has a page, or after ROWS
        rows: ``SELECT … FROM (SELECT <columns> FROM t WHERE <within> ORDER BY … LIMIT ROWS)
        AS t WHERE <where> ORDER BY … LIMIT <page size + 1>``. An index that holds COLUMNS
        (the fields WHERE reads; PostgreSQL's ``INCLUDE``) makes it an index-only walk. The
        paginator's own queryset must be WITHIN narrowed by WHERE (its objects are the rows').
        GOING_ON, a walk from CURSOR that found less than a page, is gone on with: this walk
        starts after its last match, and its matches begin the page. Needs KEYS_FIRST.
        """
        if not self.keys_first:
            raise ValueError("walk_page reads keys: build the paginator with keys_first=True.")
        found = list(going_on.found) if going_on else []
        k = len(self._fields)
        start = self._encode_values(found[-1][:k]) if found else cursor
        more = self.page_size + 1 - len(found)  # a page and one in all
        found += self._walk(start, within=within, where=where, columns=columns, rows=rows, n=more)
        if len(found) <= self.page_size:
            return Walk(page=None, found=tuple(found))
        return Walk(page=self._page_of(found[: self.page_size], has_next=True))

    def _walk(
        self,
        cursor: str | None,
        *,
        within: QuerySet[M],
        where: Q,
        columns: Sequence[str],
        rows: int,
        n: int,
    ) -> list[tuple[Any, ...]]:
        """Return the first N rows after CURSOR among WITHIN's next ROWS that match WHERE, as
        (ordering values…, pk, version, updated_at) tuples (``walk_page``'s query)."""
        model, db = within.model, within.db
        inner = within.order_by(*self.ordering)
        if cursor:
            inner = inner.filter(self.after(cursor))
        # only(): the columns under their own names (values() would alias them by field).
        inner = inner.only(*self._fields, "version", "updated_at", *columns)[:rows]
        inner_sql, inner_params = inner.query.get_compiler(using=db).as_sql()
        outer = model._base_manager.using(db).filter(where).order_by(*self.ordering)
        outer = outer.values_list(*self._attnames(model), "pk", "version", "updated_at")[:n]
        compiler = outer.query.get_compiler(using=db)
        outer_sql, outer_params = compiler.as_sql()
        alias = connections[db].ops.quote_name(model._meta.db_table)
        if outer_sql.count(f" FROM {alias} ") != 1 or " JOIN " in outer_sql:
            raise ValueError(f"Cannot walk {model._meta.label}: WHERE must read only its table.")
        # The walked rows stand in for the table, under its name: WHERE and ORDER BY read them.
        sql = outer_sql.replace(f" FROM {alias} ", f" FROM ({inner_sql}) {alias} ", 1)
        with connections[db].cursor() as db_cursor:
            db_cursor.execute(sql, [*inner_params, *outer_params])
            fetched = db_cursor.fetchall()
        # Converted as iterating the outer query would (datetimes on SQLite, say): no model
        # instance is built for a row that only needs its keys.
        return list(compiler.results_iter(results=[fetched], tuple_expected=True))

    def _attnames(self, model: type[Model]) -> list[str]:
        return [
            name if name == "pk" else self._get_field(model, name).attname for name in self._fields
        ]

    def _keys_page(self, qs: QuerySet[M]) -> KeysetPage[M]:
        """Return the page of QS read as keys (one narrow query, no model instances)."""
        names = self._attnames(self.queryset.model)
        rows = list(qs.values_list(*names, "pk", "version", "updated_at")[: self.page_size + 1])
        return self._page_of(rows[: self.page_size], has_next=len(rows) > self.page_size)

    def _page_of(self, rows: Sequence[tuple[Any, ...]], *, has_next: bool) -> KeysetPage[M]:
        """Return the page of ROWS, (ordering values…, pk, version, updated_at) tuples."""
        n, meta = len(self._fields), self.queryset.model._meta
        keys = [RowKey(meta, row[n], row[n + 1], row[n + 2]) for row in rows]
        return KeysetPage(
            items=PageRows(self.queryset, keys),
            next_cursor=self._encode_values(rows[-1][:n]) if has_next else None,
        )

    def cursor_for(self, obj: M) -> str:
        """Return the cursor of the page that starts right after OBJ."""
        return self._encode(obj)
