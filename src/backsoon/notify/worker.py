"""The background worker: a restartable loop over due rows (STYLE.md, items 2 and 5)."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from backsoon.notify import channels, claims
from backsoon.notify.delivery import deliver_due_notifications
from backsoon.notify.models import OutboxEmail
from backsoon.notify.transport import DeliveryError, send_raw

logger = logging.getLogger("backsoon.worker")

Step = Callable[["Worker", datetime], int]

# Steps that make due work (e.g. a buzz at the end of a wait), added by apps in their
# AppConfig.ready(); they run before delivery, so what they queue goes out the same round.
REGISTERED: list[Step] = []


def register(step: Step) -> Step:
    if step not in REGISTERED:
        REGISTERED.append(step)
    return step


class Worker:
    """Runs each step in turn; a step handles one small batch and returns how many it did."""

    def __init__(self) -> None:
        self.lease = timedelta(seconds=settings.WORKER_LEASE_SECONDS)
        self.batch = settings.WORKER_BATCH_SIZE
        self.shutdown = False
        # The mail server couldn't be reached: no email waits on it again before this time.
        self.mail_server_back_at: datetime | None = None
        self.mail_server_failures = 0
        # Notifications first: an email channel's message then goes out in the same round.
        self.steps: list[Step] = [*REGISTERED, deliver_due_notifications, send_due_emails]

    def run_once(self, now: datetime | None = None) -> int:
        done = 0
        for step in self.steps:
            done += step(self, now or timezone.now())
        return done

    def run_forever(self) -> None:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        # Loading the channels takes seconds: meanwhile the loop already runs.
        threading.Thread(target=channels.warm_up, name="backsoon-warm-up", daemon=True).start()
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
    if worker.mail_server_back_at is not None:
        if now < worker.mail_server_back_at:
            # Each try could wait out the SMTP timeout; the rest of the loop doesn't wait with it.
            return 0
        worker.mail_server_back_at = None
    due = OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING, next_attempt_at__lte=now)
    taken = claims.claim_due(
        due, now=now, lease=worker.lease, batch=worker.batch, order_by="next_attempt_at"
    )
    for claim in taken:
        if worker.shutdown or worker.mail_server_back_at is not None:
            # Hand the rest back at once rather than making another worker wait for the lease.
            claims.release(OutboxEmail, claim)
            continue
        try:
            reached = deliver_email(claim, now)
        except Exception:
            # E.g. the database went away mid-batch: the lease brings the row back later.
            logger.exception("Email %s could not be delivered; its claim runs out", claim.pk)
            continue
        if reached:
            worker.mail_server_failures = 0
        elif reached is False:
            worker.mail_server_failures += 1
            worker.mail_server_back_at = now + claims.backoff(worker.mail_server_failures)
    return len(taken)


def deliver_email(claim: claims.Claim, now: datetime) -> bool | None:
    """Send one claimed email and record how it went.

    Returns False if the mail server couldn't be reached (or didn't answer), None if the claim
    was no longer ours, True otherwise.
    """
    # A batch can outlast the lease; renewing it before each send keeps a second worker off
    # this row, and a claim that was already taken over is left to its new owner.
    if not claims.renew(OutboxEmail, claim, now=timezone.now()):
        return None
    email = OutboxEmail.objects.only("sender", "recipients", "raw", "attempts").get(pk=claim.pk)
    attempts = email.attempts + 1
    try:
        send_raw(email.sender, email.recipients, bytes(email.raw))
    except DeliveryError as exc:
        logger.warning("Email %s attempt %s failed: %s", email.pk, attempts, exc)
        _record_failure(claim, attempts, str(exc), now, permanent=exc.permanent)
        return not exc.unreachable
    except Exception as exc:
        # One bad row records its error and waits; it never crash-loops the worker.
        logger.exception("Email %s could not be sent", email.pk)
        _record_failure(claim, attempts, f"{type(exc).__name__}: {exc}", now, permanent=False)
        return True
    claims.release(
        OutboxEmail,
        claim,
        attempts=attempts,
        status=OutboxEmail.Status.SENT,
        sent_at=timezone.now(),
        next_attempt_at=None,
        last_error="",
    )
    return True


def _record_failure(
    claim: claims.Claim, attempts: int, error: str, now: datetime, *, permanent: bool
) -> None:
    gave_up = permanent or attempts >= settings.EMAIL_MAX_ATTEMPTS
    claims.release(
        OutboxEmail,
        claim,
        attempts=attempts,
        last_error=error[:2000],
        status=OutboxEmail.Status.FAILED if gave_up else OutboxEmail.Status.PENDING,
        next_attempt_at=None if gave_up else now + claims.backoff(attempts),
    )
