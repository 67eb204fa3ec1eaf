"""What the separations pages ask of the ladder: the steps to choose from when planning,
which one to preselect, and the next step to offer beside "same as last time".

Both suggestions read the leaving parent's own ratings: call them only when the person
asking is that parent.
"""

from __future__ import annotations

from dataclasses import dataclass

from backsoon.households.models import Membership
from backsoon.practice import evidence, words
from backsoon.practice import ladder as ladders
from backsoon.practice.models import LadderStep
from backsoon.practice.rule import Action


def plan_steps(leaver: Membership | None) -> list[LadderStep]:
    """The steps a plan can be for: the leaver's ladder, without trial runs at home (those
    have their own page). Empty when they have no ladder yet."""
    if leaver is None:
        return []
    return [s for s in ladders.steps_of(ladders.ladder_of(leaver)) if not s.is_trial]


def preselected(leaver: Membership, steps: list[LadderStep], asked: str | None):
    """The step asked for in the link (?step=…), else the one the ladder suggests."""
    by_id = {str(s.pk): s for s in steps}
    if asked in by_id:
        return by_id[asked]
    if not steps:
        return None
    suggestion = evidence.suggestion_for(leaver)
    if suggestion is None or suggestion.action is Action.IN_BETWEEN:
        return None
    return by_id.get(str(suggestion.step.id))


@dataclass(frozen=True)
class Offer:
    step: LadderStep
    headline: str
    reason: str


def again_offer(leaver: Membership, last) -> Offer | None:
    """The next step, when it is something other than the last plan again."""
    steps = plan_steps(leaver)
    if not steps:
        return None
    suggestion = evidence.suggestion_for(leaver)
    if suggestion is None or suggestion.action not in (Action.MOVE_UP, Action.DECIDE):
        return None
    step = next((s for s in steps if s.pk == suggestion.step.id), None)
    if step is None or (step.pk == last.practice_step_id and step.minutes == last.planned_minutes):
        return None
    return Offer(step, words.headline(suggestion), words.reason(suggestion))
