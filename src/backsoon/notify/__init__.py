"""Notifications: channels, subscriptions and their delivery.

Other apps call `notify.send(subject, kind, title, body, url, urgent=…, topic=…)` inside
their own transaction (see sending.py); `notify.reaches(subject, kind)` says whether
anything would arrive, `notify.quiet_until(subject)` when their quiet hours end;
`send_many` and `quiet_until_each` do the same for a batch. They are imported lazily: this
package loads before the models.
"""

from __future__ import annotations

__all__ = ["Message", "quiet_until", "quiet_until_each", "reaches", "send", "send_many"]


def __getattr__(name: str):
    if name in __all__:
        from backsoon.notify import sending

        return getattr(sending, name)
    raise AttributeError(f"module 'backsoon.notify' has no attribute {name!r}")
