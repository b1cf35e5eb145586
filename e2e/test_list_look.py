"""The look of the toolkit's lists (issue 11), in Chromium: contacts and companies.

Below `sm` each row is a card with its actions on screen; from `sm` up the table has fixed
column widths, quiet row actions and Delete in the danger colour; a checked row is
highlighted and "Delete selected" waits for a selection; an empty list says what to do next.
"""

from __future__ import annotations

from typing import Any, Literal

import pytest
from playwright.sync_api import Locator, Page, expect

from apps.companies.tests.factories import CompanyFactory
from apps.contacts.tests.factories import ContactFactory

LISTS = {
    "contacts": {"path": "/contacts/", "rows": "#contact-rows", "noun": "contact"},
    "companies": {"path": "/companies/", "rows": "#company-rows", "noun": "company"},
}


@pytest.fixture
def filled(owner: Any, ada: Any) -> dict[str, str]:
    """Two contacts with long values and their companies; the names of one row of each list."""
    ContactFactory(
        owner=owner,
        first_name="Bartholomew",
        last_name="Featherstonehaugh-Smythe",
        email="bartholomew.featherstonehaugh@very-long-company-domain.example.com",
        phone="+44 20 7946 0958 ext. 1234",
        company="International Business Machines Corporation",
    )
    CompanyFactory(owner=owner, name="Zed", website="https://a-rather-long-website.example.com")
    return {"contacts": "Ada Lovelace", "companies": "Engines"}


def rows(page: Page, which: str) -> Locator:
    return page.locator(f"{LISTS[which]['rows']} tr[data-row]")


def row_of(page: Page, which: str, name: str) -> Locator:
    return rows(page, which).filter(has=page.get_by_role("link", name=name, exact=True))


def assert_no_page_overflow(page: Page) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways: scrollWidth {width[0]} > {width[1]}"


def assert_on_screen_and_clickable(page: Page, control: Locator) -> None:
    """CONTROL lies inside the viewport, shows (opacity 1) and is what a tap at its centre hits."""
    control.scroll_into_view_if_needed()
    box = control.bounding_box()
    assert box is not None
    width = page.evaluate("() => window.innerWidth")
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, (control, box, width)
    assert control.evaluate("el => getComputedStyle(el).opacity") == "1"
    hit = control.evaluate(
        """el => { const r = el.getBoundingClientRect();
                   const at = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
                   return !!at && (at === el || el.contains(at)); }"""
    )
    assert hit, f"something covers {control}"


def rgb(control: Locator) -> tuple[int, int, int]:
    """The red, green and blue of CONTROL's text colour (any CSS colour syntax)."""
    red, green, blue = control.evaluate(
        """el => { const c = document.createElement("canvas").getContext("2d");
                   c.fillStyle = getComputedStyle(el).color; c.fillRect(0, 0, 1, 1);
                   return Array.from(c.getImageData(0, 0, 1, 1).data).slice(0, 3); }"""
    )
    return red, green, blue


@pytest.mark.parametrize("which", LISTS)
@pytest.mark.parametrize("width", [320, 390])
def test_small_screens_show_rows_as_cards_with_every_action_on_screen(
    page: Page, visit: Any, filled: dict[str, str], which: str, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    visit(LISTS[which]["path"])
    expect(rows(page, which)).to_have_count(2 if which == "contacts" else 3)
    assert_no_page_overflow(page)
    for i in range(rows(page, which).count()):
        row = rows(page, which).nth(i)
        name = row.locator("[data-row-open]").inner_text()
        # A card: the name is one line, not wrapped word by word into a narrow column.
        link = row.locator("[data-row-open]")
        lines = "el => new Set(Array.from(el.getClientRects(), r => Math.round(r.top))).size"
        assert link.evaluate(lines) == 1, name
        for action in (f"Edit {name}", f"Delete {name}"):
            assert_on_screen_and_clickable(page, row.get_by_role("link", name=action, exact=True))
        assert_on_screen_and_clickable(page, row.get_by_role("checkbox", name=f"Select {name}"))
    # The header row is hidden below sm, so the bar has its own "Select all".
    select_all = page.get_by_role("checkbox", name="Select all", exact=True)
    assert_on_screen_and_clickable(page, select_all)
    select_all.check()
    expect(page.locator("[data-bulk-count]")).to_have_text(f"{rows(page, which).count()} selected")


def test_the_inline_editor_fits_a_phone(page: Page, visit: Any, filled: dict[str, str]) -> None:
    page.set_viewport_size({"width": 390, "height": 800})
    visit("/contacts/")
    row = row_of(page, "contacts", "Ada Lovelace")
    row.get_by_role("link", name="Edit Ada Lovelace").click()
    expect(page.get_by_label("First name")).to_be_focused()
    assert_no_page_overflow(page)
    editor = page.locator("#contact-rows tr[data-row][aria-current=true]")
    for label in ("First name", "Last name", "Email", "Phone", "Company"):
        field = editor.get_by_label(label, exact=True)
        box = field.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, label
    assert_on_screen_and_clickable(page, editor.get_by_role("button", name="Save"))
    assert_on_screen_and_clickable(page, editor.get_by_role("link", name="Cancel"))


@pytest.mark.parametrize("which", LISTS)
def test_row_actions_are_quiet_until_the_row_is_hovered_and_delete_is_red(
    page: Page, visit: Any, filled: dict[str, str], which: str
) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    visit(LISTS[which]["path"])
    name = filled[which]
    row = row_of(page, which, name)
    edit = row.get_by_role("link", name=f"Edit {name}")
    delete = row.get_by_role("link", name=f"Delete {name}")
    page.mouse.move(0, 0)
    expect(edit).to_have_css("opacity", "0")
    row.locator("[data-row-open]").hover()
    expect(edit).to_have_css("opacity", "1")
    expect(delete).to_have_css("opacity", "1")
    red, green, blue = rgb(delete)
    assert red > green + 40 and red > blue + 40, (red, green, blue)
    assert delete.evaluate("el => getComputedStyle(el).fontWeight") == "400"
    # Keyboard: the cursor row shows its actions too.
    page.mouse.move(0, 0)
    page.locator("#main").focus()
    page.keyboard.press("j")
    expect(rows(page, which).first.get_by_role("link", name="Edit")).to_have_css("opacity", "1")


@pytest.mark.parametrize("which", LISTS)
@pytest.mark.parametrize("width", [390, 1280])
def test_only_text_cells_are_cut_short(
    page: Page, visit: Any, filled: dict[str, str], which: str, width: int
) -> None:
    """Long text ends in an ellipsis; the checkbox and the actions are never clipped."""
    page.set_viewport_size({"width": width, "height": 800})
    visit(LISTS[which]["path"])
    row = row_of(page, which, filled[which])
    for control in (row.get_by_role("checkbox"), row.locator("td:last-child a").last):
        clipped = control.evaluate(
            """el => { const r = el.getBoundingClientRect();
                       const at = document.elementFromPoint(r.right - 2, r.y + r.height / 2);
                       const td = el.closest("td"), cut = getComputedStyle(td);
                       return [at === el || el.contains(at), cut.textOverflow, cut.overflowX]; }"""
        )
        assert clipped == [True, "clip", "visible"], (control, clipped)


@pytest.mark.parametrize("which", LISTS)
@pytest.mark.parametrize("width", [390, 1280])
def test_delete_selected_waits_for_a_selection_and_a_checked_row_is_highlighted(
    page: Page, visit: Any, filled: dict[str, str], which: str, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    visit(LISTS[which]["path"])
    bulk = page.get_by_role("button", name="Delete selected")
    expect(bulk).to_be_disabled()
    name = filled[which]
    row = row_of(page, which, name)
    other = rows(page, which).filter(has_not=page.get_by_role("link", name=name, exact=True)).first

    def background(locator: Locator) -> str:
        return str(locator.evaluate("el => getComputedStyle(el).backgroundColor"))

    plain = background(row)
    row.get_by_role("checkbox", name=f"Select {name}").check()
    expect(bulk).to_be_enabled()
    highlighted = background(row)
    assert highlighted != plain, "a checked row looks like any other"
    assert highlighted != background(other), "a checked row looks like an unchecked one"
    row.get_by_role("checkbox", name=f"Select {name}").uncheck()
    expect(bulk).to_be_disabled()
    # After a swap (a search), the new bar starts disabled too.
    row.get_by_role("checkbox", name=f"Select {name}").check()
    page.get_by_role("searchbox").fill(name[:4])
    expect(rows(page, which)).to_have_count(1)
    expect(page.get_by_role("button", name="Delete selected")).to_be_disabled()


@pytest.mark.parametrize("which", LISTS)
def test_opening_the_inline_editor_keeps_the_column_widths(
    page: Page, visit: Any, filled: dict[str, str], which: str
) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    visit(LISTS[which]["path"])
    name = filled[which]
    other = rows(page, which).filter(has_not=page.get_by_role("link", name=name, exact=True)).first

    def widths() -> list[float]:
        return list(other.locator("td").evaluate_all("cells => cells.map(c => c.offsetWidth)"))

    before = widths()
    row_of(page, which, name).get_by_role("link", name=f"Edit {name}").click()
    editor = page.locator(f"{LISTS[which]['rows']} tr[data-escape]")
    expect(editor.get_by_role("textbox").first).to_be_focused()
    after = widths()
    assert len(after) == len(before)
    assert all(abs(a - b) <= 1 for a, b in zip(before, after, strict=True)), (before, after)


@pytest.mark.parametrize("which", LISTS)
def test_empty_states_say_what_to_do_next(page: Page, visit: Any, owner: Any, which: str) -> None:
    spec = LISTS[which]
    visit(spec["path"])
    empty = page.locator(f"{spec['rows']} [data-empty-state]")
    noun, path = spec["noun"], spec["path"]
    plural = "companies" if which == "companies" else "contacts"
    expect(empty.get_by_role("heading", name=f"No {plural} yet")).to_be_visible()
    expect(empty.get_by_role("link", name=f"Add your first {noun}")).to_have_attribute(
        "href", f"{path}new/"
    )
    expect(empty.get_by_role("link", name="Import a CSV file")).to_have_attribute(
        "href", f"{path}import/"
    )
    page.get_by_role("searchbox").fill("nothing-here")
    expect(empty.get_by_role("heading", name="No matches")).to_be_visible()
    expect(empty).to_contain_text(f"No {plural} match “nothing-here”.")
    empty.get_by_role("link", name="Clear the search").click()
    expect(page.get_by_role("searchbox")).to_have_value("")
    expect(empty.get_by_role("heading", name=f"No {plural} yet")).to_be_visible()
    assert "q=" not in page.url


@pytest.mark.parametrize(
    "view", [(390, "light"), (390, "dark"), (1280, "light"), (1280, "dark")], ids=str
)
def test_danger_and_selection_colours_keep_contrast_in_both_themes(
    page: Page,
    visit: Any,
    check_a11y: Any,
    filled: dict[str, str],
    view: tuple[int, Literal["light", "dark"]],
) -> None:
    width, scheme = view
    page.set_viewport_size({"width": width, "height": 800})
    page.emulate_media(color_scheme=scheme)
    for which in LISTS:
        visit(LISTS[which]["path"])
        name = filled[which]
        row = row_of(page, which, name)
        row.get_by_role("checkbox", name=f"Select {name}").check()
        row.locator("[data-row-open]").hover()
        red, green, blue = rgb(row.get_by_role("link", name=f"Delete {name}"))
        assert red > green + 40 and red > blue + 40, (scheme, red, green, blue)
        check_a11y(page)
