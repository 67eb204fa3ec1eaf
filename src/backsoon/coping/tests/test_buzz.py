"""The worker's buzz at the end of a wait: due as a column, sent once, never after it ended."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from backsoon.coping import buzz
from backsoon.coping.models import Urge
from backsoon.coping.tests.factories import make_urge
from backsoon.notify.events import Event
from backsoon.notify.models import Delivery, Notification
from backsoon.notify.tests.factories import add_email
from backsoon.notify.worker import Worker
from backsoon.separations.models import Separation
from backsoon.separations.tests.factories import make_separation

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
ENDS = NOW + timedelta(minutes=20)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def waiting(cast, leaver=None, **fields):
    separation = make_separation(
        cast, leaver=leaver, starts_at=NOW - timedelta(minutes=30), minutes=120
    )
    fields = {"started_at": NOW, "wait_minutes": 20, "buzz": True, "buzz_at": ENDS} | fields
    return make_urge(separation, **fields)


def test_the_step_is_registered_with_the_worker(cast):
    assert buzz.send_due_buzzes in Worker().steps
    assert Worker().steps.index(buzz.send_due_buzzes) < len(Worker().steps) - 2


def test_nothing_is_sent_before_the_wait_is_over(cast):
    waiting(cast)
    assert buzz.send_due_buzzes(Worker(), ENDS - timedelta(seconds=1)) == 0
    assert not Notification.objects.exists()


def test_a_due_buzz_is_sent_once_to_every_channel_with_neutral_words(cast, frozen):
    channel = add_email(cast.parent, "maya@example.org", events=[])  # chose nothing else
    urge = waiting(cast)
    frozen.move_to(ENDS)
    assert buzz.send_due_buzzes(Worker(), ENDS) == 1
    assert buzz.send_due_buzzes(Worker(), ENDS + timedelta(minutes=1)) == 0
    notification = Notification.objects.get()
    assert (notification.kind, notification.membership, notification.urgent) == (
        Event.BUZZ,
        cast.parent,
        False,
    )
    assert notification.body == "Your wait is over. How is it now?"
    assert "Ana" not in notification.title + notification.body
    assert notification.url == reverse("coping:urge", args=[cast.household.pk, urge.pk])
    assert notification.topic == f"wait-{urge.pk}"
    assert Delivery.objects.get().channel == channel
    urge.refresh_from_db()
    assert (urge.buzz_at, urge.buzzed_at) == (None, ENDS)


def test_the_worker_loop_sends_it_in_the_same_round(cast, frozen):
    add_email(cast.parent, "maya@example.org")
    waiting(cast)
    frozen.move_to(ENDS + timedelta(seconds=5))
    Worker().run_once()
    assert Notification.objects.filter(kind=Event.BUZZ).count() == 1
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.SENT and delivery.email_id is not None


def test_an_ended_wait_or_a_parent_at_home_is_not_buzzed(cast):
    urge = waiting(cast)
    # A race: the parent ended it while the worker held its due time.
    Urge.objects.filter(pk=urge.pk).update(ended_at=NOW, outcome="passed")
    assert buzz.buzz(urge.pk, ENDS, ENDS) is False
    home = waiting(cast, leaver=cast.partner)
    Separation.objects.filter(pk=home.separation_id).update(status=Separation.Status.BACK)
    assert buzz.send_due_buzzes(Worker(), ENDS) == 1  # handled: cleared, nothing sent
    assert not Notification.objects.exists()
    home.refresh_from_db()
    assert home.buzz_at is None and home.buzzed_at is None


def test_two_workers_buzz_once(cast):
    urge = waiting(cast)
    assert buzz.buzz(urge.pk, ENDS, ENDS) is True
    assert buzz.buzz(urge.pk, ENDS, ENDS) is False
    assert Notification.objects.count() == 1


def test_a_bad_row_waits_and_never_stops_the_others(cast, monkeypatch):
    first = waiting(cast)
    other_separation = make_separation(
        cast, leaver=cast.partner, starts_at=NOW - timedelta(minutes=30), minutes=120
    )
    second = make_urge(other_separation, started_at=NOW, wait_minutes=20, buzz=True, buzz_at=ENDS)
    real = buzz.buzz

    def flaky(pk, buzz_at, now):
        if pk == first.pk:
            raise RuntimeError("boom")
        return real(pk, buzz_at, now)

    monkeypatch.setattr(buzz, "buzz", flaky)
    assert buzz.send_due_buzzes(Worker(), ENDS) == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.buzz_at == ENDS + buzz.RETRY_AFTER
    assert second.buzz_at is None and second.buzzed_at == ENDS
