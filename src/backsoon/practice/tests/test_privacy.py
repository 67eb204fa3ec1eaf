"""The ladder is household data; ratings, fears and progress are the parent's alone.

Sam (the partner) sees Maya's ladder and her plans, never how anything felt or what she
feared: checked with marker strings on every page he can open, and by 404s on her own
pages. Caregivers and caregiver links see none of it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from backsoon.households.access import Access
from backsoon.households.tests.test_url_access import ROUTES, link_client, url_kwargs
from backsoon.practice import ladder as ladders
from backsoon.practice import weekly
from backsoon.practice.tests.factories import practice, step_named
from backsoon.separations.models import SettledAfter
from backsoon.separations.tests.factories import FEAR_MARKER

OWNER_ROUTES = [r for r in ROUTES if r.access is Access.OWNER and r.name.startswith("practice:")]
PRACTICE_ROUTES = [r for r in ROUTES if r.name.startswith("practice:")]
# What only Maya may read: how it felt, her fear, the suggestion built on them.
MARKERS = [FEAR_MARKER, "felt manageable", "felt hard", "Ready for 1 hour?", "you choose"]


@pytest.fixture
def history(cast):
    ladders.ensure_ladder(cast.parent)
    thirty = step_named(cast.parent, "30 minutes")
    for day in (3, 2):
        practice(
            cast,
            thirty,
            at=timezone.now() - timedelta(days=day),
            feel="manageable",
            fear=FEAR_MARKER,
            happened="no",
            settled=SettledAfter.OVER_30 if day == 3 else SettledAfter.UNDER_5,
        )
    return thirty


def test_there_are_owner_pages():
    assert {r.name for r in OWNER_ROUTES} == {
        "practice:progress",
        "practice:week",
        "practice:trial",
    }


def test_maya_sees_her_own_suggestion_and_ratings(cast, history):
    html = (
        cast.client_for(cast.parent)
        .get(reverse("practice:ladder", args=[cast.household.pk, cast.parent.pk]))
        .content.decode()
    )
    assert "30 minutes again, or 1 hour — you choose" in html
    assert "felt manageable 2 times" in html and "Done 2 times" in html


def test_sam_sees_the_ladder_and_the_plan_but_no_ratings(cast, history):
    from backsoon.separations.tests.factories import make_separation

    make_separation(cast, status="planned", starts_at=timezone.now() + timedelta(days=1))
    sam = cast.client_for(cast.partner)
    html = sam.get(reverse("practice:ladder", args=[cast.household.pk, cast.parent.pk]))
    assert html.status_code == 200
    page = html.content.decode()
    assert "Maya's practice ladder" in page and "30 minutes" in page and "Done 2 times" in page
    assert "Planned" in page and "Grandma Ana caring" in page
    for marker in MARKERS:
        assert marker not in page, marker
    assert "suggestion" not in html.context or html.context.get("suggestion") is None


@pytest.mark.parametrize("route", OWNER_ROUTES, ids=lambda r: r.name)
def test_sam_gets_404_on_mayas_own_pages(cast, history, route):
    if "parent_id" not in route.kwargs:
        pytest.skip("about the subject themselves: Sam gets his own, empty")
    url = reverse(route.name, kwargs=url_kwargs(cast, route))
    sam = cast.client_for(cast.partner)
    assert sam.get(url).status_code == 404
    assert sam.post(url, {"on": "1"}).status_code == 404
    assert weekly.note_of(cast.parent) is None


def test_sams_own_pages_hold_nothing_of_mayas(cast, history):
    sam = cast.client_for(cast.partner)
    pages = [
        reverse("practice:progress", args=[cast.household.pk, cast.partner.pk]),
        reverse("practice:week", args=[cast.household.pk, cast.partner.pk]),
        reverse("practice:trial", args=[cast.household.pk]),
        reverse("practice:ladder", args=[cast.household.pk, cast.partner.pk]),
        reverse("households:dashboard", args=[cast.household.pk]),
    ]
    for url in pages:
        response = sam.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        for marker in MARKERS:
            assert marker not in page, (url, marker)
    # Maya's dashboard has her own next step; Sam's never has hers.
    mine = (
        cast.client_for(cast.parent)
        .get(reverse("households:dashboard", args=[cast.household.pk]))
        .content.decode()
    )
    assert "30 minutes again, or 1 hour" in mine


@pytest.mark.parametrize("route", PRACTICE_ROUTES, ids=lambda r: r.name)
def test_a_caregiver_and_a_link_see_no_practice_page(cast, history, route):
    url = reverse(route.name, kwargs=url_kwargs(cast, route))
    for client in (cast.client_for(cast.caregiver), link_client(cast)):
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404


def test_progress_is_private_even_in_the_browser_cache(cast, history):
    response = cast.client_for(cast.parent).get(
        reverse("practice:progress", args=[cast.household.pk, cast.parent.pk])
    )
    assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]
    assert FEAR_MARKER in response.content.decode()
