"""The away page's poll: 204 when nothing is new, new updates otherwise, three queries at most."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from backsoon.separations.tests.factories import make_checkin, make_separation
from backsoon.separations.tests.queries import queries_for

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def poll_url(cast, separation, after=0):
    return reverse("separations:poll", args=[cast.household.pk, separation.pk]) + f"?after={after}"


def test_nothing_new_is_a_204_with_no_body(cast):
    separation = make_separation(cast)
    response = cast.client_for(cast.parent).get(poll_url(cast, separation), HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response.content == b""


def test_new_updates_come_with_the_next_poller(cast):
    separation = make_separation(cast)
    first = make_checkin(separation, all_good=True)
    second = make_checkin(separation, photo=True, message="In the sandpit")
    response = cast.client_for(cast.parent).get(poll_url(cast, separation, first.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "In the sandpit" in html and f'id="update-{first.pk}"' not in html
    assert 'hx-swap-oob="afterbegin:#updates"' in html
    assert f"?after={second.pk}" in html and 'id="poller"' in html
    assert reverse("separations:photo", args=[cast.household.pk, second.pk]) in html


def test_newest_first_and_marked_when_sent_after_the_return(cast):
    separation = make_separation(cast)
    make_checkin(separation, message="first")
    make_checkin(separation, message="second")
    separation.status, separation.back_at = "back", NOW
    separation.save()
    with time_machine.travel(datetime(2026, 6, 1, 12, 5, tzinfo=UTC), tick=False):
        make_checkin(separation, message="after")
    html = cast.client_for(cast.parent).get(poll_url(cast, separation)).content.decode()
    assert html.index("after") < html.index("second") < html.index("first")
    assert html.count("sent after you were back") == 1


def test_the_poll_answers_the_partner_too_but_no_caregiver(cast):
    separation = make_separation(cast)
    make_checkin(separation)
    assert cast.client_for(cast.partner).get(poll_url(cast, separation)).status_code == 200
    assert cast.client_for(cast.caregiver).get(poll_url(cast, separation)).status_code == 404


def test_bad_after_values_are_harmless(cast):
    separation = make_separation(cast)
    client = cast.client_for(cast.parent)
    for value in ("x", "-5", "99999999999999999999999", ""):
        url = (
            reverse("separations:poll", args=[cast.household.pk, separation.pk]) + f"?after={value}"
        )
        assert client.get(url).status_code in (200, 204)


def test_an_expired_session_redirects_htmx_instead_of_swapping_a_login_page(cast):
    separation = make_separation(cast)
    response = cast.client_for(None).get(poll_url(cast, separation), HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"].startswith(
        reverse("account_login")
    )


def test_a_poll_costs_two_queries_with_the_session_and_the_login(cast):
    separation = make_separation(cast)
    client = cast.client_for(cast.parent)
    url = poll_url(cast, separation)
    client.get(url)  # a real browser's session is in the cache after its first request
    nothing_new = queries_for(lambda: client.get(url))
    # The membership with its account (one query), and the updates.
    assert len(nothing_new) == 2, nothing_new
    for _ in range(10):
        make_checkin(
            separation,
            photo=True,
            settled=[{"child": cast.child.pk, "name": "Bea", "after": "under_5"}],
        )
    ten_new = queries_for(lambda: client.get(url))
    assert len(ten_new) == 2, ten_new


def test_a_session_missing_from_the_cache_costs_one_more(cast):
    separation = make_separation(cast)
    client = cast.client_for(cast.parent)
    cache.clear()
    assert len(queries_for(lambda: client.get(poll_url(cast, separation)))) == 3


def test_nothing_new_carries_no_policy_and_something_new_does(cast):
    # A 204 has no document for a policy to protect; the updates it swaps in come with one.
    separation = make_separation(cast)
    client = cast.client_for(cast.parent)
    nothing = client.get(poll_url(cast, separation))
    assert nothing.status_code == 204 and "Content-Security-Policy" not in nothing
    make_checkin(separation, state="playing")
    something = client.get(poll_url(cast, separation))
    assert something.status_code == 200
    assert "script-src 'self'" in something["Content-Security-Policy"]
