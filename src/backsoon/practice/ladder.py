"""The ladder's default steps and its editing: add, remove, reorder, rename, change lengths.

Positions are renumbered 0, 1, 2… after every change, so the order is always the list order.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from backsoon.households.models import Membership
from backsoon.practice import rule
from backsoon.practice.models import Ladder, LadderStep
from backsoon.separations.display import length

TRIAL_MINUTES = 30


def default_steps() -> list[dict]:
    """Start small, step up (DOMAIN.md, practices 1 and 2), in the parent's language."""
    away = LadderStep.Kind.AWAY
    bedtime = LadderStep.Kind.BEDTIME
    rows = [
        (
            LadderStep.Kind.TRIAL,
            TRIAL_MINUTES,
            _("Trial run at home"),
            _("They care, you stay in the house"),
        ),
        (away, 5, "", _("the mailbox, a shower with the door closed")),
        (away, 15, "", _("a nearby shop")),
        (away, 30, "", _("a walk")),
        (away, 60, "", _("an appointment, a coffee")),
        (away, 90, "", _("a haircut, a long walk")),
        (away, 120, "", _("a film, lunch with a friend")),
        (away, 240, _("Half a day"), ""),
        (away, 480, _("A full day"), ""),
        (bedtime, 240, _("An evening out"), _("they do bedtime")),
        (bedtime, 720, _("Overnight"), _("they do the night")),
    ]
    return [
        {"kind": kind, "minutes": minutes, "name": name or length(minutes), "idea": idea}
        for kind, minutes, name, idea in rows
    ]


def ladder_of(owner: Membership) -> Ladder | None:
    return Ladder.objects.filter(owner=owner).first()


def ensure_ladder(owner: Membership) -> Ladder:
    """The parent's ladder; the first time, with the default steps (safe when two race)."""
    with transaction.atomic():
        ladder, created = Ladder.objects.get_or_create(
            owner=owner, defaults={"household_id": owner.household_id}
        )
        if created:
            LadderStep.objects.bulk_create(
                LadderStep(ladder=ladder, position=i, **row)
                for i, row in enumerate(default_steps())
            )
    return ladder


def steps_of(ladder: Ladder | None) -> list[LadderStep]:
    return list(ladder.steps.all()) if ladder is not None else []


def steps_for(owner: Membership) -> list[LadderStep]:
    """The parent's steps in one query; none if they have no ladder yet."""
    return list(LadderStep.objects.filter(ladder__owner=owner))


def as_rule_step(step: LadderStep) -> rule.Step:
    return rule.Step(step.pk, step.name, step.minutes, step.kind, step.in_between)


def _renumber(ladder: Ladder, ordered: list[LadderStep]) -> None:
    for i, step in enumerate(ordered):
        step.position = i
    LadderStep.objects.bulk_update(ordered, ["position"])


def add_step(ladder: Ladder, *, name: str, minutes: int, kind: str, idea: str = "") -> LadderStep:
    """A new step goes where its length belongs among the steps of its kind."""
    with transaction.atomic():
        ordered = steps_of(ladder)
        same = [i for i, other in enumerate(ordered) if other.kind == kind]
        longer = [i for i in same if ordered[i].minutes > minutes]
        at = longer[0] if longer else (same[-1] + 1 if same else len(ordered))
        step = LadderStep.objects.create(
            ladder=ladder, name=name, minutes=minutes, kind=kind, idea=idea, position=at
        )
        ordered.insert(at, step)
        _renumber(ladder, ordered)
    return step


def remove_step(step: LadderStep) -> None:
    """Past practices keep their time apart; they simply no longer point at a step."""
    ladder = step.ladder
    with transaction.atomic():
        step.delete()
        _renumber(ladder, steps_of(ladder))


def move_step(step: LadderStep, up: bool) -> bool:
    with transaction.atomic():
        ordered = steps_of(step.ladder)
        i = next(i for i, s in enumerate(ordered) if s.pk == step.pk)
        j = i - 1 if up else i + 1
        if not 0 <= j < len(ordered):
            return False
        ordered[i], ordered[j] = ordered[j], ordered[i]
        _renumber(step.ladder, ordered)
    return True


class NoRoom(Exception):
    """The in-between step no longer fits (the ladder changed meanwhile)."""


def add_in_between(ladder: Ladder, above: LadderStep, minutes: int) -> LadderStep:
    """Insert the suggested in-between step just below `above` (rule.in_between)."""
    with transaction.atomic():
        ordered = steps_of(ladder)
        plain = [as_rule_step(s) for s in ordered]
        found = rule.in_between(plain, as_rule_step(above))
        if found is None or found[0] != minutes:
            raise NoRoom
        at = next(i for i, s in enumerate(ordered) if s.pk == above.pk)
        kind = LadderStep.Kind.BEDTIME if above.kind == LadderStep.Kind.BEDTIME else "away"
        step = LadderStep.objects.create(
            ladder=ladder,
            name=length(minutes),
            minutes=minutes,
            kind=kind,
            in_between=True,
            position=at,
        )
        ordered.insert(at, step)
        _renumber(ladder, ordered)
    return step
