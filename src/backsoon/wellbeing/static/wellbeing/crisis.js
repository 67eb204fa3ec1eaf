/* Back Soon: show crisis help at once when an answer means someone may be in danger.
   The form names its fields in data-crisis-fields and its panel in data-crisis-panel;
   any chosen answer other than "0" or "no" in those fields reveals the panel and moves
   focus to it. Without this file the server shows the same help on submit. */
(function () {
  "use strict";

  var CALM_VALUES = ["0", "no", ""];

  function setUp(form) {
    var names = (form.getAttribute("data-crisis-fields") || "").split(/\s+/).filter(Boolean);
    var panel = document.getElementById(form.getAttribute("data-crisis-panel") || "");
    if (!panel || !names.length) return;
    form.addEventListener("change", function (event) {
      var input = event.target;
      if (!input || !input.checked || names.indexOf(input.name) === -1) return;
      if (CALM_VALUES.indexOf(input.value) !== -1 || !panel.hidden) return;
      panel.hidden = false;
      var heading = panel.querySelector("[tabindex='-1']") || panel;
      heading.focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-crisis-fields]").forEach(setUp);
  });
})();
