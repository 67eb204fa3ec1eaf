"""Channels for the cast, made the way the views make them."""

from __future__ import annotations

from backsoon.notify import events
from backsoon.notify.channels.apprise import describe
from backsoon.notify.models import Channel
from backsoon.notify.subjects import Owner, whom


def add_channel(owner: Owner, kind: str, config: dict, label: str = "", **fields) -> Channel:
    who = whom(owner)
    fields.setdefault("events", events.defaults(who.is_parent))
    return Channel.objects.create(
        **who.fields(), kind=kind, config=config, label=label or kind, **fields
    )


def add_push(owner: Owner, push_service, **fields) -> Channel:
    return add_channel(owner, Channel.Kind.WEBPUSH, push_service.new_browser(), "Phone", **fields)


def add_email(owner: Owner, address: str, **fields) -> Channel:
    return add_channel(owner, Channel.Kind.EMAIL, {"address": address}, address, **fields)


def add_apprise(owner: Owner, url: str, **fields) -> Channel:
    return add_channel(owner, Channel.Kind.APPRISE, {"url": url}, describe(url) or url, **fields)


def url_values(cast) -> dict:
    """For the URL test: a channel of the cast's first parent."""
    channel = add_email(cast.parent, "maya@example.org")
    return {"channel_id": channel.pk}
