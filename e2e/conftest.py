"""Playwright fixtures: system Chromium, the live server, CSP and accessibility checks."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.core.servers.basehttp import WSGIServer
from django.test import Client
from django.test.testcases import LiveServerThread
from playwright.sync_api import ConsoleMessage, Page

from e2e.chromium import HOW_TO_GET_ONE, find_chromium

# Playwright's sync API runs an event loop; the ORM calls in fixtures are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class SerialLiveServer(WSGIServer):
    """The live server, answering one request at a time.

    On SQLite the live server's threads share the test's in-memory database connection, and
    two requests at once (a picker's options while a form posts) misuse it: "bad parameter
    or other API misuse", a 503. Serving requests in turn keeps every e2e test deterministic
    on either database; Django closes each connection after its response here.
    """

    def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.connections_override = connections_override  # applied by the server thread


LiveServerThread.server_class = SerialLiveServer  # type: ignore[assignment]  # a plain WSGIServer

PASSWORD = "correct-horse-battery-staple"
_AXE = Axe()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    path = find_chromium()
    if path is None:
        pytest.fail(HOW_TO_GET_ONE, pytrace=False)
    return {
        **browser_type_launch_args,
        "executable_path": path,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def base_url(live_server: Any) -> str:
    """Point Playwright's relative URLs at pytest-django's live server."""
    return str(live_server.url)


# Runs in every document before the page's own scripts (injected by the browser's
# devtools protocol, so the page's CSP does not block it): every violation the browser
# reports as a `securitypolicyviolation` event is also written to the console.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("Content Security Policy violation event: " + e.violatedDirective +
    " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


def watch_csp(page: Page) -> list[str]:
    """Collect CSP violations and uncaught script errors on PAGE into the returned list."""
    problems: list[str] = []

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "error" and "Content Security Policy" in msg.text:
            problems.append(f"CSP violation: {msg.text}")

    page.add_init_script(_REPORT_CSP_VIOLATIONS)
    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(f"Script error: {exc}"))
    return problems


@pytest.fixture
def page(page: Page, base_url: str) -> Iterator[Page]:
    """A page that fails the test on any CSP violation or uncaught script error."""
    problems = watch_csp(page)
    page.set_default_timeout(10_000)
    yield page
    assert not problems, "\n".join(problems)


@pytest.fixture
def check_a11y() -> Callable[[Page], None]:
    """Return a checker that fails on any axe-core violation on the current page."""

    def check(page: Page) -> None:
        results = _AXE.run(page)
        assert results.violations_count == 0, results.generate_report()

    return check


@pytest.fixture
def visit(page: Page, base_url: str, check_a11y: Callable[[Page], None]) -> Callable[[str], Page]:
    """Open PATH on the live server and check the page with axe-core."""

    def go(path: str) -> Page:
        page.goto(base_url + path)
        check_a11y(page)
        return page

    return go


@pytest.fixture
def make_user(transactional_db: None) -> Callable[..., Any]:
    """Create a user with a verified email address."""
    from allauth.account.models import EmailAddress

    def make(email: str = "person@example.com", password: str = PASSWORD, **extra: Any) -> Any:
        user = get_user_model().objects.create_user(email=email, password=password, **extra)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    return make


@pytest.fixture
def login(page: Page, base_url: str, live_server: Any) -> Callable[[Any], Page]:
    """Sign USER in by giving the browser a real session cookie (fast, no UI)."""

    def do_login(user: Any) -> Page:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        cookie = client.cookies["sessionid"]
        page.context.add_cookies(
            [{"name": "sessionid", "value": cookie.value, "url": base_url, "httpOnly": True}]
        )
        return page

    return do_login


@pytest.fixture
def owner(make_user: Callable[..., Any], login: Callable[[Any], Page]) -> Any:
    """Return a user signed in in the browser."""
    user = make_user(email="owner@example.com")
    login(user)
    return user


@pytest.fixture
def ada(owner: Any) -> Any:
    """Return a contact of the signed-in owner."""
    from apps.contacts.tests.factories import ContactFactory

    return ContactFactory(
        owner=owner,
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.com",
        company="Engines",
    )
