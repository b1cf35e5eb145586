// Contacts page behaviour: the selection bar and keeping the row cursor after a delete.
// Global event delegation only: pages arrive by hx-boost, so nothing binds on load.
(function () {
  "use strict";

  function boxes() {
    return Array.prototype.slice.call(document.querySelectorAll('#contact-rows input[name="ids"]'));
  }

  function updateBar(announce) {
    var label = document.querySelector("[data-bulk-count]");
    if (!label) return;
    var all = boxes();
    var n = all.filter(function (b) { return b.checked; }).length;
    label.textContent = n ? n + " selected" : "Select contacts to delete several at once.";
    var master = document.querySelector("[data-select-all]");
    if (master) {
      master.checked = n > 0 && n === all.length;
      master.indeterminate = n > 0 && n < all.length;
    }
    if (announce && window.kisAnnounce) window.kisAnnounce(n + " selected");
  }

  document.addEventListener("change", function (e) {
    var t = e.target;
    if (t.matches && t.matches("[data-select-all]")) {
      boxes().forEach(function (b) { b.checked = t.checked; });
      updateBar(true);
    } else if (t.matches && t.matches('#contact-rows input[name="ids"]')) {
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
        var search = document.getElementById("search");
        (search || document.getElementById("main")).focus();
      }
    }, 0);
  });

  document.addEventListener("htmx:afterSettle", function () { updateBar(false); });
})();
