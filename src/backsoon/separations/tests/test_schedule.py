"""Scheduling arithmetic: offsets are elapsed time, clock times are the household's wall clock."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backsoon.separations.schedule import (
    AgreedSpec,
    clock_due,
    default_agreement,
    due_at,
    ended_early,
    fits,
    planned_end,
    rounded_up,
    settling_range,
)

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_an_offset_is_elapsed_time():
    start = utc(2026, 6, 1, 12, 0)
    assert due_at(start, AgreedSpec("all_good", offset_minutes=45), LONDON) == utc(
        2026, 6, 1, 12, 45
    )


def test_a_clock_time_is_the_households_wall_clock():
    start = utc(2026, 6, 1, 11, 0)  # 12:00 in London (BST)
    assert clock_due(start, time(13, 0), LONDON) == utc(2026, 6, 1, 12, 0)
    assert clock_due(start, time(13, 0), NEW_YORK) == utc(2026, 6, 1, 17, 0)


def test_a_clock_time_already_past_today_means_tomorrow():
    start = utc(2026, 6, 1, 13, 0)  # 14:00 BST
    assert clock_due(start, time(13, 0), LONDON) == utc(2026, 6, 2, 12, 0)


def test_a_separation_across_the_london_autumn_change():
    # 25 Oct 2026: at 02:00 BST the clocks go back to 01:00 GMT; 01:30 happens twice.
    start = datetime(2026, 10, 25, 0, 30, tzinfo=LONDON)  # 23:30 UTC the day before
    assert start.astimezone(UTC) == utc(2026, 10, 24, 23, 30)
    # Three hours of real time end at 02:30 GMT, though the wall clock moved only 2 hours.
    assert planned_end(start, 180) == utc(2026, 10, 25, 2, 30)
    assert planned_end(start, 180).astimezone(LONDON).strftime("%H:%M") == "02:30"
    # 90 minutes after the start is 01:00 GMT (the second 01:00 on the wall).
    assert due_at(start, AgreedSpec("all_good", offset_minutes=90), LONDON) == utc(
        2026, 10, 25, 1, 0
    )
    # "01:30" is its first occurrence (BST), 1 hour after the start.
    assert clock_due(start, time(1, 30), LONDON) == utc(2026, 10, 25, 0, 30)
    # Starting between the two 01:30s, the second one (GMT) is the next.
    assert clock_due(utc(2026, 10, 25, 0, 40), time(1, 30), LONDON) == utc(2026, 10, 25, 1, 30)
    assert fits(start, 180, AgreedSpec("photo", clock=time(2, 30)), LONDON)
    assert not fits(start, 180, AgreedSpec("photo", clock=time(2, 45)), LONDON)


def test_a_time_in_the_spring_gap_falls_just_after_it():
    # 29 Mar 2026: at 01:00 GMT the clocks jump to 02:00 BST; 01:30 does not exist.
    start = utc(2026, 3, 29, 0, 0)
    due = clock_due(start, time(1, 30), LONDON)
    assert due == utc(2026, 3, 29, 1, 30)
    assert due.astimezone(LONDON).strftime("%H:%M") == "02:30"


def test_an_offset_across_the_spring_change_is_still_real_time():
    start = datetime(2026, 3, 29, 0, 30, tzinfo=LONDON)
    assert planned_end(start, 60) - start.astimezone(UTC) == timedelta(minutes=60)
    assert planned_end(start, 60).astimezone(LONDON).strftime("%H:%M") == "02:30"


def test_an_update_after_the_planned_end_does_not_fit():
    start = utc(2026, 6, 1, 12, 0)
    assert fits(start, 30, AgreedSpec("all_good", offset_minutes=30), LONDON)
    assert not fits(start, 30, AgreedSpec("all_good", offset_minutes=31), LONDON)
    assert not fits(
        start, 60, AgreedSpec("all_good", clock=time(12, 0)), LONDON
    )  # before: tomorrow


def test_a_spec_has_a_clock_time_or_an_offset():
    with pytest.raises(ValueError):
        AgreedSpec("all_good")
    with pytest.raises(ValueError):
        AgreedSpec("all_good", clock=time(13, 0), offset_minutes=5)


@pytest.mark.parametrize(
    ("minutes", "kinds"),
    [
        (5, []),
        (10, []),
        (15, ["all_good"]),
        (30, ["all_good"]),
        (60, ["all_good"]),
        (90, ["all_good", "photo"]),
        (240, ["all_good", "photo", "all_good"]),
    ],
)
def test_default_agreement_grows_gently_with_the_length(minutes, kinds):
    agreed = default_agreement(minutes)
    assert [a.kind for a in agreed] == kinds
    start = utc(2026, 6, 1, 12, 0)
    assert all(fits(start, minutes, a, LONDON) for a in agreed)


@given(st.integers(min_value=1, max_value=3 * 24 * 60))
def test_every_default_agreement_fits_its_length(minutes):
    start = utc(2026, 10, 24, 22, 0)
    for spec in default_agreement(minutes):
        assert fits(start, minutes, spec, LONDON)
        assert due_at(start, spec, LONDON) > start


def test_coming_back_early():
    left = utc(2026, 6, 1, 12, 0)
    assert not ended_early(left, left + timedelta(minutes=30), 30)
    assert not ended_early(left, left + timedelta(minutes=28), 30)  # within 10%
    assert ended_early(left, left + timedelta(minutes=20), 30)
    assert not ended_early(left, left + timedelta(seconds=250), 5)  # under a minute early
    assert ended_early(left, left + timedelta(minutes=3), 5)


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(0, "under_5"), (4.9, "under_5"), (5, "5_15"), (14, "5_15"), (15, "15_30"), (30, "over_30")],
)
def test_settling_ranges(minutes, expected):
    assert settling_range(minutes) == expected


def test_rounded_up_start():
    assert rounded_up(utc(2026, 6, 1, 12, 0)) == utc(2026, 6, 1, 12, 0)
    assert rounded_up(utc(2026, 6, 1, 12, 0, 1)) == utc(2026, 6, 1, 12, 5)
    assert rounded_up(utc(2026, 6, 1, 12, 57, 30)) == utc(2026, 6, 1, 13, 0)
