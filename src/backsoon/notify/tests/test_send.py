"""`notify.send()` only writes rows: one Delivery per chosen channel, quiet by default."""

from datetime import UTC, datetime, time

import pytest
import time_machine
from django.db import transaction

from backsoon import notify
from backsoon.households.access import Subject
from backsoon.households.models import CaregiverLink
from backsoon.notify.events import Event
from backsoon.notify.models import Channel, Delivery, Notification, OutboxEmail, QuietHours
from backsoon.notify.tests.factories import add_apprise, add_email

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)
URL = "/h/1/"


def channels_of(notification) -> set[int]:
    return set(notification.deliveries.values_list("channel_id", flat=True))


def test_a_parent_hears_only_urgent_calls_until_they_choose_more(cast):
    email = add_email(cast.parent, "maya@example.org")
    assert email.events == []

    posted = notify.send(cast.parent, Event.POSTED, "Back Soon", "A new update", URL)
    urgent = notify.send(cast.parent, Event.URGENT, "Back Soon", "Please call", URL, urgent=True)

    assert channels_of(posted) == set()
    assert channels_of(urgent) == {email.pk}
    email.events = [Event.POSTED]
    email.save()
    assert channels_of(notify.send(cast.parent, Event.POSTED, "Back Soon", "", URL)) == {email.pk}


def test_someone_on_a_link_is_reminded_by_default(cast):
    link, _token = CaregiverLink.create(
        household=cast.household, name="Ana", created_by=cast.parent
    )
    email = add_email(link, "ana@example.org")

    assert email.events == [Event.REMINDER, Event.NUDGE, Event.THANKS]
    reminder = notify.send(link, Event.REMINDER, "Back Soon", "An update is due", URL)
    thanks = notify.send(link, Event.THANKS, "Back Soon", "A message for you", URL)
    posted = notify.send(link, Event.POSTED, "Back Soon", "A new update", URL)

    assert channels_of(reminder) == {email.pk}
    assert channels_of(thanks) == {email.pk}
    assert channels_of(posted) == set()


def test_urgent_goes_to_every_enabled_channel_whatever_was_chosen(cast):
    one = add_email(cast.parent, "maya@example.org", events=[])
    two = add_apprise(cast.parent, "json://127.0.0.1:9/", events=[Event.POSTED])
    add_email(cast.parent, "old@example.org", enabled=False)

    urgent = notify.send(cast.parent, Event.URGENT, "Back Soon", "Please call", URL, urgent=True)

    assert channels_of(urgent) == {one.pk, two.pk}


def test_each_subject_gets_only_its_own_channels(cast):
    mine = add_email(cast.parent, "maya@example.org")
    add_email(cast.partner, "sam@example.org")
    add_email(cast.caregiver, "ana@example.org")

    notification = notify.send(
        Subject(cast.household, membership=cast.parent),
        Event.URGENT,
        "Back Soon",
        "",
        URL,
        urgent=True,
    )

    assert channels_of(notification) == {mine.pk}
    assert notification.membership == cast.parent and notification.link is None


def test_a_stopped_link_is_sent_nothing(cast):
    link, _token = CaregiverLink.create(
        household=cast.household, name="Ana", created_by=cast.parent
    )
    add_email(link, "ana@example.org")
    link.revoked_at = datetime.now(UTC)
    link.save()

    notification = notify.send(link, Event.REMINDER, "Back Soon", "", URL)

    assert channels_of(notification) == set()
    assert notification.outcome == Notification.Outcome.UNREACHABLE
    assert not notify.reaches(link, Event.REMINDER)


@time_machine.travel(T0, tick=False)
def test_send_only_writes_rows_due_now_with_a_topic(cast):
    add_email(cast.parent, "maya@example.org")

    notification = notify.send(cast.parent, Event.URGENT, "Back Soon", "Body", URL, urgent=True)

    [delivery] = notification.deliveries.all()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("pending", 0, T0)
    assert len(notification.topic) == 16
    assert OutboxEmail.objects.count() == 0, "nothing is sent inside the caller's transaction"


def test_send_is_part_of_the_callers_transaction(cast):
    add_email(cast.parent, "maya@example.org")

    with pytest.raises(RuntimeError), transaction.atomic():
        notify.send(cast.parent, Event.URGENT, "Back Soon", "", URL, urgent=True)
        raise RuntimeError("the caller's change failed")

    assert Notification.objects.count() == 0
    assert Delivery.objects.count() == 0


@time_machine.travel(datetime(2026, 6, 10, 22, 30, tzinfo=UTC), tick=False)
def test_quiet_hours_hold_ordinary_messages_until_they_end_but_not_urgent_ones(cast):
    add_email(cast.parent, "maya@example.org", events=[Event.POSTED])
    QuietHours.objects.create(membership=cast.parent, start=time(22), end=time(7))

    posted = notify.send(cast.parent, Event.POSTED, "Back Soon", "", URL)
    urgent = notify.send(cast.parent, Event.URGENT, "Back Soon", "", URL, urgent=True)

    # 23:30 in London (BST): quiet until 07:00 BST, 06:00 UTC.
    morning = datetime(2026, 6, 11, 6, 0, tzinfo=UTC)
    assert posted.not_before == morning
    assert posted.deliveries.get().next_attempt_at == morning
    assert urgent.not_before is None
    assert urgent.deliveries.get().next_attempt_at == datetime(2026, 6, 10, 22, 30, tzinfo=UTC)


def test_reaches_says_whether_anything_would_arrive(cast):
    assert not notify.reaches(cast.caregiver, Event.REMINDER)
    channel = add_email(cast.caregiver, "ana@example.org")
    assert notify.reaches(cast.caregiver, Event.REMINDER)
    channel.enabled = False
    channel.save()
    assert not notify.reaches(cast.caregiver, Event.REMINDER)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "party"}, "Unknown notification kind"),
        ({"url": "https://evil.example/"}, "opens a page of this site"),
        ({"url": "//evil.example/"}, "opens a page of this site"),
        ({"topic": "has spaces"}, "A topic is"),
        ({"topic": "x" * 33}, "A topic is"),
    ],
)
def test_send_refuses_what_would_go_wrong_later(cast, kwargs, message):
    arguments = {"kind": Event.POSTED, "url": URL} | kwargs
    with pytest.raises(ValueError, match=message):
        notify.send(
            cast.parent,
            arguments["kind"],
            "Back Soon",
            "",
            arguments["url"],
            topic=kwargs.get("topic"),
        )


def test_the_outcome_sums_up_the_deliveries(cast):
    one = add_email(cast.parent, "maya@example.org")
    two = add_apprise(cast.parent, "json://127.0.0.1:9/")
    notification = notify.send(cast.parent, Event.URGENT, "Back Soon", "", URL, urgent=True)
    rows = {d.channel_id: d for d in notification.deliveries.all()}

    assert notification.outcome == Notification.Outcome.TRYING
    Delivery.objects.filter(pk=rows[one.pk].pk).update(status=Delivery.Status.FAILED)
    assert notification.outcome == Notification.Outcome.TRYING
    Delivery.objects.filter(pk=rows[two.pk].pk).update(status=Delivery.Status.FAILED)
    assert notification.outcome == Notification.Outcome.UNREACHABLE
    Delivery.objects.filter(pk=rows[two.pk].pk).update(status=Delivery.Status.SENT)
    assert notification.outcome == Notification.Outcome.DELIVERED


def test_an_email_counts_as_delivered_only_once_the_mail_server_took_it(cast):
    add_email(cast.parent, "maya@example.org")
    notification = notify.send(cast.parent, Event.URGENT, "Back Soon", "", URL, urgent=True)
    email = OutboxEmail.objects.create(
        message_id="<x@backsoon.localhost>", sender="a@b", recipients=["maya@example.org"], raw=b""
    )
    notification.deliveries.update(status=Delivery.Status.SENT, email=email)

    assert notification.outcome == Notification.Outcome.TRYING
    OutboxEmail.objects.update(status=OutboxEmail.Status.FAILED)
    assert notification.outcome == Notification.Outcome.UNREACHABLE
    OutboxEmail.objects.update(status=OutboxEmail.Status.SENT)
    assert notification.outcome == Notification.Outcome.DELIVERED


def test_a_channel_belongs_to_exactly_one_subject(cast):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        Channel.objects.create(kind="email", config={}, label="nobody's")
    link, _token = CaregiverLink.create(
        household=cast.household, name="Ana", created_by=cast.parent
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Channel.objects.create(
            kind="email", config={}, label="both", membership=cast.parent, link=link
        )


def test_removing_a_person_removes_their_channels_and_messages(cast):
    add_email(cast.caregiver, "ana@example.org")
    notify.send(cast.caregiver, Event.REMINDER, "Back Soon", "", URL)

    cast.caregiver.delete()

    assert Channel.objects.count() == 0
    assert Notification.objects.count() == 0
    assert Delivery.objects.count() == 0
