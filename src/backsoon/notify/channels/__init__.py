"""The channel registry: one module per kind, one base class (STYLE.md, item 4).

Each module is imported when first used: pywebpush and Apprise take seconds to load, and
only the worker needs them; the worker loads them all in the background as it starts
(`warm_up`), so the first send of its life is not the one that waits.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from backsoon.notify.channels.base import BaseChannel, ChannelError

REGISTRY: dict[str, str] = {
    "webpush": "backsoon.notify.channels.webpush.WebPushChannel",
    "email": "backsoon.notify.channels.email.EmailChannel",
    "apprise": "backsoon.notify.channels.apprise.AppriseChannel",
}

__all__ = ["REGISTRY", "BaseChannel", "ChannelError", "for_kind", "warm_up"]


def for_kind(kind: str) -> BaseChannel:
    try:
        channel = import_string(REGISTRY[kind])
    except KeyError:
        raise ChannelError(f"Unknown channel kind {kind!r}.", permanent=True) from None
    return channel(timeout=settings.NOTIFY_CHANNEL_TIMEOUT_SECONDS)


def warm_up() -> None:
    for kind in REGISTRY:
        for_kind(kind).warm_up()
