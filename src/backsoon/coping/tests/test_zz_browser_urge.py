"""The urge flow and the urgent path in a real Chromium, on phone screens, with axe.

Maya is on a 15-minute practice. She taps "I want to check", is offered the 10 minutes left,
breathes with the pacer (animated, then with reduced motion), leaves and comes back to the
same wait, and the urge passes. Grandma Ana, on a caregiver link, sees the emergency number
first, confirms, is told it couldn't reach Maya, and Maya's open away page shows the call.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from backsoon.coping.models import GroundingKit, Urge
from backsoon.households.models import CaregiverLink
from backsoon.separations.models import Separation
from backsoon.separations.tests.factories import make_separation
from backsoon.separations.tests.test_zz_browser_core_loop import log_in, open_link, watch_console
from backsoon.testing.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def practice(cast, settings):
    settings.SEPARATIONS_POLL_SECONDS = 1
    settings.COPING_STATUS_POLL_SECONDS = 1
    link, token = CaregiverLink.create(
        household=cast.household,
        name="Grandma Ana",
        phone="+44 7700 900456",
        created_by=cast.parent,
    )
    # Fifteen minutes, five of them gone (with a little slack for the test's own pace).
    separation = make_separation(
        cast, link=link, minutes=15, starts_at=timezone.now() - timedelta(minutes=5, seconds=-40)
    )
    GroundingKit.objects.create(owner=cast.parent, breath_in=2, breath_hold=2, breath_out=2)
    return separation, token


def start_urge(page, base, cast, separation):
    page.goto(f"{base}/h/{cast.household.pk}/separations/{separation.pk}/away/")
    page.get_by_role("button", name="I want to check").click()
    page.wait_for_url(re.compile(r"/urges/\d+/$"))


def test_the_urge_flow_with_the_pacer_running(live_server, new_phone, cast, practice):
    separation, _token = practice
    base = live_server.url
    maya = new_phone()
    problems = watch_console(maya)
    log_in(maya, base, "maya@example.org")
    start_urge(maya, base, cast, separation)
    expect(maya.get_by_text("That's the 10 minutes left before you're due back.")).to_be_visible()
    assert maya.get_by_label("10 minutes").is_checked()
    assert_accessible(maya, "coping-01-urge-offer")
    maya.get_by_label("How strong is the urge right now?").select_option("7")
    maya.get_by_label("Put the phone away — buzz me at the end").check()
    maya.get_by_role("button", name="Wait with me").click()
    maya.get_by_role("heading", name=re.compile(r"^Waiting until about \d\d:\d\d$")).wait_for()
    wait_url = maya.url
    expect(maya.get_by_text("keep this page open — it will vibrate")).to_be_visible()

    # The pacer: each phase is announced, and the square grows and settles.
    pacer = maya.locator("[data-pacer]")
    assert pacer.get_attribute("data-motion") == "full"
    expect(maya.locator(".pacer__stage")).to_be_visible()
    maya.get_by_role("button", name="Start breathing").click()
    phase = maya.locator("[data-pacer-phase]")
    assert phase.get_attribute("aria-live") == "polite"
    assert phase.text_content() == "Breathe in"
    maya.wait_for_function(
        "() => document.querySelector('[data-pacer-phase]').textContent === 'Hold'"
    )
    grown = maya.locator(".pacer__shape").evaluate("el => getComputedStyle(el).transform")
    maya.wait_for_function(
        "() => document.querySelector('[data-pacer-phase]').textContent === 'Breathe out'"
    )
    maya.wait_for_timeout(2100)
    settled = maya.locator(".pacer__shape").evaluate("el => getComputedStyle(el).transform")
    assert grown != settled and grown != "none"
    assert maya.get_by_role("button", name="Stop").get_attribute("aria-pressed") == "true"
    assert_accessible(maya, "coping-02-waiting-pacer-running")

    # Away and back: the same wait, not a new one.
    start_urge(maya, base, cast, separation)
    assert maya.url == wait_url
    assert Urge.objects.count() == 1

    maya.get_by_label("How strong is it now?").select_option("2")
    maya.get_by_role("button", name="It passed").click()
    maya.get_by_role("heading", name="Noted").wait_for()
    expect(maya.get_by_text("that's the practice working")).to_be_visible()
    assert_accessible(maya, "coping-03-it-passed")
    urge = Urge.objects.get()
    assert (urge.outcome, urge.strength_before, urge.strength_after, urge.wait_minutes) == (
        "passed",
        7,
        2,
        10,
    )
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p]


def test_reduced_motion_a_calm_count_and_the_end_of_the_wait(
    live_server, new_phone, cast, practice
):
    separation, _token = practice
    base = live_server.url
    maya = new_phone(reduced_motion="reduce")
    maya.add_init_script("navigator.vibrate = (p) => { window.buzzedWith = p; return true; };")
    problems = watch_console(maya)
    log_in(maya, base, "maya@example.org")
    start_urge(maya, base, cast, separation)
    maya.get_by_label("5 minutes").check()
    maya.get_by_label("Put the phone away — buzz me at the end").check()
    maya.get_by_role("button", name="Wait with me").click()
    maya.get_by_role("heading", name=re.compile(r"^Waiting until about")).wait_for()

    pacer = maya.locator("[data-pacer]")
    assert pacer.get_attribute("data-motion") == "reduced"
    maya.get_by_role("button", name="Start breathing").click()
    expect(maya.locator(".pacer__stage")).not_to_be_visible()  # no moving square
    count = maya.locator("[data-pacer-count]")
    expect(count).to_have_text("1")
    maya.wait_for_function("() => document.querySelector('[data-pacer-count]').textContent === '2'")
    maya.wait_for_function(
        "() => document.querySelector('[data-pacer-phase]').textContent === 'Hold'"
    )
    assert_accessible(maya, "coping-04-waiting-reduced-motion")

    # The wait runs out while the page is open: it says so and buzzes, with no reload.
    urge = Urge.objects.get()
    Urge.objects.filter(pk=urge.pk).update(
        started_at=timezone.now() - timedelta(minutes=5) + timedelta(seconds=3)
    )
    maya.reload()
    maya.evaluate("() => { window.stillTheSamePage = true; }")
    note = maya.locator(".wait-end")
    note.filter(has_text="Your wait is over. How is it now?").wait_for()
    assert maya.evaluate("() => window.stillTheSamePage") is True
    assert maya.evaluate("() => window.buzzedWith") == [300, 150, 300]
    assert_accessible(maya, "coping-05-wait-over")

    maya.get_by_role("button", name="Still there — I'm carrying on").click()
    maya.get_by_role("heading", name="Noted").wait_for()
    expect(maya.get_by_text("it counts just the same")).to_be_visible()
    assert Urge.objects.get().outcome == "carried_on"
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p]


def test_the_grounding_page_works_offline_once_loaded(live_server, new_phone, cast, practice):
    base = live_server.url
    maya = new_phone()
    log_in(maya, base, "maya@example.org")
    url = f"{base}/h/{cast.household.pk}/grounding/"
    maya.goto(url)
    maya.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller")
    maya.reload()  # now the service worker keeps a copy
    maya.get_by_role("heading", name="Grounding").wait_for()
    assert_accessible(maya, "coping-06-grounding")
    maya.context.set_offline(True)
    maya.goto(url)
    expect(maya.get_by_role("heading", name="Grounding")).to_be_visible()
    maya.get_by_role("button", name="Start breathing").click()
    maya.wait_for_function(
        "() => document.querySelector('[data-pacer-phase]').textContent === 'Hold'"
    )
    maya.context.set_offline(False)


def test_the_caregivers_urgent_path_reaches_the_open_away_page(
    live_server, new_phone, cast, practice
):
    separation, token = practice
    base, h = live_server.url, cast.household.pk
    maya = new_phone()
    log_in(maya, base, "maya@example.org")
    maya.goto(f"{base}/h/{h}/separations/{separation.pk}/away/")
    maya.evaluate("() => { window.stillTheSamePage = true; }")

    ana = new_phone()
    problems = watch_console(ana)
    open_link(ana, base, token, h)
    urgent = ana.get_by_role("button", name="Urgent — please call me")
    first = ana.get_by_text("Baby in danger? Call 999 first.")
    assert first.bounding_box()["y"] < urgent.bounding_box()["y"]
    assert_accessible(ana, "coping-07-care-urgent-button")
    urgent.click()
    ana.get_by_role("heading", name="Ask Maya to call you?").wait_for()
    assert ana.get_by_role("link", name="Call 999").get_attribute("href") == "tel:999"
    assert_accessible(ana, "coping-08-urgent-confirm")
    ana.get_by_role("button", name="Yes — ask Maya to call me").click()
    ana.get_by_text("Couldn't reach Maya — please call.").wait_for()
    expect(ana.get_by_role("link", name="Call Maya")).not_to_be_visible()  # no number saved
    assert_accessible(ana, "coping-09-urgent-status")

    maya.get_by_text("Grandma Ana asked you to call.").wait_for()
    assert maya.evaluate("() => window.stillTheSamePage") is True

    ana.get_by_role("button", name="Pressed by mistake").click()
    ana.get_by_text("You told Maya it was pressed by mistake.").wait_for()
    assert Separation.objects.get(pk=separation.pk).urgent_calls.get().mistake_at is not None
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p]
