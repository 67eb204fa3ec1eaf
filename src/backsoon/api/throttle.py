"""Rate limits per token (or per signed-in session): a counter per minute in the cache.

The cache must be shared (Redis) when several processes serve, as for allauth's limits.
`cache.add` then `cache.incr` is atomic on Redis and in local memory alike.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

WINDOW_SECONDS = 60
DEFAULT_PER_MINUTE = 120


def per_minute() -> int:
    return getattr(settings, "API_RATE_LIMIT_PER_MINUTE", DEFAULT_PER_MINUTE)


def _key(request: HttpRequest) -> str:
    caller = getattr(request, "auth", None)
    token = getattr(caller, "token", None)
    if token is not None:
        return f"t{token.pk}"
    if request.user.is_authenticated:
        return f"u{request.user.pk}"
    return f"s{request.session.session_key}"


class PerCallerThrottle(BaseThrottle):
    def allow_request(self, request: HttpRequest) -> bool:
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        key = f"api-rate:{_key(request)}:{window}"
        cache.add(key, 0, timeout=WINDOW_SECONDS + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: a fresh window
            cache.add(key, 1, timeout=WINDOW_SECONDS + 5)
            count = 1
        if count > per_minute():
            request.api_retry_after = (window + 1) * WINDOW_SECONDS - now
            return False
        return True

    def wait(self) -> float | None:
        # One throttle object serves every request (and thread): the wait is kept on the
        # request instead, and the 429 handler turns it into Retry-After.
        return None
