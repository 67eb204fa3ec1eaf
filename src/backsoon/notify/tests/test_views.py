"""The Notifications page: each subject sees and changes only its own channels."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backsoon.households.models import CaregiverLink
from backsoon.households.tests.test_url_access import link_client
from backsoon.notify.events import Event
from backsoon.notify.models import Channel, Notification, QuietHours
from backsoon.notify.tests.factories import add_email, add_push
from backsoon.notify.worker import Worker

pytestmark = pytest.mark.django_db

# A caregiver's new channel: reminders, the one nudge after one, and the parents' thank-you.
CARING_DEFAULT = [Event.REMINDER, Event.NUDGE, Event.THANKS]

ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)


def page(cast):
    return reverse("notify:settings", args=[cast.household.pk])


def action(cast, channel):
    return reverse("notify:channel", args=[cast.household.pk, channel.pk])


def status(cast, channel):
    return reverse("notify:test_status", args=[cast.household.pk, channel.pk])


def text(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def test_a_parent_sees_quiet_defaults_urgent_always_on_and_the_iphone_note(cast, settings):
    add_email(cast.parent, "maya@example.org")

    response = cast.client_for(cast.parent).get(page(cast))

    body = text(response)
    assert response.status_code == 200
    assert "Urgent calls (always on)" in body
    assert f'data-vapid-key="{settings.VAPID_PUBLIC_KEY}"' in body
    assert "iOS 16.4" in body and "Add to Home Screen" in body
    assert "everything agreed is always on the page as well" in body
    assert "/static/notify/push.js" in body
    assert "<script>" not in body, "no inline scripts"
    assert body.count(" checked") == 1, "quiet by default: only the urgent box is ticked"


def test_the_dashboard_and_the_link_page_lead_here(cast):
    dashboard = cast.client_for(cast.caregiver).get(
        reverse("households:dashboard", args=[cast.household.pk])
    )
    assert page(cast) in dashboard.content.decode()
    about = link_client(cast).get(reverse("households:link_about", args=[cast.household.pk]))
    assert page(cast) in about.content.decode()
    assert "Turn on reminders" in about.content.decode()


def test_adding_an_email_address_starts_quiet_and_a_second_time_adds_nothing(cast):
    client = cast.client_for(cast.parent)

    response = client.post(page(cast), {"form": "email", "email-address": "maya@example.org"})
    client.post(page(cast), {"form": "email", "email-address": "maya@example.org"})

    assert response.status_code == 302
    channel = Channel.objects.get()
    assert (channel.kind, channel.config, channel.events) == (
        "email",
        {"address": "maya@example.org"},
        [],
    )
    assert channel.membership == cast.parent and channel.added_by == cast.parent


def test_a_caregiver_turning_on_reminders_gets_reminders(cast):
    client = cast.client_for(cast.caregiver)

    body = text(client.get(page(cast)))
    client.post(page(cast), {"form": "email", "email-address": "ana@example.org"})

    assert "Turn on reminders" in body
    assert "Urgent calls (always on)" not in body
    assert Channel.objects.get().events == CARING_DEFAULT
    assert "Email · reminders, nudges, thank-yous" in text(client.get(page(cast)))


def test_quiet_hours_are_saved_and_checked(cast):
    client = cast.client_for(cast.parent)

    half = client.post(page(cast), {"form": "quiet", "quiet-start": "22:00", "quiet-end": ""})
    same = client.post(page(cast), {"form": "quiet", "quiet-start": "22:00", "quiet-end": "22:00"})
    good = client.post(page(cast), {"form": "quiet", "quiet-start": "22:00", "quiet-end": "07:00"})

    assert "Give both times" in text(half)
    assert "The two times are the same" in text(same)
    assert good.status_code == 302
    quiet = QuietHours.objects.get()
    assert (str(quiet.start), str(quiet.end), quiet.membership) == (
        "22:00:00",
        "07:00:00",
        cast.parent,
    )
    assert "quiet from 22:00 until 07:00" in text(client.get(page(cast)))
    client.post(page(cast), {"form": "quiet", "quiet-start": "", "quiet-end": ""})
    assert not QuietHours.objects.get().is_set


def test_choosing_what_goes_where(cast):
    channel = add_email(cast.parent, "maya@example.org")
    client = cast.client_for(cast.parent)

    client.post(
        action(cast, channel),
        {"action": "events", f"channel-{channel.pk}-events": [Event.POSTED, Event.REMINDER]},
    )

    channel.refresh_from_db()
    assert channel.events == [Event.POSTED, Event.REMINDER]
    assert "checked" in text(client.get(page(cast))).split("An agreed update has been posted")[0]
    client.post(action(cast, channel), {"action": "events"})
    channel.refresh_from_db()
    assert channel.events == []


def test_a_caregiver_cannot_choose_what_is_for_parents(cast):
    channel = add_email(cast.caregiver, "ana@example.org")

    response = cast.client_for(cast.caregiver).post(
        action(cast, channel), {"action": "events", f"channel-{channel.pk}-events": [Event.URGENT]}
    )

    assert response.status_code == 400
    channel.refresh_from_db()
    assert channel.events == CARING_DEFAULT


def test_send_a_test_shows_its_result_once_the_worker_has_sent_it(cast, push_service):
    channel = add_push(cast.parent, push_service)
    client = cast.client_for(cast.parent)

    response = client.post(action(cast, channel), {"action": "test"})

    assert response.status_code == 302
    body = text(client.get(page(cast)))
    assert "Sending a test…" in body
    assert f'hx-get="{status(cast, channel)}"' in body
    assert client.get(status(cast, channel), headers={"HX-Request": "true"}).status_code == 204
    notification = Notification.objects.get()
    assert (notification.kind, notification.urgent) == (Event.TEST, False)

    Worker().run_once()

    answer = client.get(status(cast, channel), headers={"HX-Request": "true"})
    assert answer.status_code == 200
    assert "The test went out at" in text(answer)
    assert "hx-get" not in text(answer), "polling stops"
    [push] = push_service.delivered()
    assert push.payload["title"] == "Back Soon"


def test_a_test_that_fails_says_why_and_is_not_retried(cast, push_service):
    channel = add_push(cast.parent, push_service)
    push_service.status = 500
    client = cast.client_for(cast.parent)
    client.post(action(cast, channel), {"action": "test"})

    Worker().run_once()

    answer = text(client.get(status(cast, channel)))
    assert "The test didn’t get through" in answer
    assert "500" in answer
    assert Notification.objects.get().deliveries.get().status == "failed"
    channel.refresh_from_db()
    assert channel.enabled and channel.last_failure_at is None


def test_a_test_to_a_gone_subscription_turns_it_off(cast, push_service):
    channel = add_push(cast.parent, push_service)
    push_service.status = 410
    client = cast.client_for(cast.parent)
    client.post(action(cast, channel), {"action": "test"})

    Worker().run_once()

    body = text(client.get(page(cast)))
    assert "This stopped working on" in body
    assert "Send a test" not in body.split(f'id="channel-{channel.pk}"')[1]


def test_removing_a_channel(cast):
    channel = add_email(cast.parent, "maya@example.org")

    response = cast.client_for(cast.parent).post(action(cast, channel), {"action": "remove"})

    assert response.status_code == 302 and response["Location"] == page(cast)
    assert not Channel.objects.exists()


def test_a_partner_can_neither_see_nor_touch_the_other_parents_channels(cast):
    channel = add_email(cast.parent, "maya-secret@example.org")
    client = cast.client_for(cast.partner)

    assert "maya-secret" not in text(client.get(page(cast)))
    assert client.get(status(cast, channel)).status_code == 404
    for verb in ("test", "remove", "events"):
        assert client.post(action(cast, channel), {"action": verb}).status_code == 404
    assert Channel.objects.filter(pk=channel.pk).exists()
    assert not Notification.objects.exists()


def test_someone_on_a_link_manages_only_their_own(cast):
    client = link_client(cast)
    parents = add_email(cast.parent, "maya-secret@example.org")

    client.post(page(cast), {"form": "email", "email-address": "ana@example.org"})

    mine = Channel.objects.get(kind="email", link__isnull=False)
    assert mine.link.name == "Grandma Ana" and mine.added_by is None
    assert mine.events == CARING_DEFAULT
    body = text(client.get(page(cast)))
    assert "ana@example.org" in body and "maya-secret" not in body
    assert client.post(action(cast, parents), {"action": "remove"}).status_code == 404
    assert client.get(status(cast, parents)).status_code == 404
    assert client.post(action(cast, mine), {"action": "remove"}).status_code == 302
    assert list(Channel.objects.all()) == [parents]


def test_a_parent_gives_grandma_an_email_for_reminders_and_grandma_sees_it(cast):
    link, token = CaregiverLink.create(
        household=cast.household, name="Grandma Ana", created_by=cast.parent
    )
    parent = cast.client_for(cast.parent)
    reminders = reverse("notify:link_reminders", args=[cast.household.pk, link.pk])
    assert reminders in text(parent.get(page(cast)))

    response = parent.post(reminders, {"form": "email", "email-address": "ana@example.org"})

    assert response.status_code == 302 and response["Location"] == reminders
    channel = Channel.objects.get()
    assert (channel.link, channel.membership, channel.added_by) == (link, None, cast.parent)
    assert channel.events == CARING_DEFAULT
    body = text(parent.get(reminders))
    assert "Reminders for Grandma Ana" in body
    assert "data-vapid-key" not in body, "a parent's phone is not Grandma's"
    assert parent.post(action(cast, channel), {"action": "test"})["Location"].startswith(reminders)

    # Grandma, on her link, sees who added it and can remove it.
    from django.test import Client

    grandma = Client()
    grandma.post(reverse("households:link_open", args=[token]))
    body = text(grandma.get(page(cast)))
    assert "ana@example.org" in body and "added by Maya" in body
    assert grandma.post(action(cast, channel), {"action": "remove"}).status_code == 302
    assert not Channel.objects.exists()


def test_the_partner_can_manage_grandmas_reminders_too(cast):
    link, _token = CaregiverLink.create(
        household=cast.household, name="Grandma Ana", created_by=cast.parent
    )
    channel = add_email(link, "ana@example.org")

    response = cast.client_for(cast.partner).post(action(cast, channel), {"action": "remove"})

    assert response.status_code == 302
    assert not Channel.objects.exists()


def push_post(client, cast, subscription, agent=ANDROID_CHROME):
    return client.post(
        reverse("notify:push", args=[cast.household.pk]),
        data=json.dumps(subscription),
        content_type="application/json",
        headers={"User-Agent": agent},
    )


def test_this_device_is_added_from_its_subscription(cast, push_service):
    client = cast.client_for(cast.parent)
    subscription = push_service.new_browser()

    first = push_post(client, cast, subscription)
    again = push_post(client, cast, subscription)

    assert (first.status_code, again.status_code) == (201, 200)
    channel = Channel.objects.get()
    assert channel.label == "Chrome on Android"
    assert channel.config == {"endpoint": subscription["endpoint"], "keys": subscription["keys"]}
    assert channel.events == []


def test_adding_a_device_again_turns_it_back_on(cast, push_service):
    subscription = push_service.new_browser()
    client = cast.client_for(cast.parent)
    push_post(client, cast, subscription)
    Channel.objects.update(enabled=False, disabled_reason="gone")

    push_post(client, cast, subscription)

    channel = Channel.objects.get()
    assert (channel.enabled, channel.disabled_reason, channel.disabled_at) == (True, "", None)


@pytest.mark.parametrize(
    "change",
    [
        lambda s: {**s, "endpoint": "https://attacker.example/push/1"},
        lambda s: {**s, "keys": {**s["keys"], "p256dh": "not-a-key"}},
        lambda s: {**s, "keys": {"p256dh": s["keys"]["p256dh"]}},
        lambda s: "just a string",
        # PostgreSQL's JSON can't hold a NUL (it was a 500 there).
        lambda s: {**s, "endpoint": s["endpoint"] + "\x00"},
    ],
)
def test_a_subscription_we_cannot_use_is_refused(cast, push_service, change):
    response = push_post(cast.client_for(cast.parent), cast, change(push_service.new_browser()))

    assert response.status_code == 400
    assert "error" in response.json()
    assert not Channel.objects.exists()


def test_only_the_push_services_browsers_use_are_accepted(cast, push_service, settings):
    settings.WEBPUSH_SERVICE_HOSTS = ["push.services.mozilla.com"]
    settings.WEBPUSH_ALLOW_HTTP = False
    subscription = push_service.new_browser()
    client = cast.client_for(cast.parent)

    assert push_post(client, cast, subscription).status_code == 400
    mozilla = {**subscription, "endpoint": "https://updates.push.services.mozilla.com/wpush/v2/x"}
    assert push_post(client, cast, mozilla).status_code == 201


def test_someone_on_a_link_can_add_their_own_phone(cast, push_service):
    client = link_client(cast)

    assert push_post(client, cast, push_service.new_browser()).status_code == 201

    channel = Channel.objects.get()
    assert channel.link is not None and channel.events == CARING_DEFAULT


def test_the_page_asks_the_same_number_of_questions_however_much_there_is(cast, push_service):
    client = cast.client_for(cast.parent)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page(cast)).status_code == 200
        return len(queries)

    add_email(cast.parent, "maya@example.org", added_by=cast.parent)
    few = count()
    for n in range(5):
        add_email(cast.parent, f"maya{n}@example.org", added_by=cast.partner)
        add_push(cast.parent, push_service, last_failure="busy")
        CaregiverLink.create(household=cast.household, name=f"Sitter {n}", created_by=cast.parent)
    QuietHours.objects.create(membership=cast.parent)

    assert count() == few
