"""Apprise: json:// to a local receiver; an address is checked when it is added."""

import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from backsoon import notify
from backsoon.notify.events import Event
from backsoon.notify.models import Channel
from backsoon.notify.tests.factories import add_apprise
from backsoon.notify.worker import Worker

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)


def test_a_notification_reaches_the_service_with_its_neutral_text(cast, json_receiver, settings):
    settings.SITE_URL = "https://backsoon.example.org"
    add_apprise(cast.parent, json_receiver.url)
    notification = notify.send(
        cast.parent, Event.URGENT, "Back Soon", "Please call now", "/h/1/", urgent=True
    )

    assert Worker().run_once() == 1

    [message] = json_receiver.messages
    assert message["title"] == "Back Soon"
    assert message["message"] == "Please call now\nhttps://backsoon.example.org/h/1/"
    assert notification.deliveries.get().status == "sent"


def test_a_service_that_fails_is_tried_again_after_the_backoff(cast, json_receiver):
    json_receiver.status = 500
    add_apprise(cast.parent, json_receiver.url)
    with time_machine.travel(T0, tick=False) as clock:
        notification = notify.send(cast.parent, Event.URGENT, "Back Soon", "", "/h/1/", urgent=True)

        Worker().run_once()

        delivery = notification.deliveries.get()
        assert (delivery.status, delivery.attempts) == ("pending", 1)
        assert delivery.next_attempt_at == T0 + timedelta(seconds=30)
        assert "didn't take the message" in delivery.last_error
        json_receiver.status = 200
        clock.shift(timedelta(seconds=31))
        Worker().run_once()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert len(json_receiver.messages) == 2


def test_a_service_that_hangs_meets_the_channel_timeout_and_is_tried_again(
    cast, json_receiver, settings
):
    settings.NOTIFY_CHANNEL_TIMEOUT_SECONDS = 1
    json_receiver.hang_seconds = 5
    add_apprise(cast.parent, json_receiver.url)
    notification = notify.send(cast.parent, Event.URGENT, "Back Soon", "", "/h/1/", urgent=True)

    started = time.monotonic()
    Worker().run_once()
    took = time.monotonic() - started

    assert took < 3, f"the round took {took:.1f}s"
    delivery = notification.deliveries.get()
    assert (delivery.status, delivery.attempts, delivery.claim_token) == ("pending", 1, None)
    assert delivery.last_error
    assert delivery.next_attempt_at is not None


def page(cast):
    return reverse("notify:settings", args=[cast.household.pk])


def test_adding_an_address_apprise_accepts_shows_it_without_its_secrets(cast):
    client = cast.client_for(cast.parent)
    url = "ntfys://maya:hunter2-secret@ntfy.example.org/okafor-family-8d3f"

    response = client.post(page(cast), {"form": "apprise", "apprise-url": url}, follow=True)

    channel = Channel.objects.get()
    assert (channel.kind, channel.config, channel.membership) == (
        "apprise",
        {"url": url},
        cast.parent,
    )
    assert channel.events == []
    body = response.content.decode()
    assert "hunter2-secret" not in body
    assert channel.label == "ntfy: ntfys://ntfy.example.org/okaf…"
    assert channel.label in body


@pytest.mark.parametrize(
    "url", ["not a url", "nosuchservice://example.org/", "json://a.example/ json://b.example/"]
)
def test_an_address_apprise_refuses_is_an_error_next_to_the_field(cast, url):
    client = cast.client_for(cast.parent)

    response = client.post(page(cast), {"form": "apprise", "apprise-url": url})

    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_apprise-url_error"' in body
    assert "Apprise doesn't recognise this address" in body.replace("&#x27;", "'")
    assert Channel.objects.count() == 0


def test_someone_on_a_link_cannot_add_an_apprise_address(cast):
    from backsoon.households.tests.test_url_access import link_client

    client = link_client(cast)

    response = client.post(page(cast), {"form": "apprise", "apprise-url": "json://127.0.0.1:9/"})

    assert Channel.objects.count() == 0
    assert "apprise-url" not in response.content.decode()
