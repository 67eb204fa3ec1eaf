"""`send()`: the one call that tells someone something (outbox: it only writes rows).

Call it inside the transaction that changes the state it is about; the worker delivers it
later on every channel its person chose, and retries what fails.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backsoon.households.services import zone
from backsoon.notify import events
from backsoon.notify.events import Event
from backsoon.notify.models import Channel, Delivery, Notification, QuietHours
from backsoon.notify.quiet import quiet_until
from backsoon.notify.subjects import Owner, Whom, whom


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
    if kind not in Event.values:
        raise ValueError(f"Unknown notification kind {kind!r}; add it to notify/events.py.")
    if not url.startswith("/") or url.startswith("//"):
        raise ValueError(f"A notification opens a page of this site; got {url!r}.")
    topic = topic or secrets.token_urlsafe(12)
    if not events.TOPIC_PATTERN.match(topic):
        raise ValueError(f"A topic is 1–32 characters of A–Z a–z 0–9 _ -; got {topic!r}.")
    owner = whom(subject)
    now = timezone.now()
    not_before = None if urgent else _end_of_quiet_hours(owner, now)
    with transaction.atomic():
        notification = Notification.objects.create(
            **owner.fields(),
            kind=kind,
            title=title[:120],
            body=body[:240],
            url=url,
            urgent=urgent,
            topic=topic,
            created_at=now,
            not_before=not_before,
        )
        Delivery.objects.bulk_create(
            Delivery(
                notification=notification,
                channel=channel,
                next_attempt_at=not_before or now,
                created_at=now,
            )
            for channel in _working_channels(owner, now)
            if events.wanted(kind, channel.events, urgent=urgent)
        )
    return notification


def reaches(subject: Owner, kind: str) -> bool:
    """Whether `subject` has a working channel that carries `kind` (e.g. reminders)."""
    owner = whom(subject)
    return any(
        events.wanted(kind, channel.events, urgent=False)
        for channel in _working_channels(owner, timezone.now())
    )


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


def _working_channels(owner: Whom, now) -> list[Channel]:
    if owner.link is not None and owner.link.state(now) != "active":
        return []  # a stopped link is sent nothing
    return list(Channel.objects.filter(owner.q(), enabled=True).only("pk", "events"))


def _end_of_quiet_hours(owner: Whom, now):
    quiet = QuietHours.objects.filter(owner.q()).first()
    if quiet is None or not quiet.is_set:
        return None
    return quiet_until(now, quiet.start, quiet.end, zone(owner.household))
