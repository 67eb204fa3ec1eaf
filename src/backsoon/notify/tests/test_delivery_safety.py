"""Nothing is lost, nothing is sent twice, and no channel holds up another."""

import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from backsoon import notify
from backsoon.notify import claims
from backsoon.notify.delivery import deliver_due_notifications
from backsoon.notify.events import Event
from backsoon.notify.models import Channel, Delivery, OutboxEmail, QuietHours
from backsoon.notify.tests.factories import add_channel, add_email, add_push
from backsoon.notify.tests.receivers import PushService
from backsoon.notify.worker import Worker

pytestmark = pytest.mark.django_db


def urgent(owner, topic=None):
    return notify.send(
        owner, Event.URGENT, "Back Soon", "Please call", "/h/1/", urgent=True, topic=topic
    )


def test_a_worker_killed_between_claim_and_send_loses_nothing(cast, push_service):
    add_push(cast.parent, push_service)
    notification = urgent(cast.parent, topic="call-1")
    dead = Worker()
    now = timezone.now()
    # The first worker claims the row, then dies before sending anything.
    taken = claims.claim_due(
        Delivery.objects.filter(status="pending"),
        now=now,
        lease=dead.lease,
        batch=10,
        order_by="next_attempt_at",
    )
    assert len(taken) == 1

    assert Worker().run_once(now) == 0, "held by the claim until the lease runs out"
    with time_machine.travel(now + dead.lease + timedelta(seconds=1), tick=False):
        assert Worker().run_once() == 1
        assert Worker().run_once() == 0

    assert [push.topic for push in push_service.delivered()] == ["call-1"]
    assert notification.deliveries.get().status == "sent"


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_nothing_twice(cast, push_service, settings):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("needs a file-based SQLite test database")
    # Small batches, so the two workers take turns at the same rows.
    settings.WORKER_BATCH_SIZE = settings.NOTIFY_SEND_THREADS = 3
    phones = [add_push(cast.parent, push_service) for _ in range(3)]
    add_email(cast.parent, "maya@example.org")
    for n in range(12):
        urgent(cast.parent, topic=f"call-{n}")
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def work() -> None:
        worker = Worker()
        worker.steps = [deliver_due_notifications]  # just the notifications
        try:
            start.wait()
            while worker.run_once():
                pass
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    sent = Counter((push.browser, push.topic) for push in push_service.delivered())
    assert len(sent) == 12 * len(phones)
    assert set(sent.values()) == {1}, "every push exactly once"
    assert OutboxEmail.objects.count() == 12
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}


def test_a_hanging_channel_meets_its_timeout_and_the_others_still_get_theirs(
    cast, push_service, settings
):
    settings.NOTIFY_CHANNEL_TIMEOUT_SECONDS = 1
    stuck_service = PushService(settings.VAPID_PUBLIC_KEY).start()
    try:
        stuck_service.hang_seconds = 5
        stuck = add_push(cast.parent, stuck_service)
        fine = add_push(cast.parent, push_service)
        email = add_email(cast.parent, "maya@example.org")
        notification = urgent(cast.parent)

        started = time.monotonic()
        Worker().run_once()
        took = time.monotonic() - started
    finally:
        stuck_service.stop()

    assert took < 3, f"the round took {took:.1f}s"
    rows = {d.channel_id: d for d in notification.deliveries.all()}
    assert rows[fine.pk].status == "sent"
    assert rows[email.pk].status == "sent"
    assert rows[stuck.pk].status == "pending"
    assert "didn't answer in time" in rows[stuck.pk].last_error
    assert rows[stuck.pk].next_attempt_at is not None
    assert len(push_service.delivered()) == 1


def test_a_channel_that_keeps_talking_past_its_timeout_is_left_behind(cast, push_service, settings):
    settings.NOTIFY_CHANNEL_TIMEOUT_SECONDS = 1
    slow_service = PushService(settings.VAPID_PUBLIC_KEY).start()
    try:
        slow_service.drip_seconds = 8
        slow = add_push(cast.parent, slow_service)
        fine = add_push(cast.parent, push_service)
        notification = urgent(cast.parent)

        started = time.monotonic()
        Worker().run_once()
        took = time.monotonic() - started
    finally:
        slow_service.stop()

    assert took < 5, f"the round took {took:.1f}s"
    rows = {d.channel_id: d for d in notification.deliveries.all()}
    assert rows[fine.pk].status == "sent"
    assert (rows[slow.pk].status, rows[slow.pk].attempts) == ("pending", 1)
    assert "No answer in time" in rows[slow.pk].last_error
    assert rows[slow.pk].claim_token is None


@pytest.mark.parametrize(
    "start_utc",
    [
        datetime(2026, 10, 24, 21, 30, tzinfo=UTC),  # 22:30 BST, the night the clocks go back
        datetime(2026, 6, 10, 22, 30, tzinfo=UTC),  # an ordinary summer night
    ],
)
def test_quiet_hours_hold_back_ordinary_messages_while_an_urgent_one_goes_at_once(
    cast, push_service, start_utc
):
    add_push(cast.parent, push_service, events=[Event.POSTED])
    QuietHours.objects.create(membership=cast.parent, start=clock_time(22), end=clock_time(7))
    seven_am = datetime.combine(
        start_utc.date() + timedelta(days=1), clock_time(7), tzinfo=cast_zone(cast)
    ).astimezone(UTC)
    with time_machine.travel(start_utc, tick=False) as clock:
        notify.send(cast.parent, Event.POSTED, "Back Soon", "A new update", "/h/1/", topic="posted")
        urgent(cast.parent, topic="call")

        Worker().run_once()
        assert [push.topic for push in push_service.delivered()] == ["call"]

        clock.move_to(seven_am - timedelta(minutes=1))
        assert Worker().run_once() == 0
        clock.move_to(seven_am)
        assert Worker().run_once() == 1

    assert [push.topic for push in push_service.delivered()] == ["call", "posted"]
    if start_utc.month == 10:
        assert seven_am == datetime(2026, 10, 25, 7, 0, tzinfo=UTC), "07:00 GMT, after the change"


def cast_zone(cast):
    from zoneinfo import ZoneInfo

    return ZoneInfo(cast.household.time_zone)


def test_one_bad_row_records_its_error_and_the_others_are_still_sent(cast, push_service):
    broken = add_channel(cast.parent, "pigeon", {}, "Carrier pigeon")
    half = add_channel(cast.parent, Channel.Kind.WEBPUSH, {"endpoint": "http://127.0.0.1:9/x"})
    fine = add_push(cast.parent, push_service)
    with time_machine.travel(datetime(2026, 6, 10, 12, tzinfo=UTC), tick=False):
        notification = urgent(cast.parent)

        assert Worker().run_once() == 3

    rows = {d.channel_id: d for d in notification.deliveries.all()}
    assert rows[fine.pk].status == "sent"
    for bad in (broken, half):
        assert rows[bad.pk].status in ("pending", "failed")
        assert rows[bad.pk].last_error
        assert rows[bad.pk].claim_token is None
    assert rows[half.pk].next_attempt_at == datetime(2026, 6, 10, 12, 0, 30, tzinfo=UTC)


def test_a_channel_turned_off_before_its_turn_is_skipped(cast, push_service):
    channel = add_push(cast.parent, push_service)
    notification = urgent(cast.parent)
    Channel.objects.filter(pk=channel.pk).update(enabled=False)

    Worker().run_once()

    assert notification.deliveries.get().status == "skipped"
    assert push_service.pushes == []


def test_a_worker_told_to_stop_hands_its_claims_back(cast, push_service):
    add_push(cast.parent, push_service)
    notification = urgent(cast.parent)
    worker = Worker()
    worker.shutdown = True

    worker.run_once()

    delivery = notification.deliveries.get()
    assert (delivery.status, delivery.claim_token) == ("pending", None)
    assert push_service.pushes == []
    assert Worker().run_once() == 1
