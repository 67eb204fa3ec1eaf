"""Old phones, bad connections, keyboards and home screens, in a real Chromium.

- An update posted with no network waits on the phone and is sent once it's back, exactly
  once, even when the first answer is lost on the way.
- Reading the care sheet and posting work with JavaScript off, on an oldest-supported phone.
- The core flows work with the keyboard alone, with a visible focus.
- The app is installable: a valid manifest, and Chromium reports nothing missing.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from backsoon.households.models import CaregiverLink
from backsoon.separations.models import CheckIn, Separation
from backsoon.separations.schedule import AgreedSpec
from backsoon.separations.tests.factories import image_bytes, make_separation
from backsoon.separations.tests.test_zz_browser_core_loop import log_in, open_link, watch_console
from backsoon.testing.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Chrome 70 on Android 9 (late 2018): the oldest Chrome the README promises.
OLD_ANDROID = (
    "Mozilla/5.0 (Linux; Android 9; SM-G960F) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/70.0.3538.110 Mobile Safari/537.36"
)


@pytest.fixture
def ana_caring(cast):
    link, token = CaregiverLink.create(
        household=cast.household, name="Grandma Ana", created_by=cast.parent
    )
    separation = make_separation(
        cast, link=link, agreed=[AgreedSpec("all_good", "after her nap", offset_minutes=20)]
    )
    return separation, token


def test_updates_saved_offline_are_sent_exactly_once_when_the_network_is_back(
    live_server, new_phone, cast, ana_caring, tmp_path
):
    separation, token = ana_caring
    photo = tmp_path / "pram.jpg"
    photo.write_bytes(image_bytes((2400, 3200), "JPEG", (120, 140, 170)))
    base, h = live_server.url, cast.household.pk
    ana = new_phone()
    problems = watch_console(ana)
    open_link(ana, base, token, h)
    care = f"{base}/h/{h}/care/"
    ana.goto(care)
    ana.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller")
    ana.reload()  # the service worker keeps this copy

    ana.context.set_offline(True)
    ana.reload()
    expect(ana.locator("[data-offline-note]")).to_be_visible()
    ana.get_by_role("button", name="All good").click()
    saved = ana.get_by_text("Saved on this phone — it will send when you're back online.")
    expect(saved).to_be_visible()
    # A photo and a few words too: the photo is kept on the phone, shrunk, until it can go.
    ana.get_by_text("Add a photo or a few words").click()
    ana.get_by_label("A photo").set_input_files(str(photo))
    expect(ana.locator("[data-photo-state=ready]")).to_have_count(1, timeout=15_000)
    ana.get_by_label("A few words").fill("Asleep in the pram")
    ana.get_by_role("button", name="Send update").click()
    expect(ana.get_by_label("A few words")).to_have_value("")
    expect(saved).to_be_visible()
    screenshot(ana, "phones-01-saved-offline")
    assert CheckIn.objects.count() == 0
    assert ana.evaluate("() => window.backsoonOutbox.waiting()") == 2

    # The first try reaches the server, but its answer is lost on the way back.
    posts: list[str] = []
    ana.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)

    def lose_the_answer(route):
        route.fetch(max_redirects=0)
        route.abort("connectionreset")

    ana.route(re.compile(r"/post/$"), lose_the_answer, times=1)
    ana.context.set_offline(False)
    # Still waiting after the lost answer, so it goes again on the next load, same key.
    expect(ana.locator(".updates--small .update")).to_have_count(2, timeout=15_000)
    expect(ana.get_by_text("Sent. Maya will see it.")).to_have_count(2)  # one for each
    expect(ana.locator("[data-outbox-status]")).to_be_hidden()
    assert ana.evaluate("() => window.backsoonOutbox.waiting()") == 0
    assert len(posts) == 3, posts
    first, second = CheckIn.objects.filter(separation=separation).order_by("pk")
    assert first.all_good and first.posted_by_link_id == separation.carer_link_id
    assert second.message == "Asleep in the pram" and (second.photo_width, second.photo_height) == (
        1200,
        1600,
    )
    screenshot(ana, "phones-02-sent-once-online")
    assert not [p for p in problems if "ERR_CONNECTION_RESET" not in p], problems


def test_the_care_sheet_and_an_update_without_javascript_on_an_old_phone(
    live_server, new_phone, cast, ana_caring
):
    base = live_server.url
    _separation, token = ana_caring
    ana = new_phone(java_script_enabled=False, user_agent=OLD_ANDROID)
    ana.goto(f"{base}/c/{token}/")
    ana.get_by_role("button", name="Open the care sheet").click()
    ana.wait_for_url(re.compile(r"/care/$"))
    expect(ana.get_by_role("heading", name="Looking after Bea")).to_be_visible()
    expect(ana.get_by_role("heading", name="Maya is away")).to_be_visible()
    ana.get_by_role("button", name="All good").click()
    expect(ana.get_by_text("Sent. Maya will see it.")).to_be_visible()
    ana.get_by_text("Add a photo or a few words").click()
    ana.get_by_label("A few words").fill("Fast asleep")
    with ana.expect_navigation():  # "Sent" is on the page already, from "All good"
        ana.get_by_role("button", name="Send update").click()
    expect(ana.get_by_text("Sent. Maya will see it.")).to_be_visible()
    screenshot(ana, "phones-03-no-javascript")
    assert sorted(CheckIn.objects.values_list("message", flat=True)) == ["", "Fast asleep"]


def tab_to(page, name: str, limit: int = 80) -> None:
    """Press Tab until the focused control is called `name`, and check the focus shows."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const el = document.activeElement;"
            " return el ? (el.innerText || el.value || '').trim() : ''; }"
        )
        if focused.startswith(name):
            visible = page.evaluate(
                "() => { const el = document.activeElement;"
                " const own = getComputedStyle(el).outlineStyle !== 'none';"
                " const card = getComputedStyle(el, '::after').outlineStyle !== 'none';"
                " return el.matches(':focus-visible') && (own || card); }"
            )
            assert visible, f"{name!r} has focus but doesn't show it"
            return
    raise AssertionError(f"Tab never reached {name!r} on {page.url}")


def test_the_core_flows_with_the_keyboard_alone(live_server, new_phone, cast, ana_caring, settings):
    settings.SEPARATIONS_POLL_SECONDS = 1
    base, h = live_server.url, cast.household.pk
    separation, token = ana_caring
    yesterday = timezone.now() - timedelta(days=1)
    Separation.objects.filter(pk=separation.pk).update(
        status=Separation.Status.BACK,
        starts_at=yesterday,
        left_at=yesterday,
        back_at=yesterday + timedelta(minutes=30),
    )
    maya = new_phone(has_touch=False, is_mobile=False)
    log_in(maya, base, "maya@example.org")
    maya.goto(f"{base}/h/{h}/")
    tab_to(maya, "Same as last time")
    maya.keyboard.press("Enter")
    maya.wait_for_url(re.compile(r"/again/$"))
    tab_to(maya, "Plan it")
    maya.keyboard.press("Enter")
    maya.wait_for_url(re.compile(r"/separations/\d+/$"))
    tab_to(maya, "Leaving now")
    maya.keyboard.press("Enter")
    maya.wait_for_url(re.compile(r"/away/$"))

    ana = new_phone(has_touch=False, is_mobile=False)
    ana.goto(f"{base}/c/{token}/")
    tab_to(ana, "Open the care sheet")
    ana.keyboard.press("Enter")
    ana.wait_for_url(re.compile(r"/care/$"))
    tab_to(ana, "All good")
    ana.keyboard.press("Enter")
    expect(ana.get_by_text("Sent. Maya will see it.")).to_be_visible()
    screenshot(ana, "phones-04-keyboard-care")

    expect(maya.locator("#updates .update").filter(has_text="All good")).to_be_visible()
    tab_to(maya, "I want to check")
    maya.keyboard.press("Enter")
    maya.wait_for_url(re.compile(r"/urges/\d+/$"))
    tab_to(maya, "Wait with me")
    maya.keyboard.press("Enter")
    maya.get_by_role("heading", name=re.compile(r"^Waiting until about")).wait_for()
    tab_to(maya, "Start breathing")
    maya.keyboard.press("Enter")
    expect(maya.locator("[data-pacer-phase]")).to_have_text("Breathe in")
    tab_to(maya, "It passed")
    maya.keyboard.press("Enter")
    maya.get_by_role("heading", name="Noted").wait_for()
    maya.goto(f"{base}/h/{h}/separations/{Separation.objects.latest('pk').pk}/away/")
    tab_to(maya, "I'm back")
    maya.keyboard.press("Enter")
    maya.wait_for_url(re.compile(r"/reunion/$"))
    tab_to(maya, "Save")
    maya.keyboard.press("Enter")
    maya.wait_for_url(re.compile(rf"/h/{h}/$"))
    screenshot(maya, "phones-05-keyboard-home")
    assert Separation.objects.latest("pk").status == Separation.Status.BACK


def test_the_app_is_installable(live_server, new_phone, cast):
    base = live_server.url
    maya = new_phone()
    log_in(maya, base, "maya@example.org")
    maya.goto(f"{base}/h/{cast.household.pk}/")
    maya.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller")
    cdp = maya.context.new_cdp_session(maya)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"] == f"{base}/manifest.webmanifest"
    assert manifest["errors"] == []
    data = json.loads(manifest["data"])
    assert data["display"] == "standalone" and data["start_url"] == "/"
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in data["icons"])
    for icon in data["icons"]:
        assert maya.request.get(base + icon["src"]).ok, icon
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # Playwright's contexts are private windows, where Chromium never offers to install.
    assert [e for e in errors if e["errorId"] != "in-incognito"] == []
