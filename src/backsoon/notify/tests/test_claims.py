"""Claims by conditional UPDATE: two workers never hold the same row; a lease frees a lost one."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.mail import send_mail

from backsoon.notify import claims
from backsoon.notify.models import OutboxEmail
from backsoon.notify.worker import Worker

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)


@pytest.fixture
def three_emails():
    for name in ("maya", "sam", "ana"):
        send_mail("Hi", "Body", None, [f"{name}@example.org"])
    OutboxEmail.objects.update(next_attempt_at=T0)
    return list(OutboxEmail.objects.order_by("pk").values_list("pk", flat=True))


def claim(worker: Worker, now: datetime, batch: int = 10) -> list[claims.Claim]:
    due = OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING, next_attempt_at__lte=now)
    return claims.claim_due(
        due, now=now, lease=worker.lease, batch=batch, order_by="next_attempt_at"
    )


def test_a_second_worker_gets_nothing_while_the_first_holds_the_rows(three_emails):
    a, b = Worker(), Worker()

    taken_by_a = claim(a, T0)

    assert sorted(c.pk for c in taken_by_a) == three_emails
    assert claim(b, T0) == []
    assert claim(b, T0 + a.lease - timedelta(seconds=1)) == []


def test_a_claim_older_than_the_lease_is_taken_again_and_the_stale_worker_cannot_finish_it(
    three_emails,
):
    a, b = Worker(), Worker()
    taken_by_a = claim(a, T0)

    taken_by_b = claim(b, T0 + a.lease + timedelta(seconds=1))

    assert sorted(c.pk for c in taken_by_b) == three_emails
    assert {c.token for c in taken_by_a}.isdisjoint(c.token for c in taken_by_b)
    late = taken_by_a[0]
    assert not claims.release(OutboxEmail, late, status=OutboxEmail.Status.SENT, attempts=1)
    assert not claims.renew(OutboxEmail, late, now=T0)
    row = OutboxEmail.objects.get(pk=late.pk)
    assert (row.status, row.attempts) == (OutboxEmail.Status.PENDING, 0)
    assert row.claim_token == next(c.token for c in taken_by_b if c.pk == late.pk)

    assert claims.release(OutboxEmail, taken_by_b[0], status=OutboxEmail.Status.SENT)
    row = OutboxEmail.objects.get(pk=taken_by_b[0].pk)
    assert (row.status, row.claim_token, row.claimed_at) == (OutboxEmail.Status.SENT, None, None)


def test_claims_come_in_small_batches_oldest_due_first(three_emails):
    OutboxEmail.objects.filter(pk=three_emails[2]).update(next_attempt_at=T0 - timedelta(hours=1))

    taken = claim(Worker(), T0, batch=2)

    assert [c.pk for c in taken] == [three_emails[2], three_emails[0]]


def test_only_rows_the_queryset_calls_due_are_claimed(three_emails):
    OutboxEmail.objects.filter(pk=three_emails[0]).update(next_attempt_at=T0 + timedelta(minutes=5))
    OutboxEmail.objects.filter(pk=three_emails[1]).update(status=OutboxEmail.Status.SENT)

    assert [c.pk for c in claim(Worker(), T0)] == [three_emails[2]]


def test_a_released_row_can_be_claimed_again_at_once(three_emails):
    a, b = Worker(), Worker()
    for taken in claim(a, T0):
        assert claims.release(OutboxEmail, taken)

    assert len(claim(b, T0)) == 3


@pytest.mark.parametrize(
    ("attempts", "seconds"), [(1, 30), (2, 60), (3, 120), (7, 1920), (8, 3600), (40, 3600)]
)
def test_backoff_doubles_from_thirty_seconds_up_to_an_hour(attempts, seconds):
    assert claims.backoff(attempts) == timedelta(seconds=seconds)
