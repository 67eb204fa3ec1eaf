/* Back Soon service worker. Pages are fetched network-first, so nothing live is shown stale;
   a page the server marks as fit for offline reading is kept for when the network is gone. */
"use strict";
var VERSION = {{ version|safe }};
var STATIC_CACHE = "backsoon-static-" + VERSION;
var PAGES_CACHE = "backsoon-pages";
var PRECACHE = {{ precache|safe }};
var OFFLINE_HEADER = {{ offline_header|safe }};
var PUSH_DEFAULTS = {{ push_defaults|safe }};

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(STATIC_CACHE).then(function (cache) { return cache.addAll(PRECACHE); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("backsoon-static-") === 0 && name !== STATIC_CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function clearEverything() {
  return caches.keys().then(function (names) {
    return Promise.all(names.map(function (name) { return caches.delete(name); }));
  });
}

function handlePage(request) {
  return fetch(request).then(function (response) {
    if (response.status === 401 || response.status === 410) {
      // The access is gone (link stopped, signed out): forget every offline copy.
      return clearEverything().then(function () { return response; });
    }
    if (response.ok && response.headers.get(OFFLINE_HEADER) === "1") {
      var copy = response.clone();
      caches.open(PAGES_CACHE).then(function (cache) { cache.put(request.url, copy); });
    }
    return response;
  }).catch(function () {
    return caches.open(PAGES_CACHE).then(function (cache) {
      return cache.match(request.url);
    }).then(function (cached) {
      return cached || caches.match("/offline/");
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(handlePage(request));
    return;
  }
  if (url.pathname.indexOf("/static/") === 0) {
    // Hashed file names never change content: keep what a page used, for offline reading.
    event.respondWith(
      caches.match(request).then(function (cached) {
        return cached || fetch(request).then(function (response) {
          if (response.ok) {
            var copy = response.clone();
            caches.open(STATIC_CACHE).then(function (cache) { cache.put(request, copy); });
          }
          return response;
        });
      })
    );
  }
});

self.addEventListener("message", function (event) {
  if (event.data === "clear") event.waitUntil(clearEverything());
});

/* Web push: the payload is {title, body, url, tag, urgent}, kept neutral by the server for
   the lock screen. One notification per tag, so a repeated send replaces itself. */
self.addEventListener("push", function (event) {
  var data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (e) {
    data = { body: event.data ? event.data.text() : "" };
  }
  var options = {
    body: data.body || PUSH_DEFAULTS.body,
    icon: PUSH_DEFAULTS.icon,
    badge: PUSH_DEFAULTS.icon,
    data: { url: data.url || "/" },
    requireInteraction: Boolean(data.urgent)
  };
  if (data.tag) {
    options.tag = data.tag;
    options.renotify = true;
  }
  event.waitUntil(self.registration.showNotification(data.title || PUSH_DEFAULTS.title, options));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = new URL((event.notification.data && event.notification.data.url) || "/",
    self.location.origin);
  if (target.origin !== self.location.origin) target = new URL("/", self.location.origin);
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
      for (var i = 0; i < windows.length; i++) {
        if (windows[i].url === target.href && "focus" in windows[i]) return windows[i].focus();
      }
      for (var j = 0; j < windows.length; j++) {
        if ("navigate" in windows[j] && "focus" in windows[j]) {
          return windows[j].navigate(target.href).then(function (client) {
            return client ? client.focus() : self.clients.openWindow(target.href);
          });
        }
      }
      return self.clients.openWindow(target.href);
    })
  );
});
