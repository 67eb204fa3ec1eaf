"""PHQ-9 item 9 in a real Chromium on a phone: crisis help appears the moment it is chosen.

Maya answers the PHQ-9. When she chooses anything but "Not at all" for item 9, the crisis
lines show at once, before she submits and before any score; submitting shows the crisis
screen, with no score on it. With JavaScript off, the server does the same on submit.
She also takes the GAD-7 and sees her score with a kind explanation. axe runs on each page.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from backsoon.testing.browser import assert_accessible
from backsoon.testing.fixtures import PASSWORD
from backsoon.wellbeing.models import SelfCheckResult
from backsoon.wellbeing.selfchecks import questionnaire

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _packaged_lines(settings):
    settings.CRISIS_FILE = ""


def log_in(page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in|Log in", re.I)).click()
    # The login page stays loaded until the answer comes: wait for the page it leads to.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def watch_console(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return problems


def answer(page, check: str, values: list[int]) -> None:
    text = questionnaire(check, "en")
    for number, (item, value) in enumerate(zip(text.items, values, strict=True), start=1):
        group = page.get_by_role("group", name=f"{number}. {item}")
        group.get_by_label(text.options[value], exact=True).check()


def test_item9_shows_crisis_help_at_once_and_again_instead_of_a_score(live_server, new_phone, cast):
    base, h = live_server.url, cast.household.pk
    maya = new_phone()
    problems = watch_console(maya)
    log_in(maya, base, "maya@example.org")
    maya.goto(base + reverse("wellbeing:for_you", args=[h]))
    assert_accessible(maya, "wellbeing-01-for-you")
    maya.get_by_role("link", name=re.compile("Mood")).click()
    maya.wait_for_url(re.compile(r"/check/phq-9/$"))
    panel = maya.locator("#crisis-now")
    assert panel.is_hidden()

    answer(maya, "phq9", [1, 1, 0, 2, 0, 1, 0, 0, 0])
    assert panel.is_hidden()  # "Not at all" for item 9 shows nothing
    item9 = questionnaire("phq9", "en").items[8]
    maya.get_by_role("group", name=f"9. {item9}").get_by_label("Several days").check()
    panel.wait_for(state="visible")
    heading = maya.get_by_role("heading", name="Before anything else: please reach out now")
    assert heading.evaluate("node => node === document.activeElement")
    expect(panel.get_by_role("link", name="Call 999")).to_be_visible()
    assert panel.get_by_role("link", name="Call 116 123").get_attribute("href") == "tel:116123"
    assert "Nobody watches Back Soon" in panel.inner_text()
    assert "out of 27" not in maya.content()
    assert_accessible(maya, "wellbeing-02-item9-at-once")

    maya.get_by_role("button", name="See my result").click()
    maya.wait_for_url(re.compile(r"/results/\d+/$"))
    page = maya.locator("main").inner_text()
    assert "Please reach out to someone now" in page
    assert "call 999 now" in page
    assert "out of 27" not in page
    assert maya.locator(".score__value").count() == 0
    first_call = maya.locator("main a[href^='tel:']").first
    assert first_call.get_attribute("href") == "tel:999"
    assert_accessible(maya, "wellbeing-03-item9-screen")
    assert SelfCheckResult.objects.get().needs_crisis_help
    assert not problems, problems


def test_without_javascript_the_server_shows_crisis_help_on_submit(live_server, new_phone, cast):
    base, h = live_server.url, cast.household.pk
    maya = new_phone(java_script_enabled=False)
    log_in(maya, base, "maya@example.org")
    maya.goto(base + reverse("wellbeing:phq9", args=[h]))
    answer(maya, "phq9", [0, 0, 0, 0, 0, 0, 0, 0, 3])
    assert maya.locator("#crisis-now").is_hidden()
    maya.get_by_role("button", name="See my result").click()
    maya.wait_for_url(re.compile(r"/results/\d+/$"))
    assert "Please reach out to someone now" in maya.locator("main").inner_text()
    assert maya.locator(".score__value").count() == 0


def test_gad7_in_a_minute_with_a_kind_explanation(live_server, new_phone, cast):
    base, h = live_server.url, cast.household.pk
    maya = new_phone()
    problems = watch_console(maya)
    log_in(maya, base, "maya@example.org")
    maya.goto(base + reverse("wellbeing:gad7", args=[h]))
    assert_accessible(maya, "wellbeing-04-gad7")
    maya.get_by_role("button", name="See my result").click()  # nothing chosen yet
    expect(maya.locator(".field__error")).to_have_count(7)
    answer(maya, "gad7", [2, 2, 1, 2, 1, 1, 2])
    maya.get_by_role("button", name="See my result").click()
    maya.wait_for_url(re.compile(r"/results/\d+/$"))
    assert maya.locator(".score__value").inner_text() == "11"
    assert "doctor or a therapist" in maya.locator("main").inner_text()
    assert_accessible(maya, "wellbeing-05-gad7-result")
    maya.get_by_role("link", name="Your results over time").click()
    expect(maya.get_by_role("img", name="GAD-7 scores over time")).to_be_visible()
    assert_accessible(maya, "wellbeing-06-history")
    assert not problems, problems
