"""When the worker acts on a separation: pure functions, no ORM, no request, no settings.

Every due time is a column (STYLE.md, item 1) computed here from what is stored, and
recomputed on every write: an agreed update's reminder (`remind_at`) and its one gentle
nudge (`late_at`), and the moment a forgotten "I'm back" closes the separation
(`auto_end_at`). The worker asks the database what is due; nothing is queued.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from backsoon.separations.schedule import planned_end


@dataclass(frozen=True)
class Timing:
    """The household-independent knobs (settings; see work.timing())."""

    late_after: timedelta = timedelta(minutes=10)  # a nudge once an update is this late
    auto_end_after: timedelta = timedelta(hours=3)  # a forgotten "I'm back" ends itself
    catch_up_grace: timedelta = timedelta(minutes=15)  # later than this, a reminder is stale


@dataclass(frozen=True)
class AgreedState:
    """What an agreed update's due times depend on."""

    due_at: datetime
    done: bool = False
    reminded_at: datetime | None = None
    nudged_at: datetime | None = None
    # Held back until then: the caregiver's quiet hours, or a retry after an error.
    not_before: datetime | None = None


def _not_before(moment: datetime, not_before: datetime | None) -> datetime:
    return max(moment, not_before) if not_before is not None else moment


def remind_at(away: bool, state: AgreedState) -> datetime | None:
    """The reminder goes at the due time, only while the parent is away and it is still open."""
    if not away or state.done or state.reminded_at is not None:
        return None
    return _not_before(state.due_at, state.not_before)


def late_at(away: bool, state: AgreedState, late_after: timedelta) -> datetime | None:
    """One nudge, `late_after` past the due time, never before the reminder has had its chance.

    After a downtime the reminder goes late, so the nudge waits as long again after it.
    """
    if not away or state.done or state.nudged_at is not None or state.reminded_at is None:
        return None
    return _not_before(max(state.due_at, state.reminded_at) + late_after, state.not_before)


def due_times(away: bool, state: AgreedState, timing: Timing) -> dict[str, datetime | None]:
    """Both columns, as keyword arguments for an UPDATE."""
    return {
        "remind_at": remind_at(away, state),
        "late_at": late_at(away, state, timing.late_after),
    }


def auto_end_at(
    away: bool, start: datetime, planned_minutes: int, timing: Timing
) -> datetime | None:
    """A separation nobody ended closes itself a few hours after its planned end."""
    if not away:
        return None
    return planned_end(start, planned_minutes) + timing.auto_end_after


@dataclass(frozen=True)
class OpenAgreed:
    """An agreed update of the same separation that is still to come."""

    id: int
    due_at: datetime
    remind_at: datetime | None
    reminded_at: datetime | None = None


class Reminder(StrEnum):
    SEND = "send"
    CATCH_UP = "catch_up"  # stale: the worker was away; one reminder, worded for it
    SKIP = "skip"  # a later update of the same separation is due too: that one is sent


def _order(agreed: OpenAgreed) -> tuple[datetime, int]:
    return (agreed.due_at, agreed.id)


def reminder(now: datetime, this: OpenAgreed, others: list[OpenAgreed], grace: timedelta):
    """What to do with a reminder that is due now, given the separation's other open updates.

    Nobody is flooded: when several reminders of one separation are due at once (after a
    downtime, or quiet hours, or two updates agreed for the same minute) only the latest is
    sent and the rest are marked handled. A reminder more than `grace` late is a catch-up.
    """
    later_also_due = any(
        _order(other) > _order(this) and other.remind_at is not None and other.remind_at <= now
        for other in others
    )
    if later_also_due:
        return Reminder.SKIP
    if now - this.due_at > grace:
        return Reminder.CATCH_UP
    return Reminder.SEND


def nudge_superseded(now: datetime, this: OpenAgreed, others: list[OpenAgreed]) -> bool:
    """A nudge about an older update stays unsent once a later one is reminded or due.

    The caregiver then hears about the latest update only, once.
    """
    return any(
        _order(other) > _order(this)
        and (
            other.reminded_at is not None
            or (other.remind_at is not None and other.remind_at <= now)
        )
        for other in others
    )


def retry_after(errors: int) -> timedelta:
    """A row that failed waits 1, 2, 4 … minutes, at most an hour."""
    return timedelta(minutes=min(60, 2 ** max(0, errors - 1)))
