"""The rule's promises, over any ladder and any history (hypothesis)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from backsoon.practice import words
from backsoon.practice.rule import Action, Fact, Feel, Happened, Kind, Step, counts_for, suggest

START = datetime(2026, 1, 1, tzinfo=UTC)


@st.composite
def ladders(draw):
    count = draw(st.integers(1, 9))
    kinds = st.sampled_from([Kind.AWAY, Kind.AWAY, Kind.AWAY, Kind.TRIAL, Kind.BEDTIME])
    return [
        Step(i + 1, f"step {i + 1}", draw(st.integers(1, 24 * 60)), draw(kinds))
        for i in range(count)
    ]


@st.composite
def histories(draw, ladder):
    days = draw(st.lists(st.integers(0, 400), max_size=14, unique=True))
    facts = []
    for day in days:
        planned = draw(st.integers(1, 24 * 60))
        share = draw(st.sampled_from([0, 0.3, 0.85, 0.95, 1, 1.2]))
        fear = draw(st.booleans())
        facts.append(
            Fact(
                at=START + timedelta(days=day, hours=draw(st.integers(0, 23))),
                seconds_away=planned * 60 * share,
                planned_minutes=planned,
                step_id=draw(st.one_of(st.none(), st.sampled_from([s.id for s in ladder]))),
                everyday=draw(st.booleans()),
                feel=draw(st.sampled_from(["", Feel.MANAGEABLE, Feel.HARD])),
                fear=fear,
                happened=draw(st.sampled_from(["", *Happened])) if fear else "",
                slow_settling=draw(st.sampled_from([(), ("Bea",)])),
                messages=draw(st.integers(0, 3)),
                aim=draw(st.one_of(st.none(), st.integers(0, 2))),
                carer=draw(st.sampled_from(["m1", "l2"])),
                hour=draw(st.integers(0, 23)),
            )
        )
    return facts


@st.composite
def cases(draw):
    ladder = draw(ladders())
    return ladder, draw(histories(ladder))


CARERS = [("m1", "Sam"), ("l2", "Grandma Ana"), ("l3", "Lou")]


@given(cases())
def test_it_never_skips_more_than_one_step(case):
    ladder, facts = case
    s = suggest(ladder, facts, CARERS)
    if s.current is None:
        assert s.step == ladder[0]
    else:
        for option in s.options:
            assert ladder.index(option) <= ladder.index(s.current) + 1


@given(cases())
def test_it_never_suggests_moving_up_right_after_an_early_return(case):
    ladder, facts = case
    s = suggest(ladder, facts, CARERS)
    newest = max(facts, key=lambda f: f.at, default=None)
    if newest is not None and newest.early:
        assert s.action not in (Action.MOVE_UP, Action.DECIDE)
    if s.action in (Action.MOVE_UP, Action.DECIDE):
        here = sorted(
            (f for f in facts if counts_for(s.current, f, [x.id for x in ladder])),
            key=lambda f: f.at,
            reverse=True,
        )
        assert len(here) >= 2
        assert not any(f.step_id == s.current.id and f.early for f in here[:2])


@given(cases())
def test_every_suggestion_is_a_length_on_the_ladder_or_an_explicit_in_between(case):
    ladder, facts = case
    s = suggest(ladder, facts, CARERS)
    assert s.step in ladder
    if s.action is Action.IN_BETWEEN:
        low = s.below.minutes if s.below else 0
        assert low < s.minutes < s.step.minutes
        assert s.below is None or s.below in ladder
    else:
        assert s.minutes == s.step.minutes


def _answered(facts):
    """The same history with every skipped rating answered in the most favourable way."""
    return [
        dataclasses.replace(
            f,
            feel=f.feel or Feel.MANAGEABLE,
            happened=(f.happened or Happened.NO) if f.fear else f.happened,
        )
        for f in facts
    ]


def _decision(s):
    return (s.action, s.step, s.current, s.minutes, s.below, s.variation)


@given(cases())
def test_it_never_needs_a_rating_that_was_skipped(case):
    ladder, facts = case
    assert _decision(suggest(ladder, facts, CARERS)) == _decision(
        suggest(ladder, _answered(facts), CARERS)
    )


@given(cases())
def test_there_is_always_a_suggestion_and_a_sentence_for_it(case):
    ladder, facts = case
    s = suggest(ladder, facts, CARERS)
    for text in (words.reason(s), words.headline(s)):
        assert text and "%(" not in text
    assert "%(" not in words.variation(s)
    if s.current is not None and ladder.index(s.current) == len(ladder) - 1:
        assert "next step" not in words.reason(s)  # nothing above the top to promise
