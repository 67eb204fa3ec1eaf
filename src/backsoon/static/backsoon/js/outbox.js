/* Back Soon: an update posted with no network waits on the phone and is sent once it's back.

   <form method="post" data-outbox data-outbox-saved="Saved — it will send when you're back online.">
     <input type="hidden" name="key" value="…">   (the server keeps one update per key)
     <p data-outbox-status role="status" hidden></p>
   The form is kept in IndexedDB (photo included) with its own idempotency key, and sent again
   when the browser is online: on the `online` event and on the next page load. A copy that
   got through but whose answer was lost is sent again with the same key, and the server
   keeps it once. Without IndexedDB (or JavaScript) the form simply posts as usual. */
(function () {
  "use strict";

  var DB = "backsoon-outbox";
  var STORE = "posts";
  var flushing = null;

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, act) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = act(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function randomPart() {
    var bytes = new Uint8Array(8);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // The fields the browser would send for this submit, files as Blobs.
  function entriesOf(form, submitter) {
    var entries = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.disabled) return;
      var type = (field.type || "").toLowerCase();
      if (type === "submit" || type === "button" || type === "reset") return;
      if ((type === "checkbox" || type === "radio") && !field.checked) return;
      if (type === "file") {
        Array.prototype.forEach.call(field.files, function (file) { entries.push([field.name, file, file.name]); });
        return;
      }
      if (field.name === "key") {
        // A page kept offline shows the same key every time: each saved update gets its own.
        entries.push([field.name, field.value.slice(0, 40) + "-" + randomPart()]);
        return;
      }
      entries.push([field.name, field.value]);
    });
    if (submitter && submitter.name) entries.push([submitter.name, submitter.value]);
    return entries;
  }

  function statusOf(form) {
    return form.querySelector("[data-outbox-status]");
  }

  function say(form, text) {
    var status = statusOf(form);
    if (!status) return;
    status.textContent = text;
    status.hidden = !text;
  }

  function waiting() {
    return run("readonly", function (store) { return store.count(); });
  }

  function send(post) {
    var body = new FormData();
    post.entries.forEach(function (entry) {
      if (entry.length === 3) body.append(entry[0], entry[1], entry[2]);
      else body.append(entry[0], entry[1]);
    });
    // "manual": the redirect after a good post is the answer; following it here would
    // use up the "Sent" message that the page shows when it reloads.
    return fetch(post.url, { method: "POST", body: body, credentials: "same-origin", redirect: "manual" })
      .then(function (response) {
        if (response.type === "opaqueredirect" || response.ok) return "sent";
        if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
          return "refused";  // it can never go through (the link was stopped): don't retry forever
        }
        return "later";
      }, function () { return "later"; });
  }

  // Sends what is waiting, oldest first; resolves with how many went through.
  function flush() {
    if (flushing) return flushing;
    if (!window.indexedDB || !navigator.onLine) return Promise.resolve(0);
    flushing = run("readonly", function (store) { return store.getAll(); }).then(function (posts) {
      var sent = 0;
      function next(i) {
        if (i >= posts.length) return sent;
        return send(posts[i]).then(function (outcome) {
          if (outcome === "later") return sent;
          if (outcome === "sent") sent += 1;
          return run("readwrite", function (store) { store.delete(posts[i].id); }).then(function () {
            return next(i + 1);
          });
        });
      }
      return next(0);
    }).catch(function () { return 0; }).then(function (sent) {
      flushing = null;
      return sent;
    });
    return flushing;
  }

  function keep(form, submitter) {
    var buttons = form.querySelectorAll("button, input[type=submit]");
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
    // getAttribute: the buttons are named "action", which hides form.action.
    var url = new URL(form.getAttribute("action") || "", window.location.href).href;
    var post = { url: url, entries: entriesOf(form, submitter), savedAt: Date.now() };
    return run("readwrite", function (store) { store.add(post); }).then(function () {
      form.reset();
      say(form, form.getAttribute("data-outbox-saved"));
    }).catch(function () {
      say(form, form.getAttribute("data-outbox-failed"));
    }).then(function () {
      Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
    });
  }

  var lastPressed = null;
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button, input[type=submit]");
    if (button && button.form && button.form.hasAttribute("data-outbox")) lastPressed = button;
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-outbox") || navigator.onLine || !window.indexedDB) return;
    event.preventDefault();
    keep(form, event.submitter || lastPressed);
  });

  function reloadAfter(sent) {
    if (sent > 0) window.location.reload();
    return sent;
  }

  window.backsoonOutbox = { flush: flush, waiting: waiting };
  window.addEventListener("online", function () { flush().then(reloadAfter); });
  function sendWhatWaits() {
    if (!window.indexedDB || !document.querySelector("form[data-outbox]")) return;
    waiting().then(function (count) {
      if (!count) return;
      var form = document.querySelector("form[data-outbox]");
      say(form, form.getAttribute("data-outbox-saved"));
      return flush().then(reloadAfter);
    }).catch(function () { /* nothing kept: nothing to do */ });
  }

  // Loaded with async, so that a slow connection shows the page first: the page may be ready.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", sendWhatWaits);
  else sendWhatWaits();
})();
