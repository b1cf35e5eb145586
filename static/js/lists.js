// List pages (common.lists): the selection bar ("Delete selected" disabled while nothing is
// selected), and keeping the row cursor after a delete.
// Global event delegation only: pages arrive by hx-boost, so nothing binds on load.
(function () {
  "use strict";

  function boxes() {
    return Array.prototype.slice.call(document.querySelectorAll('[data-row-cursor] input[name="ids"]'));
  }

  function updateBar(announce) {
    var label = document.querySelector("[data-bulk-count]");
    if (!label) return;
    var all = boxes();
    var n = all.filter(function (b) { return b.checked; }).length;
    label.textContent = n ? n + " selected" : label.getAttribute("data-bulk-empty") || "";
    label.toggleAttribute("data-empty", !n);
    // The header's box, and the bar's own below `sm` (where the header row is hidden).
    document.querySelectorAll("[data-select-all]").forEach(function (master) {
      master.checked = n > 0 && n === all.length;
      master.indeterminate = n > 0 && n < all.length;
    });
    // Rendered enabled, so that it works without JavaScript; here it waits for a selection.
    document.querySelectorAll("[data-bulk-delete]").forEach(function (button) {
      button.disabled = n === 0;
    });
    if (announce && window.kisAnnounce) window.kisAnnounce(n + " selected");
  }

  document.addEventListener("change", function (e) {
    var t = e.target;
    if (t.matches && t.matches("[data-select-all]")) {
      boxes().forEach(function (b) { b.checked = t.checked; });
      updateBar(true);
    } else if (t.matches && t.matches('[data-row-cursor] input[name="ids"]')) {
      updateBar(true);
    }
  });

  // keys.js clicks checkboxes for `x`; a click fires `change`, so the bar follows.

  // After a row is deleted, put the cursor on the row that took its place. The
  // request's element leaves the page with the row, so act before the swap.
  document.addEventListener("htmx:beforeSwap", function (e) {
    var elt = e.detail.requestConfig && e.detail.requestConfig.elt;
    if (!elt || !elt.hasAttribute("data-row-delete") || !e.detail.shouldSwap) return;
    var row = e.detail.target;
    var container = row.closest("[data-row-cursor]");
    var sib = row.nextElementSibling;
    var next = sib && sib.hasAttribute("data-row") ? sib : row.previousElementSibling;
    setTimeout(function () {
      if (next && next.isConnected && next.hasAttribute("data-row") && window.kisSetCursor) {
        window.kisSetCursor(container, next);
      } else if (document.activeElement === document.body) {
        // Not the search box: typing there would swallow shortcuts such as `u` (Undo).
        document.getElementById("main").focus({ preventScroll: true });
      }
    }, 0);
  });

  // "Load more" by keyboard: the link leaves with its row, so move to the first new row.
  // A favourite toggle replaces its button: say what changed.
  document.addEventListener("htmx:beforeSwap", function (e) {
    var elt = e.detail.requestConfig && e.detail.requestConfig.elt;
    var target = e.detail.target;
    if (!e.detail.shouldSwap || !target) return;
    if (target.id === "load-more" && target.contains(document.activeElement)) {
      var before = target.previousElementSibling;
      var container = target.closest("[data-row-cursor]");
      setTimeout(function () {
        var first = before ? before.nextElementSibling : container.querySelector("[data-row]");
        if (first && first.hasAttribute("data-row") && window.kisSetCursor) window.kisSetCursor(container, first);
      }, 0);
    } else if (elt && elt.hasAttribute("data-row-favourite") && elt.closest("tr[id]")) {
      var row = elt.closest("tr[id]").id;
      setTimeout(function () {
        var btn = document.querySelector("#" + row + " [data-row-favourite]");
        if (btn && window.kisAnnounce) {
          window.kisAnnounce(btn.getAttribute("aria-pressed") === "true" ? "Marked as favourite" : "Removed from favourites");
        }
      }, 0);
    }
  });

  // The lazy count arrives after the results: read it out, since the results were replaced.
  document.addEventListener("htmx:afterSwap", function (e) {
    if (e.detail.target && e.detail.target.hasAttribute("data-list-count") && window.kisAnnounce) {
      window.kisAnnounce(e.detail.target.textContent.trim());
    }
  });

  // The bar follows the boxes after every swap, on the first load, and when the browser
  // restores a page (history, back-forward cache) with the boxes as they were.
  document.addEventListener("htmx:afterSettle", function () { updateBar(false); });
  document.addEventListener("htmx:historyRestore", function () { updateBar(false); });
  window.addEventListener("pageshow", function () { updateBar(false); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { updateBar(false); });
  } else {
    updateBar(false);
  }
})();
