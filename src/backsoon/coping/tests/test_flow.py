"""The urge flow as a pure state machine: the wait is capped at the time left, a wait
resumes rather than restarts, and every urge ends exactly once (hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backsoon.coping import flow
from backsoon.coping.flow import Outcome, Phase

T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


# --- the offer -------------------------------------------------------------------------


def test_twenty_minutes_when_there_is_time():
    assert flow.offered_wait(at(45), at(120)) == 20


def test_a_15_minute_practice_offers_the_10_minutes_left():
    # Left at 12:00 for 15 minutes; the urge comes at 12:05.
    assert flow.offered_wait(at(5), at(15)) == 10


def test_time_left_is_rounded_down_so_the_wait_never_runs_past_the_end():
    assert flow.offered_wait(at(5.5), at(15)) == 9
    assert flow.minutes_left(at(14.99), at(15)) == 0


def test_nothing_to_offer_at_or_after_the_planned_end():
    assert flow.offered_wait(at(15), at(15)) == 0
    assert flow.offered_wait(at(40), at(15)) == 0


def test_the_choices_fit_the_time_left_and_include_the_offer():
    assert flow.wait_choices(at(0), at(120)) == [5, 10, 15, 20, 25, 30]
    assert flow.wait_choices(at(5), at(15)) == [5, 10]
    assert flow.wait_choices(at(3), at(15)) == [5, 10, 12]
    assert flow.wait_choices(at(0), at(4)) == [4]
    assert flow.wait_choices(at(15), at(15)) == []


# --- transitions, by example -------------------------------------------------------------


def test_begin_then_end_records_how_long_the_parent_waited():
    urge = flow.new("check", at(45), at(120))
    assert urge.phase is Phase.OFFERED and urge.buzz_at is None
    waiting = flow.begin(urge, at(46), 20, buzz=True)
    assert waiting.phase is Phase.WAITING
    assert waiting.wait_ends_at == at(66) and waiting.buzz_at == at(66)
    assert not flow.is_over(waiting, at(65.9)) and flow.is_over(waiting, at(66))
    ended = flow.end(waiting, at(58), Outcome.PASSED)
    assert (ended.phase, ended.outcome, ended.waited_seconds) == (Phase.ENDED, "passed", 720)
    assert ended.buzz_at is None


def test_coming_back_late_counts_the_wait_not_the_absence():
    waiting = flow.begin(flow.new("home", at(0), at(120)), at(0), 20)
    assert flow.end(waiting, at(90), Outcome.CARRIED_ON).waited_seconds == 1200


def test_ending_straight_away_is_fine_and_waited_nothing():
    ended = flow.end(flow.new("check", at(10), at(60)), at(10), Outcome.MESSAGE)
    assert ended.outcome == "message" and ended.waited_seconds == 0


def test_an_unknown_outcome_is_refused():
    with pytest.raises(ValueError):
        flow.end(flow.new("check", at(0), at(60)), at(1), "gave_up")


def test_a_wait_cannot_begin_with_no_time_left():
    urge = flow.new("check", at(15), at(15))
    assert flow.begin(urge, at(15), 20) is urge


def test_more_than_planned_is_only_past_the_aim():
    assert not flow.beyond_aim(1, 1)
    assert flow.beyond_aim(2, 1)
    assert flow.beyond_aim(1, 0)


# --- transitions, exhaustively -----------------------------------------------------------

actions = st.lists(
    st.one_of(
        st.tuples(
            st.just("begin"),
            st.floats(0, 40, allow_nan=False),  # minutes since the previous step
            st.integers(-5, 90),  # the minutes asked for (bad values too)
            st.booleans(),
        ),
        st.tuples(
            st.just("end"),
            st.floats(0, 40, allow_nan=False),
            st.sampled_from(list(Outcome)),
            st.just(False),
        ),
        st.tuples(st.just("look"), st.floats(0, 40, allow_nan=False), st.none(), st.none()),
    ),
    max_size=12,
)


def reload(state: flow.UrgeState) -> flow.UrgeState:
    """What a later request rebuilds from the stored columns (leaving and coming back)."""
    return flow.UrgeState(**{f: getattr(state, f) for f in state.__dataclass_fields__})


@given(
    start=st.floats(0, 240, allow_nan=False),
    length=st.integers(1, 240),
    kind=st.sampled_from(["check", "home"]),
    steps=actions,
)
def test_any_sequence_keeps_the_rules(start, length, kind, steps):
    now = at(start)
    ends_by = at(0) + timedelta(minutes=length)
    state = flow.new(kind, now, ends_by)
    endings = 0
    began_at = None
    for action, delay, value, buzz in steps:
        now = now + timedelta(minutes=delay)
        before = state
        if action == "begin":
            state = flow.begin(state, now, value, buzz)
            if before.phase is Phase.OFFERED and state.phase is Phase.WAITING:
                began_at = now
                # The wait is capped: by the ask, by 30 minutes, by the time left.
                assert 1 <= state.wait_minutes <= min(value, 30)
                assert state.wait_ends_at <= ends_by
                assert state.buzz_at == (state.wait_ends_at if buzz else None)
            elif before.phase is Phase.WAITING:
                assert state == before, "a running wait is resumed, never restarted"
        elif action == "end":
            state = flow.end(state, now, value)
            if before.phase is not Phase.ENDED:
                endings += 1
                assert state.outcome == value and state.ended_at == now
            else:
                assert state == before, "an ended urge never changes"
        # Leaving the page and coming back: the same state, the same answers.
        again = reload(state)
        assert again == state and again.phase is state.phase
        assert flow.is_over(again, now) == flow.is_over(state, now)
        assert again.wait_ends_at == state.wait_ends_at
    assert endings <= 1
    if state.phase is Phase.ENDED:
        assert endings == 1
        assert state.outcome in set(Outcome)
        assert state.buzz_at is None
        assert 0 <= state.waited_seconds <= (state.wait_minutes or 0) * 60
        if began_at is not None:
            expected = min((state.ended_at - began_at).total_seconds(), state.wait_minutes * 60)
            assert state.waited_seconds == int(expected)
    if state.phase is Phase.WAITING:
        assert state.started_at == began_at


@given(
    urge_at=st.floats(0, 300, allow_nan=False),
    length=st.integers(1, 300),
    asked=st.integers(1, 30),
)
def test_the_wait_offered_and_taken_never_passes_the_planned_end(urge_at, length, asked):
    now, ends_by = at(urge_at), at(length)
    offered = flow.offered_wait(now, ends_by)
    assert 0 <= offered <= 20
    assert offered == min(20, flow.minutes_left(now, ends_by))
    waiting = flow.begin(flow.new("check", now, ends_by), now, asked)
    if waiting.phase is Phase.WAITING:
        assert waiting.wait_ends_at <= ends_by
    else:
        assert flow.minutes_left(now, ends_by) == 0
    for choice in flow.wait_choices(now, ends_by):
        assert now + timedelta(minutes=choice) <= ends_by
