"""The worker step that delivers due notifications, a small batch of Delivery rows a round.

Claims come in small batches (claims.py), one token each. Everything that talks to the
database happens here, outside any transaction; the sends that go over the network run
side by side in threads, each within the channel timeout, so a slow or failing channel
holds up nobody else. A duplicate is possible only if the worker dies during a send, and
is harmless: the push Topic and the email Message-ID stay the same.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connections
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from backsoon.notify import claims
from backsoon.notify.channels import BaseChannel, ChannelError, for_kind
from backsoon.notify.channels.base import send_time_limit
from backsoon.notify.events import Event
from backsoon.notify.models import Channel, Delivery

logger = logging.getLogger("backsoon.worker")


@dataclass
class Job:
    claim: claims.Claim
    delivery: Delivery
    channel: BaseChannel


def deliver_due_notifications(worker, now: datetime) -> int:
    due = Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
    # As many as there are threads to send them: one wave, within one channel timeout.
    batch = max(worker.batch, settings.NOTIFY_SEND_THREADS)
    taken = claims.claim_batch(
        due, now=now, lease=worker.lease, batch=batch, order_by="next_attempt_at"
    )
    loaded = _load(taken)
    jobs = []
    for claim in taken:
        if worker.shutdown:
            # Hand the rest back at once rather than making another worker wait for the lease.
            claims.release(Delivery, claim)
            continue
        if claim.pk not in loaded:
            continue  # another worker took it over
        try:
            job = _prepare(claim, loaded[claim.pk])
        except Exception as exc:
            # One bad row records its error and waits; it never crash-loops the worker.
            logger.exception("Delivery %s could not be prepared", claim.pk)
            _record_bad_row(claim, f"{type(exc).__name__}: {exc}", now)
            continue
        if job is not None:
            jobs.append(job)
    for job in [job for job in jobs if not job.channel.network]:
        _finish(job, _attempt(job), now)
    _send_side_by_side([job for job in jobs if job.channel.network], now)
    return len(taken)


def _load(taken: list[claims.Claim]) -> dict[int, Delivery]:
    """The batch's rows, their claims renewed first (one token for the whole batch).

    Renewing just before the send keeps a second worker off the rows; a claim another
    worker already took over is left to it.
    """
    if not taken:
        return {}
    token = taken[0].token
    pks = [claim.pk for claim in taken]
    ours = Delivery.objects.filter(pk__in=pks, claim_token=token)
    ours.update(claimed_at=timezone.now())
    rows = ours.select_related("notification", "channel", "channel__membership", "channel__link")
    return {delivery.pk: delivery for delivery in rows}


def _prepare(claim: claims.Claim, delivery: Delivery) -> Job | None:
    channel = delivery.channel
    if not channel.enabled or (channel.link_id and channel.link.state() != "active"):
        claims.release(
            Delivery,
            claim,
            status=Delivery.Status.SKIPPED,
            next_attempt_at=None,
            last_error=_("The channel was turned off before this could be sent."),
        )
        if delivery.notification.kind == Event.TEST:
            Channel.objects.filter(pk=channel.pk).update(
                last_test_ok=False, last_test_error=_("This channel is turned off.")
            )
        return None
    return Job(claim, delivery, for_kind(channel.kind))


def _attempt(job: Job) -> ChannelError | None:
    try:
        job.channel.send(job.delivery)
    except ChannelError as exc:
        logger.warning("Delivery %s failed: %s", job.delivery.pk, exc.message)
        return exc
    except Exception as exc:
        logger.exception("Delivery %s could not be sent", job.delivery.pk)
        return ChannelError(f"{type(exc).__name__}: {exc}")
    return None


def _attempt_in_thread(job: Job) -> ChannelError | None:
    try:
        return _attempt(job)
    finally:
        connections.close_all()  # only this thread's, if a channel opened one


class _Senders:
    """The threads that send, kept from round to round (starting threads costs more than a
    send); after a send outlives its timeout they are left to it and new ones start."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pool: ThreadPoolExecutor | None = None
        self.size = 0

    def get(self) -> ThreadPoolExecutor:
        with self.lock:
            if self.pool is None or self.size != settings.NOTIFY_SEND_THREADS:
                if self.pool is not None:
                    self.pool.shutdown(wait=False)
                self.size = settings.NOTIFY_SEND_THREADS
                self.pool = ThreadPoolExecutor(self.size, thread_name_prefix="backsoon-send")
            return self.pool

    def abandon(self, pool: ThreadPoolExecutor) -> None:
        with self.lock:
            if self.pool is pool:
                self.pool = None
        pool.shutdown(wait=False, cancel_futures=True)


SENDERS = _Senders()


def _send_side_by_side(jobs: list[Job], now: datetime) -> None:
    if not jobs:
        return
    pool = SENDERS.get()
    futures = {pool.submit(_attempt_in_thread, job): job for job in jobs}
    done, late = wait(futures, timeout=send_time_limit(len(jobs)))
    if late:
        # A send still running past its timeout is abandoned, not awaited; if it does get
        # through after all, the retry is a harmless duplicate (same Topic).
        SENDERS.abandon(pool)
    sent = []
    for future, job in futures.items():
        if future not in done:
            _finish(job, ChannelError(_("No answer in time; we'll try again.")), now)
        elif future.result() is None and job.delivery.notification.kind != Event.TEST:
            sent.append(job)
        else:
            _finish(job, future.result(), now)
    _finish_sent(sent)


def _finish_sent(jobs: list[Job]) -> None:
    """Record plain successes in one UPDATE per claim token (a batch shares one)."""
    by_token: dict[str, list[Job]] = {}
    for job in jobs:
        by_token.setdefault(job.claim.token, []).append(job)
    for token, group in by_token.items():
        Delivery.objects.filter(pk__in=[job.claim.pk for job in group], claim_token=token).update(
            claim_token=None,
            claimed_at=None,
            status=Delivery.Status.SENT,
            attempts=F("attempts") + 1,
            sent_at=timezone.now(),
            next_attempt_at=None,
            last_error="",
        )
    recovered = {job.delivery.channel_id for job in jobs if job.delivery.channel.last_failure_at}
    if recovered:
        Channel.objects.filter(pk__in=recovered).update(last_failure_at=None, last_failure="")


def _finish(job: Job, error: ChannelError | None, now: datetime) -> None:
    delivery, claim = job.delivery, job.claim
    attempts = delivery.attempts + 1
    is_test = delivery.notification.kind == Event.TEST
    channels = Channel.objects.filter(pk=delivery.channel_id)
    if error is None:
        ours = claims.release(
            Delivery,
            claim,
            status=Delivery.Status.SENT,
            attempts=attempts,
            sent_at=timezone.now(),
            next_attempt_at=None,
            last_error="",
        )
        if ours and delivery.channel.last_failure_at is not None:
            channels.update(last_failure_at=None, last_failure="")
    elif error.permanent or is_test or attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        ours = claims.release(
            Delivery,
            claim,
            status=Delivery.Status.FAILED,
            attempts=attempts,
            next_attempt_at=None,
            last_error=error.message[:2000],
        )
        if ours and error.permanent:
            channels.filter(enabled=True).update(
                enabled=False, disabled_reason=error.message[:500], disabled_at=timezone.now()
            )
        elif ours and not is_test:
            # Tell its owner on their notifications page (STYLE.md, item 11).
            channels.update(last_failure_at=timezone.now(), last_failure=error.message[:500])
    else:
        wait_for = claims.backoff(attempts)
        if error.retry_after:
            wait_for = max(wait_for, timedelta(seconds=min(error.retry_after, 3600)))
        ours = claims.release(
            Delivery,
            claim,
            status=Delivery.Status.PENDING,
            attempts=attempts,
            next_attempt_at=now + wait_for,
            last_error=error.message[:2000],
        )
    if ours and is_test:
        channels.update(
            last_test_ok=error is None, last_test_error=error.message[:500] if error else ""
        )


def _record_bad_row(claim: claims.Claim, error: str, now: datetime) -> None:
    attempts = (
        Delivery.objects.filter(pk=claim.pk).values_list("attempts", flat=True).first() or 0
    ) + 1
    gave_up = attempts >= settings.NOTIFY_MAX_ATTEMPTS
    claims.release(
        Delivery,
        claim,
        attempts=attempts,
        last_error=error[:2000],
        status=Delivery.Status.FAILED if gave_up else Delivery.Status.PENDING,
        next_attempt_at=None if gave_up else now + claims.backoff(attempts),
    )
