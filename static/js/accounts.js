// KIS accounts: run allauth's page scripts under the strict CSP and after htmx swaps.
//
// allauth pages declare their behaviour as JSON in an element such as
//   <div hidden data-allauth-onload="allauth.webauthn.forms.addForm">{...}</div>
// (KIS's template overrides use hidden <div>s, not allauth's <script type="application/json">,
// because htmx drops every <script> from swapped content with allowScriptTags: false).
// This module loads the allauth static file that defines the named function (only on
// pages that need it), then calls it once with the JSON: on first load and after every
// htmx swap (boosted navigation included).
(function () {
  "use strict";

  var me = document.currentScript;
  var sources = {};
  try { sources = JSON.parse((me && me.dataset.allauthScripts) || "{}"); } catch (_) { sources = {}; }

  // Which allauth files define each namespace, in load order.
  var NEEDS = {
    "allauth.webauthn.": ["webauthn-json", "webauthn"],
    "allauth.recoveryCodes.": ["recovery_codes"],
    "allauth.account.": ["account"]
  };
  var loading = {};

  function load(name) {
    if (!loading[name]) {
      loading[name] = new Promise(function (resolve, reject) {
        var src = sources[name];
        if (!src) { reject(new Error("Unknown allauth script " + name)); return; }
        var s = document.createElement("script");
        s.src = src;
        s.async = false;
        s.onload = resolve;
        s.onerror = function () { reject(new Error("Could not load " + src)); };
        document.head.appendChild(s);
      });
    }
    return loading[name];
  }

  function loadAll(names) {
    return names.reduce(function (p, n) { return p.then(function () { return load(n); }); },
      Promise.resolve());
  }

  function resolve(path) {
    return path.split(".").reduce(function (acc, part) { return acc && acc[part]; }, window);
  }

  function run(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var found = Array.prototype.slice.call(scope.querySelectorAll("[data-allauth-onload]"));
    if (scope.matches && scope.matches("[data-allauth-onload]")) found.push(scope);
    found.forEach(function (el) {
      if (el.dataset.kisRan) return;
      el.dataset.kisRan = "1";
      var ref = el.dataset.allauthOnload || "";
      if (ref.indexOf("allauth.") !== 0) return;
      var prefix = Object.keys(NEEDS).filter(function (p) { return ref.indexOf(p) === 0; })[0];
      loadAll(prefix ? NEEDS[prefix] : []).then(function () {
        var fn = resolve(ref);
        if (typeof fn === "function") fn(JSON.parse(el.textContent));
      }).catch(function (err) {
        if (window.kisToast) window.kisToast(err.message, "error");
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { run(document); });
  document.addEventListener("htmx:load", function (e) { run(e.detail && e.detail.elt); });

  // A security key that refused or timed out: say so instead of failing silently.
  document.addEventListener("allauth.error", function (e) {
    e.preventDefault();
    var exc = e.detail && e.detail.exception;
    var text = exc && exc.name === "NotAllowedError"
      ? "The security key request was cancelled or timed out."
      : "The security key could not be used" + (exc && exc.message ? ": " + exc.message : ".");
    if (window.kisToast) window.kisToast(text, "error");
  });
})();
