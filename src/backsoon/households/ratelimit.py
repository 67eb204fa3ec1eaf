"""Rate limits for invitations and caregiver links, kept in the shared cache.

Tokens are looked up by their SHA-256, so how long a lookup takes says nothing about how
close a guess was; the limit makes guessing slow as well. While an address is over its
limit every token it tries is refused, right ones included, so a guess learns nothing.
"""

from __future__ import annotations

import time

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

SHARE_LIMIT_MESSAGE = _(
    "You've shared a lot in the last hour. Please wait a little, then try again."
)


def client_ip(request) -> str:
    """The client's address, by the same trusted-proxy rule allauth's limits use."""
    return get_adapter(request).get_client_ip(request)


def _window_key(action: str, who: str, seconds: int) -> tuple[str, int]:
    window = int(time.time() // seconds)
    return f"backsoon-rl:{action}:{who}:{window}", seconds + 5


def _count(action: str, who: str, seconds: int) -> int:
    key, _ttl = _window_key(action, who, seconds)
    return cache.get(key, 0)


def _add(action: str, who: str, seconds: int) -> int:
    key, ttl = _window_key(action, who, seconds)
    # add + incr is atomic on Redis and in local memory alike.
    cache.add(key, 0, timeout=ttl)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.add(key, 1, timeout=ttl)
        return 1


def token_guesses_exceeded(request) -> bool:
    limit, seconds = settings.TOKEN_GUESS_LIMIT
    return _count("token-miss", client_ip(request), seconds) >= limit


def record_token_miss(request) -> None:
    _limit, seconds = settings.TOKEN_GUESS_LIMIT
    _add("token-miss", client_ip(request), seconds)


def share_allowed(request) -> bool:
    """One more invitation or caregiver link by this person, if under the hourly limit."""
    limit, seconds = settings.SHARE_CREATE_LIMIT
    return _add("share", str(request.user.pk), seconds) <= limit


def too_many(request):
    _limit, seconds = settings.TOKEN_GUESS_LIMIT
    response = render(request, "429.html", status=429)
    response["Retry-After"] = str(seconds - int(time.time()) % seconds)  # when the window ends
    return response
