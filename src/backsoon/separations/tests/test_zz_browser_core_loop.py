"""The core loop in a real Chromium, on phone screens, with axe on every page.

Maya plans "same as last time" in two taps and leaves. Grandma Ana, on a caregiver link,
taps "All good" and sends a photo with JavaScript off, then another photo with it on.
Maya's open away page shows them without a reload. Maya comes back, thanks Ana with the
suggested sentence, and Ana sees it. Sam sees the photo in the history, never Maya's ratings.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from backsoon.households.models import CaregiverLink
from backsoon.separations.models import CheckIn, Separation, SeparationPrivate
from backsoon.separations.schedule import AgreedSpec
from backsoon.separations.tests.factories import FEAR_MARKER, image_bytes, make_separation
from backsoon.testing.browser import assert_accessible, follow
from backsoon.testing.fixtures import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_console(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return problems


def log_in(page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in|Log in", re.I)).click()
    # The login page stays loaded until the answer comes: wait for the page it leads to.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def open_link(page, base: str, token: str, household_id: int) -> None:
    page.goto(f"{base}/c/{token}/")
    page.get_by_role("button", name="Open the care sheet").click()
    page.wait_for_url(re.compile(r"/care/$"))
    page.goto(f"{base}/h/{household_id}/care/now/")


def test_plan_leave_updates_and_reunion_on_two_phones(
    live_server, new_phone, cast, settings, tmp_path
):
    settings.SEPARATIONS_POLL_SECONDS = 1
    base, h = live_server.url, cast.household.pk
    link, token = CaregiverLink.create(
        household=cast.household, name="Grandma Ana", created_by=cast.parent
    )
    make_separation(
        cast,
        link=link,
        status=Separation.Status.BACK,
        starts_at=timezone.now() - timedelta(days=1),
        agreed=[AgreedSpec("all_good", "once she's settled", offset_minutes=15)],
    )
    photo = tmp_path / "garden.png"
    photo.write_bytes(image_bytes((2000, 1500), "PNG", (90, 160, 110)))

    # Maya: two taps from the dashboard to a plan, one more to leave.
    maya = new_phone()
    problems = watch_console(maya)
    log_in(maya, base, "maya@example.org")
    maya.goto(f"{base}/h/{h}/")
    assert_accessible(maya, "sep-01-dashboard")
    follow(maya, re.compile("Same as last time"))
    assert_accessible(maya, "sep-02-same-as-last-time")
    maya.get_by_role("button", name="Plan it").click()
    maya.wait_for_url(re.compile(r"/separations/\d+/$"))
    expect(maya.get_by_text("A calm face is enough")).to_be_visible()
    assert_accessible(maya, "sep-03-goodbye")
    SeparationPrivate.objects.filter(separation__status="planned").update(
        fear=FEAR_MARKER, worry_before=8
    )
    maya.get_by_role("button", name="Leaving now").click()
    maya.wait_for_url(re.compile(r"/away/$"))
    expect(maya.get_by_text("We'll show you when Grandma Ana posts")).to_be_visible()
    assert_accessible(maya, "sep-04-away")
    maya.evaluate("() => { window.stillTheSamePage = true; }")

    # Ana, without JavaScript: "All good", then a photo.
    ana = new_phone(java_script_enabled=False)
    open_link(ana, base, token, h)
    expect(ana.get_by_role("heading", name="Maya is away")).to_be_visible()
    # axe needs JavaScript: the phone with it on checks these same pages below.
    ana.get_by_role("button", name="All good").click()
    ana.wait_for_load_state()
    expect(ana.get_by_text("Sent. Maya will see it.")).to_be_visible()
    ana.get_by_text("Add a photo or a few words").click()
    ana.get_by_label("A photo").set_input_files(str(photo))
    ana.get_by_label("A few words").fill("In the garden")
    with ana.expect_navigation():  # "Sent" is on the page already, from "All good"
        ana.get_by_role("button", name="Send update").click()
    expect(ana.get_by_text("Sent. Maya will see it.")).to_be_visible()

    # Maya's open page shows both, without a reload.
    updates = maya.locator("#updates .update")
    updates.filter(has_text="In the garden").wait_for()
    updates.filter(has_text="All good").wait_for()
    first_photo = maya.locator("#updates img.update__photo").first
    first_photo.scroll_into_view_if_needed()
    maya.wait_for_function(
        "() => { const img = document.querySelector('#updates img.update__photo');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    assert first_photo.evaluate("img => img.naturalWidth") == 1600
    assert maya.evaluate("() => window.stillTheSamePage") is True

    # Ana again, on a phone with JavaScript: the photo is shrunk before it is sent.
    ana_js = new_phone()
    ana_problems = watch_console(ana_js)
    open_link(ana_js, base, token, h)
    assert_accessible(ana_js, "sep-05-care")
    ana_js.get_by_text("Add a photo or a few words").click()
    ana_js.get_by_label("A photo").set_input_files(str(photo))
    ana_js.wait_for_selector("[data-photo-state=ready], [data-photo-state=original]")
    with ana_js.expect_navigation():
        ana_js.get_by_role("button", name="Send update").click()
    assert_accessible(ana_js, "sep-06-care-sent")
    assert CheckIn.objects.exclude(photo="").count() == 2
    maya.locator("#updates img.update__photo").nth(1).wait_for()
    assert maya.evaluate("() => window.stillTheSamePage") is True
    assert_accessible(maya, "sep-07-away-with-updates")

    # The reunion, on one screen.
    maya.get_by_role("button", name="I'm back").click()
    maya.wait_for_url(re.compile(r"/reunion/$"))
    thank_you = maya.get_by_label("Your thank-you").input_value()
    assert thank_you == "Thank you, Grandma Ana — I loved the photo of Bea."
    expect(maya.get_by_text(FEAR_MARKER)).to_be_visible()
    assert_accessible(maya, "sep-08-reunion")
    maya.get_by_label("Your worry at its worst while away").select_option("6")
    maya.get_by_label("Your worry now").select_option("2")
    maya.get_by_label("No", exact=True).check()
    maya.get_by_role("button", name="Save").click()
    maya.wait_for_url(re.compile(rf"/h/{h}/$"))
    follow(maya, "Plan something new")
    assert_accessible(maya, "sep-11-plan-form")
    maya.goto(f"{base}/h/{h}/separations/mine/")
    expect(maya.get_by_text(FEAR_MARKER)).to_be_visible()
    assert_accessible(maya, "sep-12-your-notes")

    ana.reload()
    expect(ana.get_by_text(thank_you)).to_be_visible()
    ana_js.reload()
    assert_accessible(ana_js, "sep-09-care-thanked")

    # Sam sees the separation and the photo, never Maya's ratings or fear.
    sam = new_phone()
    log_in(sam, base, "sam@example.org")
    sam.goto(f"{base}/h/{h}/separations/")
    assert sam.locator(".history__thumb").count() == 2
    expect(sam.get_by_text(thank_you)).to_be_visible()
    assert FEAR_MARKER not in sam.content() and "Worry" not in sam.content()
    assert_accessible(sam, "sep-10-history-partner")

    private = SeparationPrivate.objects.get(separation__status="back", fear=FEAR_MARKER)
    assert (private.worry_worst, private.worry_after, private.fear_outcome) == (6, 2, "no")
    csp = [p for p in problems + ana_problems if "Content Security Policy" in p or "Refused" in p]
    assert not csp, csp
