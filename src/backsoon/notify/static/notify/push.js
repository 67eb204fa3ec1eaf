/* Back Soon: "Send notifications to this device". Subscribes this browser to web push with
   the server's VAPID key and hands the subscription to the server. */
(function () {
  "use strict";

  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4))
      .replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function sameKey(buffer, bytes) {
    if (!buffer) return false;
    var other = new Uint8Array(buffer);
    if (other.length !== bytes.length) return false;
    for (var i = 0; i < bytes.length; i++) if (other[i] !== bytes[i]) return false;
    return true;
  }

  function setUp(box) {
    var button = box.querySelector("[data-push-subscribe]");
    var status = box.querySelector("[data-push-status]");
    var supported = "serviceWorker" in navigator && "PushManager" in window &&
      "Notification" in window;
    if (!supported) {
      box.querySelector("[data-push-unsupported]").hidden = false;
      return;
    }
    button.hidden = false;

    function say(name) { status.textContent = box.getAttribute("data-msg-" + name) || ""; }

    function post(subscription) {
      var token = box.querySelector("input[name=csrfmiddlewaretoken]").value;
      return fetch(box.getAttribute("data-url"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body: JSON.stringify(subscription.toJSON())
      }).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
      });
    }

    button.addEventListener("click", function () {
      button.disabled = true;
      say("working");
      Notification.requestPermission().then(function (permission) {
        if (permission !== "granted") {
          say("denied");
          return null;
        }
        return navigator.serviceWorker.register("/sw.js", { scope: "/" })
          .then(function () { return navigator.serviceWorker.ready; })
          .then(function (registration) {
            var key = keyBytes(box.getAttribute("data-vapid-key"));
            var subscribe = function () {
              return registration.pushManager.subscribe({
                userVisibleOnly: true, applicationServerKey: key
              });
            };
            return registration.pushManager.getSubscription().then(function (existing) {
              if (!existing) return subscribe();
              if (sameKey(existing.options.applicationServerKey, key)) return existing;
              // Made for another server key: it can't be used for ours.
              return existing.unsubscribe().then(subscribe);
            });
          })
          .then(post)
          .then(function () {
            say("done");
            window.location.reload();
          });
      }).catch(function () {
        say("failed");
      }).then(function () {
        button.disabled = false;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-push]").forEach(setUp);
  });
})();
