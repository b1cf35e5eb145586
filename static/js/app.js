// KIS app behaviour: toasts, htmx error messages, focus after swaps, theme toggle.
// Loaded with `defer`; no inline script anywhere, so a strict CSP holds.
(function () {
  "use strict";

  var TOAST_MS = 6000;
  var TOAST_RESUME_MS = 3000;  // the least time left after a pause, to read it again

  // ---------------------------------------------------------------- toasts
  function region() { return document.getElementById("toasts"); }

  // Toasts never cover controls: while some show, the page gets room below its content as
  // tall as the stack (so everything can be scrolled clear of it), and scrolling to a focused
  // element or the row cursor keeps it above the stack (scroll-padding).
  // Measured from the layout (offsetTop), not the toasts' entry animation.
  function fitToasts() {
    var r = region();
    var top = window.innerHeight;
    var base = r ? r.getBoundingClientRect().top : 0;
    if (r) r.querySelectorAll("[data-toast]").forEach(function (t) {
      top = Math.min(top, base + (t.offsetParent === r ? t.offsetTop : t.getBoundingClientRect().top - base));
    });
    var room = top < window.innerHeight ? Math.ceil(window.innerHeight - top) + 8 : 0;
    document.body.style.paddingBottom = room ? room + "px" : "";
    document.documentElement.style.scrollPaddingBottom = room ? room + "px" : "";
  }
  window.addEventListener("resize", fitToasts);

  function removeToast(el) {
    var hadFocus = el.contains(document.activeElement);
    el.remove();
    fitToasts();
    if (hadFocus) document.getElementById("main").focus({ preventScroll: true });
  }

  // A toast goes after its time, but waits while the pointer is over it or focus is in it
  // (WCAG 2.2.1: time to reach its Undo button by Tab or by mouse), and goes on afterwards.
  function armToast(el) {
    if (el.dataset.armed) return;
    el.dataset.armed = "1";
    var left = parseInt(el.dataset.toastTimeout || TOAST_MS, 10);
    if (!(left > 0)) return;
    var timer = null, deadline = 0, hovered = false, focused = false;
    function run() {
      if (timer || hovered || focused || !el.isConnected) return;
      el.removeAttribute("data-toast-paused");
      deadline = Date.now() + left;
      timer = setTimeout(function () { removeToast(el); }, left);
    }
    function pause() {
      el.setAttribute("data-toast-paused", "");
      if (!timer) return;
      clearTimeout(timer);
      timer = null;
      left = Math.max(TOAST_RESUME_MS, deadline - Date.now());
    }
    el.addEventListener("mouseenter", function () { hovered = true; pause(); });
    el.addEventListener("mouseleave", function () { hovered = false; run(); });
    el.addEventListener("focusin", function () { focused = true; pause(); });
    el.addEventListener("focusout", function (e) {
      if (e.relatedTarget && el.contains(e.relatedTarget)) return;
      focused = false;
      run();
    });
    run();
  }

  function armAll() {
    var r = region();
    if (r) r.querySelectorAll("[data-toast]").forEach(armToast);
    fitToasts();
  }

  function toast(text, level) {
    var r = region();
    if (!r) return;
    var el = document.createElement("div");
    el.className = "alert shadow-lg max-w-md " + (level === "error" ? "alert-error" : "alert-info");
    el.setAttribute("data-toast", "");
    var span = document.createElement("span");
    span.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn btn-ghost btn-xs";
    close.setAttribute("data-toast-close", "");
    close.setAttribute("aria-label", "Dismiss");
    close.textContent = "\u2715";
    el.append(span, close);
    r.append(el);
    armToast(el);
    fitToasts();
  }
  window.kisToast = toast;

  function announce(text) {
    var a = document.getElementById("announcer");
    if (!a) return;
    a.textContent = "";
    setTimeout(function () { a.textContent = text; }, 50);
  }
  window.kisAnnounce = announce;

  document.addEventListener("click", function (e) {
    var btn = e.target.closest("[data-toast-close]");
    if (btn) removeToast(btn.closest("[data-toast]"));
  });

  // ---------------------------------------------------------------- htmx errors
  function errorText(xhr) {
    try {
      var doc = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
      var el = doc.querySelector("[data-error-message]");
      if (el && el.textContent.trim()) return el.textContent.trim();
    } catch (_) { /* fall through */ }
    return "Request failed (" + xhr.status + "). Please try again.";
  }

  // A boosted navigation that ends on an error page shows that page, like a normal link would.
  document.addEventListener("htmx:beforeSwap", function (e) {
    if (e.detail.boosted && e.detail.xhr.status >= 400) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });

  document.addEventListener("htmx:responseError", function (e) {
    toast(errorText(e.detail.xhr), "error");
  });
  document.addEventListener("htmx:sendError", function () {
    toast("Could not reach the server. Check your connection and try again.", "error");
  });
  document.addEventListener("htmx:timeout", function () {
    toast("The server took too long to answer. Please try again.", "error");
  });

  // After any swap: arm new toasts; if focus fell to <body>, move it somewhere useful.
  // A form page marked [data-focus-first-field] (login, signup, codes, contact form) starts in its first
  // field, or in the first invalid one after an error.
  var FIELD = 'input:not([type="hidden"]):not([type="checkbox"]):not([type="radio"]):not([disabled]), textarea, select';

  function entryField(root) {
    var scope = root && root.querySelector("[data-focus-first-field]");
    return scope && (scope.querySelector('[aria-invalid="true"]') || scope.querySelector(FIELD));
  }

  // A boosted link to page#section moves focus to that section, as an in-page link does.
  function anchored(detail) {
    var anchor = detail.boosted && detail.pathInfo && detail.pathInfo.anchor;
    var el = anchor && document.getElementById(anchor);
    if (!el) return null;
    if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
    return el;
  }

  // <main> is where focus is parked after a navigation; htmx restores focus by id, so a
  // focused <main> survives a boosted swap and still means "nothing in particular".
  function nothingFocused() {
    var active = document.activeElement;
    return !active || active === document.body || active.id === "main";
  }

  document.addEventListener("htmx:afterSettle", function (e) {
    armAll();
    // A form sent back with errors (422) goes on in its first invalid field, even where htmx
    // kept focus on the field the user submitted from.
    var invalid = e.detail.xhr && e.detail.xhr.status === 422 &&
      document.querySelector('[data-focus-first-field] [aria-invalid="true"]');
    if (invalid) {
      invalid.focus();
    } else if (nothingFocused()) {
      var target = e.detail.target;
      var focusable = target && (target.querySelector("[autofocus], [data-focus-after-swap]") || entryField(target) || anchored(e.detail));
      // Parking focus on <main> never scrolls (the lazy count's swap on load would scroll the
      // header away); a field or section is scrolled to only when it is out of view.
      (focusable || document.getElementById("main")).focus({ preventScroll: !focusable });
    }
  });
  document.addEventListener("htmx:oobAfterSwap", armAll);

  // No htmx history snapshots ("historyCacheSize": 0 in base.html, docs/decisions/0010):
  // Back and Forward load the page from the server, which renders the search box from ?q=.

  // ---------------------------------------------------------------- active search history
  // The search box (templates/lists/search_form.html, hx-push-url="true") asks after each
  // pause in typing. One search is one history entry: its first answer pushes the URL,
  // the following ones replace that entry, so one Back returns to the list before the
  // search. Leaving the box ends the search; typing again later starts a new entry.
  var SEARCH_BOX = '[role="search"] input[type="search"]';
  var searchEntry = null;  // the address (path and query) of the entry this search made

  function address(url) {
    var u = new URL(url, location.href);
    return u.pathname + u.search;
  }

  document.addEventListener("htmx:beforeHistoryUpdate", function (e) {
    var elt = e.detail.requestConfig && e.detail.requestConfig.elt;
    var update = e.detail.history;
    if (!update || !elt || !elt.matches || !elt.matches(SEARCH_BOX)) {
      searchEntry = null;
      return;
    }
    if (update.type === "push" && searchEntry !== null && searchEntry === address(location.href)) {
      update.type = "replace";  // htmx reads it back after this event
    }
    searchEntry = address(update.path);
  });

  document.addEventListener("focusout", function (e) {
    if (e.target.matches && e.target.matches(SEARCH_BOX)) searchEntry = null;
  });

  // ---------------------------------------------------------------- theme toggle
  var THEMES = ["", "light", "dark"];  // "" = follow the system

  function applyTheme(theme) {
    var root = document.documentElement;
    if (theme) root.setAttribute("data-theme", theme); else root.removeAttribute("data-theme");
    document.cookie = "kis_theme=" + theme + ";path=/;max-age=" + (theme ? 31536000 : 0) + ";samesite=lax";
    document.querySelectorAll("[data-theme-toggle]").forEach(function (btn) {
      var name = theme || "system";
      btn.setAttribute("aria-label", "Colour theme: " + name);
      var label = btn.querySelector("[data-theme-label]");
      if (label) label.textContent = name.charAt(0).toUpperCase() + name.slice(1);
    });
  }

  document.addEventListener("click", function (e) {
    if (!e.target.closest("[data-theme-toggle]")) return;
    var current = document.documentElement.getAttribute("data-theme") || "";
    var next = THEMES[(THEMES.indexOf(current) + 1) % THEMES.length];
    applyTheme(next);
    announce("Colour theme: " + (next || "system"));
  });

  document.addEventListener("DOMContentLoaded", function () {
    armAll();
    var field = nothingFocused() && entryField(document);
    if (field) field.focus();
  });
})();

// The small-screen header menu (a <details>): a click outside or Escape closes it.
(function () {
  "use strict";
  function openMenus() { return document.querySelectorAll("details[data-header-menu][open]"); }
  document.addEventListener("click", function (e) {
    openMenus().forEach(function (menu) { if (!menu.contains(e.target)) menu.open = false; });
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    openMenus().forEach(function (menu) {
      if (!menu.contains(document.activeElement)) return;
      e.preventDefault();
      e.stopPropagation();
      menu.open = false;
      menu.querySelector("summary").focus();
    });
  }, true);
})();
