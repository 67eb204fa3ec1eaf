/* Back Soon: the breathing pacer and the end of a wait. Everything works without this file:
   the pacer is then plain text steps, and the page says the wait is over when reloaded. */
(function () {
  "use strict";

  var canVibrate = typeof navigator.vibrate === "function";
  var PHASES = ["in", "hold", "out", "rest"];

  function vibrate(pattern) {
    if (!canVibrate) return;
    try { navigator.vibrate(pattern); } catch (e) { /* not allowed yet: the page still shows it */ }
  }

  function reducedMotion() {
    return Boolean(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  }

  function say(root, phase) {
    return root.getAttribute("data-say-" + phase) || "";
  }

  function setUpPacer(root) {
    var live = root.querySelector("[data-pacer-live]");
    var phaseText = root.querySelector("[data-pacer-phase]");
    var countText = root.querySelector("[data-pacer-count]");
    var toggle = root.querySelector("[data-pacer-toggle]");
    if (!live || !phaseText || !countText || !toggle) return;
    var seconds = {};
    PHASES.forEach(function (phase) {
      seconds[phase] = parseInt(root.getAttribute("data-" + phase), 10) || 0;
    });
    var buzzing = root.getAttribute("data-vibrate") === "1";
    var timer = null;
    var index = 0;
    var count = 0;

    live.hidden = false;
    root.setAttribute("data-motion", reducedMotion() ? "reduced" : "full");
    var vibrateOption = root.querySelector("[data-pacer-vibrate-option]");
    if (vibrateOption && canVibrate) vibrateOption.hidden = false;

    root.querySelectorAll("[data-pacer-set]").forEach(function (input) {
      input.addEventListener("change", function () {
        var name = input.getAttribute("data-pacer-set");
        if (name === "vibrate") buzzing = input.checked;
        else seconds[name] = parseInt(input.value, 10) || 0;
      });
    });

    function following(current) {
      for (var step = 1; step <= PHASES.length; step++) {
        var next = (current + step) % PHASES.length;
        if (seconds[PHASES[next]] > 0) return next;
      }
      return 0;
    }

    function enter(next) {
      index = next;
      count = 1;
      var phase = PHASES[index];
      PHASES.forEach(function (name) { root.classList.remove("pacer--" + name); });
      root.style.setProperty("--pacer-seconds", seconds[phase] + "s");
      root.classList.add("pacer--" + phase);
      root.setAttribute("data-phase", phase);
      phaseText.textContent = say(root, phase);
      countText.textContent = "1";
      if (buzzing) vibrate(40);
      timer = window.setTimeout(tick, 1000);
    }

    function tick() {
      count += 1;
      if (count > seconds[PHASES[index]]) {
        enter(following(index));
        return;
      }
      countText.textContent = String(count);
      timer = window.setTimeout(tick, 1000);
    }

    function start() {
      toggle.setAttribute("aria-pressed", "true");
      toggle.textContent = say(root, "stop");
      root.classList.add("pacer--running");
      enter(seconds.in > 0 ? 0 : following(0));
    }

    function stop() {
      window.clearTimeout(timer);
      timer = null;
      PHASES.forEach(function (name) { root.classList.remove("pacer--" + name); });
      root.classList.remove("pacer--running");
      root.removeAttribute("data-phase");
      toggle.setAttribute("aria-pressed", "false");
      toggle.textContent = say(root, "start");
      phaseText.textContent = say(root, "stopped");
      countText.textContent = "";
    }

    toggle.addEventListener("click", function () {
      if (timer) stop();
      else start();
    });
  }

  function setUpWaitEnd(note) {
    var ends = Date.parse(note.getAttribute("data-wait-end"));
    if (isNaN(ends)) return;
    var done = note.classList.contains("wait-end--over");
    var timer = null;

    function check() {
      window.clearTimeout(timer);
      if (done) return;
      var left = ends - Date.now();
      if (left <= 0) {
        done = true;
        note.textContent = note.getAttribute("data-say-over");
        note.classList.add("wait-end--over");
        if (note.getAttribute("data-buzz") === "1") vibrate([300, 150, 300]);
        return;
      }
      // Timers sleep in a background tab: look again when the page is seen.
      timer = window.setTimeout(check, Math.min(left + 250, 30000));
    }

    document.addEventListener("visibilitychange", check);
    check();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-pacer]").forEach(setUpPacer);
    document.querySelectorAll("[data-wait-end]").forEach(setUpWaitEnd);
  });
})();
