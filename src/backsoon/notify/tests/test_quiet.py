"""Quiet hours are wall-clock times in the household's zone, across midnight and DST."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from backsoon.notify.quiet import quiet_until

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
NIGHT = (time(22, 0), time(7, 0))


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2026, 6, 10, 20, 59), None),  # 21:59 BST: not yet
        (utc(2026, 6, 10, 21, 0), utc(2026, 6, 11, 6, 0)),  # 22:00 BST → 07:00 BST
        (utc(2026, 6, 11, 1, 30), utc(2026, 6, 11, 6, 0)),  # after midnight, same morning
        (utc(2026, 6, 11, 6, 0), None),  # 07:00 BST: quiet is over
        (utc(2026, 1, 10, 22, 30), utc(2026, 1, 11, 7, 0)),  # winter: GMT
    ],
)
def test_night_time_quiet_hours_run_past_midnight(now, expected):
    assert quiet_until(now, *NIGHT, LONDON) == expected


def test_daytime_quiet_hours_within_one_day():
    nap = (time(13, 0), time(15, 0))
    assert quiet_until(utc(2026, 1, 10, 13, 30), *nap, LONDON) == utc(2026, 1, 10, 15, 0)
    assert quiet_until(utc(2026, 1, 10, 15, 0), *nap, LONDON) is None
    assert quiet_until(utc(2026, 1, 10, 12, 59), *nap, LONDON) is None


def test_across_the_autumn_change_quiet_ends_at_seven_on_the_clock():
    # 25 Oct 2026: London goes from BST (UTC+1) to GMT at 02:00 BST. At 22:30 BST on the
    # 24th, 07:00 next morning is GMT: 07:00 UTC, nine and a half hours later, not 8.5.
    assert quiet_until(utc(2026, 10, 24, 21, 30), *NIGHT, LONDON) == utc(2026, 10, 25, 7, 0)
    # 01:30 happens twice that night; both times it is quiet until the same 07:00 GMT.
    assert quiet_until(utc(2026, 10, 25, 0, 30), *NIGHT, LONDON) == utc(2026, 10, 25, 7, 0)
    assert quiet_until(utc(2026, 10, 25, 1, 30), *NIGHT, LONDON) == utc(2026, 10, 25, 7, 0)


def test_across_the_spring_change_quiet_ends_at_seven_on_the_clock():
    # 29 Mar 2026: GMT → BST at 01:00 GMT. 07:00 BST is 06:00 UTC.
    assert quiet_until(utc(2026, 3, 28, 22, 30), *NIGHT, LONDON) == utc(2026, 3, 29, 6, 0)


def test_a_wall_time_the_clocks_skip_ends_just_after_the_gap():
    # 01:30 doesn't exist in London on 29 Mar 2026: quiet ends at 02:30 BST (01:30 UTC).
    early = (time(0, 0), time(1, 30))
    assert quiet_until(utc(2026, 3, 29, 0, 15), *early, LONDON) == utc(2026, 3, 29, 1, 30)


def test_the_households_zone_decides_not_the_servers():
    # 03:00 UTC is 22:00 the evening before in New York (EST).
    assert quiet_until(utc(2026, 1, 10, 3, 0), *NIGHT, NEW_YORK) == utc(2026, 1, 10, 12, 0)
    assert quiet_until(utc(2026, 1, 10, 3, 0), *NIGHT, LONDON) == utc(2026, 1, 10, 7, 0)


def test_equal_start_and_end_means_no_quiet_hours():
    assert quiet_until(utc(2026, 1, 10, 3, 0), time(7), time(7), LONDON) is None
