"""History: household data only, and the same number of queries for 1 or 10 separations."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from backsoon.separations.models import Separation, ThankYou
from backsoon.separations.tests.factories import make_checkin, make_separation
from backsoon.separations.tests.queries import queries_for


def past(cast, days_ago=1, **kwargs):
    separation = make_separation(
        cast,
        status=Separation.Status.BACK,
        starts_at=timezone.now() - timedelta(days=days_ago),
        **kwargs,
    )
    make_checkin(separation, all_good=True)
    make_checkin(separation, photo=True, message="Look at her go")
    ThankYou.objects.create(
        separation=separation, text=f"Thank you for day {days_ago}", author_name="Maya"
    )
    return separation


def history_url(cast):
    return reverse("separations:history", args=[cast.household.pk])


def test_history_shows_length_carer_updates_photos_and_thanks(cast):
    separation = past(cast)
    make_separation(cast, status=Separation.Status.CANCELLED, minutes=45)
    html = cast.client_for(cast.partner).get(history_url(cast)).content.decode()
    assert "Maya away 30 minutes, Grandma Ana caring" in html
    assert "Look at her go" in html and "Thank you for day 1" in html
    assert (
        reverse(
            "separations:photo",
            args=[cast.household.pk, separation.checkins.exclude(photo="").get().pk],
        )
        in html
    )
    assert "45 minutes — cancelled" in html


def test_the_history_of_another_household_is_not_shown(cast):
    past(cast)
    other = cast.client_for(cast.outsider).get(
        reverse("separations:history", args=[cast.other_household.pk])
    )
    assert "Grandma Ana" not in other.content.decode()


def test_history_costs_the_same_for_1_or_10_separations(cast):
    client = cast.client_for(cast.parent)
    past(cast)
    client.get(history_url(cast))
    one = queries_for(lambda: client.get(history_url(cast)))
    for day in range(2, 11):
        past(cast, days_ago=day)
    assert len(queries_for(lambda: client.get(history_url(cast)))) == len(one) == 4


def test_older_pages(cast):
    for day in range(1, 23):
        make_separation(
            cast, status=Separation.Status.BACK, starts_at=timezone.now() - timedelta(days=day)
        )
    client = cast.client_for(cast.parent)
    assert "?page=2" in client.get(history_url(cast)).content.decode()
    assert client.get(history_url(cast) + "?page=2").status_code == 200
    assert client.get(history_url(cast) + "?page=x").status_code == 200
