// KIS keyboard shortcuts. Shortcuts are declared in markup with `aria-keyshortcuts`
// (space-separated alternatives, e.g. aria-keyshortcuts="# Delete"); this module
// only finds the element a key belongs to and clicks or focuses it.
//
//  - Never fires while typing in a field (except Escape, which leaves the field).
//  - An element inside a row ([data-row]) answers only when that row is the cursor row.
//    A list declares its rows' shortcuts once ([data-row-keys]: key, label and a selector
//    of the control in the row, lists/row_keys.html); the cursor row's controls get their
//    aria-keyshortcuts from it as the cursor moves, so fifty rows do not repeat them.
//  - When a modal dialog is open, only elements inside it answer.
//  - A [data-row-cursor] container gets j/k/arrow navigation and Enter to open; moving
//    past its last row clicks its [data-load-more] control.
//  - `?` opens the help dialog: the shortcuts it declares (global and conditional ones,
//    such as `u` while an Undo toast shows) and every one declared on the page, by area.
//  - Single-key shortcuts can be turned off (account settings, WCAG 2.1.4): then every
//    shortcut that is one character (j, n, /, ?, #) answers only with Alt (Alt+j) and the bare
//    key does nothing; Escape, Enter, Delete and the arrows stay as they are. The setting is
//    the help dialog's data-single-key-shortcuts ("off"), which every page load brings anew.
//  - Delete (or `#`) with rows selected deletes the selection (the list's [data-bulk-form],
//    with its confirmation). Around a delete or an Undo that reloads the list, the cursor
//    row's place is kept in sessionStorage and the cursor put back there after the load.
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

  // ------------------------------------------------------------ single-key shortcuts on/off
  function helpDialog() { return document.getElementById("shortcuts-help"); }

  function singleKeys() {
    var d = helpDialog();
    return !d || d.getAttribute("data-single-key-shortcuts") !== "off";
  }

  function isChar(key) { return key.length === 1; }  // a normalised key without modifiers

  // Alt+key where Alt changes the character (macOS: Alt+j is "∆"): the key from its position.
  var CODE_KEYS = { Slash: ["/", "?"], Digit3: ["3", "#"], Minus: ["-", "_"], Period: [".", ">"] };
  function altKey(e) {
    var k = e.key.toLowerCase();
    if (isChar(k) && k > " " && k <= "~") return k;
    var m = /^Key([A-Z])$/.exec(e.code) || /^Digit([0-9])$/.exec(e.code);
    if (m && !(e.shiftKey && CODE_KEYS[e.code])) return m[1].toLowerCase();
    var pair = CODE_KEYS[e.code];
    return pair ? pair[e.shiftKey ? 1 : 0] : k;
  }

  // The key as the shortcuts are declared ("j", "?", "delete", "control+k"), or null when it
  // is a bare single key while single-key shortcuts are off (it then does nothing).
  function logicalKey(e) {
    var key = eventKey(e);
    if (singleKeys()) return key;
    if (e.altKey && !e.ctrlKey && !e.metaKey) {
      var k = altKey(e);
      if (isChar(k)) return k;
      return key;
    }
    return isChar(key) ? null : key;
  }

  // How a declared key is pressed now: "j", or "Alt+j" when single keys are off.
  function pressed(token) {
    return !singleKeys() && isChar(normalise(token)) ? "Alt+" + token : token;
  }

  // The keys an element declared (aria-keyshortcuts says what is pressed now, see applyMode).
  function declared(el) {
    return el.getAttribute("data-keyshortcuts-declared") || el.getAttribute("aria-keyshortcuts") || "";
  }

  // Make aria-keyshortcuts and the <kbd> hints inside each shortcut say "Alt+j" while single
  // keys are off (and put them back when turned on again).
  function applyMode() {
    var on = singleKeys();
    if (on && !document.querySelector("[data-keyshortcuts-declared]")) return;
    document.querySelectorAll("[aria-keyshortcuts]").forEach(function (el) {
      var keys = declared(el);
      var tokens = keys.split(/\s+/);
      if (on) {
        el.setAttribute("aria-keyshortcuts", keys);
        el.removeAttribute("data-keyshortcuts-declared");
      } else {
        el.setAttribute("data-keyshortcuts-declared", keys);
        el.setAttribute("aria-keyshortcuts", tokens.map(pressed).join(" "));
      }
      if (el.hasAttribute("data-row-cursor")) return;  // its rows hold no hints of its own
      el.querySelectorAll("kbd").forEach(function (kbd) {
        var hint = kbd.getAttribute("data-key-hint") || kbd.textContent.trim();
        if (tokens.indexOf(hint) < 0) return;
        kbd.setAttribute("data-key-hint", hint);
        kbd.textContent = pressed(hint);
      });
    });
  }

  // The account page's keyboard form answers with this event (HX-Trigger) when it saved.
  document.addEventListener("kis:keyboard-settings", function (e) {
    var d = helpDialog();
    if (d && e.detail) d.setAttribute("data-single-key-shortcuts", e.detail.singleKey ? "on" : "off");
    applyMode();
  });

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

  // The row shortcuts a list declares once: [{keys, label, control}].
  function rowKeys() {
    return Array.prototype.map.call(document.querySelectorAll("[data-row-keys] [data-keys]"), function (item) {
      return { keys: item.getAttribute("data-keys"), label: item.textContent.trim(),
        control: item.getAttribute("data-control") };
    });
  }

  // Give the cursor row's controls the shortcuts the list declares for them (and take them
  // from the controls of rows that are no longer the cursor row).
  function markRow(row) {
    document.querySelectorAll("[data-row-key]").forEach(function (el) {
      if (row && row.contains(el)) return;
      ["data-row-key", "aria-keyshortcuts", "data-keyshortcuts-declared", "data-shortcut-label"].forEach(function (a) {
        el.removeAttribute(a);
      });
    });
    if (!row) return;
    rowKeys().forEach(function (k) {
      var el = row.querySelector(k.control);
      if (!el || el.hasAttribute("data-row-key")) return;
      el.setAttribute("data-row-key", "");
      el.setAttribute("aria-keyshortcuts", k.keys);
      el.setAttribute("data-shortcut-label", k.label);
    });
    applyMode();
  }

  function setCursor(container, row) {
    var old = currentRow(container);
    if (old) old.removeAttribute("aria-current");
    if (!row) return;
    row.setAttribute("aria-current", "true");
    markRow(row);
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
      markRow(row);
    }
  });

  // ------------------------------------------------------------ the selection, and the cursor around reloads
  function bulkForm() {
    var form = document.querySelector("[data-bulk-form]");
    return form && visible(form) && !openDialog() ? form : null;
  }

  function selectedBoxes(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name === "ids" && el.checked && !el.disabled;
    });
  }

  // Delete or `#` with rows selected: delete them all, through the list's own form (which
  // asks for confirmation first). Returns false when nothing is selected.
  function deleteSelection() {
    var form = bulkForm();
    if (!form || !selectedBoxes(form).length) return false;
    var button = form.querySelector("[data-bulk-delete]");
    if (form.requestSubmit) form.requestSubmit(button || undefined); else (button || form).click();
    return true;
  }

  var CURSOR_KEY = "kis:cursor-after-load";  // where the cursor goes on the next load of the list
  var DELETED_KEY = "kis:last-delete";  // the rows the last delete took, for its Undo
  var KEEP_MS = 60000;

  function store(key, value) {
    try {
      if (value) sessionStorage.setItem(key, JSON.stringify(value)); else sessionStorage.removeItem(key);
    } catch (_) { /* storage off: the cursor just starts afresh */ }
  }

  function stored(key) {
    try {
      var value = JSON.parse(sessionStorage.getItem(key) || "null");
      return value && value.path === location.pathname && Date.now() - value.at < KEEP_MS ? value : null;
    } catch (_) { return null; }
  }

  function place(ids, index) {
    return { path: location.pathname, at: Date.now(), ids: ids, index: index };
  }

  // Fired once the request really goes (after its confirmation).
  document.addEventListener("htmx:beforeRequest", function (e) {
    var elt = e.detail.elt;
    if (!elt || !elt.closest) return;
    var c = cursorContainer();
    var list = c ? rows(c) : [];
    if (elt.hasAttribute("data-row-delete")) {
      var row = elt.closest("[data-row]");
      if (row) store(DELETED_KEY, place([row.id], list.indexOf(row)));
    } else if (elt.hasAttribute("data-bulk-form")) {
      var picked = list.filter(function (r) { return r.querySelector('input[name="ids"]:checked'); });
      if (!picked.length) return;
      var first = list.indexOf(picked[0]);
      var survivor = list.slice(first).concat(list.slice(0, first).reverse()).filter(function (r) {
        return picked.indexOf(r) < 0;
      })[0];
      store(DELETED_KEY, place(picked.map(function (r) { return r.id; }), first));
      store(CURSOR_KEY, place(survivor ? [survivor.id] : [], first));
    } else if (elt.closest("[data-toast]") && elt.tagName === "FORM") {
      var deleted = stored(DELETED_KEY);  // an Undo: the cursor goes to the first restored row
      store(DELETED_KEY, null);
      store(CURSOR_KEY, deleted);
    }
  });

  function restoreCursor() {
    var want = stored(CURSOR_KEY);
    if (!want) return;
    store(CURSOR_KEY, null);
    var c = cursorContainer();
    var list = c ? rows(c) : [];
    if (!list.length) return;
    var row = want.ids.length ? document.getElementById(want.ids[0]) : null;
    if (list.indexOf(row) < 0) row = list[Math.max(0, Math.min(want.index, list.length - 1))];
    setCursor(c, row);
  }

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
      var tokens = declared(el).split(/\s+/).map(normalise);
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

  // Areas in the order the dialog shows them; an element may name its own ([data-shortcut-area]).
  var AREAS = ["Everywhere", "On this page", "In the list", "After a delete"];
  var KEY_NAMES = { arrowdown: ["\u2193", "Down arrow"], arrowup: ["\u2191", "Up arrow"],
    arrowleft: ["\u2190", "Left arrow"], arrowright: ["\u2192", "Right arrow"] };

  function areaOf(el) {
    var named = el.closest("[data-shortcut-area]");
    if (named) return named.getAttribute("data-shortcut-area");
    if (el.closest("[data-toast]")) return "After a delete";
    if (el.closest("[data-row], [data-row-cursor]")) return "In the list";
    var main = document.getElementById("main");
    return main && main.contains(el) ? "On this page" : "Everywhere";
  }

  // Every shortcut of the page: those the dialog declares (when their data-when matches),
  // then those on the page, one row per action, without repeats.
  function shortcuts(dialog) {
    var found = [], seen = {};
    function add(area, keys, label) {
      var id = area + "|" + keys.split(/\s+/).map(normalise).sort().join(" ");
      if (seen[id] || !keys) return;
      seen[id] = true;
      found.push({ area: area, keys: keys, label: label });
    }
    dialog.querySelectorAll("[data-shortcuts-declared] [data-keys]").forEach(function (item) {
      var when = item.getAttribute("data-when");
      if (when && !document.querySelector(when)) return;
      add(item.getAttribute("data-area"), item.getAttribute("data-keys"), item.textContent.trim());
    });
    var bulk = document.querySelector("[data-bulk-form]");
    document.querySelectorAll("[aria-keyshortcuts], [data-row-keys] [data-keys]").forEach(function (el) {
      if (dialog.contains(el) || el.hasAttribute("data-row-cursor")) return;
      var item = el.hasAttribute("data-keys");  // a row shortcut the list declares
      var keys = item ? el.getAttribute("data-keys") : declared(el);
      var label = item ? el.textContent.trim() : describe(el);
      var tokens = keys.split(/\s+/).map(normalise);
      var deletes = item ? el.getAttribute("data-control") === "[data-row-delete]" : el.hasAttribute("data-row-delete");
      if (bulk && deletes && (tokens.indexOf("#") >= 0 || tokens.indexOf("delete") >= 0)) {
        label += ", or every selected one";
      }
      add(item ? "In the list" : areaOf(el), keys, label);
    });
    return found;
  }

  function keyCell(keys) {
    var td = document.createElement("td");
    keys.split(/\s+/).forEach(function (k, n) {
      if (n) td.append(" or ");
      var kbd = document.createElement("kbd");
      kbd.className = "kbd kbd-sm";
      var name = KEY_NAMES[k.toLowerCase()];
      if (name) {
        var glyph = document.createElement("span");
        glyph.setAttribute("aria-hidden", "true");
        glyph.textContent = name[0];
        var spoken = document.createElement("span");
        spoken.className = "sr-only";
        spoken.textContent = name[1];
        kbd.append(glyph, spoken);
      } else {
        kbd.textContent = pressed(k);
      }
      td.append(kbd);
    });
    return td;
  }

  function openHelp() {
    var dialog = helpDialog();
    if (!dialog) return;
    var body = dialog.querySelector("[data-shortcuts-list]");
    body.textContent = "";
    var on = singleKeys();
    dialog.querySelectorAll("[data-shortcuts-mode]").forEach(function (el) {
      el.hidden = el.getAttribute("data-shortcuts-mode") !== (on ? "on" : "off");
    });
    var list = shortcuts(dialog);
    var areas = AREAS.slice();
    list.forEach(function (s) { if (areas.indexOf(s.area) < 0) areas.push(s.area); });
    areas.forEach(function (area, n) {
      var items = list.filter(function (s) { return s.area === area; });
      if (!items.length) return;
      var heading = document.createElement("h3");
      heading.id = "shortcuts-area-" + n;
      heading.className = "font-semibold mt-3";
      heading.textContent = area;
      var table = document.createElement("table");
      table.className = "table table-sm";
      table.setAttribute("aria-labelledby", heading.id);
      table.setAttribute("data-shortcuts-area", area);
      table.innerHTML = '<thead><tr><th scope="col" class="w-1/3">Key</th><th scope="col">Action</th></tr></thead>';
      var tbody = document.createElement("tbody");
      items.forEach(function (s) {
        var tr = document.createElement("tr");
        var td = document.createElement("td");
        td.textContent = s.label;
        tr.append(keyCell(s.keys), td);
        tbody.append(tr);
      });
      table.append(tbody);
      body.append(heading, table);
    });
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

    var key = logicalKey(e);
    if (key === null) return;  // a bare single key while they are off: nothing happens
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

    if ((key === "#" || key === "delete") && deleteSelection()) { e.preventDefault(); return; }

    var target = findTarget(key);
    if (target) { e.preventDefault(); activate(target); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var c = cursorContainer();
    markRow(c && currentRow(c));
    applyMode();
    restoreCursor();
  });
  document.addEventListener("htmx:afterSettle", function (e) {
    var c = cursorContainer();
    markRow(c && currentRow(c));  // a swapped control (the favourite star) is a new element
    applyMode();
    if (e.detail.boosted || e.detail.target === document.body) restoreCursor();
  });
  document.addEventListener("htmx:oobAfterSwap", applyMode);  // a toast's Undo <kbd>u</kbd>
})();
