"""Urges, grounding words, a friend's number and strengths belong to the parent who wrote them.

Sam (the partner) gets 404 on every coping owner URL and never meets Maya's urges or words
anywhere he can look — checked with distinctive markers and the urge's own URLs.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from backsoon.coping.models import GroundingKit, Urge
from backsoon.coping.tests.factories import (
    FRIEND_MARKER,
    REAL_MARKER,
    STRENGTHS_MARKER,
    make_call,
    make_kit,
    make_strengths,
    make_urge,
)
from backsoon.households.access import Access
from backsoon.households.tests.test_url_access import ROUTES, url_kwargs
from backsoon.separations.tests.factories import make_separation
from backsoon.separations.tests.test_caregiver import link_client

OWNER_ROUTES = [r for r in ROUTES if r.access is Access.OWNER and r.name.startswith("coping:")]
MARKERS = (REAL_MARKER, FRIEND_MARKER, STRENGTHS_MARKER)


def test_the_urge_pages_are_owner_pages():
    assert {r.name for r in OWNER_ROUTES} == {
        "coping:grounding",
        "coping:kit",
        "coping:strengths",
        "coping:strengths_edit",
        "coping:urge_new",
        "coping:urges",
        "coping:urge",
    }


@pytest.mark.parametrize(
    "route", [r for r in OWNER_ROUTES if "urge" in r.name], ids=lambda r: r.name
)
def test_the_partner_gets_404_on_every_urge_url(cast, route):
    url = reverse(route.name, kwargs=url_kwargs(cast, route))
    client = cast.client_for(cast.partner)
    if route.name == "coping:urges":
        # His own list: empty, never Maya's.
        assert client.get(url).status_code == 200
        assert "strength 7" not in client.get(url).content.decode()
        return
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "passed", "kind": "check"}).status_code == 404
    assert not Urge.objects.filter(owner=cast.partner).exists()
    assert not Urge.objects.exclude(outcome="").exists()


@pytest.fixture
def maya_everywhere(cast):
    """Maya is away with Ana caring, waiting out an urge, with her own words saved."""
    separation = make_separation(cast, starts_at=timezone.now() - timedelta(minutes=20))
    urge = make_urge(separation, strength_before=9, started_at=timezone.now(), wait_minutes=20)
    make_kit(cast.parent)
    make_strengths(cast.parent, cast.caregiver)
    make_call(separation)
    return separation, urge


def household_pages(cast, separation):
    h = cast.household.pk
    return [
        reverse("households:dashboard", args=[h]),
        reverse("separations:away", args=[h, separation.pk]),
        reverse("separations:poll", args=[h, separation.pk]) + "?after=0",
        reverse("separations:history", args=[h]),
        reverse("separations:care_now", args=[h]),
        reverse("coping:grounding", args=[h]),
        reverse("coping:strengths", args=[h]),
        reverse("coping:kit", args=[h]),
        reverse("coping:urges", args=[h]),
        reverse("caresheets:care", args=[h]),
    ]


def test_the_partner_never_meets_marias_urges_or_words(cast, maya_everywhere):
    separation, urge = maya_everywhere
    urge_url = reverse("coping:urge", args=[cast.household.pk, urge.pk])
    seen = ""
    for url in household_pages(cast, separation):
        response = cast.client_for(cast.partner).get(url)
        assert response.status_code in (200, 204, 302, 404), (url, response.status_code)
        seen += response.content.decode()
    for marker in MARKERS:
        assert marker not in seen
    assert urge_url not in seen and "strength 9" not in seen
    # His own grounding page shows the defaults, and writes nothing.
    assert "My baby is safe." in seen
    assert GroundingKit.objects.filter(owner=cast.partner).count() == 0


def test_caregivers_and_links_never_meet_them_either(cast, maya_everywhere):
    separation, urge = maya_everywhere
    _link, link = link_client(cast)
    for client in (cast.client_for(cast.caregiver), link):
        seen = ""
        for url in household_pages(cast, separation):
            response = client.get(url)
            seen += response.content.decode() if response.status_code == 200 else ""
        for marker in MARKERS:
            assert marker not in seen
        assert reverse("coping:urge", args=[cast.household.pk, urge.pk]) not in seen
        for route in OWNER_ROUTES:
            url = reverse(route.name, kwargs=url_kwargs(cast, route))
            assert client.get(url).status_code in (404, 410)


def test_maya_sees_her_own(cast, maya_everywhere):
    _separation, urge = maya_everywhere
    client = cast.client_for(cast.parent)
    html = client.get(reverse("coping:grounding", args=[cast.household.pk])).content.decode()
    assert all(marker in html for marker in MARKERS)
    html = client.get(reverse("coping:urge", args=[cast.household.pk, urge.pk])).content.decode()
    assert REAL_MARKER in html and STRENGTHS_MARKER in html
