"""Inner data belongs to its person: Maya's self-checks, cards and reminder reach nobody else.

Sam (her partner) gets 404 on Maya's results and only his own, empty corner elsewhere; the
caregiver's account and a caregiver link get 404 on every owner page. Marker values (Maya's
distinctive scores and her cards) never appear on any page anyone else can open.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from backsoon.households.access import Access
from backsoon.households.tests.test_url_access import ROUTES, link_client, url_kwargs
from backsoon.separations.models import Separation
from backsoon.separations.tests.factories import make_separation
from backsoon.wellbeing.models import CardDismissal, Reminder, SelfCheckResult
from backsoon.wellbeing.scoring import Check
from backsoon.wellbeing.tests.factories import GAD7_HIGH, PHQ9_HIGH_NO_ITEM9, take

pytestmark = pytest.mark.django_db

OWNER_ROUTES = [r for r in ROUTES if r.access is Access.OWNER and r.name.startswith("wellbeing:")]
OBJECT_ROUTES = [r for r in OWNER_ROUTES if len(r.kwargs) > 1]
MARKERS = (
    "your GAD-7 was 17",
    "your PHQ-9 was 19",
    'data-card="high_scores"',
    'data-card="hard_practice"',
    "practices you rated",
    "wellbeing-notice",
    '<span class="score__value">17</span>',
    "<td>17</td>",
    "<td>19</td>",
)


@pytest.fixture
def maya_has_data(cast):
    take(cast.parent, Check.GAD7, GAD7_HIGH, timezone.now() - timedelta(days=1))
    for days in (45, 30, 20, 3):  # practising has felt hard for a while
        make_separation(
            cast,
            status=Separation.Status.BACK,
            starts_at=timezone.now() - timedelta(days=days),
            private={"feel": "hard"},
        )
    take(cast.parent, Check.PHQ9, PHQ9_HIGH_NO_ITEM9, timezone.now() - timedelta(days=1))
    cast.client_for(cast.parent).post(
        reverse("wellbeing:reminder", args=[cast.household.pk]), {"every_weeks": "2"}
    )
    html = cast.client_for(cast.parent).get(reverse("wellbeing:for_you", args=[cast.household.pk]))
    assert "your GAD-7 was 17" in html.content.decode()  # the markers are real
    assert 'data-card="hard_practice"' in html.content.decode()
    return cast


def test_the_owner_pages_are_all_declared_owner():
    assert {r.name for r in OWNER_ROUTES} >= {
        "wellbeing:for_you",
        "wellbeing:gad7",
        "wellbeing:phq9",
        "wellbeing:result",
        "wellbeing:history",
        "wellbeing:reminder",
        "wellbeing:dismiss",
        "wellbeing:reflection",
        "wellbeing:delete_results",
    }


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=lambda r: r.name)
def test_the_partner_gets_404_on_the_other_parents_results(maya_has_data, route):
    cast = maya_has_data
    url = reverse(route.name, kwargs=url_kwargs(cast, route))
    client = cast.client_for(cast.partner)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("route", OWNER_ROUTES, ids=lambda r: r.name)
def test_the_partner_never_sees_the_other_parents_data_on_any_owner_page(maya_has_data, route):
    cast = maya_has_data
    url = reverse(route.name, kwargs=url_kwargs(cast, route))
    response = cast.client_for(cast.partner).get(url)
    html = response.content.decode()
    for marker in MARKERS:
        assert marker not in html, (route.name, marker)
    if route.name == "wellbeing:reminder":
        assert 'value="2" id="id_every_weeks_1" checked' not in html


@pytest.mark.parametrize("route", OWNER_ROUTES, ids=lambda r: r.name)
def test_the_partner_changes_nothing_of_the_other_parents(maya_has_data, route):
    cast = maya_has_data
    url = reverse(route.name, kwargs=url_kwargs(cast, route))
    before = SelfCheckResult.objects.filter(owner=cast.parent).count()
    for rule in ("high_scores", "hard_practice"):
        cast.client_for(cast.partner).post(
            url, {"every_weeks": "", "rule": rule, "key": "", "choice": "have_support"}
        )
    assert SelfCheckResult.objects.filter(owner=cast.parent).count() == before
    assert Reminder.objects.get(owner=cast.parent).every_weeks == 2
    assert not CardDismissal.objects.filter(owner=cast.parent).exists()


@pytest.mark.parametrize("route", OWNER_ROUTES, ids=lambda r: r.name)
def test_a_caregiver_account_and_a_caregiver_link_get_404(maya_has_data, route):
    cast = maya_has_data
    url = reverse(route.name, kwargs=url_kwargs(cast, route))
    for client in (cast.client_for(cast.caregiver), link_client(cast)):
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=lambda r: r.name)
def test_the_outsider_gets_404_even_inside_their_own_household(maya_has_data, route):
    cast = maya_has_data
    kwargs = url_kwargs(cast, route, household_id=cast.other_household.pk)
    assert cast.client_for(cast.outsider).get(reverse(route.name, kwargs=kwargs)).status_code == 404


def shared_pages(cast) -> list[str]:
    h = cast.household.pk
    names = [
        r.name
        for r in ROUTES
        if r.access in (Access.HOUSEHOLD, Access.PARENTS) and r.kwargs == ("household_id",)
    ]
    return [reverse(name, args=[h]) for name in names]


def test_no_shared_page_carries_the_other_parents_scores_or_cards(maya_has_data):
    cast = maya_has_data
    pages = shared_pages(cast)
    assert reverse("households:dashboard", args=[cast.household.pk]) in pages
    for who in (cast.partner, cast.caregiver):
        client = cast.client_for(who)
        for url in pages:
            html = client.get(url).content.decode()
            for marker in MARKERS:
                assert marker not in html, (who, url, marker)
    # Her ladder, which the partner may see to plan together, carries no card either.
    ladder = reverse("practice:ladder", args=[cast.household.pk, cast.parent.pk])
    html = cast.client_for(cast.partner).get(ladder).content.decode()
    assert "Maya's practice ladder" in html
    for marker in MARKERS:
        assert marker not in html, (ladder, marker)


def test_the_owner_does_see_her_own_notice_on_the_shared_dashboard(maya_has_data):
    cast = maya_has_data
    url = reverse("households:dashboard", args=[cast.household.pk])
    assert "wellbeing-notice" in cast.client_for(cast.parent).get(url).content.decode()
