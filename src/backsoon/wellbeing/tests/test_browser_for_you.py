"""Maya's "For you" page, the reflection and the age guide in a real Chromium on a phone.

A recent GAD-7 of 12 brings up a calm card; "Not now" puts it away. In the reflection,
answering "yes" to thoughts of harm shows crisis help at once. Grandma Ana reads the age
guide and her own guide. axe runs on every page.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from backsoon.testing.browser import assert_accessible, follow
from backsoon.wellbeing.models import CardDismissal
from backsoon.wellbeing.scoring import Check
from backsoon.wellbeing.tests.factories import take
from backsoon.wellbeing.tests.test_browser_item9 import log_in, watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _packaged_lines(settings):
    settings.CRISIS_FILE = ""


def test_a_card_the_reflection_and_the_guides(live_server, new_phone, cast):
    base, h = live_server.url, cast.household.pk
    take(cast.parent, Check.GAD7, [2, 2, 2, 2, 2, 1, 1], timezone.now() - timedelta(days=2))
    maya = new_phone()
    problems = watch_console(maya)
    log_in(maya, base, "maya@example.org")
    maya.goto(base + reverse("households:dashboard", args=[h]))
    expect(maya.locator(".wellbeing-notice")).to_be_visible()
    assert_accessible(maya, "wellbeing-10-dashboard-notice")
    follow(maya, "For you: how are you doing?")
    card = maya.locator('[data-card="high_scores"]')
    assert "your GAD-7 was 12" in card.inner_text()
    assert_accessible(maya, "wellbeing-11-for-you-card")
    card.get_by_role("button", name="Not now").click()
    expect(maya.locator("[data-card]")).to_have_count(0)
    assert CardDismissal.objects.get().choice == "not_now"

    follow(maya, "Take a moment to reflect")
    expect(maya.locator("main")).to_contain_text("Not a validated test")
    assert_accessible(maya, "wellbeing-12-reflection")
    harm = maya.get_by_role("group", name="Have you had thoughts of harming yourself or your baby?")
    harm.get_by_label("No").check()
    assert maya.locator("#crisis-now").is_hidden()
    harm.get_by_label("Yes").check()
    maya.locator("#crisis-now").wait_for(state="visible")
    expect(maya.locator("#crisis-now").get_by_role("link", name="Call 999")).to_be_visible()
    assert_accessible(maya, "wellbeing-13-reflection-crisis")

    maya.goto(base + reverse("wellbeing:age", args=[h, cast.child.pk]))
    expect(maya.get_by_role("heading", name=re.compile(r"^Bea at \d+ months?$"))).to_be_visible()
    assert_accessible(maya, "wellbeing-14-age-guide")
    assert not problems, problems

    ana = new_phone()
    log_in(ana, base, "ana@example.org")
    ana.goto(base + reverse("households:dashboard", args=[h]))
    assert ana.locator(".wellbeing-notice").count() == 0
    ana.get_by_role("link", name="Your guide as the caregiver").click()
    expect(ana.get_by_role("heading", name="Your judgment is trusted")).to_be_visible()
    expect(ana.get_by_role("link", name="Get help now", exact=True)).to_be_visible()
    assert_accessible(ana, "wellbeing-15-caregiver-guide")
