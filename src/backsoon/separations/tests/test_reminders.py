"""The worker reminds the caregiver when an agreed update is due: on time, once, quietly."""

import threading
from collections import Counter
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from backsoon.households.models import Membership, Role
from backsoon.notify import claims
from backsoon.notify.delivery import deliver_due_notifications
from backsoon.notify.events import Event
from backsoon.notify.models import Notification, QuietHours
from backsoon.notify.tests.factories import add_push
from backsoon.notify.worker import Worker
from backsoon.separations import services
from backsoon.separations.models import AgreedCheckIn, Separation
from backsoon.separations.schedule import AgreedSpec
from backsoon.separations.tests.factories import make_separation
from backsoon.separations.tests.worker_kit import bodies, pushes, run_worker
from backsoon.separations.work import send_due_reminders
from backsoon.testing.fixtures import make_user

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
SECOND = timedelta(seconds=1)


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON).astimezone(UTC)


def away(cast, start: datetime, *agreed: AgreedSpec, minutes: int = 300, **fields) -> Separation:
    return make_separation(cast, starts_at=start, minutes=minutes, agreed=agreed, **fields)


def test_an_update_agreed_for_14_00_reminds_the_caregiver_at_14_00(cast, push_service):
    phone = add_push(cast.caregiver, push_service)
    separation = away(cast, london(2026, 6, 10, 12, 30), AgreedSpec("all_good", clock=time(14)))

    run_worker(london(2026, 6, 10, 13, 59, 59))
    assert pushes(push_service, phone) == []

    run_worker(london(2026, 6, 10, 14, 0))
    [push] = pushes(push_service, phone)
    assert push.payload["title"] == "Back Soon"
    assert push.payload["body"] == "Time for an update, as agreed. One tap is enough."
    assert push.payload["url"] == f"/h/{cast.household.pk}/care/now/"
    assert push.topic == f"care-{separation.pk}"
    assert Notification.objects.get(kind=Event.REMINDER).created_at == london(2026, 6, 10, 14)

    run_worker(london(2026, 6, 10, 14, 5))
    assert len(pushes(push_service, phone)) == 1, "once"


def test_a_photo_is_asked_for_by_name(cast, push_service):
    phone = add_push(cast.caregiver, push_service)
    away(cast, london(2026, 6, 10, 12, 30), AgreedSpec("photo", "nap", offset_minutes=30))

    run_worker(london(2026, 6, 10, 13, 0))

    assert bodies(push_service, phone) == ["Time for a photo, as agreed. One tap is enough."]


@pytest.mark.parametrize(
    ("start", "spec", "expected"),
    [
        # The night the clocks go back: 14:00 that day is 14:00 GMT.
        (london(2026, 10, 25, 0, 30), AgreedSpec("all_good", clock=time(14)), "2026-10-25 14:00"),
        # The night they go forward: 14:00 is 13:00 UTC.
        (london(2026, 3, 29, 0, 30), AgreedSpec("all_good", clock=time(14)), "2026-03-29 13:00"),
        # "After an hour" across the jump: sixty real minutes, 02:30 on the clocks.
        (london(2026, 3, 29, 0, 30), AgreedSpec("all_good", offset_minutes=60), "2026-03-29 01:30"),
        # "At 01:30" the night 01:30 happens twice: the first time.
        (
            london(2026, 10, 25, 0, 15),
            AgreedSpec("all_good", clock=time(1, 30)),
            "2026-10-25 00:30",
        ),
    ],
)
def test_a_reminder_on_the_day_the_clocks_change(cast, push_service, start, spec, expected):
    phone = add_push(cast.caregiver, push_service)
    away(cast, start, spec, minutes=15 * 60)
    reminder_at = datetime.fromisoformat(expected).replace(tzinfo=UTC)

    run_worker(reminder_at - SECOND)
    assert pushes(push_service, phone) == []
    run_worker(reminder_at)

    assert len(pushes(push_service, phone)) == 1
    assert Notification.objects.get(kind=Event.REMINDER).created_at == reminder_at


def test_a_caregiver_on_a_link_is_reminded_too(cast, push_service):
    from backsoon.households.models import CaregiverLink

    link, _token = CaregiverLink.create(
        household=cast.household, name="Lou", created_by=cast.parent
    )
    phone = add_push(link, push_service)
    away(cast, london(2026, 6, 10, 12, 30), AgreedSpec("all_good", offset_minutes=30), link=link)

    run_worker(london(2026, 6, 10, 13, 0))

    assert len(pushes(push_service, phone)) == 1


def test_no_reminder_before_leaving_or_after_coming_back(cast, push_service):
    phone = add_push(cast.caregiver, push_service)
    planned = away(
        cast,
        london(2026, 6, 10, 12, 30),
        AgreedSpec("all_good", offset_minutes=30),
        status=Separation.Status.PLANNED,
    )
    run_worker(london(2026, 6, 10, 13, 0))
    assert pushes(push_service, phone) == []
    assert planned.agreed.get().remind_at is None

    with time_machine.travel(london(2026, 6, 10, 13, 10), tick=False):
        assert services.leave_now(planned, london(2026, 6, 10, 13, 10))
    assert planned.agreed.get().remind_at == london(2026, 6, 10, 13, 40)
    with time_machine.travel(london(2026, 6, 10, 13, 20), tick=False):
        services.come_back(planned, london(2026, 6, 10, 13, 20))
    run_worker(london(2026, 6, 10, 13, 40))

    assert pushes(push_service, phone) == []
    assert planned.agreed.get().remind_at is None


def test_a_posted_update_needs_no_reminder(cast, push_service):
    phone = add_push(cast.caregiver, push_service)
    separation = away(cast, london(2026, 6, 10, 12, 30), AgreedSpec("all_good", offset_minutes=30))
    subject = _subject(cast.caregiver)
    with time_machine.travel(london(2026, 6, 10, 12, 55), tick=False):
        services.post_checkin(
            separation, subject, "k1", services.Post(all_good=True), london(2026, 6, 10, 12, 55)
        )

    run_worker(london(2026, 6, 10, 13, 30))

    assert pushes(push_service, phone) == []
    assert (separation.agreed.get().remind_at, separation.agreed.get().late_at) == (None, None)


def _subject(membership):
    from backsoon.households.access import Subject

    return Subject(household=membership.household, membership=membership)


def quiet(owner, start: time, end: time) -> None:
    QuietHours.objects.create(**{"membership": owner}, start=start, end=end)


def test_quiet_hours_hold_a_reminder_until_they_end_and_the_urgent_call_still_goes(
    cast, push_service
):
    ana_phone = add_push(cast.caregiver, push_service)
    maya_phone = add_push(cast.parent, push_service)
    quiet(cast.caregiver, time(13, 30), time(14, 30))
    quiet(cast.parent, time(13, 30), time(14, 30))
    away(cast, london(2026, 6, 10, 12, 0), AgreedSpec("all_good", clock=time(14)))

    run_worker(london(2026, 6, 10, 14, 0))
    with time_machine.travel(london(2026, 6, 10, 14, 1), tick=False):
        from backsoon import notify

        notify.send(cast.parent, Event.URGENT, "Back Soon", "Please call", "/h/1/", urgent=True)
    run_worker(london(2026, 6, 10, 14, 1))

    assert pushes(push_service, ana_phone) == [], "held by Ana's quiet hours"
    assert bodies(push_service, maya_phone) == ["Please call"], "urgent: whatever the hours"
    run_worker(london(2026, 6, 10, 14, 29, 59))
    assert pushes(push_service, ana_phone) == []

    run_worker(london(2026, 6, 10, 14, 30))
    assert bodies(push_service, ana_phone) == [
        "An update is due — whenever you have a moment. One tap is enough."
    ]


def test_a_held_reminder_is_dropped_if_the_time_apart_ends_first(cast, push_service):
    ana_phone = add_push(cast.caregiver, push_service)
    quiet(cast.caregiver, time(13, 30), time(14, 30))
    separation = away(cast, london(2026, 6, 10, 12, 0), AgreedSpec("all_good", clock=time(14)))
    run_worker(london(2026, 6, 10, 14, 0))

    with time_machine.travel(london(2026, 6, 10, 14, 10), tick=False):
        services.come_back(separation, london(2026, 6, 10, 14, 10))
    run_worker(london(2026, 6, 10, 14, 30))
    run_worker(london(2026, 6, 10, 16, 0))

    assert pushes(push_service, ana_phone) == []
    assert not Notification.objects.filter(kind=Event.REMINDER).exists()


def test_after_a_downtime_stale_reminders_collapse_into_one_catch_up(cast, push_service):
    ana_phone = add_push(cast.caregiver, push_service)
    separation = away(
        cast,
        london(2026, 6, 10, 10, 0),
        *(AgreedSpec("all_good", offset_minutes=minutes) for minutes in (60, 120, 180)),
        minutes=8 * 60,
    )

    # The worker was down from before 11:00 until 13:30.
    run_worker(london(2026, 6, 10, 13, 30))

    assert bodies(push_service, ana_phone) == [
        "An update is due — whenever you have a moment. One tap is enough."
    ]
    rows = list(separation.agreed.order_by("due_at"))
    assert all(row.reminded_at == london(2026, 6, 10, 13, 30) for row in rows)
    assert all(row.remind_at is None for row in rows)

    # Ten minutes on, one nudge — about the latest — not three.
    run_worker(london(2026, 6, 10, 13, 40))
    assert len(pushes(push_service, ana_phone)) == 2
    assert Notification.objects.filter(kind=Event.NUDGE).count() == 1
    separation.refresh_from_db()
    assert separation.late_agreed == rows[-1]
    assert run_worker(london(2026, 6, 10, 15, 0)) == 0


def test_a_worker_killed_between_claim_and_send_loses_nothing(cast, push_service, settings):
    phone = add_push(cast.caregiver, push_service)
    away(cast, london(2026, 6, 10, 12, 30), AgreedSpec("all_good", clock=time(14)))
    two = london(2026, 6, 10, 14, 0)
    dead = Worker()

    taken = claims.claim_due(
        AgreedCheckIn.objects.filter(remind_at__lte=two),
        now=two,
        lease=dead.lease,
        batch=10,
        order_by="remind_at",
    )
    assert len(taken) == 1  # … and the worker dies here.

    assert run_worker(two + 30 * SECOND) == 0, "the claim holds it until the lease runs out"
    assert pushes(push_service, phone) == []
    run_worker(two + dead.lease + SECOND)

    assert len(pushes(push_service, phone)) == 1
    assert Notification.objects.filter(kind=Event.REMINDER).count() == 1
    assert AgreedCheckIn.objects.get().claim_token is None


def test_one_bad_row_records_its_error_and_the_others_are_still_reminded(cast, push_service):
    phone = add_push(cast.caregiver, push_service)
    good = away(cast, london(2026, 6, 10, 12, 30), AgreedSpec("photo", offset_minutes=30))
    other_leaver = cast.partner
    bad = away(
        cast,
        london(2026, 6, 10, 12, 30),
        AgreedSpec("all_good", offset_minutes=30),
        leaver=other_leaver,
    )
    # Written by a newer version of Back Soon that knows a kind this one doesn't.
    bad.agreed.update(kind="sundial")

    run_worker(london(2026, 6, 10, 13, 0))

    assert bodies(push_service, phone) == ["Time for a photo, as agreed. One tap is enough."]
    assert good.agreed.get().reminded_at is not None
    row = bad.agreed.get()
    assert (row.errors, row.claim_token, row.reminded_at) == (1, None, None)
    assert "sundial" in row.last_error
    assert row.remind_at == london(2026, 6, 10, 13, 1), "tried again in a minute"
    for minutes in (1, 3, 7, 15):
        run_worker(london(2026, 6, 10, 13, minutes))
    row.refresh_from_db()
    assert (row.errors, row.remind_at) == (5, None), "given up after five tries"
    assert row.reminded_at == london(2026, 6, 10, 13, 15)
    assert "sundial" in row.last_error, "its error kept for whoever looks"


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_remind_nobody_twice(cast, push_service, settings, monkeypatch):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("needs a file-based SQLite test database")
    # Small batches, so the two workers take turns at the same rows.
    settings.WORKER_BATCH_SIZE = settings.NOTIFY_SEND_THREADS = 3
    monkeypatch.setattr("backsoon.separations.work.REMINDER_BATCH", 3)
    phone = add_push(cast.caregiver, push_service)
    start = london(2026, 6, 10, 12, 0)
    separations = []
    for n in range(12):
        leaver = Membership.objects.create(
            household=cast.household,
            user=make_user(f"parent{n}@example.org"),
            role=Role.PARENT,
            display_name=f"Parent {n}",
        )
        separations.append(
            away(cast, start, AgreedSpec("all_good", offset_minutes=60), leaver=leaver)
        )
    begin = threading.Barrier(2)
    errors: list[BaseException] = []

    def work() -> None:
        worker = Worker()
        worker.steps = [send_due_reminders, deliver_due_notifications]
        try:
            with time_machine.travel(start + timedelta(hours=1), tick=False):
                begin.wait()
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
    topics = Counter(push.topic for push in pushes(push_service, phone))
    assert topics == Counter({f"care-{s.pk}": 1 for s in separations})
    assert Notification.objects.filter(kind=Event.REMINDER).count() == 12
