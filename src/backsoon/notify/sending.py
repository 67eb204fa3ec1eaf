"""`send()`: the one call that tells someone something (outbox: it only writes rows).

`send_many()` does the same for a batch (the worker's reminders) in a few queries.

Call it inside the transaction that changes the state it is about; the worker delivers it
later on every channel its person chose, and retries what fails.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from backsoon.households.services import zone
from backsoon.notify import events, quiet
from backsoon.notify.events import Event
from backsoon.notify.models import Channel, Delivery, Notification, QuietHours
from backsoon.notify.subjects import Owner, Whom, whom


@dataclass(frozen=True)
class Message:
    """One `send()`, for `send_many()`."""

    subject: Owner
    kind: str
    title: str
    body: str
    url: str
    urgent: bool = False
    topic: str | None = None


def send(
    subject: Owner,
    kind: str,
    title: str,
    body: str,
    url: str,
    *,
    urgent: bool = False,
    topic: str | None = None,
) -> Notification:
    """Queue a notification for `subject` (a Subject, Membership or CaregiverLink).

    kind: an `Event` value; the subject's channels that carry it get a Delivery row each.
    urgent: every enabled channel, whatever was chosen, and quiet hours don't apply.
    title/body: shown on a lock screen, so neutral: no names, never "late".
    url: a path on this site ("/h/1/…"), opened when the notification is tapped.
    topic: up to 32 of A–Z a–z 0–9 _ -; a newer push with the same topic replaces an
    undelivered older one, and the phone shows one notification per topic.
    """
    return send_many([Message(subject, kind, title, body, url, urgent, topic)])[0]


def send_many(messages: Iterable[Message]) -> list[Notification]:
    """`send()` for many at once, in a handful of queries whatever their number (the worker)."""
    checked = [_checked(message) for message in messages]
    if not checked:
        return []
    now = timezone.now()
    owners = [whom(message.subject) for message in checked]
    quiet_ends = quiet_until_each(owners, now)
    channels = _working_channels_of(owners, now)
    notifications = [
        Notification(
            **owner.fields(),
            kind=message.kind,
            title=message.title[:120],
            body=message.body[:240],
            url=message.url,
            urgent=message.urgent,
            topic=message.topic,
            created_at=now,
            not_before=None if message.urgent else quiet_end,
        )
        for message, owner, quiet_end in zip(checked, owners, quiet_ends, strict=True)
    ]
    with transaction.atomic():
        if connection.features.can_return_rows_from_bulk_insert:
            Notification.objects.bulk_create(notifications)
        else:
            for notification in notifications:
                notification.save(force_insert=True)
        Delivery.objects.bulk_create(
            Delivery(
                notification=notification,
                channel=channel,
                next_attempt_at=notification.not_before or now,
                created_at=now,
            )
            for notification, owner in zip(notifications, owners, strict=True)
            for channel in channels.get(_key(owner), [])
            if events.wanted(notification.kind, channel.events, urgent=notification.urgent)
        )
    return notifications


def _checked(message: Message) -> Message:
    if message.kind not in Event.values:
        raise ValueError(f"Unknown notification kind {message.kind!r}; add it to notify/events.py.")
    if not message.url.startswith("/") or message.url.startswith("//"):
        raise ValueError(f"A notification opens a page of this site; got {message.url!r}.")
    topic = message.topic or secrets.token_urlsafe(12)
    if not events.TOPIC_PATTERN.match(topic):
        raise ValueError(f"A topic is 1–32 characters of A–Z a–z 0–9 _ -; got {topic!r}.")
    return replace(message, topic=topic)


def reaches(subject: Owner, kind: str) -> bool:
    """Whether `subject` has a working channel that carries `kind` (e.g. reminders)."""
    owner = whom(subject)
    return any(
        events.wanted(kind, channel.events, urgent=False)
        for channel in _working_channels(owner, timezone.now())
    )


def quiet_until(subject: Owner, now=None):
    """When `subject`'s quiet hours end (UTC), or None if they aren't in them now.

    For work that would rather wait than queue (e.g. a reminder that is dropped if the
    separation ends before the quiet hours do).
    """
    return quiet_until_each([subject], now)[0]


def send_test(channel: Channel) -> Notification:
    """A test on one channel, at once: quiet hours and choices don't apply to it."""
    owner = Whom(channel.household, channel.membership, channel.link)
    now = timezone.now()
    with transaction.atomic():
        notification = Notification.objects.create(
            **owner.fields(),
            kind=Event.TEST,
            title="Back Soon",
            body=_("This is a test. If you can read it, this works."),
            url=channel.page_url,
            topic=f"test-{channel.pk}",
            created_at=now,
        )
        Delivery.objects.create(
            notification=notification, channel=channel, next_attempt_at=now, created_at=now
        )
        channel.last_test_at = now
        channel.last_test_ok = None
        channel.last_test_error = ""
        channel.save(update_fields=["last_test_at", "last_test_ok", "last_test_error"])
    return notification


def _key(owner: Whom) -> tuple[int | None, int | None]:
    return (
        owner.membership.pk if owner.membership else None,
        owner.link.pk if owner.link else None,
    )


def _of_owners(model, owners: list[Whom]):
    """Rows of a SubjectOwned model that belong to any of `owners`, in one query."""
    memberships = {o.membership.pk for o in owners if o.membership is not None}
    links = {o.link.pk for o in owners if o.link is not None}
    return model.objects.filter(Q(membership_id__in=memberships) | Q(link_id__in=links))


def _working_channels_of(owners: list[Whom], now) -> dict[tuple, list[Channel]]:
    # A stopped link is sent nothing.
    live = [o for o in owners if o.link is None or o.link.state(now) == "active"]
    found: dict[tuple, list[Channel]] = {}
    if live:
        channels = _of_owners(Channel, live).filter(enabled=True)
        for channel in channels.only("pk", "events", "membership_id", "link_id").order_by("pk"):
            found.setdefault((channel.membership_id, channel.link_id), []).append(channel)
    return found


def _working_channels(owner: Whom, now) -> list[Channel]:
    return _working_channels_of([owner], now).get(_key(owner), [])


def quiet_until_each(subjects: list[Owner], now=None) -> list:
    """`quiet_until` for each of `subjects`, in one query."""
    owners = [whom(subject) for subject in subjects]
    now = now or timezone.now()
    hours = (
        {(h.membership_id, h.link_id): h for h in _of_owners(QuietHours, owners)} if owners else {}
    )
    ends = []
    for owner in owners:
        found = hours.get(_key(owner))
        if found is None or not found.is_set:
            ends.append(None)
        else:
            ends.append(quiet.quiet_until(now, found.start, found.end, zone(owner.household)))
    return ends
