"""What every channel is: `send(delivery)` within a timeout, or a ChannelError."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from backsoon.notify.models import Delivery


class ChannelError(Exception):
    """A send failed. `permanent`: retrying can't help, so the channel is turned off.

    The message is shown to the channel's owner, so it is written for them.
    `retry_after` (seconds) is the service's own request to wait, if it made one.
    """

    def __init__(self, message: str, permanent: bool = False, *, retry_after: int | None = None):
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.retry_after = retry_after


class BaseChannel:
    kind: str = ""
    # False for a channel that only writes to our own database (email hands its message to
    # the outbox): the worker runs it in its own thread, with its own connection.
    network: bool = True

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout

    def send(self, delivery: Delivery) -> None:
        """Deliver `delivery.notification`; `delivery.channel` is loaded. Raise ChannelError."""
        raise NotImplementedError

    def warm_up(self) -> None:
        """Load now whatever the first send would otherwise wait for."""


def send_time_limit(jobs: int) -> float:
    """How long a batch of sends may take: each may wait to connect, then to be answered."""
    threads = max(1, min(jobs, settings.NOTIFY_SEND_THREADS))
    return math.ceil(jobs / threads) * 2 * settings.NOTIFY_CHANNEL_TIMEOUT_SECONDS + 1
