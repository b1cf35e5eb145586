"""Every URL pattern of the project, made into concrete paths, plus the fields each one takes.

Nothing here lists routes by hand: `all_routes()` walks `get_resolver()` (the project's,
allauth's and the admin's patterns), `fill()` turns a pattern into paths (owned ids, other
users' ids, missing ids and hostile values for every converter), `scanned_param_names()` reads
the parameter names views use from the source, and `FormFinder` reads the fields of the forms
on the rendered pages.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote_to_bytes, urlsplit

from django.apps import apps
from django.db.models import Model, QuerySet
from django.urls import ResolverMatch, URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.encoding import repercent_broken_unicode

ROOT = Path(__file__).resolve().parents[2]
MISSING_ID = 987654321  # an id no row has
HUGE_IDS = ("99999999999999999999", str(2**63), "0")

# Path segments for str/slug/path converters and regex groups. Percent-encoded: the test
# client unquotes the path, so "%00" arrives as a NUL in PATH_INFO, "%ED%A0%80" as bytes that
# are not UTF-8 (a lone surrogate), "%C0%AF" as an overlong slash.
HOSTILE_SEGMENTS = (
    "x",
    "%00",
    "a%00b",
    "%ED%A0%80",
    "%C0%AF",
    "%FF%FE",
    "-1",
    "99999999999999999999",
    "1e309",
    "NaN",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    quote("\u202egnp.exe"),
    quote("👩‍👩‍👧‍👦"),
    "..",
    "%2e%2e%2f%2e%2e",
    "x" * 3000,
)


@dataclass(frozen=True)
class Route:
    """One URL pattern: the full route string, its name, and how to make paths for it."""

    pattern: str  # the full route, e.g. "contacts/<int:pk>/edit/"
    name: str  # "contacts:edit"; "" for unnamed admin redirects
    lookup: str  # dotted path of the view
    parts: tuple[RoutePattern | RegexPattern, ...]
    callback: Callable[..., object]

    @property
    def key(self) -> str:
        return self.name or _normal_route(self.pattern)

    @property
    def is_admin(self) -> bool:
        return self.name.startswith("admin:") or self.lookup.startswith("django.contrib.admin")

    @property
    def converters(self) -> list[tuple[str, str]]:
        """(group name, kind) of every path argument: kind is a converter name or 'regex'."""
        found: list[tuple[str, str]] = []
        for part in self.parts:
            if isinstance(part, RoutePattern):
                for kind, name in re.findall(r"<(?:(\w+):)?(\w+)>", str(part._route)):
                    found.append((name, kind or "str"))
            else:
                found.extend((name, "regex") for name in part.regex.groupindex)
        return found


def _normal_route(route: str) -> str:
    return route.replace("^", "")


def route_key(match: ResolverMatch) -> str:
    """The Route.key of a resolver match (its view name, else its route string)."""
    name = match.url_name or ""
    if name:
        return ":".join([*match.namespaces, name])
    return _normal_route(match.route)


def all_routes() -> list[Route]:
    """Every URL pattern the resolver knows, in resolver order."""
    routes: list[Route] = []

    def walk(patterns: list[object], parts: tuple[object, ...], namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = entry.namespace or ""
                full_ns = ":".join(n for n in (namespace, ns) if n)
                walk(list(entry.url_patterns), (*parts, entry.pattern), full_ns)
            elif isinstance(entry, URLPattern):
                name = entry.name or ""
                full_name = f"{namespace}:{name}" if namespace and name else name
                if namespace and not name:
                    full_name = ""
                all_parts = (*parts, entry.pattern)
                routes.append(
                    Route(
                        pattern="".join(str(p) for p in all_parts),
                        name=full_name,
                        lookup=entry.lookup_str,
                        parts=all_parts,  # type: ignore[arg-type]
                        callback=entry.callback,
                    )
                )

    walk(list(get_resolver().url_patterns), (), "")
    return routes


# ------------------------------------------------------------------------------ path values
OwnedIds = Callable[[Route], dict[str, list[str]]]


def _regex_alternatives(part: RegexPattern, group: str) -> list[str]:
    """The literal alternatives of a group like (?P<app_label>auth|sites), if it is one."""
    match = re.search(rf"\(\?P<{group}>([\w|]+)\)", part.regex.pattern)
    return match.group(1).split("|")[:2] if match else []


def _render(route: Route, values: dict[str, str]) -> str:
    """Substitute VALUES into the route's parts (regex parts: named groups, anchors dropped)."""
    out = []
    for part in route.parts:
        if isinstance(part, RoutePattern):
            text = str(part._route)
            text = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], text)
        else:
            text = part.regex.pattern
            text = re.sub(
                r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)", lambda m: values[m.group(1)], text
            )
            text = text.removeprefix("^").removesuffix("$").replace("\\", "")
        out.append(text)
    return "/" + "".join(out)


def django_path(path: str) -> str:
    """PATH as Django's resolver sees it (the test client unquotes, Django re-percents)."""
    return repercent_broken_unicode(unquote_to_bytes(path)).decode()


def _resolves_to(path: str, route: Route) -> bool:
    try:
        match = resolve(django_path(path))
    except Resolver404:
        return False
    return route_key(match) == route.key


def fill(route: Route, owned: dict[str, list[str]]) -> list[str]:
    """Concrete paths for ROUTE: owned ids first, then others' and missing ids, then hostile.

    OWNED maps a group name to values that should find a row (the signed-in user's ids,
    another user's ids). Every path is checked to resolve back to ROUTE; ones that do not
    (a hostile value an int converter refuses) are dropped, except that one refused path is
    kept so the 404 path is exercised too.
    """
    groups = route.converters
    if not groups:
        return [_render(route, {})]
    per_group: list[list[str]] = []
    for name, kind in groups:
        values = list(owned.get(name, []))
        if kind in ("int", "regex", "str", "path", "slug"):
            values += [str(MISSING_ID), *HUGE_IDS]
        if kind == "regex":
            part = next(
                p for p in route.parts if isinstance(p, RegexPattern) and name in p.regex.groupindex
            )
            values = _regex_alternatives(part, name) + values
        if kind in ("str", "path", "slug", "regex", "uuid"):
            values += list(HOSTILE_SEGMENTS)
        per_group.append(list(dict.fromkeys(values)))
    paths: list[str] = []
    # The first values of each group together (owned rows), then each group varied alone.
    base = [values[0] for values in per_group]
    combos = [base]
    for i, values in enumerate(per_group):
        for value in values[1:]:
            combos.append([*base[:i], value, *base[i + 1 :]])
    refused: list[str] = []
    for combo in combos:
        path = _render(route, dict(zip([g for g, _ in groups], combo, strict=True)))
        (paths if _resolves_to(path, route) else refused).append(path)
    paths = list(dict.fromkeys(paths))
    return paths + refused[:1]


# ------------------------------------------------------------------------------ owned rows
@dataclass
class OwnedTable:
    """Route name -> (queryset of the signed-in user's rows, of another user's rows).

    A route with an `<int:pk>` that is missing here still gets every model's first owned id
    (so a new contacts route finds a contact) plus missing and huge ids.
    """

    mine: dict[str, Callable[[], QuerySet[Model]]] = field(default_factory=dict)
    others: dict[str, Callable[[], QuerySet[Model]]] = field(default_factory=dict)

    def ids(self, route: Route, limit: int = 2) -> dict[str, list[str]]:
        groups = [name for name, kind in route.converters if kind in ("int", "path", "str")]
        if not groups:
            return {}
        values: list[str] = []
        if route.name in self.mine:
            values += [
                str(pk) for pk in self.mine[route.name]().values_list("pk", flat=True)[:limit]
            ]
            values += [str(pk) for pk in self.others[route.name]().values_list("pk", flat=True)[:1]]
        elif route.is_admin:
            values += _admin_ids(route)
        else:
            for make in itertools.chain(self.mine.values()):
                pk = make().values_list("pk", flat=True).first()
                if pk is not None:
                    values.append(str(pk))
            values = list(dict.fromkeys(values))[:4]
        return dict.fromkeys(groups, values)


def _admin_ids(route: Route) -> list[str]:
    """Ids of the model an admin route is about (admin:<app>_<model>_<action>)."""
    match = re.match(r"admin:(\w+?)_(\w+)_(change|delete|history)$", route.name)
    candidates: list[type[Model]] = []
    if match:
        try:
            candidates = [apps.get_model(match.group(1), match.group(2))]
        except LookupError:
            candidates = []
    if not candidates:
        # Unnamed redirects and view_on_site: any model's id works as a probe.
        prefix = route.pattern.split("<")[0].strip("/").split("/")
        if len(prefix) >= 3:
            try:
                candidates = [apps.get_model(prefix[1], prefix[2])]
            except LookupError:
                candidates = []
    ids: list[str] = []
    for model in candidates:
        ids += [str(pk) for pk in model._default_manager.values_list("pk", flat=True)[:1]]
    return ids


# ------------------------------------------------------------------------------ field names
PARAM_CALL = re.compile(
    r"""\b(?:GET|POST|FILES|data)\s*(?:\.\s*(?:get|getlist|pop)\s*\(|\[)\s*["']([\w\-\[\]]+)["']"""
)


def scanned_param_names() -> list[str]:
    """Parameter names the project's views read (`request.GET.get("q")` and the like)."""
    names: set[str] = set()
    for folder in ("apps", "common"):
        for source in (ROOT / folder).rglob("*.py"):
            if "tests" in source.parts or "migrations" in source.parts:
                continue
            names.update(PARAM_CALL.findall(source.read_text(encoding="utf-8")))
    return sorted(names)


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> default values
    files: set[str] = field(default_factory=set)


class FormFinder(HTMLParser):
    """Collect every form on a page: its action (resolved against PAGE), fields and defaults."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.hx_targets: set[str] = set()
        self._current: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for hx in ("hx-get", "hx-post", "hx-delete", "hx-put", "hx-patch"):
            if a.get(hx):
                self.hx_targets.add(a[hx])
        if tag == "form":
            action = a.get("action") or a.get("hx-post") or a.get("hx-get") or self.page
            self._current = Form(action=action, method=(a.get("method") or "get").upper())
            self.forms.append(self._current)
            return
        form = self._current
        if form is None or not a.get("name"):
            return
        name = a["name"]
        if tag == "input":
            _add_input(form, name, a)
        elif tag == "select":
            self._select = name
            form.fields.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            form.fields[self._select].append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = name
            form.fields.setdefault(name, [""])
        elif tag == "button" and a.get("value"):
            form.fields.setdefault(name, []).append(a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _add_input(form: Form, name: str, a: dict[str, str]) -> None:
    kind = a.get("type", "text").lower()
    if kind == "file":
        form.files.add(name)
    elif kind in ("checkbox", "radio"):
        form.fields.setdefault(name, [])
        if "checked" in a:
            form.fields[name].append(a.get("value", "on"))
    elif kind not in ("submit", "button", "image", "reset"):
        form.fields.setdefault(name, []).append(a.get("value", ""))


def route_key_of(url: str) -> str | None:
    """The Route.key a same-site URL from a page (a form action, an hx-post) points at."""
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != "testserver":
        return None
    try:
        return route_key(resolve(parts.path or "/"))
    except Resolver404:
        return None


def iter_forms(page: str, html: str) -> Iterator[Form]:
    finder = FormFinder(page)
    with contextlib.suppress(AssertionError, ValueError):  # malformed: keep what was parsed
        finder.feed(html)
    yield from finder.forms
