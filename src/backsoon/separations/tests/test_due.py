"""The worker's due times and its collapsing rules, as plain functions."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from backsoon.separations import due
from backsoon.separations.due import AgreedState, OpenAgreed, Reminder

T = datetime(2026, 6, 10, 13, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)
TIMING = due.Timing()


def test_a_reminder_is_due_at_the_due_time_only_while_away_and_open():
    state = AgreedState(due_at=T)
    assert due.remind_at(True, state) == T
    assert due.remind_at(False, state) is None
    assert due.remind_at(True, AgreedState(due_at=T, done=True)) is None
    assert due.remind_at(True, AgreedState(due_at=T, reminded_at=T)) is None


def test_quiet_hours_or_a_retry_hold_it_back_but_never_bring_it_forward():
    assert due.remind_at(True, AgreedState(due_at=T, not_before=T + 30 * MIN)) == T + 30 * MIN
    assert due.remind_at(True, AgreedState(due_at=T, not_before=T - 30 * MIN)) == T


def test_the_nudge_comes_after_the_reminder_has_had_its_chance():
    assert due.late_at(True, AgreedState(due_at=T), 10 * MIN) is None, "not reminded yet"
    assert due.late_at(True, AgreedState(due_at=T, reminded_at=T), 10 * MIN) == T + 10 * MIN
    # After a downtime the reminder went at 13:40: the nudge waits its ten minutes after it.
    late_reminder = AgreedState(due_at=T, reminded_at=T + 40 * MIN)
    assert due.late_at(True, late_reminder, 10 * MIN) == T + 50 * MIN
    nudged = AgreedState(due_at=T, reminded_at=T, nudged_at=T + 10 * MIN)
    assert due.late_at(True, nudged, 10 * MIN) is None, "one nudge, ever"
    assert due.late_at(False, AgreedState(due_at=T, reminded_at=T), 10 * MIN) is None
    assert due.late_at(True, AgreedState(due_at=T, reminded_at=T, done=True), 10 * MIN) is None


def test_both_columns_together():
    assert due.due_times(True, AgreedState(due_at=T), TIMING) == {"remind_at": T, "late_at": None}
    assert due.due_times(False, AgreedState(due_at=T, reminded_at=T), TIMING) == {
        "remind_at": None,
        "late_at": None,
    }


def test_a_forgotten_im_back_closes_it_hours_after_the_planned_end():
    start = datetime(2026, 10, 24, 23, 0, tzinfo=UTC)
    assert due.auto_end_at(True, start, 120, TIMING) == start + timedelta(hours=5)
    assert due.auto_end_at(False, start, 120, TIMING) is None


def agreed(n: int, remind: datetime | None = None, reminded: datetime | None = None) -> OpenAgreed:
    due_at = T + n * timedelta(hours=1)
    return OpenAgreed(n, due_at, remind if remind is not None else due_at, reminded)


def test_a_reminder_on_time_is_sent():
    assert due.reminder(T, agreed(0), [agreed(1)], 15 * MIN) is Reminder.SEND


def test_after_a_downtime_only_the_latest_due_is_sent_as_one_catch_up():
    now = T + timedelta(hours=2, minutes=30)
    three = [agreed(0), agreed(1), agreed(2)]
    plans = {a.id: due.reminder(now, a, [o for o in three if o != a], 15 * MIN) for a in three}
    assert plans == {0: Reminder.SKIP, 1: Reminder.SKIP, 2: Reminder.CATCH_UP}


def test_a_later_update_not_yet_due_does_not_silence_an_earlier_one():
    now = T + 30 * MIN
    assert due.reminder(now, agreed(0), [agreed(1)], 15 * MIN) is Reminder.CATCH_UP


def test_two_updates_agreed_for_the_same_minute_get_one_reminder():
    one, two = OpenAgreed(1, T, T), OpenAgreed(2, T, T)
    assert due.reminder(T, one, [two], 15 * MIN) is Reminder.SKIP
    assert due.reminder(T, two, [one], 15 * MIN) is Reminder.SEND


def test_a_nudge_about_an_older_update_is_superseded_by_a_later_reminder():
    now = T + timedelta(hours=1, minutes=10)
    assert due.nudge_superseded(now, agreed(0, reminded=T), [agreed(1, reminded=now)])
    assert not due.nudge_superseded(now, agreed(1, reminded=now), [agreed(0, reminded=T)])
    assert not due.nudge_superseded(T + 10 * MIN, agreed(0, reminded=T), [agreed(1)])


def test_retries_back_off_to_an_hour():
    assert [due.retry_after(n).total_seconds() / 60 for n in (1, 2, 3, 7, 20)] == [
        1,
        2,
        4,
        60,
        60,
    ]


@given(
    offsets=st.lists(st.integers(min_value=0, max_value=600), min_size=1, max_size=8),
    late_by=st.integers(min_value=0, max_value=900),
)
def test_whatever_is_due_at_once_exactly_one_reminder_goes(offsets, late_by):
    rows = [
        OpenAgreed(i, T + timedelta(minutes=m), T + timedelta(minutes=m))
        for i, m in enumerate(offsets)
    ]
    now = max(r.due_at for r in rows) + timedelta(minutes=late_by)
    plans = [due.reminder(now, r, [o for o in rows if o is not r], 15 * MIN) for r in rows]
    assert sum(plan is not Reminder.SKIP for plan in plans) == 1
