/* Back Soon care sheet: a character counter under long text fields. The limit itself is the
   textarea's maxlength and the server's check; this only shows how much room is left. */
(function () {
  "use strict";

  function setUp(area) {
    var limit = parseInt(area.getAttribute("maxlength"), 10);
    if (!limit) return;
    var counter = document.createElement("p");
    counter.className = "counter";
    area.insertAdjacentElement("afterend", counter);
    function update() {
      var used = area.value.replace(/\r\n/g, "\n").length;
      counter.textContent = used + " / " + limit;
    }
    area.addEventListener("input", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-counter]").forEach(setUp);
  });
})();
