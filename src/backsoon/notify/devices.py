"""This device's push subscription, as the browser hands it over, and a name for the device.

Kept apart from channels/webpush.py so that web requests don't load pywebpush.
"""

from __future__ import annotations

import binascii
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from backsoon.notify.vapid import b64url_decode

MAX_ENDPOINT_LENGTH = 1000
URL_CHARACTERS = re.compile(r"[!-~]+")  # printable ASCII, as a push service's URL is


def endpoint_allowed(endpoint: str) -> bool:
    """Only the push services browsers use: the worker will POST to this URL."""
    if not URL_CHARACTERS.fullmatch(endpoint):  # no spaces or controls (PostgreSQL: no NUL)
        return False
    parts = urlsplit(endpoint)
    if parts.scheme != "https" and not (settings.WEBPUSH_ALLOW_HTTP and parts.scheme == "http"):
        return False
    host = (parts.hostname or "").lower()
    return any(
        host == allowed or host.endswith("." + allowed)
        for allowed in settings.WEBPUSH_SERVICE_HOSTS
    )


def parse_subscription(data: object) -> dict | None:
    """The part of a browser's PushSubscription.toJSON() we keep, or None if it is unusable."""
    if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
        return None
    endpoint, keys = data.get("endpoint"), data["keys"]
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    if not all(isinstance(value, str) for value in (endpoint, p256dh, auth)):
        return None
    if len(endpoint) > MAX_ENDPOINT_LENGTH or not endpoint_allowed(endpoint):
        return None
    try:
        point, secret = b64url_decode(p256dh), b64url_decode(auth)
    except (binascii.Error, ValueError):
        return None
    if len(point) != 65 or point[0] != 4 or len(secret) != 16:
        return None
    return {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}


BROWSERS = (
    ("EdgA/", "Edge"),
    ("Edg/", "Edge"),
    ("SamsungBrowser", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS", "Firefox"),
    ("OPR/", "Opera"),
    ("CriOS", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Mac OS X", "Mac"),
    ("Windows", "Windows"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def device_label(user_agent: str) -> str:
    """“Firefox on Android”: enough to tell one's own devices apart."""
    browser = next((name for mark, name in BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in SYSTEMS if mark in user_agent), "")
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("A browser")
