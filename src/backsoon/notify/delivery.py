"""The worker step that delivers due notifications, one Delivery row at a time.

Claims come in small batches (claims.py). Everything that talks to the database happens
here, outside any transaction; the sends that go over the network run side by side in
threads, each within the channel timeout, so a slow or failing channel holds up nobody
else. A duplicate is possible only if the worker dies during a send, and is harmless: the
push Topic and the email Message-ID stay the same.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connections
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
    taken = claims.claim_due(
        due, now=now, lease=worker.lease, batch=worker.batch, order_by="next_attempt_at"
    )
    jobs = []
    for claim in taken:
        if worker.shutdown:
            # Hand the rest back at once rather than making another worker wait for the lease.
            claims.release(Delivery, claim)
            continue
        try:
            job = _prepare(claim)
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


def _prepare(claim: claims.Claim) -> Job | None:
    # Renewing just before the send keeps a second worker off the row; a claim another
    # worker already took over is left to it.
    if not claims.renew(Delivery, claim, now=timezone.now()):
        return None
    delivery = Delivery.objects.select_related(
        "notification", "channel", "channel__membership", "channel__link"
    ).get(pk=claim.pk)
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


def _send_side_by_side(jobs: list[Job], now: datetime) -> None:
    if not jobs:
        return
    threads = max(1, min(len(jobs), settings.NOTIFY_SEND_THREADS))
    pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="backsoon-send")
    futures = {pool.submit(_attempt_in_thread, job): job for job in jobs}
    done, _late = wait(futures, timeout=send_time_limit(len(jobs)))
    # A send still running past its timeout is abandoned, not awaited; if it does get
    # through after all, the retry is a harmless duplicate (same Topic).
    pool.shutdown(wait=False, cancel_futures=True)
    for future, job in futures.items():
        if future in done:
            _finish(job, future.result(), now)
        else:
            _finish(job, ChannelError(_("No answer in time; we'll try again.")), now)


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
        if ours:
            channels.filter(last_failure_at__isnull=False).update(
                last_failure_at=None, last_failure=""
            )
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
