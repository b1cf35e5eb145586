// Copy buttons: <button type="button" data-copy-target="ID"> copies the text of element #ID
// with navigator.clipboard, then says "Copied" on the button and in the nearest
// [data-copy-status] live region (role="status"). Delegated, so it works after htmx swaps;
// a keyboard press on the button is a click. Where the clipboard is refused, the text is
// selected and the user is told to press Ctrl+C.
(function () {
  "use strict";

  var RESET_MS = 2500;

  function selectText(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function say(btn, text) {
    var label = btn.querySelector("[data-copy-label]");
    var status = btn.parentElement && btn.parentElement.querySelector("[data-copy-status]");
    if (label) {
      if (!btn.dataset.copyIdle) btn.dataset.copyIdle = label.textContent;
      label.textContent = text === "Copied" ? "Copied" : "Copy";
    }
    if (status) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = text; }, 30);
    }
    window.clearTimeout(btn._kisCopyTimer);
    btn._kisCopyTimer = window.setTimeout(function () {
      if (label) label.textContent = btn.dataset.copyIdle || "Copy";
      if (status) status.textContent = "";
    }, RESET_MS);
  }

  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("[data-copy-target]");
    if (!btn) return;
    var source = document.getElementById(btn.dataset.copyTarget);
    if (!source) return;
    var text = ("value" in source ? source.value : source.textContent).trim();
    function fallback() {
      selectText(source);
      say(btn, "Press Ctrl+C to copy");
    }
    if (!navigator.clipboard || !navigator.clipboard.writeText) { fallback(); return; }
    navigator.clipboard.writeText(text).then(function () { say(btn, "Copied"); }, fallback);
  });
})();
