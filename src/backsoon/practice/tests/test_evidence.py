"""Evidence: what counts for which step, read from the database the way the rule reads it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from backsoon.practice import evidence, rule
from backsoon.practice import ladder as ladders
from backsoon.practice.tests.factories import practice, step_named
from backsoon.separations.models import (
    ParentMessage,
    Separation,
    SeparationPrivate,
    SettledAfter,
    Settling,
)
from backsoon.separations.tests.factories import make_separation

NOW = datetime(2026, 6, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def days_ago(n: float) -> datetime:
    return NOW - timedelta(days=n)


@pytest.fixture
def ladder(cast):
    return ladders.steps_of(ladders.ensure_ladder(cast.parent))


def test_sql_counts_agree_with_the_rule_for_every_step(cast, ladder):
    thirty, hour = step_named(cast.parent, "30 minutes"), step_named(cast.parent, "1 hour")
    trial = step_named(cast.parent, "Trial run at home")
    practice(cast, thirty, at=days_ago(9), feel="manageable")
    practice(cast, thirty, at=days_ago(8), away=5)  # early: still a time at the step
    practice(cast, hour, at=days_ago(7), feel="hard")
    practice(cast, trial, at=days_ago(6))
    practice(cast, None, at=days_ago(5), minutes=480, kind="everyday", feel="manageable")
    practice(cast, None, at=days_ago(4), minutes=240, away=100, kind="everyday")  # came back
    practice(cast, None, at=days_ago(3), minutes=20, kind="everyday")
    practice(cast, None, at=days_ago(2), minutes=45)  # a practice not on the ladder
    # Not evidence: someone else's time apart, one still planned, one cancelled.
    practice(cast, None, at=days_ago(2), minutes=480, kind="everyday", leaver=cast.partner)
    make_separation(cast, status=Separation.Status.PLANNED, minutes=600)
    make_separation(cast, status=Separation.Status.CANCELLED, minutes=600)

    counts = evidence.step_counts(cast.parent, ladder, with_feel=True)
    facts = evidence.recent_facts(cast.parent)
    assert len(facts) == 8
    ids = [s.pk for s in ladder]
    plain = [ladders.as_rule_step(s) for s in ladder]
    for step in plain:
        expected = sum(rule.counts_for(step, f, ids) for f in facts)
        assert counts[step.id]["times"] == expected, step.name
    by_name = {s.name: counts[s.pk] for s in ladder}
    assert by_name["Trial run at home"] == {"times": 1, "manageable": 0}
    assert by_name["5 minutes"] == {"times": 4, "manageable": 1}  # 8 h, 100 min, 20, 45 min
    assert by_name["30 minutes"] == {"times": 5, "manageable": 2}
    assert by_name["1 hour"] == {"times": 3, "manageable": 1}
    assert by_name["2 hours"] == {"times": 1, "manageable": 1}
    assert by_name["An evening out"] == {"times": 0, "manageable": 0}
    # The partner's view of the same ladder: how often, never how it felt.
    assert evidence.step_counts(cast.parent, ladder)[thirty.pk] == {"times": 5, "manageable": 0}


def test_facts_carry_what_the_rule_needs(cast, ladder):
    thirty = step_named(cast.parent, "30 minutes")
    slow = practice(
        cast,
        thirty,
        at=days_ago(3),
        feel="manageable",
        fear="she cries",
        happened="partly",
        messages_aim=1,
        settled=SettledAfter.OVER_30,
    )
    for after_missed in (False, False, True):
        ParentMessage.objects.create(
            separation=slow, owner=cast.parent, after_missed_update=after_missed
        )
    quick = practice(cast, thirty, at=days_ago(2), away=10, settled=SettledAfter.FROM_15_TO_30)
    Settling.objects.filter(separation=quick).update(after=SettledAfter.FROM_15_TO_30)
    newest, oldest = evidence.recent_facts(cast.parent)
    assert (newest.early, newest.slow_settling, newest.feel) == (True, (), "")
    assert (oldest.early, oldest.feel, oldest.fear, oldest.happened) == (
        False,
        "manageable",
        True,
        "partly",
    )
    assert oldest.slow_settling == ("Bea",)
    assert (oldest.messages, oldest.aim, oldest.mixed) == (2, 1, True)  # the third didn't count
    assert oldest.carer == f"m{cast.caregiver.pk}" and oldest.hour == 13  # London, summer


def test_not_settled_yet_counts_as_slow_only_after_more_than_30_minutes_away(cast, ladder):
    five, hour = step_named(cast.parent, "5 minutes"), step_named(cast.parent, "1 hour")
    practice(cast, five, at=days_ago(3), settled=SettledAfter.NOT_YET)
    practice(cast, hour, at=days_ago(2), settled=SettledAfter.NOT_YET)
    practice(cast, five, at=days_ago(1), settled=SettledAfter.OVER_30)
    newest, middle, oldest = evidence.recent_facts(cast.parent)
    assert (newest.slow_settling, middle.slow_settling, oldest.slow_settling) == (
        ("Bea",),
        ("Bea",),
        (),
    )
    # Two 5-minute practices with "not settled yet" on her return: nothing about 30 minutes.
    for day in (6, 5):
        practice(cast, five, at=days_ago(day), feel="manageable", settled=SettledAfter.NOT_YET)
    facts = [f for f in evidence.recent_facts(cast.parent) if f.at < days_ago(4)]
    s = rule.suggest([ladders.as_rule_step(x) for x in ladder], facts)
    assert (s.action, s.step.name) == (rule.Action.MOVE_UP, "15 minutes")


def test_the_suggestion_end_to_end(cast, ladder):
    thirty = step_named(cast.parent, "30 minutes")
    for day in (3, 2):
        practice(cast, thirty, at=days_ago(day), feel="manageable", fear="x", happened="no")
    s = evidence.suggestion_for(cast.parent)
    assert s.moves_up and s.step.name == "1 hour"
    # Sam has no ladder of his own yet: nothing to suggest, and Maya's ratings are not his.
    assert evidence.suggestion_for(cast.partner) is None


def test_a_removed_step_leaves_its_times_apart_counting_by_length(cast, ladder):
    thirty = step_named(cast.parent, "30 minutes")
    separation = practice(cast, thirty, at=days_ago(2), feel="manageable")
    ladders.remove_step(thirty)
    separation.refresh_from_db()
    assert separation.practice_step is None and separation.is_back
    counts = evidence.step_counts(cast.parent, ladders.steps_of(ladders.ladder_of(cast.parent)))
    assert counts[step_named(cast.parent, "15 minutes").pk]["times"] == 1


def test_only_the_owners_private_notes_are_read(cast, ladder):
    thirty = step_named(cast.parent, "30 minutes")
    separation = practice(cast, thirty, at=days_ago(2))
    # A private row that isn't Maya's (it can't happen through the app) is never read as hers.
    SeparationPrivate.objects.filter(separation=separation).update(owner=cast.partner, feel="hard")
    (only,) = evidence.recent_facts(cast.parent)
    assert only.feel == ""
