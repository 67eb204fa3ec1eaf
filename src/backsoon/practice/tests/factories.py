"""Test helpers: ladders, finished times apart with ratings, and the URL test's values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from backsoon.practice import ladder as ladders
from backsoon.practice import rule
from backsoon.practice.models import LadderStep
from backsoon.separations.models import Separation, SeparationPrivate, SettledAfter, Settling
from backsoon.separations.tests.factories import FEAR_MARKER, make_separation

# A rating only the parent may ever see: privacy tests look for it on the partner's pages.
FEEL_MARKER_TEXT = "felt manageable"


def step_named(owner, name: str) -> LadderStep:
    return LadderStep.objects.get(ladder__owner=owner, name=name)


def practice(
    cast,
    step: LadderStep | None,
    *,
    at: datetime,
    minutes: int | None = None,
    away: int | None = None,
    feel: str = "",
    fear: str = "",
    happened: str = "",
    kind: str = Separation.Kind.PRACTICE,
    leaver=None,
    settled: str | None = None,
    **private,
) -> Separation:
    """A finished time apart: planned for `minutes` (the step's), away for `away` minutes."""
    minutes = minutes or step.minutes
    away = minutes if away is None else away
    separation = make_separation(
        cast,
        leaver=leaver,
        status=Separation.Status.BACK,
        starts_at=at,
        minutes=minutes,
        private={"feel": feel, "fear": fear, "fear_outcome": happened, **private},
    )
    Separation.objects.filter(pk=separation.pk).update(
        kind=kind, practice_step=step, back_at=at + timedelta(minutes=away)
    )
    if settled:
        Settling.objects.create(separation=separation, child=cast.child, after=settled)
    separation.refresh_from_db()
    return separation


def fact(
    step_id: int | None = None,
    *,
    day: int = 1,
    minutes: int = 30,
    away: float | None = None,
    feel: str = "",
    fear: bool = False,
    happened: str = "",
    **extra,
) -> rule.Fact:
    """A plain fact for the rule, `day` days into June 2026 (later days are newer)."""
    return rule.Fact(
        at=datetime(2026, 6, 1, 10, tzinfo=UTC) + timedelta(days=day),
        seconds_away=(minutes if away is None else away) * 60,
        planned_minutes=minutes,
        step_id=step_id,
        feel=feel,
        fear=fear,
        happened=happened,
        **extra,
    )


def url_values(cast) -> dict:
    """Maya's own ladder, a step on it, and a rated practice with a fear (owner data)."""
    ladder = ladders.ensure_ladder(cast.parent)
    step = ladder.steps.exclude(kind=LadderStep.Kind.TRIAL).first()
    separation = practice(
        cast,
        step,
        at=timezone.now() - timedelta(days=1),
        feel=SeparationPrivate.Feel.MANAGEABLE,
        fear=FEAR_MARKER,
        happened=SeparationPrivate.Outcome.NO,
        settled=SettledAfter.UNDER_5,
    )
    assert separation.private.feel
    return {"parent_id": cast.parent.pk, "step_id": step.pk}
