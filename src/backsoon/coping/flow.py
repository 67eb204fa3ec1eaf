"""The urge to check (or to go home) as a small state machine: plain functions, no ORM.

offered ──begin──▶ waiting ──end──▶ ended
   └──────────────────end──────────────▲

The wait is never longer than the time apart has left; beginning again while waiting (a
double tap, or coming back to the page) never restarts it; an urge ends exactly once, with
one of three outcomes, none of them a failure (DOMAIN.md, practice 6).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

DEFAULT_WAIT_MINUTES = 20  # DOMAIN.md: wait 20–30 minutes first
MAX_WAIT_MINUTES = 30
WAIT_CHOICES = (5, 10, 15, 20, 25, 30)


class Phase(StrEnum):
    OFFERED = "offered"
    WAITING = "waiting"
    ENDED = "ended"


class Outcome(StrEnum):
    PASSED = "passed"
    CARRIED_ON = "carried_on"
    MESSAGE = "message"


@dataclass(frozen=True)
class UrgeState:
    kind: str
    at: datetime
    ends_by: datetime  # when the time apart is planned to end (or ended)
    started_at: datetime | None = None
    wait_minutes: int | None = None
    buzz: bool = False
    ended_at: datetime | None = None
    outcome: str = ""
    waited_seconds: int | None = None

    @property
    def phase(self) -> Phase:
        if self.ended_at is not None:
            return Phase.ENDED
        if self.started_at is not None:
            return Phase.WAITING
        return Phase.OFFERED

    @property
    def wait_ends_at(self) -> datetime | None:
        if self.started_at is None or self.wait_minutes is None:
            return None
        return self.started_at + timedelta(minutes=self.wait_minutes)

    @property
    def buzz_at(self) -> datetime | None:
        """When the worker should buzz: only for a wait still running that asked for it."""
        return self.wait_ends_at if self.phase is Phase.WAITING and self.buzz else None


def minutes_left(now: datetime, ends_by: datetime) -> int:
    """Whole minutes until the planned end, never negative (rounded down: never past it)."""
    return max(0, int((ends_by - now).total_seconds() // 60))


def offered_wait(now: datetime, ends_by: datetime, default: int = DEFAULT_WAIT_MINUTES) -> int:
    """20 minutes, or the time left if the time apart ends sooner (0: no time to wait)."""
    return min(default, minutes_left(now, ends_by))


def wait_choices(now: datetime, ends_by: datetime) -> list[int]:
    """The lengths to choose from: the usual ones that fit, and the offered one."""
    left = minutes_left(now, ends_by)
    offered = offered_wait(now, ends_by)
    choices = {m for m in WAIT_CHOICES if m <= left}
    if offered > 0:
        choices.add(offered)
    return sorted(choices)


def new(kind: str, now: datetime, ends_by: datetime) -> UrgeState:
    return UrgeState(kind=kind, at=now, ends_by=ends_by)


def begin(state: UrgeState, now: datetime, minutes: int, buzz: bool = False) -> UrgeState:
    """Start waiting. Capped at the time left; a wait already running is resumed, not restarted."""
    if state.phase is not Phase.OFFERED:
        return state
    minutes = min(minutes, MAX_WAIT_MINUTES, minutes_left(now, state.ends_by))
    if minutes < 1:
        return state  # no time left to wait: the three endings are still there
    return replace(state, started_at=now, wait_minutes=minutes, buzz=buzz)


def end(state: UrgeState, now: datetime, outcome: str) -> UrgeState:
    """Record how it ended, once: ending an ended urge changes nothing."""
    if state.phase is Phase.ENDED:
        return state
    outcome = Outcome(outcome)
    waited = 0
    if state.started_at is not None and state.wait_minutes is not None:
        elapsed = (now - state.started_at).total_seconds()
        waited = int(min(max(0.0, elapsed), state.wait_minutes * 60))
    return replace(state, ended_at=now, outcome=outcome.value, waited_seconds=waited)


def is_over(state: UrgeState, now: datetime) -> bool:
    """The wait has run its course (the page then asks how it is now)."""
    ends = state.wait_ends_at
    return state.phase is Phase.WAITING and ends is not None and now >= ends


def beyond_aim(counted_messages: int, aim: int) -> bool:
    """More messages than the parent aimed for: noted as "more than planned", nothing else."""
    return counted_messages > aim
