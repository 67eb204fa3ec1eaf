from __future__ import annotations

import pytest
from django.urls import resolve, reverse

from backsoon.households.access import Access, declared_access

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _us_by_default(settings):
    settings.DEFAULT_COUNTRY = "US"
    settings.CRISIS_FILE = ""


def get(client, query: str = ""):
    response = client.get(reverse("wellbeing:help") + query)
    assert response.status_code == 200
    return response.content.decode()


def test_help_is_public_and_declared_so(client):
    assert declared_access(resolve(reverse("wellbeing:help")).func) is Access.PUBLIC
    html = get(client)
    assert "Get help now" in html


def test_gb_shows_tap_to_call_links(client):
    html = get(client, "?country=GB")
    for tel in ("999", "116123", "111"):
        assert f'href="tel:{tel}"' in html
    assert 'href="tel:988"' not in html
    assert "call 999 now" in html


def test_us_shows_crisis_lines_first_then_support_lines_labelled(client):
    html = get(client, "?country=us")
    assert 'href="tel:911"' in html
    assert 'href="sms:988"' in html
    crisis, support = html.index('href="tel:988"'), html.index('href="tel:+18338526262"')
    assert crisis < html.index("Support lines") < support
    assert html.count("badge-support") == 2
    assert "not for emergencies" in html
    assert "last checked Nov. 22, 2026" in html or "last checked November 22, 2026" in html


def test_the_page_says_nobody_is_watching_and_it_is_not_medical_advice(client):
    html = get(client, "?country=GB")
    assert "Nobody watches Back Soon" in html
    assert "not medical advice" in html


def test_an_invalid_country_shows_the_default_country(client):
    html = get(client, "?country=<script>")
    assert "<script>" not in html.split("</header>", 1)[1]
    assert 'href="tel:988"' in html


def test_the_default_country_comes_from_settings(client, settings):
    settings.DEFAULT_COUNTRY = "GB"
    assert 'href="tel:116123"' in get(client)


def test_an_unknown_country_shows_only_the_local_emergency_number(client):
    html = get(client, "?country=FR")
    assert 'href="tel:' not in html
    assert "local emergency number" in html
    assert "checked any numbers for this country" in html
    assert '<option value="FR" selected>' in html


def test_the_country_switcher_lists_our_countries(client):
    html = get(client, "?country=GB")
    assert '<option value="GB" selected>United Kingdom</option>' in html
    assert '<option value="US">United States</option>' in html


def test_a_deployment_line_shows_on_the_page(client, crisis_file):
    crisis_file(
        '[[countries.GB.resources]]\nkind = "support"\nname = "Local perinatal team"\n'
        'number = "01234 567890"\ntel = "+441234567890"\nhours = "Weekdays"\n'
        'description = "Our local team."\nlast_verified = 2026-11-01\nsource = "nhs.uk"\n'
    )
    html = get(client, "?country=GB")
    assert "Local perinatal team" in html
    assert 'href="tel:+441234567890"' in html


def test_the_page_tells_thoughts_of_harm_coming_to_the_baby_apart_from_harming(client):
    html = get(client, "?country=GB")
    assert "Thoughts of harming yourself or your baby are an emergency" in html
    assert "something bad happening to your baby" in html
    assert "not dangerous in themselves" in html
