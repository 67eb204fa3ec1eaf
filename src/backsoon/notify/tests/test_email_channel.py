"""The email channel hands its message to the outbox; the outbox's step sends it by SMTP."""

from datetime import timedelta
from email import message_from_bytes, policy

import pytest
import time_machine
from django.utils import timezone

from backsoon import notify
from backsoon.households.models import CaregiverLink
from backsoon.notify import claims
from backsoon.notify.channels.email import EmailChannel
from backsoon.notify.delivery import deliver_due_notifications
from backsoon.notify.events import Event
from backsoon.notify.models import Delivery, OutboxEmail
from backsoon.notify.tests.factories import add_email
from backsoon.notify.worker import Worker

pytestmark = pytest.mark.django_db


def test_a_notification_becomes_one_outbox_email_sent_in_the_same_round(cast, mail_server):
    add_email(cast.parent, "maya@example.org")
    notification = notify.send(
        cast.parent, Event.URGENT, "Back Soon", "Please call now", "/h/1/", urgent=True
    )

    assert Worker().run_once() == 2  # the delivery, then the email it queued

    [email] = OutboxEmail.objects.all()
    assert email.recipients == ["maya@example.org"]
    assert email.subject == "Back Soon"
    assert email.status == OutboxEmail.Status.SENT
    delivery = notification.deliveries.get()
    assert (delivery.status, delivery.email_id) == ("sent", email.pk)
    assert notification.outcome == "delivered"
    [raw] = mail_server.received
    message = message_from_bytes(raw, policy=policy.default)
    assert message["Subject"] == "Back Soon"
    assert message["Message-ID"] == email.message_id
    assert f"notification.{delivery.pk}." in email.message_id
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Please call now" in text
    assert "/h/1/" in text
    assert "Maya" not in text


def test_a_link_gets_its_reminder_by_email_from_the_address_a_parent_set(cast, mail_server):
    link, _token = CaregiverLink.create(
        household=cast.household, name="Ana", created_by=cast.parent
    )
    add_email(link, "grandma@example.org", added_by=cast.parent)

    notify.send(link, Event.REMINDER, "Back Soon", "An agreed update is due", "/h/1/care/")
    Worker().run_once()

    assert mail_server.recipients == [["grandma@example.org"]]


@pytest.mark.parametrize(
    ("site_url", "served_at", "expected"),
    [
        ("https://backsoon.example.org", "http://127.0.0.1:8123", "https://backsoon.example.org"),
        ("", "http://127.0.0.1:8123", "http://127.0.0.1:8123"),  # `serve --port 8123`
        ("", None, "http://127.0.0.1:8000"),
    ],
)
def test_its_links_lead_to_where_the_app_is_served(
    cast, mail_server, settings, monkeypatch, site_url, served_at, expected
):
    settings.SITE_URL = site_url
    if served_at is None:
        monkeypatch.delenv("BACKSOON_SERVED_AT", raising=False)
    else:
        monkeypatch.setenv("BACKSOON_SERVED_AT", served_at)
    add_email(cast.parent, "maya@example.org")
    notify.send(cast.parent, Event.URGENT, "Back Soon", "Please call now", "/h/1/", urgent=True)

    Worker().run_once()

    [raw] = mail_server.received
    text = message_from_bytes(raw, policy=policy.default).get_body(("plain",)).get_content()
    assert f"Open Back Soon: {expected}/h/1/\r\n" in text
    assert f"{expected}/h/{cast.household.pk}/notifications/" in text


def test_an_email_queued_by_a_worker_that_died_is_not_queued_twice(cast):
    add_email(cast.parent, "maya@example.org")
    notification = notify.send(cast.parent, Event.URGENT, "Back Soon", "", "/h/1/", urgent=True)
    worker = Worker()
    worker.steps = [deliver_due_notifications]  # keep the email in the outbox to look at it
    now = timezone.now()
    [claim] = claims.claim_due(
        Delivery.objects.filter(status="pending"),
        now=now,
        lease=worker.lease,
        batch=1,
        order_by="pk",
    )
    # The worker queues the email, then dies before it can write "sent".
    EmailChannel(timeout=2).send(
        Delivery.objects.select_related("notification", "channel").get(pk=claim.pk)
    )

    with time_machine.travel(now + worker.lease + timedelta(seconds=1), tick=False):
        assert worker.run_once() == 1

    assert OutboxEmail.objects.count() == 1
    delivery = notification.deliveries.get()
    assert (delivery.status, delivery.email_id) == ("sent", OutboxEmail.objects.get().pk)


def test_an_email_that_bounces_means_the_notification_did_not_get_through(cast, mail_server):
    mail_server.rcpt_reply = "550 5.1.1 No such user"
    add_email(cast.parent, "nobody@example.org")
    notification = notify.send(cast.parent, Event.URGENT, "Back Soon", "", "/h/1/", urgent=True)

    Worker().run_once()

    assert notification.deliveries.get().status == "sent"
    assert OutboxEmail.objects.get().status == OutboxEmail.Status.FAILED
    assert notification.outcome == "unreachable"
