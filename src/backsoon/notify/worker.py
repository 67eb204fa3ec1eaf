"""The background worker: a restartable loop over due rows (STYLE.md, items 2 and 5)."""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from backsoon.notify import claims
from backsoon.notify.models import OutboxEmail
from backsoon.notify.transport import DeliveryError, send_raw

logger = logging.getLogger("backsoon.worker")

Step = Callable[["Worker", datetime], int]


class Worker:
    """Runs each step in turn; a step handles one small batch and returns how many it did."""

    def __init__(self) -> None:
        self.lease = timedelta(seconds=settings.WORKER_LEASE_SECONDS)
        self.batch = settings.WORKER_BATCH_SIZE
        self.shutdown = False
        self.steps: list[Step] = [send_due_emails]

    def run_once(self, now: datetime | None = None) -> int:
        done = 0
        for step in self.steps:
            done += step(self, now or timezone.now())
        return done

    def run_forever(self) -> None:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        logger.info("Back Soon worker started")
        while not self.shutdown:
            close_old_connections()
            try:
                done = self.run_once()
            except Exception:
                # A database hiccup must not kill the worker; the next round tries again.
                logger.exception("Worker round failed; trying again shortly")
                done = 0
            if not done:
                self._sleep(settings.WORKER_IDLE_SECONDS)
        logger.info("Back Soon worker stopped")

    def _stop(self, _signum, _frame) -> None:
        self.shutdown = True

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not self.shutdown and time.monotonic() < end:
            time.sleep(0.1)


def send_due_emails(worker: Worker, now: datetime) -> int:
    due = OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING, next_attempt_at__lte=now)
    taken = claims.claim_due(
        due, now=now, lease=worker.lease, batch=worker.batch, order_by="next_attempt_at"
    )
    for claim in taken:
        if worker.shutdown:
            # Leave the claim: its lease runs out and another worker takes it.
            break
        deliver_email(claim, now)
    return len(taken)


def deliver_email(claim: claims.Claim, now: datetime) -> None:
    email = OutboxEmail.objects.only("sender", "recipients", "raw", "attempts").get(pk=claim.pk)
    attempts = email.attempts + 1
    try:
        send_raw(email.sender, email.recipients, bytes(email.raw))
    except DeliveryError as exc:
        gave_up = exc.permanent or attempts >= settings.EMAIL_MAX_ATTEMPTS
        logger.warning("Email %s attempt %s failed: %s", email.pk, attempts, exc)
        claims.release(
            OutboxEmail,
            claim,
            attempts=attempts,
            last_error=str(exc)[:2000],
            status=OutboxEmail.Status.FAILED if gave_up else OutboxEmail.Status.PENDING,
            next_attempt_at=None if gave_up else now + claims.backoff(attempts),
        )
        return
    except Exception as exc:
        # One bad row records its error and waits; it never crash-loops the worker.
        logger.exception("Email %s could not be prepared", email.pk)
        claims.release(
            OutboxEmail,
            claim,
            attempts=attempts,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=now + claims.backoff(attempts),
        )
        return
    claims.release(
        OutboxEmail,
        claim,
        attempts=attempts,
        status=OutboxEmail.Status.SENT,
        sent_at=timezone.now(),
        next_attempt_at=None,
        last_error="",
    )
