"""The caregiver's urgent call also shows at the top of the parent's open away page."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from backsoon import notify
from backsoon.notify.events import Event
from backsoon.separations import services
from backsoon.separations.tests.factories import make_separation

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 10, 13, 0, tzinfo=UTC)  # 14:00 in London
CALL = "Grandma Ana asked you to call."


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def urgent_call(parent):
    """What the caregiver's "Urgent — please call me" button sends (the coping flow)."""
    return notify.send(
        parent, Event.URGENT, "Back Soon", "Please call.", "/h/1/", urgent=True, topic="call"
    )


def poll(cast, separation, who, **params):
    query = "&".join(f"{name}={value}" for name, value in params.items())
    url = reverse("separations:poll", args=[cast.household.pk, separation.pk]) + "?" + query
    return cast.client_for(who).get(url, HTTP_HX_REQUEST="true")


def test_an_urgent_call_shows_at_the_top_of_the_away_page_and_through_the_poll(cast):
    cast.caregiver.phone = "+447700900123"
    cast.caregiver.save()
    separation = make_separation(cast)
    assert poll(cast, separation, cast.parent, after=0, note=0, call=0).status_code == 204

    call = urgent_call(cast.parent)

    response = poll(cast, separation, cast.parent, after=0, note=0, call=0)
    html = response.content.decode()
    assert response.status_code == 200
    assert CALL in html and "At 14:00." in html
    assert 'href="tel:+447700900123"' in html and "Call Grandma Ana" in html
    assert f"call={call.pk}" in html
    assert poll(cast, separation, cast.parent, after=0, note=0, call=call.pk).status_code == 204
    page = cast.client_for(cast.parent).get(
        reverse("separations:away", args=[cast.household.pk, separation.pk])
    )
    text = page.content.decode()
    assert text.index(CALL) < text.index("Updates")
    assert list(services.urgent_calls_since(separation, cast.parent)) == [call]


def test_it_is_for_the_parent_who_was_called_and_only_from_this_time_apart(cast):
    with time_machine.travel(NOW - timedelta(hours=2), tick=False):
        urgent_call(cast.parent)  # an older call, before this time apart
    separation = make_separation(cast)

    assert poll(cast, separation, cast.parent, after=0, note=0, call=0).status_code == 204
    urgent_call(cast.parent)

    assert poll(cast, separation, cast.partner, after=0, note=0, call=0).status_code == 204
    partner_page = cast.client_for(cast.partner).get(
        reverse("separations:away", args=[cast.household.pk, separation.pk])
    )
    assert CALL not in partner_page.content.decode()
