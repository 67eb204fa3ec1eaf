/* Back Soon: small progressive enhancements. Everything works without this file. */
(function () {
  "use strict";

  function setUpCopyButtons() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var target = document.querySelector(button.getAttribute("data-copy"));
      if (!target || !navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(target.value || target.textContent).then(function () {
          var original = button.textContent;
          button.textContent = button.getAttribute("data-copied") || original;
          setTimeout(function () { button.textContent = original; }, 2000);
        });
      });
    });
  }

  function guessTimeZone() {
    // On a new household, preselect the phone's own time zone.
    var select = document.querySelector("select[data-guess-time-zone]");
    if (!select || select.getAttribute("data-guessed") === "1") return;
    try {
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (zone && select.querySelector('option[value="' + zone + '"]')) select.value = zone;
    } catch (e) { /* keep the server's choice */ }
    select.setAttribute("data-guessed", "1");
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpCopyButtons();
    guessTimeZone();
  });
})();
