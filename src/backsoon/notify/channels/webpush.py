"""Web push (RFC 8030) with VAPID (RFC 8292), through pywebpush; payload encrypted aes128gcm."""

from __future__ import annotations

import functools
import json

import requests
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.utils.translation import gettext as _
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from backsoon.notify.channels.base import BaseChannel, ChannelError

# The subscription is gone: only the browser can make a new one, so the channel is turned
# off. A 401/403 is more often our own VAPID set-up (Apple refuses an unreachable subject),
# so it is retried and shown to the owner rather than ending the subscription.
GONE = {404, 410}


class WebPushChannel(BaseChannel):
    kind = "webpush"

    def send(self, delivery) -> None:
        notification = delivery.notification
        try:
            webpush(
                subscription_info=delivery.channel.config,
                data=payload(notification),
                vapid_private_key=_signer(settings.VAPID_PRIVATE_KEY),
                vapid_claims={"sub": settings.VAPID_SUBJECT},
                timeout=self.timeout,
                ttl=settings.WEBPUSH_TTL_SECONDS,
                headers={
                    "Topic": notification.topic,
                    "Urgency": "high" if notification.urgent else "normal",
                },
            )
        except WebPushException as exc:
            raise _error(exc.status_code, exc.retry_after, _reason(exc)) from exc
        except requests.Timeout as exc:
            raise ChannelError(_("The push service didn't answer in time.")) from exc
        except requests.RequestException as exc:
            raise ChannelError(
                _("The push service couldn't be reached (%(error)s).")
                % {"error": type(exc).__name__}
            ) from exc


def payload(notification) -> str:
    """What the service worker's `push` handler reads (templates/sw.js)."""
    return json.dumps(
        {
            "title": notification.title,
            "body": notification.body,
            "url": notification.url,
            "tag": notification.topic,
            "urgent": notification.urgent,
        }
    )


def _reason(exc: WebPushException) -> str:
    try:
        return " ".join(exc.response.text.split())[:200]
    except AttributeError:
        return ""


def _error(status: int | None, retry_after: str | None, reason: str) -> ChannelError:
    if status in GONE:
        return ChannelError(
            _(
                "The browser on that device no longer takes notifications from Back Soon "
                "(perhaps they were turned off, or the app was removed)."
            ),
            permanent=True,
        )
    wait = int(retry_after) if retry_after and retry_after.isdecimal() else None
    if status == 429 or (status or 0) >= 500:
        message = _("The push service said “try again later” (%(status)s).")
    else:
        message = _("The push service refused the message (%(status)s %(reason)s).")
    return ChannelError(message % {"status": status, "reason": reason}, retry_after=wait)


@functools.lru_cache(maxsize=2)
def _signer(private_pem: str) -> Vapid02:
    if not private_pem:
        raise ChannelError(_("Web push isn't set up on this server yet (it has no VAPID key)."))
    return Vapid02(private_key=serialization.load_pem_private_key(private_pem.encode(), None))
