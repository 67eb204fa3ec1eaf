"""The guides for the leaving parent, the partner and the caregiver; help one tap away."""

from __future__ import annotations

import pytest
from django.urls import reverse

from backsoon.households.tests.test_url_access import link_client
from backsoon.wellbeing.guides import KEYS, guide

pytestmark = pytest.mark.django_db


def read(cast, name: str, client=None) -> str:
    client = client or cast.client_for(cast.parent)
    response = client.get(reverse(f"wellbeing:{name}", args=[cast.household.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_leaving_parents_guide(cast):
    html = read(cast, "guide_leaving")
    assert "protection mode" in html
    assert "What would help you feel ready?" in html
    assert "Planning the build-up together" in html
    assert "relief and guilt at the same time is normal" in html
    assert "a whole person" in html
    assert 'class="script"' in html


def test_the_partners_guide(cast):
    html = read(cast, "guide_partner", cast.client_for(cast.partner))
    assert "“Just relax” never works" in html
    assert "Stay hands-on" in html
    assert "step back" in html
    assert "call the emergency number now" in html


def test_the_caregivers_guide_for_an_account_and_a_link(cast):
    for client in (cast.client_for(cast.caregiver), link_client(cast)):
        html = read(cast, "guide_caregiver", client)
        assert "What the agreement means" in html
        assert "Your judgment is trusted" in html
        assert "call the emergency number first, then the parents" in html
        assert "not a baby monitor" in html


@pytest.mark.parametrize("name", ["guide_leaving", "guide_partner", "guide_caregiver"])
def test_every_guide_says_what_it_is_not_and_where_help_is(cast, name):
    html = read(cast, name)
    assert "Information, not medical advice" in html
    assert "not an emergency service" in html
    assert 'href="/help/?country=GB"' in html


def test_the_parents_guides_are_for_parents(cast):
    for name in ("guide_leaving", "guide_partner"):
        url = reverse(f"wellbeing:{name}", args=[cast.household.pk])
        assert cast.client_for(cast.caregiver).get(url).status_code == 404
        assert link_client(cast).get(url).status_code == 404


def test_every_guide_has_sections():
    for key in KEYS:
        assert guide(key, "en").sections


def test_get_help_now_is_in_the_header_of_the_caregivers_pages(cast):
    client = link_client(cast)
    for url in (
        reverse("caresheets:care", args=[cast.household.pk]),
        reverse("wellbeing:guide_caregiver", args=[cast.household.pk]),
        reverse("wellbeing:age", args=[cast.household.pk, cast.child.pk]),
    ):
        html = client.get(url).content.decode()
        header = html.split("</header>", 1)[0]
        assert '<a class="help-now" href="/help/?country=GB">Get help now</a>' in header, url


def test_the_dashboard_links_the_guides_by_role(cast):
    dash = reverse("households:dashboard", args=[cast.household.pk])
    maya = cast.client_for(cast.parent).get(dash).content.decode()
    ana = cast.client_for(cast.caregiver).get(dash).content.decode()
    age = reverse("wellbeing:age", args=[cast.household.pk, cast.child.pk])
    for name in ("guide_leaving", "guide_partner", "guide_caregiver"):
        assert reverse(f"wellbeing:{name}", args=[cast.household.pk]) in maya
    assert age in maya and age in ana
    assert reverse("wellbeing:guide_caregiver", args=[cast.household.pk]) in ana
    assert reverse("wellbeing:guide_leaving", args=[cast.household.pk]) not in ana
