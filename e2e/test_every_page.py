"""Every page at every width, in both themes, signed in and out.

Each page is opened once per theme; then, at 320, 390, 768 and 1280 px, the document must
not scroll sideways and no visible control may sit outside the viewport (a control clipped
inside a scrolling box counts: a user cannot see it). axe-core checks every page at a phone
and a laptop width. The error states (bad sign-in, bad sign-up, an invalid contact form, a
wrong authenticator code) and the open states (a row edited in place, the keyboard help)
are checked the same way. Failures of every page are collected
and reported together.

The list of pages is checked against the URL configuration: a new page that is not listed
here, or in NOT_PAGES with the reason, fails `test_every_page_is_listed`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from playwright.sync_api import Page, expect

from e2e.conftest import _AXE, PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (320, 390, 768, 1280)
AXE_WIDTHS = (390, 1280)
THEMES = ("light", "dark")

# Paths with {contact}, {company}, {contact_job} and {company_job} filled in per test.
SIGNED_OUT = (
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/login/code/",
    "/accounts/confirm-email/",
    "/accounts/inactive/",
    "/accounts/deleted/",
)
SIGNED_IN = (
    "/",
    "/contacts/",
    "/contacts/?q=Featherstonehaugh",
    "/contacts/?q=no-such-contact",
    "/contacts/new/",
    "/contacts/import/",
    "/contacts/{contact}/",
    "/contacts/{contact}/edit/",
    "/contacts/{contact}/delete/",
    "/contacts/imports/{contact_job}/",
    "/companies/",
    "/companies/new/",
    "/companies/import/",
    "/companies/{company}/",
    "/companies/{company}/edit/",
    "/companies/{company}/delete/",
    "/companies/{company}/contacts/",
    "/accounts/",
    "/accounts/sessions/",
    "/accounts/security-log/",
    "/accounts/export/",
    "/accounts/delete/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/activate/",
    "/accounts/2fa/webauthn/",
    "/accounts/2fa/webauthn/add/",
)
# Pages that need two-factor switched on first.
WITH_TOTP = (
    "/accounts/2fa/",
    "/accounts/2fa/totp/deactivate/",
    "/accounts/2fa/recovery-codes/",
    "/accounts/2fa/recovery-codes/generate/",
)
# URL patterns that are not pages of their own, by why.
NOT_PAGES = {
    "partial or action": {
        "contacts/count/",
        "contacts/delete/",
        "contacts/undo/<int:pk>/",
        "contacts/<int:pk>/row/",
        "contacts/<int:pk>/row/edit/",
        "contacts/<int:pk>/favourite/",
        "contacts/validate/email/",
        "contacts/export/",
        "contacts/exports/<int:pk>/download/",
        "contacts/exports/<int:pk>/retry/",
        "contacts/imports/<int:pk>/retry/",
        "companies/count/",
        "companies/delete/",
        "companies/undo/<int:pk>/",
        "companies/<int:pk>/row/",
        "companies/<int:pk>/row/edit/",
        "companies/export/",
        "companies/exports/<int:pk>/download/",
        "companies/exports/<int:pk>/retry/",
        "companies/imports/<int:pk>/retry/",
        "companies/options/",
        "accounts/profile/",
        "accounts/keyboard/",
        "accounts/sessions/<int:pk>/end/",
        "accounts/sessions/end-others/",
        "accounts/passkeys/<int:pk>/rename/",
        "accounts/export/<int:pk>/download/",
        "accounts/export/<int:pk>/retry/",
        "accounts/logout/",
        "accounts/2fa/recovery-codes/download/",
        "accounts/2fa/webauthn/login/",
        "accounts/reauthenticate/code/",
        "robots.txt",
        "healthz",
        "readyz",
    },
    # Same templates as a listed page, reached only mid-flow (a code sent, a key held).
    "a step of a flow checked elsewhere": {
        "contacts/exports/<int:pk>/",
        "companies/exports/<int:pk>/",
        "companies/imports/<int:pk>/",
        "accounts/export/<int:pk>/",
        "accounts/reauthenticate/",
        "accounts/reauthenticate/code/confirm/",
        "accounts/login/code/confirm/",
        "accounts/password/set/",
        "accounts/password/reset/confirm/",
        "accounts/password/reset/complete/",
        "accounts/2fa/authenticate/",
        "accounts/2fa/reauthenticate/",
        "accounts/2fa/webauthn/reauthenticate/",
        "accounts/2fa/webauthn/keys/<int:pk>/remove/",
        "accounts/2fa/webauthn/keys/<int:pk>/edit/",
    },
}

# Visible controls that leave the viewport sideways, or that a box clips out of sight (a
# table scrolled inside its box hides the row actions: a user cannot see them). Text that a
# cell ends in an ellipsis is clipped on purpose: its visible part must be in the viewport.
_CONTROLS_OUTSIDE = """
() => {
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary," +
    " [tabindex]:not([tabindex='-1'])";
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1 || getComputedStyle(el).visibility === "hidden") continue;
    if (el.closest("[inert], dialog:not([open])")) continue;
    let left = box.left, right = box.right;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") {
        const clip = up.getBoundingClientRect();
        left = Math.max(left, clip.left);
        right = Math.min(right, clip.right);
      }
    }
    const name = (el.getAttribute("aria-label") || el.textContent || el.name || el.tagName)
      .trim().replace(/\\s+/g, " ").slice(0, 40);
    const where = `${el.tagName.toLowerCase()} "${name}" at ${Math.round(box.left)}..` +
      `${Math.round(box.right)} of ${width}`;
    if (right - left < Math.min(box.width, 24)) out.push(`${where}: clipped out of sight`);
    else if (left < -0.5 || right > width + 0.5) out.push(`${where}: outside the viewport`);
  }
  return out;
}
"""


# Resolves when ELEMENT's own transitions (a dialog fading in) are over.
_TRANSITIONS_OVER = """
el => Promise.all(el.getAnimations({subtree: true})
  .filter(a => a.effect.getComputedTiming().endTime !== Infinity).map(a => a.finished))
"""


@pytest.fixture(autouse=True)
def _clean_cache() -> None:
    cache.clear()  # rate-limit counters


def _layout_problems(page: Page, label: str) -> list[str]:
    """Return what is wrong with the current page's layout at each width and under axe."""
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => done()))")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.append(f"{label} at {width}px: the page scrolls sideways by {overflow}px")
        problems += [
            f"{label} at {width}px: {control}" for control in page.evaluate(_CONTROLS_OUTSIDE)
        ]
        if width in AXE_WIDTHS:
            results = _AXE.run(page)
            if results.violations_count:
                problems.append(f"{label} at {width}px: axe\n{results.generate_report()}")
    return problems


def _check_all(page: Page, base_url: str, paths: list[str]) -> None:
    problems: list[str] = []
    for path in paths:
        response = page.goto(base_url + path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        page.wait_for_load_state("load")
        problems += _layout_problems(page, path)
    assert not problems, "\n".join(problems)


def _set_theme(page: Page, base_url: str, theme: str) -> None:
    page.context.add_cookies([{"name": "kis_theme", "value": theme, "url": base_url}])


def _sign_in(page: Page, base_url: str, email: str) -> None:
    """Sign in through the form, so allauth counts the sign-in as recent."""
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_test_id("current-user")).to_be_visible()


@pytest.fixture
def data(make_user: Callable[..., Any]) -> dict[str, Any]:
    """Create a user with a contact, a company and an import job; return the path values."""
    from django.core.files.base import ContentFile

    from apps.contacts.models import ContactImport
    from apps.contacts.tests.factories import ContactFactory

    user = make_user(email="every@example.com")
    contact = ContactFactory(
        owner=user,
        first_name="Maximiliana",
        last_name="Featherstonehaugh-Wolfeschlegelsteinhausen",
        email="maximiliana.featherstonehaugh@a-very-long-domain-name.example.com",
        phone="+44 20 7946 0958 ext. 12345",
        company="International Business Machines of Greater Northumberland",
    )
    ContactFactory.create_batch(3, owner=user)
    # A second signed-in device: the sessions table then has an End button per row.
    Client().post(
        "/accounts/login/",
        {"login": user.email, "password": PASSWORD},
        HTTP_USER_AGENT=(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15"
            " (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
        ),
    )
    assert contact.company is not None
    job = ContactImport.objects.create(
        owner=user,
        file=ContentFile(b"", name="contacts.csv"),
        original_name="a-rather-long-file-name-from-the-export-of-another-address-book.csv",
        status="done",
        total=3,
        processed=3,
        created_count=1,
        skipped_count=1,
        rejected_count=1,
        rejected=[
            {"line": 2, "reason": "Enter a valid email address."},
            {"line": 3, "reason": "A contact with this email exists.", "kind": "skipped"},
        ],
    )
    return {
        "user": user,
        "contact": contact.pk,
        "company": contact.company.pk,
        "contact_job": job.pk,
    }


@pytest.mark.parametrize("theme", THEMES)
def test_signed_out_pages(page: Page, base_url: str, theme: str) -> None:
    _set_theme(page, base_url, theme)
    _check_all(page, base_url, list(SIGNED_OUT))


@pytest.mark.parametrize("theme", THEMES)
def test_signed_in_pages(page: Page, base_url: str, data: dict[str, Any], theme: str) -> None:
    _set_theme(page, base_url, theme)
    _sign_in(page, base_url, data["user"].email)
    _check_all(page, base_url, [path.format(**data) for path in SIGNED_IN])


@pytest.mark.parametrize("theme", THEMES)
def test_pages_with_two_factor_on(
    page: Page, base_url: str, data: dict[str, Any], theme: str
) -> None:
    from apps.accounts.tests.test_mfa import totp_now

    _set_theme(page, base_url, theme)
    _sign_in(page, base_url, data["user"].email)
    page.goto(base_url + "/accounts/2fa/totp/activate/")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "").strip()
    page.get_by_label("Authenticator code").fill(totp_now(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url("**/recovery-codes/")
    _check_all(page, base_url, list(WITH_TOTP))


@pytest.mark.parametrize("theme", THEMES)
def test_error_and_open_states(
    page: Page, base_url: str, make_user: Callable[..., Any], data: dict[str, Any], theme: str
) -> None:
    _set_theme(page, base_url, theme)
    problems: list[str] = []

    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Email").fill(data["user"].email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="not correct")).to_be_visible()
    problems += _layout_problems(page, "bad sign-in")

    page.goto(base_url + "/accounts/signup/")
    page.get_by_label("Email").fill("short@example.com")
    page.get_by_label("Password", exact=True).fill("abc")
    page.get_by_label("Password (again)").fill("abd")
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator("[id$='-errors']").first).to_be_visible()
    problems += _layout_problems(page, "bad sign-up")

    _sign_in(page, base_url, data["user"].email)
    page.goto(base_url + "/contacts/new/")
    page.get_by_label("Email").fill("not-an-email")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[aria-invalid=true]").first).to_be_visible()
    problems += _layout_problems(page, "invalid contact form")

    page.goto(base_url + "/contacts/")
    page.get_by_role("link", name="Edit Maximiliana").click()
    expect(page.locator("tr[data-escape] input:not([type=hidden])").first).to_be_visible()
    problems += _layout_problems(page, "contact edited in place")
    page.keyboard.press("Escape")
    expect(page.locator("tr[data-escape]")).to_have_count(0)
    page.keyboard.press("?")
    help_dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(help_dialog).to_be_visible()
    help_dialog.evaluate(_TRANSITIONS_OVER)
    problems += _layout_problems(page, "keyboard help")
    page.keyboard.press("Escape")

    page.goto(base_url + "/accounts/2fa/totp/activate/")
    page.get_by_label("Authenticator code").fill("000000")
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_text("Incorrect code.")).to_be_visible()
    problems += _layout_problems(page, "wrong authenticator code")

    assert not problems, "\n".join(problems)


def _patterns(resolver: URLResolver, prefix: str = "") -> list[str]:
    found = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            found += _patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.append(prefix + str(pattern.pattern))
    return found


def test_every_page_is_listed() -> None:
    """Fail on a URL pattern that is neither checked above nor listed as not a page."""
    listed = {
        path.strip("/").format(contact="<int:pk>", company="<int:pk>", contact_job="<int:pk>")
        for path in (*SIGNED_OUT, *SIGNED_IN, *WITH_TOTP)
    }
    listed = {f"{path}/" if path else "" for path in listed} | set().union(*NOT_PAGES.values())
    ours = [
        pattern
        for pattern in _patterns(get_resolver())
        if not pattern.startswith(("admin/", "__reload__/"))
    ]
    missing = sorted({pattern for pattern in ours if pattern not in listed})
    assert not missing, f"pages not checked (add them, or to NOT_PAGES): {missing}"
