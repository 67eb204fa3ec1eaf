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

  function registerServiceWorker() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {
      /* plain http on a home network: the app still works, just not offline */
    });
  }

  function showOfflineState() {
    var note = document.querySelector("[data-offline-note]");
    if (!note) return;
    note.hidden = navigator.onLine;
    window.addEventListener("offline", function () { note.hidden = false; });
    window.addEventListener("online", function () {
      // The page may be an older saved copy: fetch the fresh one, once anything saved
      // meanwhile (outbox.js) has been sent.
      if (note.hidden) return;
      var outbox = window.backsoonOutbox;
      (outbox ? outbox.flush() : Promise.resolve(0)).then(function () { window.location.reload(); });
    });
  }

  function hideManualRefresh() {
    // A page that updates itself (htmx) doesn't need a "Refresh" link inviting one more check.
    if (!window.htmx) return;
    document.querySelectorAll("[data-refresh-fallback]").forEach(function (el) { el.hidden = true; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    hideManualRefresh();
    setUpCopyButtons();
    guessTimeZone();
    showOfflineState();
    registerServiceWorker();
  });
})();
