"""Running the real worker in a test, and reading what reached a phone.

Pushes go to the local push service of the notify tests (receivers.py, the `push_service`
fixture), which checks the VAPID signature and decrypts each payload as a push service would.
"""

from __future__ import annotations

from datetime import datetime

import time_machine

from backsoon.notify.models import Channel
from backsoon.notify.worker import Worker


def run_worker(at: datetime, rounds: int = 10) -> int:
    """Let the worker do everything due at `at`, as a few rounds of its loop would."""
    done = 0
    with time_machine.travel(at, tick=False):
        for _ in range(rounds):
            did = Worker().run_once()
            done += did
            if not did:
                break
    return done


def bodies(service, channel: Channel) -> list[str]:
    """What the phone behind `channel` showed, oldest first."""
    browser = service.browser_of(channel.config)
    return [push.payload["body"] for push in service.delivered(browser)]


def pushes(service, channel: Channel) -> list:
    return service.delivered(service.browser_of(channel.config))
