"""The reunion: one screen, all optional, a specific thank-you the caregiver then sees."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from backsoon.separations.models import SeparationPrivate, ThankYou
from backsoon.separations.tests.factories import FEAR_MARKER, make_checkin, make_separation
from backsoon.separations.thanks import Posted, suggest

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def reunion_url(cast, separation):
    return reverse("separations:reunion", args=[cast.household.pk, separation.pk])


def back_from(cast, separation, at=NOW):
    with time_machine.travel(at, tick=False):
        cast.client_for(cast.parent).post(
            reverse("separations:back", args=[cast.household.pk, separation.pk])
        )
    separation.refresh_from_db()


def clock(at):
    return at.strftime("%H:%M")


def test_suggestions_are_specific_to_what_was_posted():
    nap = Posted(at=datetime(2026, 6, 1, 13, 10, tzinfo=UTC), state="sleeping")
    assert suggest("Ana", ["Bea"], [Posted(at=NOW, all_good=True), nap], clock) == (
        "Thank you, Ana — you got Bea down for a nap at 13:10."
    )
    assert "settle so quickly" in suggest(
        "Ana", ["Bea"], [Posted(at=NOW, settled_quickly=True)], clock
    )
    assert "until they settled" in suggest(
        "Ana", ["Bea"], [Posted(at=NOW, settled_now=True)], clock
    )
    assert "photo of Bea and Kofi" in suggest(
        "Ana", ["Bea", "Kofi"], [Posted(at=NOW, photo=True)], clock
    )
    assert "looking after the baby" in suggest("Ana", [], [], clock)


def test_the_reunion_reminds_and_suggests_a_thank_you(cast):
    separation = make_separation(cast, starts_at=NOW - timedelta(minutes=30), minutes=30)
    make_checkin(separation, state="sleeping", created_at=NOW - timedelta(minutes=10))
    back_from(cast, separation)
    html = cast.client_for(cast.parent).get(reunion_url(cast, separation)).content.decode()
    assert "You were away 30 minutes." in html
    assert "No need to take the baby straight back or fix anything" in html
    assert "you got Bea down for a nap at 12:50" in html  # London time
    assert "Rate later" in html
    assert "What brought you back sooner" not in html  # not early
    assert "Did it happen?" not in html  # no fear was written down


def test_saving_ratings_and_a_thank_you_that_ana_then_sees(cast):
    separation = make_separation(
        cast, starts_at=NOW - timedelta(minutes=30), minutes=60, private={"fear": FEAR_MARKER}
    )
    back_from(cast, separation)
    client = cast.client_for(cast.parent)
    html = client.get(reunion_url(cast, separation)).content.decode()
    assert (
        FEAR_MARKER in html and "Did it happen?" in html and "What brought you back sooner" in html
    )
    response = client.post(
        reunion_url(cast, separation),
        {
            "worry_worst": "7",
            "worry_after": "2",
            "fear_outcome": "no",
            "early_reason": "Wanted to",
            "thank_you": "You found the bouncing she likes.",
        },
    )
    assert response["Location"] == reverse("households:dashboard", args=[cast.household.pk])
    private = SeparationPrivate.objects.get(separation=separation)
    assert (
        private.worry_worst,
        private.worry_after,
        private.fear_outcome,
        private.early_reason,
    ) == (7, 2, "no", "Wanted to")
    assert private.rated_at == NOW
    thanks = ThankYou.objects.get(separation=separation)
    assert thanks.text == "You found the bouncing she likes." and thanks.author_name == "Maya"
    care = cast.client_for(cast.caregiver).get(
        reverse("separations:care_now", args=[cast.household.pk])
    )
    assert "You found the bouncing she likes." in care.content.decode()


def test_everything_can_be_skipped(cast):
    separation = make_separation(cast, starts_at=NOW - timedelta(minutes=30))
    back_from(cast, separation)
    response = cast.client_for(cast.parent).post(reunion_url(cast, separation), {"thank_you": ""})
    assert response.status_code == 302
    assert not ThankYou.objects.exists()
    private = SeparationPrivate.objects.get(separation=separation)
    assert private.worry_worst is None and private.worry_after is None


def test_bad_ratings_are_errors_not_failures(cast):
    separation = make_separation(cast, starts_at=NOW - timedelta(minutes=30))
    back_from(cast, separation)
    response = cast.client_for(cast.parent).post(
        reunion_url(cast, separation), {"worry_worst": "11", "thank_you": "Kept"}
    )
    assert response.status_code == 200 and "Kept" in response.content.decode()


def test_rating_later_keeps_what_was_said(cast):
    separation = make_separation(cast, starts_at=NOW - timedelta(minutes=30))
    back_from(cast, separation)
    client = cast.client_for(cast.parent)
    client.post(reunion_url(cast, separation), {"worry_worst": "5", "thank_you": "Thanks, Ana!"})
    html = client.get(reunion_url(cast, separation)).content.decode()
    assert "Thanks, Ana!" in html and '<option value="5" selected>' in html


def test_the_reunion_is_only_for_after_coming_back(cast):
    separation = make_separation(cast)
    response = cast.client_for(cast.parent).get(reunion_url(cast, separation))
    assert response["Location"] == reverse(
        "separations:detail", args=[cast.household.pk, separation.pk]
    )
