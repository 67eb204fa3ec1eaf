"""The worker's separation steps: the reminder, the one gentle nudge, the forgotten "I'm back".

Each due time is a column (due.py) with a partial index. A step claims a small batch of due
rows by conditional UPDATE with a token and a lease (notify/claims.py), writes the outcome
and queues what it tells people through `notify.send` — an outbox, so nothing goes over the
network here. A nudge is handled one row at a time: it locks the separation and then the row
(always in that order, as the requests do) and checks the claim is still its own. Reminders
come in bigger numbers and are handled a batch at a time, in one transaction that locks the
batch's rows only (so the order above can't deadlock) and reads their separations in the
same statement. A worker that dies after claiming loses nothing: the lease runs out and
another takes the row. One bad row records its error and waits a little; the others go on.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from backsoon import config, notify
from backsoon.notify import claims
from backsoon.notify.events import Event
from backsoon.separations import due, tell
from backsoon.separations.models import AgreedCheckIn, Separation

logger = logging.getLogger("backsoon.worker")

# A row that failed this often is marked handled, with its error kept.
MAX_ERRORS = 5
REMINDER_BATCH = 50


@functools.cache
def _from_environment() -> due.Timing:
    return due.Timing(
        late_after=timedelta(minutes=config.env_int("BACKSOON_LATE_MINUTES", 10, minimum=1)),
        auto_end_after=timedelta(hours=config.env_int("BACKSOON_AUTO_END_HOURS", 3, minimum=1)),
        catch_up_grace=timedelta(
            minutes=config.env_int("BACKSOON_CATCH_UP_MINUTES", 15, minimum=1)
        ),
    )


def timing() -> due.Timing:
    """From the environment, read once; Django settings of the same names win (tests)."""
    base = _from_environment()
    late = getattr(settings, "SEPARATIONS_LATE_MINUTES", None)
    auto_end = getattr(settings, "SEPARATIONS_AUTO_END_HOURS", None)
    grace = getattr(settings, "SEPARATIONS_CATCH_UP_MINUTES", None)
    return due.Timing(
        late_after=timedelta(minutes=late) if late else base.late_after,
        auto_end_after=timedelta(hours=auto_end) if auto_end else base.auto_end_after,
        catch_up_grace=timedelta(minutes=grace) if grace else base.catch_up_grace,
    )


def state_of(agreed: AgreedCheckIn) -> due.AgreedState:
    return due.AgreedState(
        due_at=agreed.due_at,
        done=agreed.done_by_id is not None,
        reminded_at=agreed.reminded_at,
        nudged_at=agreed.nudged_at,
        not_before=agreed.not_before,
    )


def refresh_due_times(separation_id: int, agreed_ids: Iterable[int] | None = None) -> None:
    """Recompute the worker's columns after a write (inside the writer's transaction).

    Requests call it after planning, leaving, posting, coming back and cancelling; the
    agreed rows are locked first so a worker's outcome is never overwritten with old values.
    """
    current = timing()
    with transaction.atomic():
        separation = Separation.objects.only(
            "status", "left_at", "starts_at", "planned_minutes", "auto_end_at"
        ).get(pk=separation_id)
        away = separation.status == Separation.Status.AWAY
        end = due.auto_end_at(away, separation.start, separation.planned_minutes, current)
        if end != separation.auto_end_at:
            Separation.objects.filter(pk=separation_id).update(auto_end_at=end)
        rows = AgreedCheckIn.objects.select_for_update(no_key=True).filter(
            separation_id=separation_id
        )
        if agreed_ids is not None:
            rows = rows.filter(pk__in=list(agreed_ids))
        changed = []
        for agreed in rows.order_by("pk"):
            times = due.due_times(away, state_of(agreed), current)
            if any(getattr(agreed, name) != value for name, value in times.items()):
                for name, value in times.items():
                    setattr(agreed, name, value)
                changed.append(agreed)
        if changed:
            AgreedCheckIn.objects.bulk_update(changed, ["remind_at", "late_at"])


# The steps. Each handles one small batch and says how many rows it took.


def send_due_reminders(worker, now: datetime) -> int:
    """Reminders are rows and no network: a bigger batch, in one transaction."""
    taken = claims.claim_batch(
        AgreedCheckIn.objects.filter(remind_at__lte=now),
        now=now,
        lease=worker.lease,
        batch=max(worker.batch, REMINDER_BATCH),
        order_by="remind_at",
    )
    if taken and not worker.shutdown:
        try:
            _remind_all(taken, now)
            return len(taken)
        except Exception:
            # One bad row must not hold up the rest: one at a time, each records its own error.
            logger.warning(
                "A batch of reminders failed; handling them one at a time", exc_info=True
            )
    return _each(worker, taken, now, _remind)  # (on shutdown, it hands them back)


def send_due_nudges(worker, now: datetime) -> int:
    due_rows = AgreedCheckIn.objects.filter(late_at__lte=now)
    taken = claims.claim_due(
        due_rows, now=now, lease=worker.lease, batch=worker.batch, order_by="late_at"
    )
    return _each(worker, taken, now, _nudge)


def end_forgotten_separations(worker, now: datetime) -> int:
    """A separation nobody ended closes itself; the status change is its own claim."""
    found = list(
        Separation.objects.filter(auto_end_at__lte=now)
        .order_by("auto_end_at")
        .values_list("pk", flat=True)[: worker.batch]
    )
    for pk in found:
        if worker.shutdown:
            break
        try:
            _end(pk, now)
        except Exception:
            logger.exception("Separation %s could not be closed; trying again later", pk)
            Separation.objects.filter(pk=pk, auto_end_at__lte=now).update(
                auto_end_at=now + due.retry_after(MAX_ERRORS)
            )
    return len(found)


STEPS = (end_forgotten_separations, send_due_reminders, send_due_nudges)


def _each(worker, taken: list[claims.Claim], now: datetime, act: Callable) -> int:
    for claim in taken:
        if worker.shutdown:
            # Hand the rest back at once rather than making another worker wait for the lease.
            claims.release(AgreedCheckIn, claim)
            continue
        try:
            act(claim, now)
        except Exception as exc:
            logger.exception("Agreed update %s could not be handled", claim.pk)
            try:
                _record_error(claim, now, f"{type(exc).__name__}: {exc}")
            except Exception:
                logger.exception("Agreed update %s: its lease will bring it back", claim.pk)
    return len(taken)


def _locked(claim: claims.Claim) -> tuple[Separation, AgreedCheckIn] | None:
    """The separation, then the row, locked; None if the row is gone or no longer ours."""
    separation_id = (
        AgreedCheckIn.objects.filter(pk=claim.pk).values_list("separation_id", flat=True).first()
    )
    if separation_id is None:
        return None
    separation = (
        Separation.objects.select_for_update(no_key=True, of=("self",))
        .select_related("carer_membership", "carer_link", "leaver")
        .get(pk=separation_id)
    )
    agreed = (
        AgreedCheckIn.objects.select_for_update(no_key=True)
        .filter(pk=claim.pk, claim_token=claim.token)
        .first()
    )
    if agreed is None:
        return None
    return separation, agreed


def _release(agreed: AgreedCheckIn, claim: claims.Claim, away: bool, **fields) -> None:
    for name, value in fields.items():
        setattr(agreed, name, value)
    times = due.due_times(away, state_of(agreed), timing())
    claims.release(AgreedCheckIn, claim, **fields, **times)


def _open(agreed) -> due.OpenAgreed:
    return due.OpenAgreed(agreed.pk, agreed.due_at, agreed.remind_at, agreed.reminded_at)


def _others(separation: Separation, agreed: AgreedCheckIn) -> list[due.OpenAgreed]:
    return [o for o in _open_of([separation.pk]).get(separation.pk, []) if o.id != agreed.pk]


def _remind(claim: claims.Claim, now: datetime) -> None:
    """One reminder on its own (after a batch failed)."""
    with transaction.atomic():
        found = _locked(claim)
        if found is None:
            return
        separation, agreed = found
        carer = tell.carer(separation)
        quiet_end = notify.quiet_until(carer, now) if carer is not None else None
        fields, message = _reminder_outcome(
            separation, agreed, carer, quiet_end, _others(separation, agreed), now, timing()
        )
        _release(agreed, claim, separation.status == Separation.Status.AWAY, **fields)
        if message is not None:
            notify.send_many([message])


# What releasing a reminder's claim writes (the batch writes them from the row).
RELEASED_FIELDS = [
    "claim_token",
    "claimed_at",
    "remind_at",
    "late_at",
    "reminded_at",
    "not_before",
    "errors",
]


def _remind_all(taken: list[claims.Claim], now: datetime) -> None:
    """A batch of reminders: the same outcome as one at a time, in a few queries."""
    tokens = {claim.pk: claim.token for claim in taken}
    current = timing()
    with transaction.atomic():
        rows = [
            row
            for row in AgreedCheckIn.objects.select_for_update(no_key=True, of=("self",))
            .select_related(
                "separation__carer_membership__household", "separation__carer_link__household"
            )
            .filter(pk__in=list(tokens))
            .order_by("pk")
            if row.claim_token == tokens[row.pk]
        ]
        carers = [tell.carer(row.separation) for row in rows]
        quiet_ends = iter(notify.quiet_until_each([c for c in carers if c is not None], now))
        siblings = _open_of([row.separation_id for row in rows])
        messages = []
        for row, carer in zip(rows, carers, strict=True):
            others = [o for o in siblings.get(row.separation_id, []) if o.id != row.pk]
            quiet_end = next(quiet_ends) if carer is not None else None
            fields, message = _reminder_outcome(
                row.separation, row, carer, quiet_end, others, now, current
            )
            if fields:
                for name, value in fields.items():
                    setattr(row, name, value)
                away = row.separation.status == Separation.Status.AWAY
                for name, value in due.due_times(away, state_of(row), current).items():
                    setattr(row, name, value)
            row.claim_token, row.claimed_at = None, None
            if message is not None:
                messages.append(message)
        _write_alike(rows, RELEASED_FIELDS)
        notify.send_many(messages)


def _write_alike(rows: list[AgreedCheckIn], fields: list[str]) -> None:
    """Save `fields` of locked rows, one UPDATE per set of equal values (a batch has few)."""
    alike: dict[tuple, list[int]] = {}
    for row in rows:
        alike.setdefault(tuple(getattr(row, name) for name in fields), []).append(row.pk)
    for values, pks in alike.items():
        AgreedCheckIn.objects.filter(pk__in=pks).update(**dict(zip(fields, values, strict=True)))


def _reminder_outcome(
    separation: Separation,
    agreed: AgreedCheckIn,
    carer,
    quiet_end: datetime | None,
    others: list[due.OpenAgreed],
    now: datetime,
    current: due.Timing,
) -> tuple[dict, notify.Message | None]:
    """What a due reminder comes to: the fields to write, and the message to send if any.

    No fields: nothing to do, and the due times a request wrote meanwhile stand.
    """
    away = separation.status == Separation.Status.AWAY
    if (
        agreed.remind_at is None
        or agreed.remind_at > now
        or due.remind_at(away, state_of(agreed)) is None
    ):
        return {}, None  # over, posted, or moved while it waited for its lock
    if quiet_end is not None:
        return {"not_before": quiet_end}, None  # held; dropped if the time apart ends first
    action = due.reminder(now, _open(agreed), others, current.catch_up_grace)
    fields = {"reminded_at": now, "errors": 0}
    if action is due.Reminder.SKIP or carer is None:
        return fields, None
    catch_up = action is due.Reminder.CATCH_UP
    return fields, tell.reminder_message(separation, agreed, catch_up=catch_up)


def _open_of(separation_ids: list[int]) -> dict[int, list[due.OpenAgreed]]:
    found: dict[int, list[due.OpenAgreed]] = {}
    if separation_ids:
        rows = AgreedCheckIn.objects.filter(
            separation_id__in=separation_ids, done_by__isnull=True
        ).values_list("separation_id", "pk", "due_at", "remind_at", "reminded_at")
        for separation_id, *values in rows:
            found.setdefault(separation_id, []).append(due.OpenAgreed(*values))
    return found


def _nudge(claim: claims.Claim, now: datetime) -> None:
    with transaction.atomic():
        found = _locked(claim)
        if found is None:
            return
        separation, agreed = found
        away = separation.status == Separation.Status.AWAY
        if due.late_at(away, state_of(agreed), timing().late_after) is None or agreed.late_at > now:
            _release(agreed, claim, away)
            return
        carer = tell.carer(separation)
        if carer is None or not notify.reaches(carer, Event.REMINDER):
            # Nothing is said about lateness when the caregiver couldn't be reminded.
            _release(agreed, claim, away, nudged_at=now)
            return
        quiet = notify.quiet_until(carer, now)
        if quiet is not None:
            _release(agreed, claim, away, not_before=quiet)
            return
        superseded = due.nudge_superseded(now, _open(agreed), _others(separation, agreed))
        _release(agreed, claim, away, nudged_at=now, errors=0)
        if superseded:
            return  # the caregiver hears about the latest update only
        tell.nudge(separation)
        first = Separation.objects.filter(pk=separation.pk, late_agreed__isnull=True).update(
            late_agreed=agreed
        )
        if first:
            tell.still_to_come(separation)


def _end(pk: int, now: datetime) -> None:
    with transaction.atomic():
        separation = (
            Separation.objects.select_for_update(no_key=True, of=("self",))
            .select_related("leaver")
            .filter(pk=pk, auto_end_at__lte=now)
            .first()
        )
        if separation is None:
            return  # another worker, or "I'm back", got there first
        if separation.status == Separation.Status.AWAY:
            separation.status = Separation.Status.BACK
            # As planned, as far as anyone knows: never "early", never a failure.
            separation.back_at = min(separation.expected_back, now)
            separation.ended_by_itself = True
            separation.save(update_fields=["status", "back_at", "ended_by_itself"])
            tell.ended(separation)
        refresh_due_times(pk)


def _record_error(claim: claims.Claim, now: datetime, error: str) -> None:
    with transaction.atomic():
        found = _locked(claim)
        if found is None:
            return
        separation, agreed = found
        away = separation.status == Separation.Status.AWAY
        errors = agreed.errors + 1
        fields: dict = {"errors": errors, "last_error": error[:500]}
        if errors >= MAX_ERRORS:
            # Given up: handled, with its error kept for whoever looks.
            fields["reminded_at"] = agreed.reminded_at or now
            if agreed.reminded_at is not None:
                fields["nudged_at"] = now
        else:
            fields["not_before"] = now + due.retry_after(errors)
        _release(agreed, claim, away, **fields)
