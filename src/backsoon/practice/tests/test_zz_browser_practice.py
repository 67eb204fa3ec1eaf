"""The ladder and the progress page in a real Chromium, on phone screens, with axe.

Maya has done 30 minutes twice and it felt manageable. On her phone she finds her ladder
from the dashboard, sees the suggestion, adds a step (fixing a typo the form points out),
reads her progress charts and their tables. Sam opens Maya's ladder: the steps and how
often, never how it felt.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from backsoon.practice import ladder as ladders
from backsoon.practice.tests.factories import practice, step_named
from backsoon.separations.models import SettledAfter
from backsoon.separations.tests.factories import FEAR_MARKER
from backsoon.separations.tests.test_zz_browser_core_loop import log_in, watch_console
from backsoon.testing.browser import assert_accessible, follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ladder_and_progress_on_a_phone(live_server, new_phone, cast):
    base, h = live_server.url, cast.household.pk
    ladders.ensure_ladder(cast.parent)
    thirty = step_named(cast.parent, "30 minutes")
    for day, worry in ((9, 8), (5, 6), (2, 5)):
        practice(
            cast,
            thirty,
            at=timezone.now() - timedelta(days=day),
            feel="manageable",
            fear=FEAR_MARKER,
            fear_likelihood=70,
            happened="no",
            worry_before=worry,
            worry_worst=worry + 1,
            worry_after=2,
            settled=SettledAfter.UNDER_5,
        )

    maya = new_phone()
    problems = watch_console(maya)
    log_in(maya, base, "maya@example.org")
    maya.goto(f"{base}/h/{h}/")
    maya.get_by_role("link", name=re.compile("Your practice ladder")).click()
    maya.wait_for_url(re.compile(r"/practice/\d+/$"))
    expect(maya.get_by_text("Ready for 1 hour?")).to_be_visible()
    assert maya.get_by_text(re.compile("Your last two times at 30 minutes felt manageable")).count()
    assert_accessible(maya, "practice-01-ladder")

    follow(maya, "Change the ladder")
    assert_accessible(maya, "practice-02-ladder-editing")
    follow(maya, "Add a step")
    maya.get_by_label("Name").fill("Gym class")
    maya.get_by_label("How long, in minutes").fill("0")
    maya.get_by_role("button", name="Save").click()
    expect(maya.get_by_text("A step is at least a minute long.")).to_be_visible()
    assert maya.get_by_label("Name").input_value() == "Gym class"
    assert_accessible(maya, "practice-03-step-form-error")
    maya.get_by_label("How long, in minutes").fill("45")
    maya.get_by_role("button", name="Save").click()
    maya.wait_for_url(re.compile(r"edit=1"))
    expect(maya.locator(".ladder__name", has_text="Gym class")).to_be_visible()
    follow(maya, "Done")

    maya.get_by_role("link", name=re.compile("Your progress")).click()
    maya.wait_for_url(re.compile(r"/progress/$"))
    expect(maya.get_by_text("You expected this 3 times; it happened 0 times.")).to_be_visible()
    assert maya.locator("svg[role=img]").count() == 3
    maya.get_by_text("Show as a table").first.click()
    expect(maya.get_by_role("table").first).to_be_visible()
    # Phone-first: nothing wider than the screen.
    assert maya.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(maya, "practice-04-progress")

    maya.goto(f"{base}/h/{h}/practice/trial/")
    assert_accessible(maya, "practice-05-trial-run")
    maya.goto(f"{base}/h/{h}/practice/how/")
    assert_accessible(maya, "practice-06-how")
    assert not problems, problems

    sam = new_phone(color_scheme="dark")
    log_in(sam, base, "sam@example.org")
    sam.goto(f"{base}/h/{h}/practice/{cast.parent.pk}/")
    expect(sam.get_by_role("heading", name="Maya's practice ladder")).to_be_visible()
    expect(sam.get_by_text("Done 3 times")).to_be_visible()
    body = sam.content()
    for marker in (FEAR_MARKER, "felt manageable", "Ready for 1 hour?"):
        assert marker not in body
    assert_accessible(sam, "practice-07-partner-sees-the-ladder")
    response = sam.goto(f"{base}/h/{h}/practice/{cast.parent.pk}/progress/")
    assert response.status == 404
