// Search-as-you-type pickers (common.lists.widgets.PickerInput): an ARIA combobox whose
// listbox htmx fills while typing. Up/Down move through the options, Enter or a click
// chooses one (its text goes into the field), Escape closes the list. Global event
// delegation only: pages arrive by hx-boost, so nothing binds on load.
(function () {
  "use strict";

  function pickerOf(el) { return el && el.closest ? el.closest("[data-picker]") : null; }
  function parts(picker) {
    return {
      input: picker.querySelector('[role="combobox"]'),
      list: picker.querySelector("[data-picker-listbox]"),
    };
  }
  function options(list) { return Array.prototype.slice.call(list.querySelectorAll('[role="option"]')); }

  function close(picker) {
    var p = parts(picker);
    p.list.hidden = true;
    p.input.setAttribute("aria-expanded", "false");
    p.input.removeAttribute("aria-activedescendant");
  }

  function open(picker) {
    var p = parts(picker);
    if (!p.list.children.length) { close(picker); return; }
    p.list.hidden = false;
    p.input.setAttribute("aria-expanded", "true");
  }

  function activate(picker, option) {
    var p = parts(picker);
    options(p.list).forEach(function (o) { o.setAttribute("aria-selected", String(o === option)); o.classList.toggle("bg-base-300", o === option); });
    if (option) {
      p.input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    }
  }

  function choose(picker, option) {
    var p = parts(picker);
    picker.setAttribute("data-dismissed", "");
    p.input.value = option.getAttribute("data-value");
    close(picker);
    p.input.focus();
    if (window.kisAnnounce) window.kisAnnounce(p.input.value + " chosen");
  }

  // Options arrive: give them ids for aria-activedescendant and show the list.
  document.addEventListener("htmx:afterSwap", function (e) {
    var list = e.detail.target;
    if (!list || !list.hasAttribute || !list.hasAttribute("data-picker-listbox")) return;
    options(list).forEach(function (o, i) { o.id = list.id + "-" + i; });
    var picker = pickerOf(list);
    // Escape (or a choice) dismissed the list: options of a request already on its way stay
    // hidden until the user types again.
    if (document.activeElement === parts(picker).input && !picker.hasAttribute("data-dismissed")) open(picker);
    else close(picker);
  });

  // Capture phase: the picker's keys never reach the page's shortcuts (Escape would cancel
  // an inline edit, Enter would submit the form) while its list is open.
  document.addEventListener("keydown", function (e) {
    var picker = pickerOf(e.target);
    if (!picker || e.target.getAttribute("role") !== "combobox") return;
    var p = parts(picker);
    var all = options(p.list);
    var current = all.indexOf(p.list.querySelector('[aria-selected="true"]'));
    var isOpen = !p.list.hidden;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!all.length) return;
      e.preventDefault();
      e.stopPropagation();
      open(picker);
      var step = e.key === "ArrowDown" ? 1 : -1;
      var next = current < 0 ? (step > 0 ? 0 : all.length - 1) : (current + step + all.length) % all.length;
      activate(picker, all[next]);
    } else if (e.key === "Enter" && isOpen && current >= 0) {
      e.preventDefault();
      e.stopPropagation();
      choose(picker, all[current]);
    } else if (e.key === "Escape" && (isOpen || !picker.hasAttribute("data-dismissed"))) {
      // Closes the list, or keeps a list on its way from opening; a second Escape (list
      // closed and dismissed) goes on to the page, e.g. to cancel the inline editor.
      picker.setAttribute("data-dismissed", "");
      if (isOpen) {
        e.preventDefault();
        e.stopPropagation();
        close(picker);
      }
    }
  }, true);

  document.addEventListener("input", function (e) {
    var picker = pickerOf(e.target);
    if (picker) picker.removeAttribute("data-dismissed");  // typing asks for options again
  });

  document.addEventListener("mousedown", function (e) {
    var option = e.target.closest && e.target.closest('[data-picker-listbox] [role="option"]');
    if (!option) return;
    e.preventDefault(); // keep focus in the field
    choose(pickerOf(option), option);
  });

  document.addEventListener("focusout", function (e) {
    var picker = pickerOf(e.target);
    if (!picker) return;
    setTimeout(function () { if (!picker.contains(document.activeElement)) close(picker); }, 0);
  });
})();
