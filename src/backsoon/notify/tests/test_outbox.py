"""Every email, allauth's too, is written to the outbox; no request talks to a mail server."""

from email import message_from_bytes, policy

import pytest
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from backsoon.notify.models import OutboxEmail
from backsoon.notify.worker import Worker

pytestmark = pytest.mark.django_db


def parsed(email: OutboxEmail):
    return message_from_bytes(bytes(email.raw), policy=policy.default)


def test_send_mail_writes_one_outbox_row_and_sends_nothing(mail_server):
    sent = send_mail("See you soon", "Bea had a good nap.", None, ["maya@example.org"])

    assert sent == 1
    email = OutboxEmail.objects.get()
    assert email.status == OutboxEmail.Status.PENDING
    assert email.attempts == 0
    assert email.next_attempt_at <= timezone.now()
    assert email.recipients == ["maya@example.org"]
    assert email.subject == "See you soon"
    assert email.message_id.endswith("@backsoon.localhost>")
    assert parsed(email)["Message-ID"] == email.message_id
    assert parsed(email).get_content().strip() == "Bea had a good nap."
    assert mail_server.received == []


def test_an_email_written_in_a_transaction_that_rolls_back_is_never_sent():
    with pytest.raises(RuntimeError), transaction.atomic():
        send_mail("Invitation", "Join us", None, ["jo@example.org"])
        raise RuntimeError("the change that needed the email failed")

    assert not OutboxEmail.objects.exists()


def test_a_message_id_given_by_the_caller_is_kept_whatever_its_case():
    EmailMessage(
        "Hi", "Body", to=["jo@example.org"], headers={"Message-Id": "<fixed@example.org>"}
    ).send()

    email = OutboxEmail.objects.get()
    assert email.message_id == "<fixed@example.org>"
    assert parsed(email).get_all("Message-ID") == ["<fixed@example.org>"]


def test_bcc_recipients_get_it_without_appearing_in_the_headers():
    EmailMessage("Hi", "Body", to=["maya@example.org"], bcc=["sam@example.org"]).send()

    email = OutboxEmail.objects.get()
    assert email.recipients == ["maya@example.org", "sam@example.org"]
    assert "sam@example.org" not in bytes(email.raw).decode()


def test_an_internationalised_domain_is_stored_as_the_mail_server_needs_it():
    send_mail("Hi", "Body", "Back Soon <backsoon@bäckso.on>", ["jo@exämple.org"])

    email = OutboxEmail.objects.get()
    assert email.recipients == ["jo@xn--exmple-cua.org"]
    assert email.sender == "Back Soon <backsoon@xn--bckso-gra.on>"


def test_a_message_without_recipients_is_not_queued():
    assert EmailMessage("Hi", "Body", to=[]).send() == 0
    assert not OutboxEmail.objects.exists()


def test_signing_up_queues_the_confirmation_email_and_the_worker_sends_it(
    client, settings, mail_server
):
    settings.REGISTRATION = "open"
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    password = "a-long-test-password-42"

    response = client.post(
        reverse("account_signup"),
        {"email": "new.parent@example.org", "password1": password, "password2": password},
    )

    assert response.status_code == 302
    email = OutboxEmail.objects.get()
    assert email.recipients == ["new.parent@example.org"]
    assert "confirm" in email.subject.lower()
    assert "/accounts/confirm-email/" in parsed(email).get_body(("plain",)).get_content()
    assert mail_server.received == [], "the request did not talk to the mail server"

    assert Worker().run_once() == 1
    assert list(mail_server.message_ids()) == [email.message_id]
