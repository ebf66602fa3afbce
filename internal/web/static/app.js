// Parcours console: the little the server cannot do. Every page works
// without it; it only helps.
(function () {
  "use strict";
  // After a form comes back with errors, take focus to the summary, so a
  // screen reader reads it and the keyboard is where the work is.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("erreurs");
    if (summary) { summary.focus(); }
  });
  // After htmx swaps a list or a tab, announce it and keep focus sensible.
  document.addEventListener("htmx:afterSwap", function (e) {
    var t = e.detail.target;
    if (t && t.hasAttribute("data-focus-after-swap")) {
      var h = t.querySelector("h2, h3, [tabindex='-1']");
      if (h) { h.setAttribute("tabindex", "-1"); h.focus(); }
    }
  });
  // A print button (the outcomes page, for a funder's report).
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[data-print]")) { window.print(); }
  });
  // "Select all" boxes of a review table.
  document.addEventListener("change", function (e) {
    var box = e.target;
    if (!box.matches || !box.matches("[data-select-all]")) { return; }
    var scope = document.getElementById(box.getAttribute("data-select-all"));
    if (!scope) { return; }
    scope.querySelectorAll("input[type=checkbox][name=ids]").forEach(function (c) { c.checked = box.checked; });
  });
})();
