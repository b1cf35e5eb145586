"""The hostile-input layer: every route, every method, hostile values; never a 5xx.

How it works
------------
1. Routes come from the resolver (`routes.all_routes()`): the project's, allauth's and the
   admin's patterns, so a new route is attacked without anyone listing it. Path arguments are
   filled by `routes.fill()`: the signed-in user's own row ids (from the route -> queryset
   table in `conftest.owned_table`), another user's id, a missing id, huge ids, and hostile
   segments (`%00`, invalid UTF-8, markup, 3000 characters) for str/path/regex arguments.
2. Field names come from the pages themselves: every route's page is rendered once and the
   `<input>`, `<select>`, `<textarea>` of every `<form>` are read, keyed by the route the form
   posts to, with their default values (so a request can get past validation before one
   field turns hostile). The names views read in code (`request.GET.get("q")` and the like,
   found by a regex over apps/ and common/) are added to every route.
3. For each route: a request with a bad Host, one GET per path variant, OPTIONS and a wrong
   method, then hypothesis-generated GET/HEAD/POST requests (`payloads.cases`): hostile query
   strings and bodies (urlencoded, multipart with bogus files, JSON, text/plain, raw invalid
   bytes, 1200 repeats of one field), htmx headers on and off with hostile values, hostile
   User-Agent/X-Request-ID/Referer and so on. Seeded (`derandomize=True`) and bounded.
4. Every request runs in a savepoint that is rolled back afterwards, so each one sees the same
   world (and a POST that signs out or deletes does not starve the rest). The checks: no
   5xx, ever; and a 4xx left the database as it was (row count and highest pk of every table,
   and a hash of the user's own rows). All failures are collected and reported together,
   each with its request and the exception behind it.

Three scenarios run the routes: signed in as a user with data, anonymous (fewer examples),
and a staff user on the admin routes.

Adding a route-specific fixture
-------------------------------
A route whose `<int:pk>` names a row: add `"route_name": pair(Model, "owner_field")` to the
table in `conftest.owned_table` (and create such a row in `conftest._give_data`). Without an
entry the route still gets every table's first owned id plus missing and huge ids. Deeper
runs: `HOSTILE_SCALE=10 .venv/bin/pytest -m hostile` multiplies the examples per route.
"""

from __future__ import annotations

import hashlib
import os
import time
import traceback
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponseBase
from django.test import Client
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from apps.contacts.models import Contact
from apps.users.models import User
from tests.hostile import payloads, routes
from tests.hostile.conftest import World, refresh_authentication, sign_in

pytestmark = [pytest.mark.hostile, pytest.mark.django_db]

SCALE = float(os.environ.get("HOSTILE_SCALE", "1"))
WRONG_METHODS = ("PUT", "DELETE", "PATCH")
MAX_PATHS = 8  # path variants swept with a plain GET per route (the admin's: 4 for staff)

# (route key, status) pairs that are a route's documented answer, not a crash.
EXPECTED_5XX = {
    ("readyz", HTTPStatus.SERVICE_UNAVAILABLE),  # not ready: no worker heartbeat in tests
}

# Tables that any request may write without it being a change of data: the session itself
# (messages, the CSRF token, login redirects) and allauth's per-session activity record.
VOLATILE_TABLES = {"django_session", "usersessions_usersession"}


# ------------------------------------------------------------------------------ checks
def _tables() -> list[tuple[str, str]]:
    """(table, SQL for its highest pk as text) of every table that a 4xx must not change."""
    qn = connection.ops.quote_name
    found: set[tuple[str, str]] = set()
    for model in apps.get_models():
        meta = model._meta
        if not meta.managed or meta.proxy or meta.db_table in VOLATILE_TABLES:
            continue
        pk = qn(str(meta.pk.column))
        numeric = meta.pk.get_internal_type().endswith("AutoField")
        top = f"CAST(MAX({pk}) AS TEXT)" if numeric else f"MAX(CAST({pk} AS TEXT))"
        found.add((meta.db_table, top))
    return sorted(found)


def snapshot(user: User | None) -> dict[str, Any]:
    """A cheap fingerprint of the database: per table (count, max pk), and USER's own rows."""
    qn = connection.ops.quote_name
    tables = _tables()
    sql = " UNION ALL ".join(
        f"SELECT {i}, COUNT(*), {top} FROM {qn(table)}"  # noqa: S608
        for i, (table, top) in enumerate(tables)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        shape: dict[str, Any] = {tables[i][0]: (n, top) for i, n, top in cursor.fetchall()}
    if user is not None:
        rows = [
            list(Contact.objects.filter(owner=user).order_by("pk").values_list()),
            list(User.objects.filter(pk=user.pk).values_list()),
            list(EmailAddress.objects.filter(user=user).order_by("pk").values_list()),
            list(Authenticator.objects.filter(user=user).order_by("pk").values_list()),
        ]
        shape["(own rows)"] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return shape


def _diff(before: dict[str, Any], after: dict[str, Any]) -> str:
    return ", ".join(
        f"{k}: {before.get(k)} -> {after.get(k)}"
        for k in sorted(after)
        if before.get(k) != after[k]
    )


@dataclass
class Failure:
    scenario: str
    route: str
    method: str
    path: str
    request: str
    status: int
    problem: str  # the exception (type, message, where) or what changed

    @property
    def signature(self) -> tuple[str, str, str]:
        return (self.route, self.method if self.status >= 500 else "4xx", self.problem)


def _finish(response: HttpResponseBase) -> None:
    """Read a streamed response to its end: the test client closes it then, with the
    connection-closing signal held back (close() here would drop the test's connection)."""
    if getattr(response, "streaming", False):
        for _ in response.streaming_content:
            pass


def _exception_text(response: HttpResponseBase) -> str:
    """The exception behind a 5xx: type, message, the project frame, the last frames."""
    exc_info = getattr(response, "exc_info", None)
    if not exc_info:
        return f"HTTP {response.status_code} without an exception"
    exc_type, exc, tb = exc_info
    frames = traceback.extract_tb(tb)
    root = str(routes.ROOT) + "/"

    def short(frame: traceback.FrameSummary) -> str:
        name = frame.filename.removeprefix(root).rsplit("site-packages/", 1)[-1]
        return f"{name.rsplit('/lib/python3', 1)[-1]}:{frame.lineno} {frame.name}"

    own = [f for f in frames if f.filename.startswith(root) and "/.venv/" not in f.filename]
    message = str(exc).splitlines()[0][:200] if str(exc) else ""
    where = short(own[-1]) if own else "no project frame"
    tail = " <- ".join(short(f) for f in reversed(frames[-4:]))
    return f"{exc_type.__name__}: {message}\n   at {where}\n   frames: {tail}"


# ------------------------------------------------------------------------------ the runner
@dataclass
class Attack:
    scenario: str
    client: Client
    user: User | None  # who is signed in (None: anonymous)
    session_key: str | None
    failures: list[Failure] = field(default_factory=list)
    requests: int = 0
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    baseline: dict[str, Any] = field(default_factory=dict)

    def send(
        self, route: routes.Route, method: str, path: str, case: payloads.Case, **extra: str
    ) -> int:
        """Send one request in a savepoint that is rolled back; record what went wrong."""
        self.requests += 1
        savepoint = transaction.savepoint_create()
        try:
            try:
                environ: dict[str, Any] = {
                    "QUERY_STRING": case.query.decode("latin-1"),
                    **case.headers,
                    **extra,
                }
                response = self.client.generic(
                    method,
                    path,
                    data=case.body,
                    content_type=case.content_type or "application/octet-stream",
                    **environ,
                )
            except Exception as exc:  # noqa: BLE001 - the client gave up: report it like a 500
                self._fail(
                    route, method=method, path=path, case=case, status=0, problem=repr(exc)[:300]
                )
                return 0
            status = response.status_code
            self.statuses[status] += 1
            if status >= 500 and (route.key, status) not in EXPECTED_5XX:
                self._fail(
                    route,
                    method=method,
                    path=path,
                    case=case,
                    status=status,
                    problem=_exception_text(response),
                )
            elif 400 <= status < 500:
                after = snapshot(self.user)
                if after != self.baseline:
                    changed = _diff(self.baseline, after)
                    self._fail(
                        route,
                        method=method,
                        path=path,
                        case=case,
                        status=status,
                        problem=f"{status} changed: {changed}",
                    )
            _finish(response)
            return status
        finally:
            transaction.savepoint_rollback(savepoint)
            connection.needs_rollback = False
            self._restore_session()

    def _restore_session(self) -> None:
        # The rollback restored the session row; give the client its cookie back too (a
        # logout or a login in the request replaced or emptied it).
        name = settings.SESSION_COOKIE_NAME
        if self.session_key is None:
            self.client.cookies.pop(name, None)
        else:
            self.client.cookies[name] = self.session_key
        self.client.cookies.pop("messages", None)  # cookie-stored messages would pile up

    def _fail(
        self,
        route: routes.Route,
        *,
        method: str,
        path: str,
        case: payloads.Case,
        status: int,
        problem: str,
    ) -> None:
        self.failures.append(
            Failure(self.scenario, route.key, method, path[:200], case.describe(), status, problem)
        )


@dataclass
class Fields:
    names: list[str]
    defaults: dict[str, list[str]]
    files: list[str]


def discover_fields(
    attack: Attack, all_routes: list[routes.Route], paths: dict[str, list[str]]
) -> dict[str, Fields]:
    """Render each route's page once and read the forms on it, keyed by their target route."""
    scanned = routes.scanned_param_names()
    defaults: dict[str, dict[str, list[str]]] = defaultdict(dict)
    files: dict[str, set[str]] = defaultdict(set)
    for route in all_routes:
        if not paths[route.key] or (route.is_admin and not getattr(attack.user, "is_staff", 0)):
            continue
        page = paths[route.key][0]
        for htmx in (False, True):
            headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
            response = attack.client.get(page, **headers)  # type: ignore[arg-type]
            if response.status_code != HTTPStatus.OK or "html" not in response.get(
                "Content-Type", ""
            ):
                _finish(response)
                break
            html = response.content.decode("utf-8", "replace")
            for form in routes.iter_forms(page, html):
                target = routes.route_key_of(form.action)
                if target is None:
                    continue
                for name, values in form.fields.items():
                    defaults[target].setdefault(name, values)
                files[target].update(form.files)
    result = {}
    for route in all_routes:
        own = defaults.get(route.key, {})
        names = sorted({*own, *files.get(route.key, set()), *scanned})
        result[route.key] = Fields(
            names=names,
            defaults={k: v for k, v in own.items() if k != "csrfmiddlewaretoken"},
            files=sorted(files.get(route.key, set())),
        )
    return result


def max_paths(attack: Attack, route: routes.Route) -> int:
    if not route.is_admin:
        return MAX_PATHS
    return 4 if attack.user is not None and attack.user.is_staff else 1  # others: a redirect


def attack_route(
    attack: Attack, route: routes.Route, paths: list[str], fields: Fields, examples: int
) -> None:
    cache.clear()  # rate limits start from zero for every route
    mail.outbox = []
    if attack.user is not None and attack.session_key:
        refresh_authentication(attack.session_key, attack.user)
    attack.baseline = snapshot(attack.user)
    plain = payloads.Case()
    attack.send(route, "GET", paths[0], plain, HTTP_HOST="evil.example")
    for path in paths[: max_paths(attack, route)]:
        attack.send(route, "GET", path, plain)
    attack.send(route, "OPTIONS", paths[0], plain)
    wrong = WRONG_METHODS[len(route.key) % len(WRONG_METHODS)]
    body = payloads.Case(body=b"\x00\xff", content_type="application/json")
    attack.send(route, wrong, paths[0], body)
    if examples <= 0:
        return

    @hsettings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(
        method=st.sampled_from(("GET", "HEAD", "POST", "POST")),
        path=st.sampled_from(paths),
        data=st.data(),
    )
    def run(method: str, path: str, data: st.DataObject) -> None:
        case = data.draw(
            payloads.cases(
                names=fields.names,
                defaults=fields.defaults,
                file_names=fields.files,
                with_body=method == "POST",
            )
        )
        attack.send(route, method, path, case)

    run()


def report(attacks: list[Attack], seconds: float) -> str:
    failures = [f for a in attacks for f in a.failures]
    distinct: dict[tuple[str, str, str], list[Failure]] = defaultdict(list)
    for failure in failures:
        distinct[failure.signature].append(failure)
    lines = [
        f"{len(distinct)} distinct problem(s), {len(failures)} failing request(s) of "
        f"{sum(a.requests for a in attacks)} in {seconds:.0f} s:"
    ]
    for n, (_, group) in enumerate(sorted(distinct.items()), 1):
        first = group[0]
        lines.append(
            f"\n{n}. [{first.scenario}] {first.route} {first.method} {first.path} -> "
            f"{first.status} ({len(group)}x)\n   {first.problem}\n   request: {first.request}"
        )
    return "\n".join(lines)


def run_scenario(
    world: World,
    scenario: str,
    user: User | None,
    pick: Callable[[routes.Route], int],
) -> Attack:
    client = Client(raise_request_exception=False)
    session_key = sign_in(client, user) if user is not None else None
    attack = Attack(scenario=scenario, client=client, user=user, session_key=session_key)
    chosen = [r for r in routes.all_routes() if pick(r) >= 0]
    paths = {r.key: routes.fill(r, world.owned.ids(r)) for r in chosen}
    fields = discover_fields(attack, chosen, paths)
    for route in chosen:
        try:
            attack_route(attack, route, paths[route.key], fields[route.key], pick(route))
        except Exception as exc:
            last = attack.failures[-1:] or "no failure recorded"
            raise AssertionError(f"attacking {route.key} broke the run; last: {last}") from exc
    return attack


def _examples(n: int) -> int:
    return max(1, round(n * SCALE))


# (scenario, who signs in, examples per route: -1 skips the route)
SCENARIOS: dict[str, tuple[str | None, Callable[[routes.Route], int]]] = {
    "signed-in": ("user", lambda r: _examples(1) if r.is_admin else _examples(20)),
    "anonymous": (None, lambda r: _examples(1) if r.is_admin else _examples(6)),
    "staff": ("staff", lambda r: _examples(5) if r.is_admin else -1),
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_no_route_answers_5xx_or_changes_data_on_4xx(world: World, scenario: str) -> None:
    who, pick = SCENARIOS[scenario]
    user = getattr(world, who) if who else None
    started = time.monotonic()
    attack = run_scenario(world, scenario, user, pick)
    seconds = time.monotonic() - started
    print(
        f"\nhostile/{scenario}: {attack.requests} requests in {seconds:.1f} s, "
        f"statuses {dict(sorted(attack.statuses.items()))}"
    )
    assert not attack.failures, report([attack], seconds)


def test_every_route_is_attacked(world: World) -> None:
    """The resolver walk finds allauth's and the admin's routes too, and fills every one."""
    found = routes.all_routes()
    names = {r.key for r in found}
    assert {"contacts:edit", "account_login", "mfa_index", "admin:index"} <= names
    for route in found:
        assert routes.fill(route, world.owned.ids(route)), route.pattern
    edit = next(r for r in found if r.key == "contacts:edit")
    own = world.owned.mine["contacts:edit"]().first()
    assert f"/contacts/{own.pk}/edit/" in routes.fill(edit, world.owned.ids(edit))


def test_snapshot_sees_a_changed_own_row_and_a_new_row(world: World) -> None:
    before = snapshot(world.user)
    contact = Contact.objects.filter(owner=world.user).first()
    Contact.objects.filter(pk=contact.pk).update(notes="changed")
    assert "(own rows)" in _diff(before, snapshot(world.user))
    Contact.objects.create(owner=world.other, first_name="New")
    assert "contacts_contact" in _diff(before, snapshot(None) | {"(own rows)": None})
