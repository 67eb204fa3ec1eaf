"""The next-step rule, case by case, with the sentence a parent reads for each.

Steps: trial run (1), 5 (2), 15 (3), 30 (4), 1 hour (5), 2 hours (6), an evening out (7).
"""

from __future__ import annotations

import pytest

from backsoon.practice import words
from backsoon.practice.rule import (
    Action,
    Step,
    Vary,
    Why,
    counts_for,
    in_between,
    placed_at,
    reaches,
    slow_to_settle,
    suggest,
)
from backsoon.practice.tests.factories import fact
from backsoon.separations.schedule import ended_early

TRIAL = Step(1, "Trial run at home", 30, "trial")
FIVE = Step(2, "5 minutes", 5)
FIFTEEN = Step(3, "15 minutes", 15)
THIRTY = Step(4, "30 minutes", 30)
HOUR = Step(5, "1 hour", 60)
TWO_HOURS = Step(6, "2 hours", 120)
EVENING = Step(7, "An evening out", 240, "bedtime")
LADDER = [TRIAL, FIVE, FIFTEEN, THIRTY, HOUR, TWO_HOURS, EVENING]
IDS = [s.id for s in LADDER]

M, H = "manageable", "hard"


def at(step, day, **kw):
    return fact(step.id, day=day, minutes=step.minutes, **kw)


def test_an_empty_ladder_suggests_nothing():
    assert suggest([], [at(THIRTY, 1)]) is None


def test_with_nothing_practised_start_with_the_first_step():
    s = suggest(LADDER, [])
    assert (s.action, s.step, s.current) == (Action.START, TRIAL, None)
    assert words.reason(s).startswith("A gentle first step")
    s = suggest(LADDER[1:], [fact(None, day=1, minutes=480, everyday=True)])
    assert (s.action, s.step) == (Action.START, FIVE)
    assert words.reason(s) == "Start small: 5 minutes away is a real step."


def test_two_manageable_times_where_the_fear_did_not_happen_move_up_one_step():
    s = suggest(
        LADDER,
        [
            at(THIRTY, 1, feel=M, fear=True, happened="no"),
            at(THIRTY, 2, feel=M, fear=True, happened="no"),
        ],
    )
    assert (s.action, s.step, s.current, s.minutes) == (Action.MOVE_UP, HOUR, THIRTY, 60)
    assert words.reason(s) == (
        "Your last two times at 30 minutes felt manageable, and what you feared didn't "
        "happen. Ready to try 1 hour?"
    )


def test_partly_counts_as_handled_and_the_reason_says_so():
    s = suggest(
        LADDER,
        [
            at(THIRTY, 1, feel=M, fear=True, happened="partly"),
            at(THIRTY, 2, feel=M, fear=True, happened="no"),
        ],
    )
    assert s.moves_up
    assert "what you feared was handled" in words.reason(s)


def test_skipped_ratings_never_hold_it_back_and_the_reason_claims_nothing_unsaid():
    s = suggest(LADDER, [at(THIRTY, 1), at(THIRTY, 2)])
    assert s.moves_up and s.step == HOUR
    assert words.reason(s) == "You've done 30 minutes twice. Ready to try 1 hour?"
    # A fear written down, but not whether it happened: still up, and no word about it.
    s = suggest(LADDER, [at(THIRTY, 1, feel=M, fear=True), at(THIRTY, 2, feel=M, fear=True)])
    assert s.moves_up
    assert words.reason(s) == (
        "Your last two times at 30 minutes felt manageable. Ready to try 1 hour?"
    )
    # One rated, one not: "twice", not "felt manageable".
    s = suggest(LADDER, [at(THIRTY, 1, feel=M), at(THIRTY, 2)])
    assert words.reason(s).startswith("You've done 30 minutes twice.")


def test_one_good_time_means_one_more_there():
    s = suggest(LADDER, [at(THIRTY, 1, feel=M)])
    assert (s.action, s.why, s.step) == (Action.REPEAT, Why.ONE_MORE, THIRTY)
    assert words.reason(s) == (
        "Last time at 30 minutes felt manageable. One more time there, then on to the next step."
    )
    s = suggest(LADDER, [at(THIRTY, 1)])
    assert words.reason(s).startswith("You've done 30 minutes once.")


def test_hard_means_another_go():
    s = suggest(LADDER, [at(THIRTY, 1, feel=M), at(THIRTY, 2, feel=M), at(THIRTY, 3, feel=H)])
    assert (s.action, s.why, s.step) == (Action.REPEAT, Why.HARD, THIRTY)
    assert words.reason(s).startswith("Last time at 30 minutes felt hard.")
    # A good time after a hard one: one more, not up yet (the last two must both go well).
    s = suggest(LADDER, [at(THIRTY, 1, feel=H), at(THIRTY, 2, feel=M)])
    assert (s.action, s.why) == (Action.REPEAT, Why.ONE_MORE)


def test_coming_back_early_means_another_go_never_up():
    s = suggest(LADDER, [at(THIRTY, 1, feel=M), at(THIRTY, 2, feel=M), at(THIRTY, 3, away=10)])
    assert (s.action, s.why, s.step) == (Action.REPEAT, Why.EARLY, THIRTY)
    assert "You came back sooner last time" in words.reason(s)


def test_a_few_minutes_short_is_not_early():
    # The same tolerance as the separations app: a minute, or a tenth of the time.
    s = suggest(LADDER, [at(HOUR, 1, away=55), at(HOUR, 2, away=54.5)])
    assert s.moves_up
    assert reaches(54 * 60, 60) and not reaches(53.9 * 60, 60)
    assert reaches(4 * 60, 5) and not reaches(3.9 * 60, 5)


@pytest.mark.parametrize("minutes", [1, 5, 14, 30, 60, 90, 240, 1440])
def test_reaches_mirrors_the_separations_early_rule(minutes):
    from datetime import UTC, datetime, timedelta

    left = datetime(2026, 6, 1, tzinfo=UTC)
    for seconds in range(0, minutes * 60 + 1, max(1, minutes * 6)):
        back = left + timedelta(seconds=seconds)
        assert reaches(seconds, minutes) == (not ended_early(left, back, minutes))


def test_two_early_returns_suggest_a_step_in_between():
    s = suggest(LADDER, [at(HOUR, 1, away=20), at(HOUR, 2, away=35)])
    assert (s.action, s.step, s.minutes, s.below) == (Action.IN_BETWEEN, HOUR, 45, THIRTY)
    assert words.reason(s) == (
        "You came back sooner the last two times at 1 hour. A step in between may help: 45 minutes."
    )
    assert words.headline(s) == "A step in between: 45 minutes"


def test_two_early_returns_at_a_shorter_step_suggest_a_step_in_between_there():
    # Working on the hour, then twice back early from the half hour: in between, below it.
    s = suggest(
        LADDER,
        [at(HOUR, 1, feel=M), at(THIRTY, 2, away=5), at(HOUR, 3, feel=M), at(THIRTY, 4, away=8)],
    )
    assert (s.action, s.step, s.current, s.minutes, s.below) == (
        Action.IN_BETWEEN,
        THIRTY,
        THIRTY,
        25,
        FIFTEEN,
    )
    assert words.reason(s) == (
        "You came back sooner the last two times at 30 minutes. A step in between may help: "
        "25 minutes."
    )
    # Only once there: another go at it.
    s = suggest(LADDER, [at(HOUR, 1, feel=M), at(THIRTY, 2, feel=M), at(THIRTY, 4, away=8)])
    assert (s.action, s.why, s.step) == (Action.REPEAT, Why.EARLY, THIRTY)


@pytest.mark.parametrize(
    ("after", "minutes_away", "slow"),
    [
        ("over_30", 5, True),
        ("not_yet", 60, True),
        ("not_yet", 31, True),
        ("not_yet", 30, False),
        ("not_yet", 5, False),
        ("15_30", 120, False),
        ("under_5", 120, False),
    ],
)
def test_only_more_than_30_minutes_to_settle_counts(after, minutes_away, slow):
    assert slow_to_settle(after, minutes_away * 60) is slow


@pytest.mark.parametrize(
    ("step", "expected"),
    [(FIVE, 3), (FIFTEEN, 10), (THIRTY, 25), (HOUR, 45), (TWO_HOURS, 90), (EVENING, 180)],
)
def test_in_between_is_half_the_gap_to_the_longest_shorter_step(step, expected):
    assert in_between(LADDER, step)[0] == expected


def test_no_in_between_for_a_trial_run_or_where_nothing_whole_fits():
    assert in_between(LADDER, TRIAL) is None
    one, two = Step(10, "1 minute", 1), Step(11, "2 minutes", 2)
    assert in_between([one, two], two) is None
    s = suggest([one, two], [at(two, 1, away=0), at(two, 2, away=0)])
    assert (s.action, s.why, s.step) == (Action.REPEAT, Why.EARLY_TWICE, two)
    s = suggest(LADDER, [at(TRIAL, 1, away=2), at(TRIAL, 2, away=3)])
    assert (s.action, s.step) == (Action.REPEAT, TRIAL)
    assert "That's all right" in words.reason(s)


def test_when_what_was_feared_happened_another_go():
    s = suggest(
        LADDER,
        [at(THIRTY, 1, feel=M), at(THIRTY, 2, feel=M, fear=True, happened="yes")],
    )
    assert (s.action, s.why) == (Action.REPEAT, Why.FEAR_HAPPENED)
    assert words.reason(s).startswith("Last time, what you feared did happen.")


def test_slow_settling_leaves_the_choice_to_the_parent():
    s = suggest(LADDER, [at(THIRTY, 1, feel=M), at(THIRTY, 2, feel=M, slow_settling=("Bea",))])
    assert (s.action, s.options) == (Action.DECIDE, (THIRTY, HOUR))
    assert words.reason(s) == (
        "Your last two times at 30 minutes felt manageable. Bea took more than 30 minutes to "
        "settle. You know them best: another go at 30 minutes, or on to 1 hour?"
    )
    # Settling doesn't turn a repeat into anything else.
    s = suggest(LADDER, [at(THIRTY, 1, feel=H, slow_settling=("Bea",))])
    assert s.action is Action.REPEAT


def test_at_the_top_of_the_ladder():
    s = suggest(LADDER, [at(EVENING, 1, feel=M, hour=19), at(EVENING, 2, feel=M, hour=19)])
    assert (s.action, s.step) == (Action.TOP, EVENING)
    assert "top of your ladder" in words.reason(s)
    # One good time at the top: another go, and no "next step" that isn't there.
    s = suggest(LADDER, [at(EVENING, 1, feel=H, hour=19), at(EVENING, 2, feel=M, hour=19)])
    assert (s.action, s.why, s.step) == (Action.REPEAT, Why.ONE_MORE, EVENING)
    assert words.reason(s) == (
        "Last time at “An evening out” felt manageable. One more time there? It's the top of "
        "your ladder."
    )


def test_more_messages_than_aimed_for_is_mixed_and_still_counts():
    mixed = at(THIRTY, 2, feel=M, messages=3, aim=1)
    assert mixed.mixed and not at(THIRTY, 2, messages=1, aim=1).mixed
    assert suggest(LADDER, [at(THIRTY, 1, feel=M), mixed]).moves_up


def test_everyday_time_apart_counts_for_the_daytime_steps_it_reached():
    work = fact(None, day=2, minutes=480, everyday=True, feel=M)
    assert [s.name for s in LADDER if counts_for(s, work, IDS)] == [
        "5 minutes",
        "15 minutes",
        "30 minutes",
        "1 hour",
        "2 hours",
    ]
    s = suggest(LADDER, [at(THIRTY, 1, feel=M), work])
    assert s.moves_up and s.step == HOUR
    # The reason doesn't call a day at work "30 minutes": it says what the two share.
    assert words.reason(s) == (
        "Your last two times away for 30 minutes or more felt manageable. Ready to try 1 hour?"
    )
    s = suggest(LADDER, [at(THIRTY, 1, feel=M), fact(None, day=2, minutes=480, everyday=True)])
    assert words.reason(s).startswith("You've been away for 30 minutes or more twice.")
    hard_day = fact(None, day=3, minutes=480, everyday=True, feel=H)
    s = suggest(LADDER, [at(THIRTY, 1, feel=M), work, hard_day])
    assert (s.action, s.why, s.step) == (Action.REPEAT, Why.HARD, THIRTY)
    assert words.reason(s).startswith("Your last time away for 30 minutes or more felt hard.")
    s = suggest(LADDER, [at(THIRTY, 1, feel=H), work])
    assert (s.action, s.why) == (Action.REPEAT, Why.ONE_MORE)
    assert words.reason(s) == (
        "Your last time away for 30 minutes or more felt manageable. One more time at "
        "30 minutes, then on to the next step."
    )
    short = fact(None, day=2, minutes=20, everyday=True)
    assert not counts_for(THIRTY, short, IDS) and counts_for(FIFTEEN, short, IDS)
    assert not suggest(LADDER, [at(THIRTY, 1, feel=M), short]).moves_up


def test_an_everyday_time_that_ended_early_counts_for_what_it_reached_but_holds_back_moving_up():
    appointment = fact(None, day=3, minutes=240, away=100, everyday=True)
    assert counts_for(HOUR, appointment, IDS) and not counts_for(TWO_HOURS, appointment, IDS)
    s = suggest(LADDER, [at(THIRTY, 1, feel=M), at(THIRTY, 2, feel=M), appointment])
    assert (s.action, s.why) == (Action.REPEAT, Why.EARLY)


def test_a_practice_whose_step_was_removed_counts_like_everyday_time():
    loose = fact(None, day=2, minutes=45)
    assert counts_for(THIRTY, loose, IDS) and not counts_for(HOUR, loose, IDS)
    assert not counts_for(TRIAL, loose, IDS) and not counts_for(EVENING, loose, IDS)


def test_a_practice_with_no_step_stands_at_the_longest_step_it_reached():
    # Issue 8, item 2: a 30-minute practice planned without a step is a time at 30 minutes.
    loose = fact(None, day=1, minutes=30, feel=M)
    assert placed_at(loose, LADDER) == THIRTY
    s = suggest(LADDER, [loose])
    assert (s.action, s.why, s.current) == (Action.REPEAT, Why.ONE_MORE, THIRTY)
    s = suggest(LADDER, [loose, fact(None, day=2, minutes=30, feel=M)])
    assert (s.action, s.current, s.step) == (Action.MOVE_UP, THIRTY, HOUR)
    # Back after 20 minutes of a planned 45: early, and it stands at what it reached.
    short = fact(None, day=3, minutes=45, away=20)
    assert placed_at(short, LADDER) == FIFTEEN
    assert suggest(LADDER, [short]).action is Action.REPEAT
    # Too short for any step, or everyday time apart: nothing practised yet.
    assert placed_at(fact(None, day=1, minutes=2), LADDER) is None
    work = fact(None, day=1, minutes=480, everyday=True)
    assert placed_at(work, LADDER) is None
    assert suggest(LADDER, [work]).action is Action.START


def test_the_current_step_is_the_highest_practised_in_the_last_two_weeks():
    # An hour on day 1, then two quick half-hours: still working on the hour.
    s = suggest(LADDER, [at(HOUR, 1, feel=M), at(THIRTY, 2, feel=M), at(THIRTY, 3, feel=M)])
    assert (s.current, s.action, s.why) == (HOUR, Action.REPEAT, Why.ONE_MORE)
    # Nothing higher in the two weeks before the latest practice: the latest one's step.
    s = suggest(LADDER, [at(HOUR, 1, feel=M), at(THIRTY, 16, feel=M), at(THIRTY, 17, feel=M)])
    assert (s.current, s.step) == (THIRTY, HOUR)


def test_an_early_return_from_a_shorter_step_is_repeated_there():
    s = suggest(LADDER, [at(HOUR, 1, feel=M), at(HOUR, 2, feel=M), at(FIFTEEN, 3, away=2)])
    assert (s.action, s.why, s.step) == (Action.REPEAT, Why.EARLY, FIFTEEN)
    assert words.reason(s).endswith("Another go at 15 minutes when you're ready?")


def test_a_variation_once_a_step_felt_manageable_twice():
    carers = [("m1", "Sam"), ("l2", "Grandma Ana")]
    same = {"carer": "m1", "carer_name": "Sam", "hour": 10}
    s = suggest(LADDER, [at(THIRTY, 1, feel=M, **same), at(THIRTY, 2, feel=M, **same)], carers)
    assert (s.variation.kind, s.variation.carer_name) == (Vary.CARER, "Grandma Ana")
    assert (
        words.variation(s) == "To make it hold, try 30 minutes with Grandma Ana caring some time."
    )
    both = [at(THIRTY, 1, feel=M, carer="m1", hour=9), at(THIRTY, 2, feel=M, carer="l2", hour=10)]
    assert suggest(LADDER, both, carers).variation.kind is Vary.TIME
    spread = [at(THIRTY, 1, carer="m1", hour=9), at(THIRTY, 2, carer="l2", hour=14)]
    assert suggest(LADDER, spread, carers).variation.kind is Vary.BEDTIME
    evening = [at(EVENING, 1, carer="m1", hour=18), at(EVENING, 2, carer="l2", hour=11)]
    assert suggest(LADDER, evening, carers).variation is None
    # Not after a hard time, nor after only one.
    assert suggest(LADDER, [at(THIRTY, 1, **same), at(THIRTY, 2, feel=H, **same)]).variation is None
    assert suggest(LADDER, [at(THIRTY, 1, feel=M, **same)], carers).variation is None


def test_every_headline_reads_well():
    cases = [
        suggest(LADDER, []),
        suggest(LADDER, [at(THIRTY, 1), at(THIRTY, 2)]),
        suggest(LADDER, [at(HOUR, 1, away=1), at(HOUR, 2, away=1)]),
        suggest(LADDER, [at(THIRTY, 1), at(THIRTY, 2, slow_settling=("Bea",))]),
        suggest(LADDER, [at(EVENING, 1), at(EVENING, 2)]),
        suggest(LADDER, [at(THIRTY, 1, feel=H)]),
    ]
    assert [words.headline(s) for s in cases] == [
        "A first step: Trial run at home",
        "Ready for 1 hour?",
        "A step in between: 45 minutes",
        "30 minutes again, or 1 hour — you choose",
        "The top of your ladder: An evening out",
        "Another go at 30 minutes",
    ]


def test_a_custom_step_name_is_quoted_in_the_reason():
    walk = Step(20, "A walk round the park", 30)
    s = suggest([walk, HOUR], [at(walk, 1, feel=M), at(walk, 2, feel=M)])
    assert words.reason(s).startswith("Your last two times at “A walk round the park” felt")
