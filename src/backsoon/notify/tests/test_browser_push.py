"""In Chromium: the service worker shows a pushed notification; the page passes axe.

Debian's Chromium cannot subscribe to a real push service, so the push is handed to the
service worker through the DevTools protocol (ServiceWorker.deliverPushMessage), with the
very payload the web push channel encrypts.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from backsoon import notify
from backsoon.notify.channels.webpush import payload
from backsoon.notify.events import Event
from backsoon.notify.tests.factories import add_email
from backsoon.testing.browser import assert_accessible
from backsoon.testing.fixtures import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOWN = """async () => {
  const registration = await navigator.serviceWorker.ready;
  return (await registration.getNotifications()).map(n => (
    {title: n.title, body: n.body, tag: n.tag, url: n.data && n.data.url}
  ));
}"""


def log_in(page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in|Log in", re.I)).click()
    # The login page stays loaded until the answer comes: wait for the page it leads to.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def registration_id(page, cdp, base: str) -> str:
    found: list[str] = []

    def seen(event):
        for registration in event["registrations"]:
            if registration["scopeURL"] == base + "/" and not registration.get("isDeleted"):
                found.append(registration["registrationId"])

    cdp.on("ServiceWorker.workerRegistrationUpdated", seen)
    cdp.send("ServiceWorker.enable")
    for _ in range(50):
        if found:
            return found[-1]
        page.wait_for_timeout(100)
    raise AssertionError("the service worker never registered")


def test_the_service_worker_shows_a_pushed_notification(live_server, new_phone, cast):
    base, h = live_server.url, cast.household.pk
    channel = add_email(cast.parent, "maya@example.org")
    maya = new_phone()
    problems: list[str] = []
    maya.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    maya.on("pageerror", lambda exc: problems.append(str(exc)))
    maya.context.grant_permissions(["notifications"], origin=base)

    log_in(maya, base, "maya@example.org")
    maya.goto(f"{base}/h/{h}/notifications/")
    expect(maya.get_by_role("heading", name="Notifications", exact=True)).to_be_visible()
    expect(maya.get_by_role("button", name="Send notifications to this device")).to_be_visible()
    expect(maya.get_by_text("Email · urgent calls")).to_be_visible()
    maya.get_by_text("What to send here").click()
    expect(maya.get_by_text("Urgent calls (always on)")).to_be_visible()
    assert_accessible(maya, "notify-01-settings")
    maya.get_by_role("button", name=re.compile("^Send a test")).click()
    maya.wait_for_load_state()
    expect(maya.get_by_text("Sending a test…")).to_be_visible()
    assert_accessible(maya, "notify-02-test-sent")
    assert channel.pk

    # This Chromium has no push service to subscribe with: the page says so calmly.
    maya.get_by_role("button", name="Send notifications to this device").click()
    failed = "This browser couldn’t turn on notifications."
    maya.get_by_text(failed).wait_for()
    assert maya.get_by_role("button", name="Send notifications to this device").is_enabled()
    problems[:] = [p for p in problems if "does not support the Push API" not in p]

    maya.evaluate("async () => { await navigator.serviceWorker.ready; }")
    cdp = maya.context.new_cdp_session(maya)
    registration = registration_id(maya, cdp, base)
    first = notify.send(
        cast.parent,
        Event.URGENT,
        "Back Soon",
        "Please call now",
        f"/h/{h}/",
        urgent=True,
        topic="call-1",
    )
    again = notify.send(
        cast.parent,
        Event.URGENT,
        "Back Soon",
        "Please call now",
        f"/h/{h}/",
        urgent=True,
        topic="call-1",
    )
    for notification in (first, again):
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": base, "registrationId": registration, "data": payload(notification)},
        )

    maya.wait_for_function(
        "async () => (await (await navigator.serviceWorker.ready).getNotifications()).length > 0"
    )
    shown = maya.evaluate(SHOWN)
    assert shown == [
        {"title": "Back Soon", "body": "Please call now", "tag": "call-1", "url": f"/h/{h}/"}
    ], "one notification per topic"

    # A push with no data still shows something neutral.
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": base, "registrationId": registration, "data": ""},
    )
    maya.wait_for_function(
        "async () => (await (await navigator.serviceWorker.ready).getNotifications()).length > 1"
    )
    titles = {item["title"] for item in maya.evaluate(SHOWN)}
    assert titles == {"Back Soon"}
    assert problems == []


def test_someone_on_a_link_can_turn_on_reminders_and_the_page_passes_axe(
    live_server, new_phone, cast
):
    from backsoon.households.models import CaregiverLink

    base, h = live_server.url, cast.household.pk
    _link, token = CaregiverLink.create(
        household=cast.household, name="Grandma Ana", created_by=cast.parent
    )
    ana = new_phone()
    ana.goto(f"{base}/c/{token}/")
    ana.get_by_role("button", name="Open the care sheet").click()
    ana.wait_for_url(re.compile(r"/care/$"))
    ana.goto(f"{base}/h/{h}/care/about-this-link/")
    ana.get_by_role("link", name="Turn on reminders").click()
    ana.wait_for_url(re.compile(r"/notifications/$"))

    ana.get_by_label("Email address").fill("ana@example.org")
    ana.get_by_role("button", name="Add this address").click()
    ana.wait_for_load_state()
    expect(ana.get_by_text("ana@example.org").first).to_be_visible()
    assert ana.get_by_label("A reminder when an agreed update is due").is_checked()
    assert_accessible(ana, "notify-03-link-reminders")


def test_a_parent_sets_up_reminders_for_grandma_and_a_wrong_address_is_explained(
    live_server, new_phone, cast
):
    from backsoon.households.models import CaregiverLink

    base, h = live_server.url, cast.household.pk
    CaregiverLink.create(household=cast.household, name="Grandma Ana", created_by=cast.parent)
    maya = new_phone()
    log_in(maya, base, "maya@example.org")
    maya.goto(f"{base}/h/{h}/notifications/")
    maya.get_by_role("link", name="Reminders for Grandma Ana").click()
    maya.wait_for_url(re.compile(r"/links/\d+/reminders/$"))

    maya.get_by_label("Apprise address").fill("sms-please://grandma")
    maya.get_by_role("button", name="Add this address").last.click()
    error = maya.locator("#id_apprise-url_error")
    expect(error).to_contain_text("Apprise doesn't recognise this address")
    assert_accessible(maya, "notify-04-grandma-error")

    maya.get_by_label("Apprise address").fill("ntfys://ntfy.sh/okafor-grandma-4f7a2c")
    maya.get_by_role("button", name="Add this address").last.click()
    maya.wait_for_load_state()
    expect(maya.get_by_text("ntfy: ntfys://ntfy.sh/okaf…", exact=True)).to_be_visible()
    assert maya.get_by_text("Email · reminders").count() == 0
    expect(maya.get_by_text(re.compile("thank-yous · added by Maya"))).to_be_visible()
    assert_accessible(maya, "notify-05-grandma-reminders")


def test_tapping_a_notification_opens_its_page_and_closes_it(live_server, new_phone, cast):
    base, h = live_server.url, cast.household.pk
    maya = new_phone()
    maya.context.grant_permissions(["notifications"], origin=base)
    log_in(maya, base, "maya@example.org")
    maya.goto(f"{base}/h/{h}/notifications/")
    maya.evaluate("async () => { await navigator.serviceWorker.ready; }")
    cdp = maya.context.new_cdp_session(maya)
    registration = registration_id(maya, cdp, base)
    posted = notify.send(
        cast.parent,
        Event.POSTED,
        "Back Soon",
        "A new update is here.",
        f"/h/{h}/separations/",
        topic="posted-1",
    )
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": base, "registrationId": registration, "data": payload(posted)},
    )
    maya.wait_for_function(
        "async () => (await (await navigator.serviceWorker.ready).getNotifications()).length > 0"
    )

    # What the phone does when the notification is tapped.
    [worker] = maya.context.service_workers
    worker.evaluate(
        """async () => {
          const [shown] = await self.registration.getNotifications();
          self.dispatchEvent(new NotificationEvent("notificationclick", {notification: shown}));
        }"""
    )

    maya.wait_for_url(f"{base}/h/{h}/separations/")
    expect(maya.get_by_role("heading", name=re.compile("time apart", re.I)).first).to_be_visible()
    assert maya.evaluate(SHOWN) == [], "a tapped notification goes away"
