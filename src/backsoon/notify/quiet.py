"""Quiet hours: pure wall-clock arithmetic in the household's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def quiet_until(now: datetime, start: time, end: time, zone: ZoneInfo) -> datetime | None:
    """When the quiet hours that `now` falls in end (in UTC), or None if `now` isn't quiet.

    `start` and `end` are wall-clock times; a window like 22:00–07:00 runs past midnight.
    """
    if start == end:
        return None
    local = now.astimezone(zone)
    wall = local.time().replace(tzinfo=None)
    today = local.date()
    if start < end:
        return _at(today, end, zone) if start <= wall < end else None
    if wall >= start:
        return _at(today + timedelta(days=1), end, zone)
    if wall < end:
        return _at(today, end, zone)
    return None


def _at(day: date, wall: time, zone: ZoneInfo) -> datetime:
    # A wall time the clocks skip (spring forward) is read with the earlier offset, so it
    # lands just after the gap; a repeated one (autumn) means its first occurrence.
    return datetime.combine(day, wall, tzinfo=zone).astimezone(UTC)
