"""An update that hasn't come: one gentle nudge to the caregiver, one calm line for the parent."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from backsoon.households.access import Subject
from backsoon.notify.events import Event
from backsoon.notify.models import Notification
from backsoon.notify.tests.factories import add_push
from backsoon.separations import services
from backsoon.separations.schedule import AgreedSpec
from backsoon.separations.tests.factories import make_separation
from backsoon.separations.tests.worker_kit import bodies, run_worker

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NUDGE = "When you have a moment, a quick update would be lovely."
CALM = "Grandma Ana hasn't sent the 14:00 update yet."


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON).astimezone(UTC)


def away_at_noon(cast, *clocks: time):
    return make_separation(
        cast,
        starts_at=london(2026, 6, 10, 12, 0),
        minutes=300,
        agreed=[AgreedSpec("all_good", clock=clock) for clock in clocks],
    )


def away_page(cast, separation, who=None) -> str:
    url = reverse("separations:away", args=[cast.household.pk, separation.pk])
    return cast.client_for(who or cast.parent).get(url).content.decode()


def test_the_caregiver_gets_one_gentle_nudge_and_the_parent_no_push(cast, push_service):
    ana = add_push(cast.caregiver, push_service)
    maya = add_push(cast.parent, push_service)  # a parent's channel starts quiet
    separation = away_at_noon(cast, time(14))

    for minute in (0, 9, 10, 11, 30):
        run_worker(london(2026, 6, 10, 14, minute))
    run_worker(london(2026, 6, 10, 16, 0))

    assert bodies(push_service, ana) == [
        "Time for an update, as agreed. One tap is enough.",
        NUDGE,
    ]
    assert Notification.objects.get(kind=Event.NUDGE).created_at == london(2026, 6, 10, 14, 10)
    assert bodies(push_service, maya) == []
    assert separation.agreed.get().nudged_at == london(2026, 6, 10, 14, 10)


def test_a_parent_who_chose_to_hear_it_is_told_once(cast, push_service):
    add_push(cast.caregiver, push_service)
    maya = add_push(cast.parent, push_service, events=[Event.LATE])
    sam = add_push(cast.partner, push_service)
    away_at_noon(cast, time(14), time(15))

    for minute in (0, 10):
        run_worker(london(2026, 6, 10, 14, minute))
    for minute in (0, 10):
        run_worker(london(2026, 6, 10, 15, minute))

    assert bodies(push_service, maya) == [
        "An agreed update is still to come. The page has the details."
    ]
    assert bodies(push_service, sam) == []


def test_the_away_page_says_it_calmly_once_per_separation(cast, push_service):
    add_push(cast.caregiver, push_service)
    separation = away_at_noon(cast, time(14), time(15))
    with time_machine.travel(london(2026, 6, 10, 14, 5), tick=False):
        run_worker(london(2026, 6, 10, 14, 0))
        assert "hasn't sent" not in away_page(cast, separation), "not before ten minutes"

    run_worker(london(2026, 6, 10, 14, 10))
    with time_machine.travel(london(2026, 6, 10, 14, 12), tick=False):
        page = away_page(cast, separation)
        partner_page = away_page(cast, separation, cast.partner)
    assert page.count(CALM) == 1
    assert "You agreed you'd get a call if anything needs you." in page
    assert CALM in partner_page

    # Ana posts: the line goes. The 15:00 update runs late too: a nudge, but no second line.
    with time_machine.travel(london(2026, 6, 10, 14, 20), tick=False):
        services.post_checkin(
            separation,
            Subject(cast.household, membership=cast.caregiver),
            "k1",
            services.Post(all_good=True),
            london(2026, 6, 10, 14, 20),
        )
    for minute in (0, 10, 30):
        run_worker(london(2026, 6, 10, 15, minute))
    with time_machine.travel(london(2026, 6, 10, 15, 30), tick=False):
        page = away_page(cast, separation)
    assert "hasn't sent" not in page
    assert Notification.objects.filter(kind=Event.NUDGE).count() == 2


@pytest.mark.parametrize("channel", ["none", "turned off"])
def test_nothing_is_said_about_lateness_when_the_caregiver_cannot_be_reminded(
    cast, push_service, channel
):
    if channel == "turned off":
        add_push(cast.caregiver, push_service, enabled=False)
    maya = add_push(cast.parent, push_service, events=[Event.LATE])
    separation = away_at_noon(cast, time(14))

    for minute in (0, 10, 30):
        run_worker(london(2026, 6, 10, 14, minute))
    with time_machine.travel(london(2026, 6, 10, 14, 30), tick=False):
        page = away_page(cast, separation)

    assert "hasn't sent" not in page
    assert bodies(push_service, maya) == []
    assert not Notification.objects.filter(kind__in=[Event.NUDGE, Event.LATE]).exists()
    separation.refresh_from_db()
    assert separation.late_agreed is None


def poll(cast, separation, **params) -> tuple[int, str]:
    query = "&".join(f"{name}={value}" for name, value in params.items())
    url = reverse("separations:poll", args=[cast.household.pk, separation.pk]) + "?" + query
    response = cast.client_for(cast.parent).get(url, HTTP_HX_REQUEST="true")
    return response.status_code, response.content.decode()


def test_the_poll_brings_the_line_once_and_takes_it_away_when_the_update_comes(cast, push_service):
    add_push(cast.caregiver, push_service)
    separation = away_at_noon(cast, time(14))
    run_worker(london(2026, 6, 10, 14, 0))
    run_worker(london(2026, 6, 10, 14, 10))
    late_id = separation.agreed.get().pk

    with time_machine.travel(london(2026, 6, 10, 14, 11), tick=False):
        status, html = poll(cast, separation, after=0, note=0, call=0)
        assert status == 200
        assert CALM in html and 'id="away-notes" class="away-notes" hx-swap-oob="true"' in html
        assert f"note={late_id}" in html
        assert poll(cast, separation, after=0, note=late_id, call=0)[0] == 204

        services.post_checkin(
            separation,
            Subject(cast.household, membership=cast.caregiver),
            "k1",
            services.Post(all_good=True),
            london(2026, 6, 10, 14, 11),
        )
        status, html = poll(cast, separation, after=0, note=late_id, call=0)
    assert status == 200
    assert "hasn't sent" not in html and "away-notes" in html and "note=0" in html
