"""Red-flag rules: pure functions over plain facts, each naming its source (DOMAIN.md,
"Red flags"). No request, no ORM: `cards.py` gathers the facts and words the cards.

A rule answers "does the evidence point to help, as of `now`?" with a Finding that carries
its evidence window: when the evidence started, its latest event, and `until` — when it
would stop holding if nothing new happened. Dismissals are kept with that window:

- "I already have support" stops a card for good (that rule, that child);
- "Not now" hides it for SNOOZE, or until the evidence ends if that is sooner. After that
  it returns only if the rule still fires, so it never comes back on stale evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum


class Rule(StrEnum):
    SLOW_SETTLING = "slow_settling"
    HIGH_SCORES = "high_scores"
    CANCELLED_PLANS = "cancelled_plans"
    HARD_PRACTICE = "hard_practice"


class Choice(StrEnum):
    NOT_NOW = "not_now"
    HAVE_SUPPORT = "have_support"


SNOOZE = timedelta(days=7)


@dataclass(frozen=True)
class Evidence:
    start: datetime
    last: datetime
    until: datetime


@dataclass(frozen=True)
class Finding:
    rule: Rule
    evidence: Evidence
    key: str = ""  # which child, for the baby's rule
    details: dict = field(default_factory=dict, compare=False)


def _holds_until(
    events: Sequence, when: Callable, now: datetime, lookback: timedelta, holds: Callable
) -> datetime:
    """The first moment after `now` at which `holds(events still inside the lookback)` fails,
    if nothing new happened. An event at `when(e)` counts while t < when(e) + lookback."""
    for drop in sorted({when(e) + lookback for e in events if when(e) + lookback > now}):
        if not holds([e for e in events if when(e) + lookback > drop]):
            return drop
    return max(when(e) for e in events) + lookback


# The baby: not settled within 30 minutes, again and again, for more than a week.

SLOW_ANSWERS = frozenset({"over_30", "not_yet"})  # "more than 30 minutes", "not settled yet"
SETTLING_LOOKBACK = timedelta(days=14)
SETTLING_TIMES = 3
SETTLING_SPAN = timedelta(days=7)


@dataclass(frozen=True)
class Settled:
    """How long one child took to settle on one finished separation (the caregiver's answer)."""

    child_id: int
    child_name: str
    at: datetime  # when the separation started
    after: str  # a SettledAfter value: under_5, 5_15, 15_30, over_30, not_yet


def slow_settling(settlings: Iterable[Settled], now: datetime) -> list[Finding]:
    """Source: pediatrician Dr. D. Ganjian, in "Does My Baby Miss Me When I'm Away?" (2024):
    a baby who cannot be calmed within 30 minutes, repeatedly for more than a week → talk to
    the pediatrician.

    Fires for a child when, in the last 14 days, at least 3 separations ended with "more than
    30 minutes" or "not settled yet", and the first and last of them are at least 7 days apart
    (three slow evenings in one bad week of teething are not "more than a week").
    """
    by_child: dict[int, list[Settled]] = {}
    for s in settlings:
        if s.after in SLOW_ANSWERS and s.at <= now:
            by_child.setdefault(s.child_id, []).append(s)

    def holds(times: list[datetime]) -> bool:
        return len(times) >= SETTLING_TIMES and max(times) - min(times) >= SETTLING_SPAN

    found = []
    for child_id, slow in sorted(by_child.items()):
        times = sorted(s.at for s in slow if now - s.at < SETTLING_LOOKBACK)
        if not holds(times):
            continue
        days = max(1, -(-(now - times[0]) // timedelta(days=1)))  # whole days, rounded up
        found.append(
            Finding(
                rule=Rule.SLOW_SETTLING,
                key=f"child-{child_id}",
                evidence=Evidence(
                    times[0],
                    times[-1],
                    _holds_until(times, lambda t: t, now, SETTLING_LOOKBACK, holds),
                ),
                details={
                    "child_id": child_id,
                    "name": slow[-1].child_name,
                    "times": len(times),
                    "days": days,
                },
            )
        )
    return found


# The parent: a self-check score of 10 or more.

SCORES_VALID_FOR = timedelta(days=28)
SCORE_FROM = 10


@dataclass(frozen=True)
class Scored:
    check: str  # "gad7" or "phq9"
    score: int
    at: datetime


def high_scores(results: Iterable[Scored], now: datetime) -> Finding | None:
    """Source: Spitzer et al. 2006 (GAD-7) and Kroenke et al. 2001 (PHQ-9), which both take
    a score of 10 or more as the point to look further → suggest a doctor or therapist.

    Fires when the latest GAD-7 or the latest PHQ-9 is 10 or more and was taken in the last
    28 days (each describes the last two weeks; after four it is time for a new one). A newer,
    lower result of the same questionnaire ends it.
    """
    latest: dict[str, Scored] = {}
    for r in results:
        if r.at <= now and (r.check not in latest or r.at > latest[r.check].at):
            latest[r.check] = r
    high = [r for r in latest.values() if r.score >= SCORE_FROM and now - r.at < SCORES_VALID_FOR]
    if not high:
        return None
    return Finding(
        rule=Rule.HIGH_SCORES,
        evidence=Evidence(
            min(r.at for r in high),
            max(r.at for r in high),
            max(r.at for r in high) + SCORES_VALID_FOR,
        ),
        details={r.check: r.score for r in sorted(high, key=lambda r: r.check)},
    )


# The parent: planned separations called off again and again (avoidance).

PLANS_LOOKBACK = timedelta(days=28)
PLANS_CALLED_OFF = 3


@dataclass(frozen=True)
class Plan:
    """One of the person's own plans to leave: called off by them, or gone ahead."""

    at: datetime  # when it was called off, or when they left
    called_off: bool


def cancelled_plans(plans: Iterable[Plan], now: datetime) -> Finding | None:
    """Source: DOMAIN.md's red flags ("the anxiety stops them leaving for necessary things")
    and "avoiding time away", one of the seven common signs of separation anxiety in parents.
    The threshold is our own rule of thumb, not a validated measure, and the card says so.

    Fires when, in the last 28 days, the person called off at least 3 of their own plans to
    leave (practices and everyday ones alike), and at least half of the plans they made in
    that time: called off ≥ 3 and called off ≥ gone ahead. Plans the partner called off, and
    plans moved to another time, do not count.
    """
    recent = [p for p in plans if p.at <= now and now - p.at < PLANS_LOOKBACK]

    def holds(window: list[Plan]) -> bool:
        off = sum(p.called_off for p in window)
        return off >= PLANS_CALLED_OFF and off >= len(window) - off

    if not holds(recent):
        return None
    called_off = sorted(p.at for p in recent if p.called_off)
    until = _holds_until(recent, lambda p: p.at, now, PLANS_LOOKBACK, holds)
    return Finding(
        rule=Rule.CANCELLED_PLANS,
        evidence=Evidence(called_off[0], called_off[-1], until),
        details={"times": len(called_off), "plans": len(recent)},
    )


# The parent: practising has felt hard for a while.

HARD_LOOKBACK = timedelta(weeks=8)
HARD_SPAN = timedelta(weeks=6)
HARD_TIMES = 4


@dataclass(frozen=True)
class Rated:
    """One of the person's own finished practices they rated at the reunion (skipped ones
    are not passed in: a skipped rating says nothing either way)."""

    at: datetime  # when they left
    hard: bool  # "hard"; False for "manageable"


def hard_practice(practices: Iterable[Rated], now: datetime) -> Finding | None:
    """Source: DOMAIN.md's red flags (intense distress that goes on for months → a therapist
    or support group) and exposure research (Craske et al. 2008, Behav Res Ther 46:5; Craske
    et al. 2014, Behav Res Ther 58:10): steps are meant to become manageable with practice,
    so when they keep feeling hard, a therapist can help shape them. The thresholds are our
    own rule of thumb, not a validated measure, and the card says so.

    Fires when, in the last 8 weeks, the person rated at least 4 practices "hard", more of
    them "hard" than "manageable" (mostly hard), and the first and last "hard" are at least
    6 weeks apart (a hard fortnight is not "for a while"). Practices only (a trial run at
    home is one); skipped ratings and everyday times apart do not count.
    """
    recent = [p for p in practices if p.at <= now and now - p.at < HARD_LOOKBACK]

    def holds(window: list[Rated]) -> bool:
        hard = sorted(p.at for p in window if p.hard)
        return (
            len(hard) >= HARD_TIMES
            and len(hard) > len(window) - len(hard)
            and hard[-1] - hard[0] >= HARD_SPAN
        )

    if not holds(recent):
        return None
    hard = sorted(p.at for p in recent if p.hard)
    return Finding(
        rule=Rule.HARD_PRACTICE,
        evidence=Evidence(
            hard[0], hard[-1], _holds_until(recent, lambda p: p.at, now, HARD_LOOKBACK, holds)
        ),
        details={"hard": len(hard), "rated": len(recent), "weeks": HARD_LOOKBACK.days // 7},
    )


# Dismissals.


@dataclass(frozen=True)
class Dismissed:
    rule: str
    key: str
    choice: str
    hidden_until: datetime | None  # None: for good ("I already have support")


def hidden_until(finding: Finding, choice: Choice, now: datetime) -> datetime | None:
    """What a dismissal stores: for good, or "not now" until the snooze or the evidence ends."""
    if Choice(choice) is Choice.HAVE_SUPPORT:
        return None
    return min(now + SNOOZE, finding.evidence.until)


def showing(
    findings: Iterable[Finding], dismissals: Iterable[Dismissed], now: datetime
) -> list[Finding]:
    """The findings to show as cards now, after the person's own dismissals."""
    stopped: set[tuple[str, str]] = set()
    snoozed: set[tuple[str, str]] = set()
    for d in dismissals:
        if d.choice == Choice.HAVE_SUPPORT:
            stopped.add((d.rule, d.key))
        elif d.hidden_until is not None and d.hidden_until > now:
            snoozed.add((d.rule, d.key))
    return [
        f
        for f in findings
        if (f.rule.value, f.key) not in stopped and (f.rule.value, f.key) not in snoozed
    ]
