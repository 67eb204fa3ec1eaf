"""The whole product, start to finish, on two phones: Maya the parent, Grandma Ana on a link.

Maya signs up, adds Bea and fills the care sheet from suggestions. Ana opens her link and
confirms the agreement. Maya plans 30 minutes with one agreed photo and leaves. Ana is
reminded (a push handed to her service worker), taps "All good", then sends a photo that her
phone shrinks first. Maya's away page shows both by itself. Maya wants to check, breathes with
the pacer and the urge passes. She comes back, thanks Ana on one screen, and her progress page
shows the practice and what to try next. Every screen is checked with axe in light and dark,
for 44 px tap targets, and saved at phone and desktop sizes in test-artifacts/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from backsoon import notify
from backsoon.notify.channels.webpush import payload
from backsoon.notify.tests.test_browser_push import SHOWN, registration_id
from backsoon.separations import tell
from backsoon.separations.models import AgreedCheckIn, CheckIn, Separation
from backsoon.separations.tests.factories import image_bytes
from backsoon.separations.tests.test_zz_browser_core_loop import watch_console
from backsoon.testing.browser import check_screen, follow
from backsoon.testing.fixtures import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


CHOSEN_PHOTO = """async (input) => {
  const file = input.files[0];
  const bitmap = await createImageBitmap(file);
  return {type: file.type, size: file.size, width: bitmap.width, height: bitmap.height};
}"""


def test_the_whole_journey_on_two_phones(live_server, new_phone, settings, tmp_path):
    settings.SEPARATIONS_POLL_SECONDS = 1
    settings.COPING_STATUS_POLL_SECONDS = 1
    base = live_server.url
    big_photo = tmp_path / "garden.jpg"
    big_photo.write_bytes(image_bytes((3200, 2400), "JPEG", (90, 160, 110)))

    # Maya: an account, a household, Bea.
    maya = new_phone()
    problems = watch_console(maya)
    failures: list[str] = []
    maya.on(
        "response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 500 else None
    )
    maya.goto(base + "/")
    check_screen(maya, "journey-01-landing")
    follow(maya, "Create an account")
    maya.get_by_label("Email").first.fill("maya@example.org")
    maya.get_by_label("Password", exact=True).fill(PASSWORD)
    maya.get_by_label(re.compile(r"Password \(again\)")).fill(PASSWORD)
    check_screen(maya, "journey-02-signup")
    maya.get_by_role("button", name="Create account").click()
    maya.wait_for_url(re.compile(r"^https?://[^/]+/(h/new/)?$"))
    if not maya.url.endswith("/h/new/"):
        follow(maya, "Set up a household")
    maya.get_by_label("Your name").fill("Maya")
    maya.get_by_label("Household name").fill("The Okafors")
    maya.get_by_label("Country").select_option("GB")
    maya.get_by_label("Time zone").select_option("Europe/London")
    check_screen(maya, "journey-03-household")
    maya.get_by_role("button", name="Continue").click()
    maya.wait_for_url(re.compile(r"/children/new/$"))
    maya.get_by_label("Name").fill("Bea")
    maya.get_by_label("Date of birth").fill("2026-03-01")
    check_screen(maya, "journey-04-child")
    maya.get_by_role("button", name="Save").click()
    maya.wait_for_url(re.compile(r"/h/\d+/$"))
    dashboard = maya.url
    h = int(re.search(r"/h/(\d+)/$", dashboard).group(1))
    check_screen(maya, "journey-05-dashboard")

    # The care sheet from suggestions: a tap on the first suggestion of each part.
    follow(maya, "Care sheet and emergency agreement")
    check_screen(maya, "journey-06-caresheet")
    follow(maya, "Start: about five minutes")
    for part in range(12):
        if maya.url.endswith("/care/edit/agreement/"):
            break
        suggestions = maya.locator("input[type=checkbox][name$='-add']")
        if suggestions.count():
            suggestions.first.check()
        if part == 0:
            check_screen(maya, "journey-07-caresheet-feeding")
        with maya.expect_navigation():
            maya.get_by_role("button", name="Save and continue").click()
    expect(maya.get_by_text("started you off with some suggestions")).to_be_visible()
    check_screen(maya, "journey-08-agreement")
    maya.get_by_role("button", name="Save", exact=True).click()
    maya.wait_for_url(re.compile(r"/care/edit/$"))

    # A link for Grandma Ana.
    maya.goto(dashboard)
    follow(maya, "Caregiver links")
    maya.get_by_label("Name").fill("Grandma Ana")
    maya.get_by_role("button", name="Make the link").click()
    link_url = maya.get_by_label("Care sheet link").input_value()
    check_screen(maya, "journey-09-link-share")

    # Ana opens it and confirms the agreement.
    ana = new_phone()
    ana_problems = watch_console(ana)
    ana.on(
        "response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 500 else None
    )
    ana.context.grant_permissions(["notifications"], origin=base)
    ana.goto(link_url)
    check_screen(ana, "journey-10-link-open")
    ana.get_by_role("button", name="Open the care sheet").click()
    ana.wait_for_url(re.compile(r"/care/$"))
    expect(ana.get_by_role("heading", name="Looking after Bea")).to_be_visible()
    check_screen(ana, "journey-11-care-sheet")
    ana.get_by_role("button", name="I've read this and I'm comfortable with it").click()
    expect(ana.get_by_text("The parents can see that you've read it")).to_be_visible()

    # Maya plans 30 minutes with one agreed photo, and leaves.
    maya.goto(dashboard)
    follow(maya, "Plan your first practice")
    assert maya.get_by_label("How long").first.input_value() in ("30", "")
    maya.locator("[name=agreed-0-kind]").select_option("photo")
    maya.locator("[name=agreed-0-after]").fill("15")
    check_screen(maya, "journey-12-plan")
    maya.get_by_role("button", name="Plan it").click()
    maya.wait_for_url(re.compile(r"/separations/\d+/$"))
    expect(maya.get_by_text("A calm face is enough")).to_be_visible()
    check_screen(maya, "journey-13-goodbye")
    maya.get_by_role("button", name="Leaving now").click()
    maya.wait_for_url(re.compile(r"/away/$"))
    separation = Separation.objects.get()
    assert separation.planned_minutes == 30
    assert [a.kind for a in separation.agreed.all()] == [AgreedCheckIn.Kind.PHOTO]
    check_screen(maya, "journey-14-away")
    maya.evaluate("() => { window.stillTheSamePage = true; }")

    # Ana is reminded: the page says what is due, and a push reaches her service worker.
    ana.goto(f"{base}/h/{h}/care/")
    expect(ana.get_by_text(re.compile("Next agreed update: a photo"))).to_be_visible()
    ana.evaluate("async () => { await navigator.serviceWorker.ready; }")
    cdp = ana.context.new_cdp_session(ana)
    registration = registration_id(ana, cdp, base)
    agreed = separation.agreed.get()
    reminder = tell.reminder_message(separation, agreed, catch_up=False)
    (notification,) = notify.send_many([reminder])
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": base, "registrationId": registration, "data": payload(notification)},
    )
    ana.wait_for_function(
        "async () => (await (await navigator.serviceWorker.ready).getNotifications()).length > 0"
    )
    (shown,) = ana.evaluate(SHOWN)
    assert shown["body"] == "Time for a photo, as agreed. One tap is enough."
    assert shown["url"].startswith(f"/h/{h}/care/")
    check_screen(ana, "journey-15-care-reminded")

    # "All good", then a photo the phone shrinks before sending.
    ana.get_by_role("button", name="All good").click()
    expect(ana.get_by_text("Sent. Maya will see it.")).to_be_visible()
    ana.get_by_text("Add a photo or a few words").click()
    ana.get_by_label("A photo").set_input_files(str(big_photo))
    expect(ana.locator("[data-photo-state=ready]")).to_have_count(1, timeout=15_000)
    ana.get_by_label("A few words").fill("In the garden")
    chosen = ana.get_by_label("A photo").evaluate(CHOSEN_PHOTO)
    assert chosen["type"] == "image/jpeg" and max(chosen["width"], chosen["height"]) == 1600
    # "Sent" is on the page already, from "All good": wait for the page the post leads to.
    with ana.expect_navigation(), ana.expect_request(re.compile(r"/post/$")) as posted:
        ana.get_by_role("button", name="Send update").click()
    sent = int(posted.value.all_headers()["content-length"])
    assert sent < big_photo.stat().st_size and chosen["size"] < sent
    expect(ana.get_by_text("Sent. Maya will see it.")).to_be_visible()
    check_screen(ana, "journey-16-care-sent")

    # Maya's open away page shows both, without a reload.
    updates = maya.locator("#updates .update")
    expect(updates.filter(has_text="In the garden")).to_be_visible(timeout=15_000)
    expect(updates.filter(has_text="All good")).to_be_visible()
    assert maya.evaluate("() => window.stillTheSamePage") is True
    assert CheckIn.objects.count() == 2
    check_screen(maya, "journey-17-away-updates")

    # The urge to check: a wait with the pacer, and it passes.
    maya.get_by_role("button", name="I want to check").click()
    maya.wait_for_url(re.compile(r"/urges/\d+/$"))
    check_screen(maya, "journey-18-urge")
    maya.get_by_role("button", name="Wait with me").click()
    maya.get_by_role("heading", name=re.compile(r"^Waiting until about")).wait_for()
    maya.get_by_role("button", name="Start breathing").click()
    expect(maya.locator("[data-pacer-phase]")).to_have_attribute("aria-live", "polite")
    expect(maya.locator("[data-pacer-phase]")).to_have_text("Hold", timeout=30_000)
    # The moving square is decoration; the words say the same to a screen reader.
    expect(maya.locator(".pacer__stage")).to_have_attribute("aria-hidden", "true")
    check_screen(maya, "journey-19-pacer")
    maya.get_by_role("button", name="It passed").click()
    maya.get_by_role("heading", name="Noted").wait_for()
    check_screen(maya, "journey-20-urge-passed")

    # Back: one screen, with a thank-you Ana sees.
    maya.goto(f"{base}/h/{h}/separations/{separation.pk}/away/")
    maya.get_by_role("button", name="I'm back").click()
    maya.wait_for_url(re.compile(r"/reunion/$"))
    thank_you = maya.get_by_label("Your thank-you").input_value()
    assert "Grandma Ana" in thank_you
    check_screen(maya, "journey-21-reunion")
    assert maya.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    maya.get_by_label("Manageable").check()
    maya.get_by_label("Your worry now").select_option("2")
    maya.get_by_role("button", name="Save").click()
    maya.wait_for_url(dashboard)
    ana.reload()
    expect(ana.get_by_text(thank_you)).to_be_visible()
    check_screen(ana, "journey-22-care-thanked")

    # Progress: the practice, and the next step.
    maya.get_by_role("link", name=re.compile("Your practice ladder")).click()
    maya.wait_for_url(re.compile(r"/practice/\d+/$"))
    expect(maya.get_by_text("A suggestion for next time")).to_be_visible()
    check_screen(maya, "journey-23-ladder")
    maya.get_by_role("link", name=re.compile("Your progress")).click()
    maya.wait_for_url(re.compile(r"/progress/$"))
    # The practice lasted as long as the test took: under a minute on a quiet machine.
    so_far = re.compile(r"^One time apart so far, (under a minute|\d+ minutes?)\.")
    expect(maya.get_by_text(so_far)).to_be_visible()
    charts = maya.locator("svg[role=img]")
    expect(charts.first).to_be_visible()
    for i in range(charts.count()):
        expect(charts.nth(i)).to_have_accessible_name(re.compile(r"\w"))
    maya.get_by_text("Show as a table").first.click()
    expect(maya.get_by_role("table").first).to_be_visible()
    check_screen(maya, "journey-24-progress")
    assert not failures, failures
    assert not [
        p for p in problems + ana_problems if "Content Security Policy" in p or "Refused" in p
    ]
