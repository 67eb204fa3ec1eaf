"""Inner data belongs to its person: the partner, caregivers and links never see it.

Maya's worry ratings, fear, reasons and messages are owner data. Sam (her partner) gets
404 on every owner page, and no household page he can open carries them — checked by
distinctive marker strings and by the template context itself.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from backsoon.households.access import Access
from backsoon.households.tests.test_url_access import ROUTES, url_kwargs
from backsoon.separations.models import ParentMessage, Separation, SeparationPrivate
from backsoon.separations.tests.factories import (
    FEAR_MARKER,
    REASON_MARKER,
    make_checkin,
    make_separation,
)
from backsoon.separations.tests.test_caregiver import link_client

OWNER_ROUTES = [r for r in ROUTES if r.access is Access.OWNER and r.name.startswith("separations:")]


def test_there_are_owner_pages():
    assert {r.name for r in OWNER_ROUTES} >= {
        "separations:reunion",
        "separations:before",
        "separations:mine",
        "separations:message",
    }


@pytest.mark.parametrize("route", OWNER_ROUTES, ids=lambda r: r.name)
def test_the_partner_gets_404_on_the_other_parents_owner_pages(cast, route):
    url = reverse(route.name, kwargs=url_kwargs(cast, route))
    client = cast.client_for(cast.partner)
    if route.name != "separations:mine":
        assert client.get(url).status_code == 404
        assert client.post(url, {"worry_worst": "0", "fear": "overwritten"}).status_code == 404
    assert not ParentMessage.objects.exists()
    assert not SeparationPrivate.objects.filter(fear="overwritten").exists()


def test_the_partners_own_notes_page_lists_only_their_own(cast):
    make_separation(
        cast, status=Separation.Status.BACK, private={"fear": FEAR_MARKER, "worry_worst": 9}
    )
    html = (
        cast.client_for(cast.partner)
        .get(reverse("separations:mine", args=[cast.household.pk]))
        .content.decode()
    )
    assert FEAR_MARKER not in html
    mine = (
        cast.client_for(cast.parent)
        .get(reverse("separations:mine", args=[cast.household.pk]))
        .content.decode()
    )
    assert FEAR_MARKER in mine


def private_contexts(response) -> list:
    found = []
    for context in response.context or []:
        for value in context.flatten().values():
            if isinstance(value, SeparationPrivate):
                found.append(value)
            if isinstance(value, list | tuple) and any(
                isinstance(v, SeparationPrivate) for v in value
            ):
                found.append(value)
    return found


@pytest.fixture
def story(cast):
    """Maya is away now; last week she came back early. Both carry her inner data."""
    now = timezone.now()
    private = {
        "fear": FEAR_MARKER,
        "early_reason": REASON_MARKER,
        "worry_before": 9,
        "worry_worst": 10,
        "worry_after": 8,
        "fear_likelihood": 90,
        "messages_aim": 3,
    }
    past = make_separation(
        cast, status=Separation.Status.BACK, starts_at=now - timedelta(days=7), private=private
    )
    make_checkin(past, photo=True, all_good=True)
    live = make_separation(cast, starts_at=now - timedelta(minutes=5), private=private)
    make_checkin(live, all_good=True)
    ParentMessage.objects.create(separation=live, owner=cast.parent)
    planned = make_separation(
        cast,
        status=Separation.Status.PLANNED,
        starts_at=now + timedelta(hours=3),
        children=[],
        private=private,
    )
    return past, live, planned


def household_pages(cast, story):
    past, live, planned = story
    h = cast.household.pk
    return [
        reverse("households:dashboard", args=[h]),
        reverse("separations:history", args=[h]),
        reverse("separations:detail", args=[h, past.pk]),
        reverse("separations:detail", args=[h, planned.pk]),
        reverse("separations:edit", args=[h, planned.pk]),
        reverse("separations:away", args=[h, live.pk]),
        reverse("separations:poll", args=[h, live.pk]),
        reverse("separations:care_now", args=[h]),
        reverse("separations:plan", args=[h]),
        reverse("separations:again", args=[h]),
        reverse("separations:mine", args=[h]),
    ]


@pytest.mark.parametrize("who", ["partner", "caregiver"])
def test_household_pages_never_carry_the_leavers_inner_data(cast, story, who):
    client = cast.client_for(getattr(cast, who))
    opened = 0
    for url in household_pages(cast, story):
        response = client.get(url, follow=True)
        if response.status_code != 200:
            continue
        opened += 1
        html = response.content.decode()
        assert FEAR_MARKER not in html and REASON_MARKER not in html, url
        assert "Worry before" not in html, url
        assert not private_contexts(response), url
    assert opened >= (8 if who == "partner" else 2)


def test_a_caregiver_link_never_sees_it_either(cast, story):
    _, live, _ = story
    link, client = link_client(cast)
    Separation.objects.filter(pk=live.pk).update(carer_membership=None, carer_link=link)
    html = client.get(reverse("separations:care_now", args=[cast.household.pk])).content.decode()
    assert "Maya is away" in html
    assert FEAR_MARKER not in html and REASON_MARKER not in html


def test_the_leaver_sees_her_own(cast, story):
    past, _, _ = story
    client = cast.client_for(cast.parent)
    assert (
        FEAR_MARKER
        in client.get(
            reverse("separations:reunion", args=[cast.household.pk, past.pk])
        ).content.decode()
    )
    assert (
        REASON_MARKER
        in client.get(reverse("separations:mine", args=[cast.household.pk])).content.decode()
    )


def test_leaving_the_household_takes_your_inner_data_and_leaves_the_history(cast, story):
    past, _, _ = story
    cast.parent.delete()
    assert not SeparationPrivate.objects.exists() and not ParentMessage.objects.exists()
    past.refresh_from_db()
    assert past.leaver is None and past.leaver_name == "Maya"
    html = (
        cast.client_for(cast.partner)
        .get(reverse("separations:history", args=[cast.household.pk]))
        .content.decode()
    )
    assert "Maya away" in html
