"""The worker delivers outbox emails to a real SMTP server: once, with retries, never stuck."""

import socket
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.mail import send_mail
from django.db import connection

from backsoon import notify
from backsoon.notify import claims
from backsoon.notify.events import Event
from backsoon.notify.models import OutboxEmail
from backsoon.notify.tests.factories import add_push
from backsoon.notify.tests.mailserver import MailServer
from backsoon.notify.worker import Worker, deliver_email

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 10, 25, 0, 45, tzinfo=UTC)


def queue(to: str = "maya@example.org", subject: str = "Bea is asleep") -> OutboxEmail:
    send_mail(subject, "Nap at 1 pm, as agreed.", None, [to])
    return OutboxEmail.objects.latest("pk")


def test_the_worker_delivers_a_queued_email_once_with_its_message_id(mail_server):
    email = queue()

    assert Worker().run_once() == 1

    assert mail_server.message_ids() == {email.message_id: 1}
    assert mail_server.recipients == [["maya@example.org"]]
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT
    assert (email.attempts, email.last_error, email.next_attempt_at) == (1, "", None)
    assert email.sent_at is not None
    assert (email.claim_token, email.claimed_at) == (None, None)
    assert Worker().run_once() == 0
    assert len(mail_server.received) == 1


def test_a_mail_server_that_is_down_is_tried_again_after_the_backoff(settings):
    server = MailServer()  # not started: nothing listens on its port
    settings.EMAIL_URL = server.url
    with time_machine.travel(T0, tick=False) as clock:
        email = queue()

        assert Worker().run_once() == 1

        email.refresh_from_db()
        assert email.status == OutboxEmail.Status.PENDING
        assert email.attempts == 1
        assert "Could not reach the mail server" in email.last_error
        assert email.next_attempt_at == T0 + timedelta(seconds=30)
        assert email.claim_token is None
        clock.shift(timedelta(seconds=29))
        assert Worker().run_once() == 0, "not due yet"

        server.start()
        try:
            clock.shift(timedelta(seconds=2))
            assert Worker().run_once() == 1
            assert Worker().run_once() == 0
        finally:
            server.stop()

    assert server.message_ids() == {email.message_id: 1}
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (OutboxEmail.Status.SENT, 2, "")


def test_a_mail_server_that_does_not_answer_holds_up_one_email_not_the_worker(
    settings, cast, push_service
):
    silent = socket.create_server(("127.0.0.1", 0), backlog=16)  # connects, never says hello
    settings.EMAIL_URL = f"smtp://127.0.0.1:{silent.getsockname()[1]}"
    settings.SMTP_TIMEOUT_SECONDS = 1
    phone = add_push(cast.parent, push_service)
    worker = Worker()
    try:
        with time_machine.travel(T0, tick=False) as clock:
            emails = [queue(f"parent{n}@example.org") for n in range(5)]
            notify.send(cast.parent, Event.URGENT, "Back Soon", "Please call", "/h/1/", urgent=True)

            started = time.monotonic()
            worker.run_once()
            assert time.monotonic() - started < 1.9, "one timeout, not one per email"
            assert len(push_service.delivered(push_service.browser_of(phone.config))) == 1
            tried = [e for e in OutboxEmail.objects.order_by("pk") if e.attempts]
            assert len(tried) == 1
            assert "Could not reach the mail server" in tried[0].last_error
            assert not OutboxEmail.objects.filter(claim_token__isnull=False).exists()

            clock.shift(timedelta(seconds=29))
            started = time.monotonic()
            assert worker.run_once() == 0, "the outbox waits as long as the email would"
            assert time.monotonic() - started < 0.5
            clock.shift(timedelta(seconds=2))
            worker.run_once()
    finally:
        silent.close()

    assert sum(e.attempts for e in OutboxEmail.objects.all()) == 2
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {"pending"}
    assert len(emails) == 5


def test_temporary_failures_give_up_after_the_maximum_attempts(settings):
    settings.EMAIL_URL = MailServer().url  # never started
    settings.EMAIL_MAX_ATTEMPTS = 3
    with time_machine.travel(T0, tick=False) as clock:
        email = queue()
        for attempt in (1, 2, 3):
            assert Worker().run_once() == 1
            clock.shift(timedelta(hours=2))
            email.refresh_from_db()
            assert email.attempts == attempt

        assert email.status == OutboxEmail.Status.FAILED
        assert email.next_attempt_at is None
        assert Worker().run_once() == 0


def test_a_permanent_rejection_fails_the_email_without_trying_again(mail_server):
    mail_server.data_reply = "550 5.7.1 Message rejected as spam"
    email = queue()

    assert Worker().run_once() == 1

    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.FAILED
    assert (email.attempts, email.next_attempt_at) == (1, None)
    assert "550" in email.last_error
    with time_machine.travel(datetime.now(UTC) + timedelta(days=2), tick=False):
        assert Worker().run_once() == 0
    email.refresh_from_db()
    assert email.attempts == 1


def test_a_refused_address_fails_but_a_greylisted_one_is_tried_again(mail_server):
    mail_server.rcpt_reply = "550 5.1.1 No such user"
    refused = queue("nobody@example.org")
    Worker().run_once()
    mail_server.rcpt_reply = "450 4.2.0 Greylisted, try again later"
    greylisted = queue("maya@example.org")
    Worker().run_once()

    refused.refresh_from_db()
    greylisted.refresh_from_db()
    assert refused.status == OutboxEmail.Status.FAILED
    assert greylisted.status == OutboxEmail.Status.PENDING
    assert greylisted.next_attempt_at is not None
    assert "450" in greylisted.last_error


def test_an_accepted_email_counts_as_sent_even_if_the_goodbye_fails(mail_server):
    mail_server.quit_reply = "421 4.3.2 Shutting down"
    email = queue()

    Worker().run_once()

    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT
    assert len(mail_server.received) == 1


@time_machine.travel(T0, tick=False)
def test_one_bad_row_records_its_error_and_the_others_are_still_sent(mail_server):
    good = [queue("maya@example.org"), queue("sam@example.org")]
    # Recipients that are not a list make smtplib raise TypeError, not an SMTP error.
    bad = OutboxEmail.objects.create(
        message_id="<bad@backsoon.localhost>",
        sender="backsoon@localhost",
        recipients=42,
        raw=b"Subject: broken\r\n\r\nbroken\r\n",
        next_attempt_at=T0 - timedelta(minutes=1),
    )

    assert Worker().run_once() == 3

    bad.refresh_from_db()
    assert bad.status == OutboxEmail.Status.PENDING
    assert bad.attempts == 1
    assert bad.last_error.startswith("TypeError")
    assert bad.next_attempt_at == T0 + timedelta(seconds=30)
    assert bad.claim_token is None
    assert mail_server.message_ids() == {good[0].message_id: 1, good[1].message_id: 1}


def test_a_bad_row_gives_up_after_the_maximum_attempts_too(settings, mail_server):
    bad = OutboxEmail.objects.create(
        message_id="<bad@backsoon.localhost>",
        sender="backsoon@localhost",
        recipients=42,
        raw=b"Subject: broken\r\n\r\nbroken\r\n",
        attempts=settings.EMAIL_MAX_ATTEMPTS - 1,
    )

    Worker().run_once()

    bad.refresh_from_db()
    assert bad.status == OutboxEmail.Status.FAILED
    assert bad.attempts == settings.EMAIL_MAX_ATTEMPTS
    assert bad.next_attempt_at is None


def test_a_stale_worker_does_not_send_a_row_another_worker_took_over(mail_server):
    email = queue()
    a, b = Worker(), Worker()
    due = OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING)
    [claim_a] = claims.claim_due(due, now=T0, lease=a.lease, batch=1, order_by="pk")
    later = T0 + a.lease + timedelta(seconds=1)
    [claim_b] = claims.claim_due(due, now=later, lease=b.lease, batch=1, order_by="pk")

    deliver_email(claim_a, later)

    assert mail_server.received == []
    email.refresh_from_db()
    assert (email.status, email.attempts, email.claim_token) == ("pending", 0, claim_b.token)
    deliver_email(claim_b, later)
    assert mail_server.message_ids() == {email.message_id: 1}


def test_a_worker_told_to_stop_hands_its_claims_back(mail_server):
    email = queue()
    worker = Worker()
    worker.shutdown = True

    worker.run_once()

    assert mail_server.received == []
    email.refresh_from_db()
    assert (email.status, email.attempts, email.claim_token) == ("pending", 0, None)
    assert Worker().run_once() == 1


def test_without_email_url_the_worker_prints_the_email(settings, capsys):
    settings.EMAIL_URL = ""
    email = queue(subject="Bea is asleep")

    Worker().run_once()

    out = capsys.readouterr().out
    assert "Subject: Bea is asleep" in out
    assert "Nap at 1 pm, as agreed." in out
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT


@pytest.mark.django_db(transaction=True)
def test_two_workers_side_by_side_send_every_email_exactly_once(settings, mail_server):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # Shared-cache memory databases answer a second writer "table is locked" at once,
        # where the real (file, WAL, busy timeout) database makes it wait.
        pytest.skip("needs a file-based SQLite test database")
    settings.WORKER_BATCH_SIZE = 3
    emails = [queue(f"parent{n}@example.org") for n in range(30)]
    start = threading.Barrier(2)
    claimed: list[int] = []
    errors: list[BaseException] = []

    def work() -> None:
        worker = Worker()
        try:
            start.wait()
            while done := worker.run_once():
                claimed.append(done)
        except BaseException as exc:  # reported by the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(claimed) == 30, "no row was claimed twice"
    assert mail_server.message_ids() == {email.message_id: 1 for email in emails}
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {"sent"}
