"""A forgotten "I'm back": the time apart ends itself, nudges stop, nothing counts against it."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from backsoon.notify.events import Event
from backsoon.notify.models import Notification
from backsoon.notify.tests.factories import add_push
from backsoon.separations.models import Separation
from backsoon.separations.schedule import AgreedSpec, ended_early
from backsoon.separations.tests.factories import make_separation
from backsoon.separations.tests.worker_kit import bodies, run_worker

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
LEFT = datetime(2026, 6, 10, 10, 0, tzinfo=LONDON).astimezone(UTC)
HOUR = timedelta(hours=1)


def test_a_separation_nobody_ended_closes_itself_three_hours_after_its_planned_end(
    cast, push_service
):
    ana = add_push(cast.caregiver, push_service)
    maya = add_push(cast.parent, push_service, events=[Event.ENDED])
    separation = make_separation(
        cast,
        starts_at=LEFT,
        minutes=60,
        agreed=[AgreedSpec("all_good", offset_minutes=30), AgreedSpec("photo", offset_minutes=60)],
    )
    assert separation.__class__.objects.get(pk=separation.pk).auto_end_at == LEFT + 4 * HOUR

    run_worker(LEFT + 4 * HOUR - timedelta(seconds=1))
    separation.refresh_from_db()
    assert separation.status == Separation.Status.AWAY
    reminded = bodies(push_service, ana)

    run_worker(LEFT + 4 * HOUR)
    separation.refresh_from_db()
    assert separation.status == Separation.Status.BACK
    assert separation.ended_by_itself
    assert separation.back_at == LEFT + HOUR, "as planned, as far as anyone knows"
    assert not ended_early(separation.left_at, separation.back_at, separation.planned_minutes)
    assert separation.auto_end_at is None
    assert bodies(push_service, maya) == ["We closed your time apart for you. Welcome back."]
    assert all(a.remind_at is None and a.late_at is None for a in separation.agreed.all())

    run_worker(LEFT + 8 * HOUR)
    assert bodies(push_service, ana) == reminded, "nothing more for the caregiver"
    assert Notification.objects.filter(kind=Event.ENDED).count() == 1


def test_nudges_stop_when_it_ends_itself(cast, push_service, settings):
    settings.SEPARATIONS_LATE_MINUTES = 4 * 60  # the nudge would come after the end
    ana = add_push(cast.caregiver, push_service)
    separation = make_separation(
        cast, starts_at=LEFT, minutes=60, agreed=[AgreedSpec("all_good", offset_minutes=30)]
    )
    run_worker(LEFT + timedelta(minutes=30))
    assert separation.agreed.get().late_at == LEFT + timedelta(minutes=30) + 4 * HOUR

    run_worker(LEFT + 4 * HOUR)
    run_worker(LEFT + 5 * HOUR)

    assert len(bodies(push_service, ana)) == 1, "the reminder only"
    assert not Notification.objects.filter(kind=Event.NUDGE).exists()


def test_the_reunion_and_history_treat_it_as_a_time_apart_that_happened(cast):
    separation = make_separation(cast, starts_at=LEFT, minutes=60)
    run_worker(LEFT + 4 * HOUR)

    with time_machine.travel(LEFT + 5 * HOUR, tick=False):
        client = cast.client_for(cast.parent)
        page = client.get(
            reverse("separations:reunion", args=[cast.household.pk, separation.pk])
        ).content.decode()
        history = client.get(
            reverse("separations:history", args=[cast.household.pk])
        ).content.decode()

    assert "You were away 1 hour." in page
    assert "You did it." in page
    assert "1 hour" in history


def test_coming_back_in_time_leaves_nothing_for_the_worker(cast):
    from backsoon.separations import services

    separation = make_separation(cast, starts_at=LEFT, minutes=60)
    with time_machine.travel(LEFT + HOUR, tick=False):
        services.come_back(separation, LEFT + HOUR)
    separation.refresh_from_db()

    assert separation.auto_end_at is None
    assert run_worker(LEFT + 5 * HOUR) == 0
    separation.refresh_from_db()
    assert (separation.back_at, separation.ended_by_itself) == (LEFT + HOUR, False)
