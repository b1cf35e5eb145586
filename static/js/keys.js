// KIS keyboard shortcuts. Shortcuts are declared in markup with `aria-keyshortcuts`
// (space-separated alternatives, e.g. aria-keyshortcuts="# Delete"); this module
// only finds the element a key belongs to and clicks or focuses it.
//
//  - Never fires while typing in a field (except Escape, which leaves the field).
//  - An element inside a row ([data-row]) answers only when that row is the cursor row.
//  - When a modal dialog is open, only elements inside it answer.
//  - A [data-row-cursor] container gets j/k/arrow navigation and Enter to open; moving
//    past its last row clicks its [data-load-more] control.
//  - `?` opens the help dialog, listing every shortcut declared on the page.
(function () {
  "use strict";

  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable) return true;
    if (tag !== "INPUT") return false;
    return !/^(checkbox|radio|button|submit|reset)$/.test(el.type);
  }

  function visible(el) {
    return !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  }

  function openDialog() { return document.querySelector("dialog[open]"); }

  function normalise(token) {
    // "Shift+?" -> "?", "Control+k" stays; keys compare case-insensitively.
    var parts = token.split("+");
    var key = parts.pop();
    var mods = parts.filter(function (m) { return m.toLowerCase() !== "shift"; });
    return (mods.join("+") + (mods.length ? "+" : "") + key).toLowerCase();
  }

  function eventKey(e) {
    var mods = [];
    if (e.ctrlKey) mods.push("control");
    if (e.altKey) mods.push("alt");
    if (e.metaKey) mods.push("meta");
    return (mods.join("+") + (mods.length ? "+" : "") + e.key).toLowerCase();
  }

  // ------------------------------------------------------------ row cursor
  function cursorContainer() {
    var c = document.querySelectorAll("[data-row-cursor]");
    for (var i = 0; i < c.length; i++) if (visible(c[i])) return c[i];
    return null;
  }

  function rows(container) {
    return Array.prototype.filter.call(container.querySelectorAll("[data-row]"), visible);
  }

  function currentRow(container) {
    return container && container.querySelector('[data-row][aria-current="true"]');
  }

  function setCursor(container, row) {
    var old = currentRow(container);
    if (old) old.removeAttribute("aria-current");
    if (!row) return;
    row.setAttribute("aria-current", "true");
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }
  window.kisSetCursor = setCursor;

  function moveCursor(step) {
    var c = cursorContainer();
    if (!c) return false;
    var list = rows(c);
    if (!list.length) return false;
    var i = list.indexOf(currentRow(c));
    var more = c.querySelector("[data-load-more]");
    if (step > 0 && i === list.length - 1 && more) {
      // Past the last row: load the next page (the page's own code moves onto its first row).
      more.focus({ preventScroll: true });
      more.click();
      return true;
    }
    var next = i < 0 ? (step > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, i + step));
    setCursor(c, list[next]);
    return true;
  }

  // Clicking or focusing inside a row makes it the cursor row.
  document.addEventListener("focusin", function (e) {
    var row = e.target.closest && e.target.closest("[data-row]");
    var c = row && row.closest("[data-row-cursor]");
    if (c && currentRow(c) !== row) {
      var old = currentRow(c);
      if (old) old.removeAttribute("aria-current");
      row.setAttribute("aria-current", "true");
    }
  });

  // ------------------------------------------------------------ finding a target
  function eligible(el) {
    if (!visible(el) || el.disabled) return false;
    var dialog = openDialog();
    if (dialog && !dialog.contains(el)) return false;
    var row = el.closest("[data-row]");
    if (row && row.getAttribute("aria-current") !== "true") return false;
    return true;
  }

  function findTarget(key) {
    var all = document.querySelectorAll("[aria-keyshortcuts]");
    var rowMatch = null, pageMatch = null;
    for (var i = 0; i < all.length; i++) {
      var el = all[i];
      if (el.hasAttribute("data-row-cursor")) continue;
      var tokens = el.getAttribute("aria-keyshortcuts").split(/\s+/).map(normalise);
      if (tokens.indexOf(key) < 0 || !eligible(el)) continue;
      if (el.closest("[data-row]")) { rowMatch = rowMatch || el; } else { pageMatch = pageMatch || el; }
    }
    return rowMatch || pageMatch;
  }

  function activate(el) {
    if (typing(el) || el.tagName === "INPUT" && el.type !== "checkbox") {
      el.focus();
      if (el.select) el.select();
    } else {
      el.click();
    }
  }

  // ------------------------------------------------------------ help dialog
  function describe(el) {
    return el.getAttribute("data-shortcut-label") || el.getAttribute("aria-label") ||
      el.getAttribute("title") || el.textContent.trim();
  }

  function openHelp() {
    var dialog = document.getElementById("shortcuts-help");
    if (!dialog) return;
    var body = dialog.querySelector("[data-shortcuts-list]");
    body.textContent = "";
    var seen = {};
    document.querySelectorAll("[aria-keyshortcuts]").forEach(function (el) {
      if (dialog.contains(el)) return;
      var keys = el.getAttribute("aria-keyshortcuts");
      var label = describe(el);
      var id = keys + "|" + label;
      if (seen[id]) return;
      seen[id] = true;
      var tr = document.createElement("tr");
      var th = document.createElement("td");
      keys.split(/\s+/).forEach(function (k, n) {
        if (n) th.append(" or ");
        var kbd = document.createElement("kbd");
        kbd.className = "kbd kbd-sm";
        kbd.textContent = k;
        th.append(kbd);
      });
      var td = document.createElement("td");
      td.textContent = label;
      tr.append(th, td);
      body.append(tr);
    });
    var escRow = document.createElement("tr");
    escRow.innerHTML = '<td><kbd class="kbd kbd-sm">Escape</kbd></td><td>Cancel, close, or leave a field</td>';
    body.append(escRow);
    dialog.showModal();
  }

  document.addEventListener("click", function (e) {
    if (e.target.closest("[data-shortcuts-open]")) { e.preventDefault(); openHelp(); }
  });

  // ------------------------------------------------------------ the key handler
  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.isComposing) return;
    var active = document.activeElement;

    if (e.key === "Escape") {
      if (openDialog()) return;  // the browser closes it
      var scope = active && active.closest("[data-escape]");
      if (scope) {
        var cancel = scope.querySelector("[data-escape-action]");
        if (cancel) { e.preventDefault(); cancel.click(); return; }
      }
      if (typing(active)) {
        // Leave the field for a place where shortcuts work: the cursor row, else <main>.
        e.preventDefault();
        var list = cursorContainer();
        var home = (list && currentRow(list)) || document.getElementById("main");
        if (home) home.focus({ preventScroll: true }); else active.blur();
      }
      return;
    }
    if (typing(active)) return;

    var key = eventKey(e);
    if (key === "?") { e.preventDefault(); openHelp(); return; }

    var c = cursorContainer();
    if (c && !openDialog()) {
      if (key === "j" || key === "arrowdown") { if (moveCursor(1)) { e.preventDefault(); return; } }
      if (key === "k" || key === "arrowup") { if (moveCursor(-1)) { e.preventDefault(); return; } }
      if (key === "enter") {
        var row = currentRow(c);
        var open = row && row.querySelector("[data-row-open]");
        if (open && active === row) { e.preventDefault(); open.click(); return; }
      }
    }

    var target = findTarget(key);
    if (target) { e.preventDefault(); activate(target); }
  });
})();
