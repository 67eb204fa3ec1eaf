"""Web push through the worker to a local push service that checks VAPID and decrypts."""

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec
from django.urls import reverse
from py_vapid import Vapid02

from backsoon import notify
from backsoon.notify import vapid
from backsoon.notify.events import Event
from backsoon.notify.models import Channel, Delivery
from backsoon.notify.tests import conftest
from backsoon.notify.tests.factories import add_push
from backsoon.notify.worker import Worker

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)


def urgent_for(membership, topic="call-1"):
    return notify.send(
        membership, Event.URGENT, "Back Soon", "Please call now", "/h/1/", urgent=True, topic=topic
    )


def test_a_push_arrives_signed_encrypted_and_with_its_topic(cast, push_service, settings):
    channel = add_push(cast.parent, push_service)
    notification = urgent_for(cast.parent)

    assert Worker().run_once() == 1

    assert push_service.refused == []
    [push] = push_service.delivered()
    assert push.payload == {
        "title": "Back Soon",
        "body": "Please call now",
        "url": "/h/1/",
        "tag": "call-1",
        "urgent": True,
    }
    assert push.topic == "call-1"
    assert push.urgency == "high"
    assert push.ttl == str(settings.WEBPUSH_TTL_SECONDS)
    assert push.claims["aud"] == push_service.origin
    assert push.claims["sub"] == "mailto:admin@example.org"
    delivery = notification.deliveries.get()
    assert (delivery.status, delivery.attempts, delivery.claim_token) == ("sent", 1, None)
    assert notification.outcome == "delivered"
    channel.refresh_from_db()
    assert channel.enabled
    assert Worker().run_once() == 0


def test_an_ordinary_push_asks_for_normal_urgency(cast, push_service):
    add_push(cast.parent, push_service, events=[Event.POSTED])
    notify.send(cast.parent, Event.POSTED, "Back Soon", "A new update", "/h/1/")

    Worker().run_once()

    [push] = push_service.delivered()
    assert push.urgency == "normal"
    assert push.payload["urgent"] is False


@pytest.mark.parametrize("status", [404, 410])
def test_a_gone_subscription_turns_the_channel_off_and_its_owner_sees_why(
    cast, push_service, status
):
    channel = add_push(cast.parent, push_service)
    other = add_push(cast.parent, push_service)
    push_service.answers[push_service.browser_of(channel.config)] = status
    notification = urgent_for(cast.parent)

    Worker().run_once()

    channel.refresh_from_db()
    assert not channel.enabled
    assert "no longer takes notifications" in channel.disabled_reason
    assert channel.disabled_at is not None
    rows = {d.channel_id: d for d in notification.deliveries.all()}
    assert (rows[channel.pk].status, rows[channel.pk].next_attempt_at) == ("failed", None)
    assert rows[other.pk].status == "sent"
    assert notification.outcome == "delivered"

    page = cast.client_for(cast.parent).get(reverse("notify:settings", args=[cast.household.pk]))
    assert "This stopped working on" in page.content.decode()
    assert "no longer takes notifications" in page.content.decode()

    # Nothing more is tried on it.
    urgent_for(cast.parent, topic="call-2")
    Worker().run_once()
    assert Delivery.objects.filter(channel=channel, status="pending").count() == 0


@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_busy_push_service_is_tried_again_after_the_backoff(cast, push_service, status):
    add_push(cast.parent, push_service)
    with time_machine.travel(T0, tick=False) as clock:
        push_service.status = status
        notification = urgent_for(cast.parent)

        Worker().run_once()

        delivery = notification.deliveries.get()
        assert (delivery.status, delivery.attempts) == ("pending", 1)
        assert delivery.next_attempt_at == T0 + timedelta(seconds=30)
        assert str(status) in delivery.last_error
        assert notification.outcome == "trying"
        clock.shift(timedelta(seconds=29))
        assert Worker().run_once() == 0, "not due yet"

        push_service.status = 201
        clock.shift(timedelta(seconds=2))
        assert Worker().run_once() == 1

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 2, "")
    assert len(push_service.delivered()) == 1
    assert len(push_service.pushes) == 2, "the same push, once refused and once taken"
    assert {push.topic for push in push_service.pushes} == {"call-1"}


def test_a_retry_after_from_the_push_service_is_respected(cast, push_service):
    add_push(cast.parent, push_service)
    push_service.status = 429
    push_service.headers = {"Retry-After": "600"}
    with time_machine.travel(T0, tick=False):
        notification = urgent_for(cast.parent)
        Worker().run_once()

    assert notification.deliveries.get().next_attempt_at == T0 + timedelta(seconds=600)


def test_a_refusal_that_may_be_our_own_set_up_is_retried_not_the_end(cast, push_service):
    # Apple answers 403 when the VAPID subject is unusable: the subscription is fine.
    channel = add_push(cast.parent, push_service)
    push_service.status = 403
    notification = urgent_for(cast.parent)

    Worker().run_once()

    channel.refresh_from_db()
    assert channel.enabled
    delivery = notification.deliveries.get()
    assert delivery.status == "pending"
    assert "refused the message (403" in delivery.last_error


def test_giving_up_after_the_last_attempt_tells_the_owner(cast, push_service, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 2
    channel = add_push(cast.parent, push_service)
    push_service.status = 500
    with time_machine.travel(T0, tick=False) as clock:
        notification = urgent_for(cast.parent)
        Worker().run_once()
        clock.shift(timedelta(minutes=5))
        Worker().run_once()

    delivery = notification.deliveries.get()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 2, None)
    assert notification.outcome == "unreachable"
    channel.refresh_from_db()
    assert channel.enabled, "a busy service isn't a reason to turn the channel off"
    assert channel.last_failure_at is not None
    page = cast.client_for(cast.parent).get(reverse("notify:settings", args=[cast.household.pk]))
    assert "couldn’t be delivered here" in page.content.decode()


def test_without_a_vapid_key_nothing_is_lost(cast, push_service, settings):
    add_push(cast.parent, push_service)
    settings.VAPID_PRIVATE_KEY = ""
    notification = urgent_for(cast.parent)

    Worker().run_once()

    delivery = notification.deliveries.get()
    assert delivery.status == "pending"
    assert "no VAPID key" in delivery.last_error
    assert Channel.objects.get().enabled


def test_the_push_service_refuses_a_push_signed_with_another_key(cast, push_service, settings):
    add_push(cast.parent, push_service)
    settings.VAPID_PRIVATE_KEY = vapid.to_pem(ec.generate_private_key(ec.SECP256R1()))
    notification = urgent_for(cast.parent)

    Worker().run_once()

    assert push_service.delivered() == []
    assert "another server key" in push_service.refused[0]
    assert notification.deliveries.get().status == "pending"


def test_the_push_service_checks_the_signature_itself(push_service):
    signer = Vapid02(private_key=conftest.SERVER_KEY)
    claims = {"sub": "mailto:admin@example.org", "aud": push_service.origin}
    claims["exp"] = int(time.time()) + 3600
    good = signer.sign(claims)["Authorization"]
    assert push_service._check_vapid(good)["aud"] == push_service.origin

    token = good.split("t=", 1)[1].split(",", 1)[0]
    header, payload, _signature = token.split(".")
    forged = vapid.b64url(json.dumps({**claims, "exp": claims["exp"] + 60}).encode())
    with pytest.raises(InvalidSignature):
        push_service._check_vapid(good.replace(f"{header}.{payload}.", f"{header}.{forged}."))
    with pytest.raises(ValueError, match="aud"):
        push_service._check_vapid(
            signer.sign({**claims, "aud": "https://elsewhere.example"})["Authorization"]
        )
    with pytest.raises(ValueError, match="exp"):
        push_service._check_vapid(
            signer.sign({**claims, "exp": int(time.time()) - 1})["Authorization"]
        )
