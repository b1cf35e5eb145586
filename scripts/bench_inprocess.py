"""Time requests in one process, without a server: where a request's time goes.

Run by `scripts/bench` after the wrk targets (or alone, against a seeded database):

    DATABASE_URL=postgres://... .venv/bin/python scripts/bench_inprocess.py

Prints, with the production settings:
1. server time per target, best and median of REPEAT requests through Django's test client
   (no socket, no gunicorn): the number docs/performance.md's "≤ 4 ms" goal is about;
2. the middleware audit: each layer's own time on /robots.txt and on the list, measured by a
   timer between every two layers (a layer's time is what it adds around the next one);
3. where a list page's time goes: the selector (and, in it, the database's answer), the
   template (the chrome, the results and the rows, told apart by rendering each partial), and
   the stack around them;
4. with ``--explain TERM``: PostgreSQL's ``EXPLAIN (ANALYZE, BUFFERS)`` of each query that
   ``list_page`` runs for TERM (the profile of one search plan).
"""

from __future__ import annotations

import argparse
import html
import math
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The timers' total time per position, in seconds, over the audited requests.
_SPENT: dict[int, float] = {}


def _timer(position: int) -> type:
    """Return a middleware class that adds the time spent inside it to _SPENT[POSITION]."""

    class Timer:
        def __init__(self, get_response: Callable[[Any], Any]) -> None:
            self.get_response = get_response

        def __call__(self, request: Any) -> Any:
            start = time.perf_counter()
            try:
                return self.get_response(request)
            finally:
                _SPENT[position] = _SPENT.get(position, 0.0) + time.perf_counter() - start

    Timer.__name__ = Timer.__qualname__ = f"Timer{position}"
    return Timer


def _times(call: Callable[[], Any], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = call()
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"answered {response.status_code}: {response.content[:300]!r}")
    return times


def time_targets(clients: dict[str, Any], repeat: int) -> None:
    """Print the best and median server time of each target."""
    htmx = {"HTTP_HX_REQUEST": "true"}
    plain, zoned = clients["plain"], clients["zoned"]
    first = plain.get("/contacts/", **htmx).content.decode()
    more = re.search(r'data-load-more[^>]*hx-get="([^"]+)"', first)  # the second page
    if more is None:
        raise SystemExit("the first page has no load-more link: is the database seeded?")
    more_url = html.unescape(more.group(1))
    targets: list[tuple[str, Callable[[], Any]]] = [
        ("/robots.txt", lambda: plain.get("/robots.txt")),
        ("/robots.txt, user with a time zone", lambda: zoned.get("/robots.txt")),
        ("list, full page", lambda: plain.get("/contacts/")),
        ("list rows (htmx)", lambda: plain.get("/contacts/", **htmx)),
        ("load more (htmx rows)", lambda: plain.get(more_url, **htmx)),
        ("search q=smith (htmx)", lambda: plain.get("/contacts/?q=smith", **htmx)),
        ("lazy count (htmx)", lambda: plain.get("/contacts/count/", **htmx)),
    ]
    print(f"In process, {repeat} requests each (ms)\n")
    print("| target | best | median |")
    print("|---|---:|---:|")
    for name, call in targets:
        _times(call, 3)  # warm: templates, connection, caches
        times = _times(call, repeat)
        print(f"| {name} | {min(times):.2f} | {statistics.median(times):.2f} |")


def audit_middleware(client: Any, repeat: int) -> None:
    """Print each middleware layer's own time, from a timer between every two layers."""
    from django.conf import settings
    from django.test import Client, override_settings

    layers = list(settings.MIDDLEWARE)
    module = sys.modules[__name__]
    audited: list[str] = []
    for position in range(len(layers) + 1):
        setattr(module, f"Timer{position}", _timer(position))
        audited.append(f"{__name__}.Timer{position}")
        if position < len(layers):
            audited.append(layers[position])
    columns = []
    with override_settings(MIDDLEWARE=audited):
        audit = Client(SERVER_NAME="localhost")  # a client builds its middleware chain once
        audit.cookies = client.cookies
        for path in ("/robots.txt", "/contacts/"):
            own: list[list[float]] = [[] for _ in layers]
            view: list[float] = []
            for _ in range(repeat + 3):  # the first three warm up
                _SPENT.clear()
                audit.get(path)
                for i in range(len(layers)):
                    own[i].append(_SPENT[i] - _SPENT[i + 1])
                view.append(_SPENT[len(layers)])
            columns.append([statistics.median(t[3:]) * 1e6 for t in [*own, view]])
    print(f"\nMiddleware, each layer's own time (µs, median of {repeat} requests)\n")
    print("| layer | /robots.txt | list, full page |")
    print("|---|---:|---:|")
    for i, name in enumerate([*layers, "the view (and URL resolving)"]):
        print(f"| {name} | {columns[0][i]:.0f} | {columns[1][i]:.0f} |")
    total = [sum(column[:-1]) for column in columns]
    print(f"| all middleware | {total[0]:.0f} | {total[1]:.0f} |")


class _Split:
    """Time spent in the list selector, its database queries and the template, per request."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    def add(self, part: str, start: float) -> None:
        self.spent[part] = self.spent.get(part, 0.0) + time.perf_counter() - start

    def timing(self, part: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.add(part, start)

        return timed

    def query(self, execute: Callable[..., Any], *args: Any) -> Any:
        """Time one query (a ``connection.execute_wrapper``), while the selector runs."""
        start = time.perf_counter()
        try:
            return execute(*args)
        finally:
            if self.in_selector:
                self.add("database", start)

    in_selector = False


def split_list_page(client: Any, repeat: int) -> None:
    """Print where the list's time goes: selector, database, template parts, the rest."""
    from unittest import mock

    from django.db import connection
    from django.template.backends.django import Template

    from common.lists import selectors

    split = _Split()
    selector = selectors.list_page

    def list_page(**kwargs: Any) -> Any:
        split.in_selector = True
        try:
            return split.timing("selector", selector)(**kwargs)
        finally:
            split.in_selector = False

    render = Template.render
    htmx = {"HTTP_HX_REQUEST": "true"}
    targets = {
        "full page": {},
        "results (htmx search partial)": htmx,
    }
    rows: dict[str, dict[str, float]] = {}
    with (
        mock.patch.object(selectors, "list_page", list_page),
        mock.patch.object(Template, "render", split.timing("template", render)),
        connection.execute_wrapper(split.query),
    ):
        for name, headers in targets.items():
            best: dict[str, float] = {"request": math.inf}
            for _ in range(repeat + 3):  # the first three warm up
                split.spent.clear()
                start = time.perf_counter()
                client.get("/contacts/", **headers)
                split.add("request", start)
                if split.spent["request"] < best["request"]:
                    best = dict(split.spent)
            rows[name] = best
    print(f"\nWhere the list's time goes (ms, the fastest of {repeat} requests)\n")
    print("| part | full page | results (htmx) |")
    print("|---|---:|---:|")
    full, results = rows["full page"], rows["results (htmx search partial)"]

    def line(label: str, part: Callable[[dict[str, float]], float]) -> None:
        print(f"| {label} | {part(full) * 1000:.2f} | {part(results) * 1000:.2f} |")

    line("request, in all", lambda r: r["request"])
    line("selector (list_page)", lambda r: r.get("selector", 0.0))
    line("of which the database (its queries' execute)", lambda r: r.get("database", 0.0))
    line("template", lambda r: r.get("template", 0.0))
    line(
        "the rest (middleware, session, user, view)",
        lambda r: r["request"] - r.get("selector", 0.0) - r.get("template", 0.0),
    )
    chrome = (full.get("template", 0.0) - results.get("template", 0.0)) * 1000
    print(f"\nThe page around the results (full page's template less the partial's): {chrome:.2f}")


def explain(user: Any, terms: list[str]) -> None:
    """Print EXPLAIN (ANALYZE, BUFFERS) of each query list_page runs for each of TERMS."""
    from django.db import connection

    from apps.contacts.lists import ContactList
    from common.lists.selectors import list_page

    if connection.vendor != "postgresql":
        raise SystemExit("--explain needs PostgreSQL.")
    queries: list[tuple[str, Any]] = []

    def keep(execute: Callable[..., Any], sql: str, params: Any, *rest: Any) -> Any:
        queries.append((sql, params))
        return execute(sql, params, *rest)

    for term in terms:
        queries.clear()
        list_page(config=ContactList, owner=user, query=term)  # warm: tallies, lost walks
        with connection.execute_wrapper(keep):
            start = time.perf_counter()
            list_page(config=ContactList, owner=user, query=term)
            spent = (time.perf_counter() - start) * 1000
        print(f"\nq={term!r}: list_page {spent:.2f} ms, {len(queries)} queries")
        with connection.cursor() as cursor:
            for sql, params in queries:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                print("\n".join(f"    {row[0]}" for row in cursor.fetchall()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--email", default="bench@example.com")
    parser.add_argument("--repeat", type=int, default=30, help="requests per target")
    parser.add_argument(
        "--explain",
        metavar="TERM",
        action="append",
        default=[],
        help="print the query plans of a search for TERM (repeatable); nothing else",
    )
    args = parser.parse_args()

    from tests.servers import production_env

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url:
        raise SystemExit("DATABASE_URL is needed (the benchmark's seeded database).")
    os.environ.update(production_env(DATABASE_URL=database_url, DJANGO_SECURE_SSL_REDIRECT="false"))
    import logging

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from apps.users.models import User

    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest's names
    logging.getLogger("kis.access").setLevel(logging.WARNING)  # not what is measured here
    user = User.objects.get(email=args.email)
    if args.explain:
        explain(user, args.explain)
        return
    zoned, _ = User.objects.get_or_create(email="bench-tz@example.com")
    if zoned.timezone != "Europe/Berlin":
        zoned.timezone = "Europe/Berlin"
        zoned.save(update_fields=["timezone"])
    clients = {}
    for who, person in (("plain", user), ("zoned", zoned)):
        client = Client(SERVER_NAME="localhost")
        client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        clients[who] = client
    time_targets(clients, args.repeat)
    audit_middleware(clients["plain"], args.repeat)
    split_list_page(clients["plain"], args.repeat)


if __name__ == "__main__":
    main()
