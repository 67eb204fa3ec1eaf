"""The away page: calm, newest first, the time back without seconds, and "I'm back"."""

from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import pytest
import time_machine
from django.urls import reverse

from backsoon.separations.models import ParentMessage, Separation
from backsoon.separations.schedule import AgreedSpec
from backsoon.separations.tests.factories import make_checkin, make_separation
from backsoon.separations.tests.queries import queries_for

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def away_url(cast, separation):
    return reverse("separations:away", args=[cast.household.pk, separation.pk])


def test_the_page_is_calm_and_shows_updates_newest_first(cast):
    separation = make_separation(cast, starts_at=NOW - timedelta(minutes=20), minutes=60)
    make_checkin(separation, all_good=True, created_at=NOW - timedelta(minutes=15))
    make_checkin(
        separation,
        photo=True,
        state="sleeping",
        message="Out like a light",
        created_at=NOW - timedelta(minutes=5),
    )
    html = cast.client_for(cast.parent).get(away_url(cast, separation)).content.decode()
    assert "Back around 13:40." in html  # 12:40 UTC in London, no seconds
    assert "We'll show you when Grandma Ana posts" in html
    assert html.index("Out like a light") < html.index("All good")
    assert (
        reverse("separations:photo", args=[cast.household.pk, separation.checkins.first().pk])
        in html
    )
    assert 'hx-trigger="every 20s"' in html and f"?after={separation.checkins.first().pk}" in html
    assert "Refresh" in html and "I'm back" in html and "Send one message" in html
    assert "hx-on" not in html and "<script>" not in html and "style=" not in html


def test_signs_of_missing_someone_are_framed_as_normal(cast):
    separation = make_separation(cast)
    make_checkin(separation, looked_around=True, ate_less=True)
    html = cast.client_for(cast.parent).get(away_url(cast, separation)).content.decode()
    assert "a normal sign of missing you" in html and "normal." in html


def test_the_partner_sees_the_updates_but_not_the_leavers_buttons(cast):
    separation = make_separation(cast)
    make_checkin(separation, all_good=True)
    html = cast.client_for(cast.partner).get(away_url(cast, separation)).content.decode()
    assert "Maya is away" in html and "All good" in html
    assert "I'm back" not in html and "Send one message" not in html
    response = cast.client_for(cast.partner).post(
        reverse("separations:back", args=[cast.household.pk, separation.pk])
    )
    assert response.status_code == 404


def test_im_back_ends_it_and_opens_the_reunion(cast):
    separation = make_separation(cast)
    client = cast.client_for(cast.parent)
    response = client.post(reverse("separations:back", args=[cast.household.pk, separation.pk]))
    assert response["Location"] == reverse(
        "separations:reunion", args=[cast.household.pk, separation.pk]
    )
    separation.refresh_from_db()
    assert separation.is_back and separation.back_at == NOW
    assert client.get(away_url(cast, separation))["Location"] == response["Location"]


def test_a_planned_separation_has_no_away_page_yet(cast):
    separation = make_separation(
        cast, status=Separation.Status.PLANNED, starts_at=NOW + timedelta(hours=1)
    )
    response = cast.client_for(cast.parent).get(away_url(cast, separation))
    assert response["Location"] == reverse(
        "separations:detail", args=[cast.household.pk, separation.pk]
    )


def test_the_one_message_opens_the_messaging_app_and_is_recorded(cast):
    cast.caregiver.phone = "+447700900456"
    cast.caregiver.save()
    separation = make_separation(cast, agreed=[AgreedSpec("all_good", offset_minutes=5)])
    response = cast.client_for(cast.parent).post(
        reverse("separations:message", args=[cast.household.pk, separation.pk])
    )
    assert response.status_code == 302
    assert unquote(response["Location"]) == "sms:+447700900456?body=How are things going?"
    message = ParentMessage.objects.get()
    assert message.owner == cast.parent and message.sent_at == NOW
    # The agreed "all good" at 5 minutes hadn't come: this message never counts against the aim.
    assert message.after_missed_update


def test_the_partner_cannot_record_a_message_for_the_leaver(cast):
    separation = make_separation(cast)
    response = cast.client_for(cast.partner).post(
        reverse("separations:message", args=[cast.household.pk, separation.pk])
    )
    assert response.status_code == 404 and not ParentMessage.objects.exists()


def test_the_away_page_costs_the_same_with_1_or_10_updates(cast):
    separation = make_separation(cast)
    make_checkin(separation, photo=True)
    client = cast.client_for(cast.parent)
    url = away_url(cast, separation)
    client.get(url)  # the session is in the cache from here on
    one = queries_for(lambda: client.get(url))
    for _ in range(9):
        make_checkin(
            separation,
            photo=True,
            state="playing",
            settled=[{"child": cast.child.pk, "name": "Bea", "after": "5_15"}],
        )
    assert len(queries_for(lambda: client.get(url))) == len(one) == 5
