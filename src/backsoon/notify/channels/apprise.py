"""Apprise: ntfy, Telegram, Signal, Matrix, SMS gateways and many more, from one URL."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import apprise
from django.conf import settings
from django.utils.translation import gettext as _

from backsoon.notify.channels.base import BaseChannel, ChannelError

# The delivery step already sends from its own threads and abandons a send that outlives the
# channel timeout; without this, Apprise would hand each send to its own small shared pool.
SEND_HERE = apprise.AppriseAsset(service_timeout=0)


class AppriseChannel(BaseChannel):
    kind = "apprise"

    def send(self, delivery) -> None:
        notification = delivery.notification
        sender = _load(delivery.channel.config["url"], self.timeout)
        if sender is None:
            raise ChannelError(
                _("Apprise no longer accepts this address; please add it again."), permanent=True
            )
        body = notification.body or notification.title
        if settings.SITE_URL:
            body = f"{body}\n{settings.SITE_URL}{notification.url}"
        result = sender.notify(body=body, title=notification.title)
        if not result:
            raise ChannelError(
                _("The service didn't take the message (%(detail)s).") % {"detail": _why(result)}
            )

    def warm_up(self) -> None:
        # Apprise reads its hundred-odd plugins the first time it parses an address.
        apprise.Apprise.instantiate("json://localhost/", asset=SEND_HERE)


def _load(url: str, timeout: float) -> apprise.Apprise | None:
    sender = apprise.Apprise(asset=SEND_HERE)
    if not sender.add(url) or len(sender) != 1:
        return None
    for service in sender:
        # Apprise's own default is 4 s each; ours is the channel timeout.
        service.socket_connect_timeout = timeout
        service.socket_read_timeout = timeout
    return sender


def describe(url: str) -> str | None:
    """A label that shows which service without its secrets, or None if Apprise refuses it."""
    sender = apprise.Apprise()
    if not sender.add(url) or len(sender) != 1:
        return None
    service = next(iter(sender))
    # Apprise's privacy form still shows topics and chat ids, which can be secrets too.
    parts = urlsplit(service.url(privacy=True))
    try:
        host = f"{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}"
    except ValueError:
        host = parts.hostname or ""
    pieces = [unquote(piece) for piece in parts.path.split("/")]
    shown = [piece if len(piece) <= 4 else piece[:4] + "…" for piece in pieces]
    path = "/".join(piece for piece in shown if piece)
    return f"{service.service_name}: {parts.scheme}://{unquote(host)}{'/' + path if path else ''}"[
        :200
    ]


def _why(result) -> str:
    status = getattr(getattr(result, "status", None), "name", "")
    messages = [
        entry.message
        for entry in getattr(result, "logs", lambda: [])()
        if entry.level in ("WARNING", "ERROR")
    ]
    return (messages[-1] if messages else status.lower() or _("no reason given"))[:300]
