"""Scheduling arithmetic for separations: pure functions, no ORM, no request.

Times are stored in UTC and reasoned about in the household's time zone. An offset
("after 45 min") is real elapsed time; a clock time ("13:00") is a wall-clock time in the
household's zone, which is where daylight-saving changes bite.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# How early counts as "came back early": more than this share of the planned time left,
# and at least a minute (a 5-minute step ended 20 seconds early is not early).
EARLY_SHARE = 0.1
# Updates posted after the parent is back are still welcome for a while.
AFTER_RETURN_GRACE = timedelta(hours=4)
# A planned separation that starts within this window shows on the caregiver's page.
COMING_UP_WINDOW = timedelta(hours=12)


@dataclass(frozen=True)
class AgreedSpec:
    """One agreed update before it is placed in time: a clock time or an offset."""

    kind: str  # "all_good" or "photo"
    label: str = ""
    clock: time | None = None
    offset_minutes: int | None = None

    def __post_init__(self):
        if (self.clock is None) == (self.offset_minutes is None):
            raise ValueError("an agreed update has either a clock time or an offset")


def planned_end(start: datetime, minutes: int) -> datetime:
    """Real elapsed time: a 3-hour separation is 3 hours, whatever the clocks do.

    (Adding to a datetime in a ZoneInfo zone would add wall-clock time, hence UTC first.)
    """
    return start.astimezone(UTC) + timedelta(minutes=minutes)


def _wall_candidates(day: date, clock: time, zone: ZoneInfo) -> list[datetime]:
    """The UTC instants a wall-clock time names on a day: one, or two on the autumn change.

    A time that does not exist (the spring gap) names the instant just after the gap, where
    the clocks show the same time plus the jump (01:30 becomes 02:30), as with fold=0.
    """
    found = set()
    for fold in (0, 1):
        local = datetime.combine(day, clock, tzinfo=zone).replace(fold=fold)
        instant = local.astimezone(UTC)
        if instant.astimezone(zone).replace(tzinfo=None) == local.replace(tzinfo=None, fold=0):
            found.add(instant)
    if not found:
        found.add(datetime.combine(day, clock, tzinfo=zone).astimezone(UTC))
    return sorted(found)


def clock_due(start: datetime, clock: time, zone: ZoneInfo) -> datetime:
    """The first moment at or after `start` when the household's clocks show `clock`."""
    start = start.astimezone(UTC)
    local_day = start.astimezone(zone).date()
    for day in (local_day, local_day + timedelta(days=1)):
        for candidate in _wall_candidates(day, clock, zone):
            if candidate >= start:
                return candidate
    raise AssertionError("a wall-clock time recurs within two days")  # pragma: no cover


def due_at(start: datetime, spec: AgreedSpec, zone: ZoneInfo) -> datetime:
    if spec.offset_minutes is not None:
        return start.astimezone(UTC) + timedelta(minutes=spec.offset_minutes)
    return clock_due(start, spec.clock, zone)


def fits(start: datetime, minutes: int, spec: AgreedSpec, zone: ZoneInfo) -> bool:
    """Whether the update falls inside the time apart (its end included)."""
    return due_at(start, spec, zone) <= planned_end(start, minutes)


def ended_early(left_at: datetime, back_at: datetime, minutes: int) -> bool:
    left_over = planned_end(left_at, minutes) - back_at
    return left_over > max(timedelta(minutes=1), timedelta(minutes=minutes * EARLY_SHARE))


def _round5(minutes: float) -> int:
    return max(5, round(minutes / 5) * 5)


def default_agreement(minutes: int) -> list[AgreedSpec]:
    """A calm default: none for a short step, a few for a long day (DOMAIN.md, practice 5)."""
    if minutes <= 10:
        return []
    if minutes <= 45:
        return [AgreedSpec("all_good", "", offset_minutes=_round5(minutes / 2))]
    if minutes <= 120:
        agreed = [AgreedSpec("all_good", "", offset_minutes=20)]
        if minutes >= 90:
            agreed.append(AgreedSpec("photo", "", offset_minutes=_round5(minutes * 2 / 3)))
        return agreed
    return [
        AgreedSpec("all_good", "", offset_minutes=30),
        AgreedSpec("photo", "", offset_minutes=_round5(minutes / 2)),
        AgreedSpec("all_good", "", offset_minutes=_round5(minutes - 30)),
    ]


SETTLING_BOUNDS = ((5, "under_5"), (15, "5_15"), (30, "15_30"))


def settling_range(minutes: float) -> str:
    """The range a "settled now" follow-up falls in, counted from the goodbye."""
    for bound, name in SETTLING_BOUNDS:
        if minutes < bound:
            return name
    return "over_30"


def rounded_up(moment: datetime, step_minutes: int = 5) -> datetime:
    """The next whole `step_minutes` at or after `moment`, for a calm default start time."""
    whole = moment.replace(second=0, microsecond=0)
    if whole < moment:
        whole += timedelta(minutes=1)
    return whole + timedelta(minutes=(-whole.minute) % step_minutes)


# An update counts towards an agreed one due up to this long after it is posted.
MATCH_AHEAD = timedelta(minutes=30)


@dataclass(frozen=True)
class OpenAgreed:
    id: int
    kind: str
    due_at: datetime


def match_agreed(open_agreed: list[OpenAgreed], now: datetime, photo: bool) -> int | None:
    """Which open agreed update a new post fulfils: a photo prefers a photo slot, and only a
    post with a photo meets an agreed photo ("all good" or a few words meet a plain one)."""
    due = sorted((a for a in open_agreed if a.due_at <= now + MATCH_AHEAD), key=lambda a: a.due_at)
    if photo:
        for agreed in due:
            if agreed.kind == "photo":
                return agreed.id
    met = [a for a in due if photo or a.kind != "photo"]
    return met[0].id if met else None
