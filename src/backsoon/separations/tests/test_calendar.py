"""A person's private calendar feed: a real iCalendar, revocable, household data only."""

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from backsoon.separations.feeds import CalendarFeed
from backsoon.separations.models import Separation
from backsoon.separations.schedule import AgreedSpec
from backsoon.separations.tests.factories import FEAR_MARKER, make_separation

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 10, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def page(cast) -> str:
    return reverse("separations:calendar", args=[cast.household.pk])


def make_feed(cast, who) -> str:
    """Make a feed on the page, as a person would, and return its path."""
    response = cast.client_for(who).post(page(cast), {"action": "create"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    url = re.search(r'value="(http://testserver(/calendar/[^"]+\.ics))"', response.content.decode())
    assert url, "the address is shown"
    return url.group(2)


def read(cast, path: str) -> Calendar:
    response = cast.client_for(None).get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict[str, dict]:
    return {
        str(e["uid"]): {
            "summary": str(e["summary"]),
            "start": e.decoded("dtstart"),
            "end": e.decoded("dtend"),
            "status": str(e["status"]),
        }
        for e in calendar.walk("VEVENT")
    }


def plan(cast, **fields) -> Separation:
    fields.setdefault("status", Separation.Status.PLANNED)
    fields.setdefault("starts_at", NOW + timedelta(hours=4))
    fields.setdefault("minutes", 120)
    fields.setdefault(
        "agreed", [AgreedSpec("all_good", offset_minutes=30), AgreedSpec("photo", "nap", None, 90)]
    )
    return make_separation(cast, **fields)


def test_a_parent_gets_a_valid_calendar_of_the_plans_and_their_agreed_updates(cast):
    separation = plan(cast)
    path = make_feed(cast, cast.parent)

    found = events(read(cast, path))

    start = NOW + timedelta(hours=4)
    main = found[f"separation-{separation.pk}@testserver"]
    assert main["summary"] == "Maya away — Grandma Ana with Bea"
    assert (main["start"], main["end"], main["status"]) == (
        start,
        start + timedelta(hours=2),
        "CONFIRMED",
    )
    agreed = sorted((v["start"], v["summary"]) for k, v in found.items() if k.startswith("agreed-"))
    assert agreed == [
        (start + timedelta(minutes=30), "An “all good” from Grandma Ana, as agreed"),
        (start + timedelta(minutes=90), "A photo from Grandma Ana, as agreed (nap)"),
    ]


def test_only_the_hash_of_the_token_is_kept_and_the_address_is_shown_once(cast):
    path = make_feed(cast, cast.parent)
    token = path.removeprefix("/calendar/").removesuffix(".ics")

    assert len(token) >= 43  # 256 random bits, URL-safe
    feed = CalendarFeed.objects.get()
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    later = cast.client_for(cast.parent).get(page(cast)).content.decode()
    assert token not in later and "Your calendar is on" in later
    read(cast, path)
    assert CalendarFeed.objects.get().last_read_at == NOW


def test_stopped_or_replaced_it_is_a_404(cast):
    first = make_feed(cast, cast.parent)
    second = make_feed(cast, cast.parent)
    assert cast.client_for(None).get(first).status_code == 404, "a new address stops the old"
    read(cast, second)

    response = cast.client_for(cast.parent).post(page(cast), {"action": "stop"})

    assert response.status_code == 302
    assert cast.client_for(None).get(second).status_code == 404
    assert cast.client_for(None).get("/calendar/not-a-token.ics").status_code == 404
    assert cast.client_for(None).post(second).status_code == 404


def test_the_partners_feed_never_carries_the_leavers_inner_data(cast):
    plan(cast, private={"fear": FEAR_MARKER, "worry_before": 9})
    path = make_feed(cast, cast.partner)

    body = cast.client_for(None).get(path).content.decode()

    assert "Maya away" in body
    assert FEAR_MARKER not in body
    assert "worry" not in body.lower()


def test_another_households_feed_shows_nothing_of_ours(cast):
    plan(cast)
    outsiders = make_feed_for_outsider(cast)

    body = cast.client_for(None).get(outsiders).content.decode()

    assert "Bea" not in body and "Maya" not in body
    assert events(Calendar.from_ical(body)) == {}


def make_feed_for_outsider(cast) -> str:
    url = reverse("separations:calendar", args=[cast.other_household.pk])
    response = cast.client_for(cast.outsider).post(url, {"action": "create"})
    return re.search(r"(/calendar/[^\"]+\.ics)", response.content.decode()).group(1)


def test_a_caregiver_sees_only_the_times_they_stay_for(cast):
    theirs = plan(cast)
    plan(cast, carer=cast.partner, leaver=cast.parent, starts_at=NOW + timedelta(days=2))
    path = make_feed(cast, cast.caregiver)

    found = events(read(cast, path))

    assert {k for k in found if k.startswith("separation-")} == {
        f"separation-{theirs.pk}@testserver"
    }


def test_cancelled_plans_show_as_cancelled_and_old_ones_drop_out(cast):
    cancelled = plan(cast, status=Separation.Status.CANCELLED)
    plan(cast, status=Separation.Status.BACK, starts_at=NOW - timedelta(days=8))
    path = make_feed(cast, cast.parent)

    found = events(read(cast, path))

    assert {k for k in found if k.startswith("separation-")} == {
        f"separation-{cancelled.pk}@testserver"
    }
    assert found[f"separation-{cancelled.pk}@testserver"]["status"] == "CANCELLED"


def test_the_feed_costs_the_same_few_queries_however_many_plans(cast):
    from backsoon.separations.tests.queries import queries_for

    path = make_feed(cast, cast.parent)
    client = cast.client_for(None)
    client.get(path)
    plan(cast)
    few = queries_for(lambda: client.get(path))
    for day in range(1, 8):
        plan(cast, starts_at=NOW + timedelta(days=day))
    many = queries_for(lambda: client.get(path))

    assert len(many) == len(few) <= 4
