"""The practice ladders, and your own next-step suggestion.

A ladder is household data: both parents see each other's steps and how often each was done
(DOMAIN.md, practice 16). How a practice felt, and the suggestion with its reasons, come
from the parent's own ratings (owner data), so they are only in `…/mine/ladder`, worked out
for the caller alone — the same split as the ladder page in the app.
"""

from django.http import HttpRequest
from ninja import Router

from backsoon.api.errors import READ, errors, not_found
from backsoon.api.permissions import api_access
from backsoon.api.schemas import LadderOut, MyLadderOut, ObjectId
from backsoon.households.access import Access
from backsoon.households.models import Membership, Role
from backsoon.practice import evidence, words
from backsoon.practice import ladder as ladders
from backsoon.practice.models import Ladder
from backsoon.practice.rule import Action, Suggestion

router = Router(tags=["practice"])

L = "/households/{household_id}/ladders"


def _step(step, counts: dict) -> dict:
    return {
        "id": step.pk,
        "position": step.position,
        "name": step.name,
        "minutes": step.minutes,
        "kind": step.kind,
        "idea": step.idea,
        "in_between": step.in_between,
        "times": counts.get(step.pk, {}).get("times", 0),
    }


def ladder_out(parent: Membership, ladder: Ladder | None) -> dict:
    """Household data only: the steps and how often each was done, never how it felt."""
    steps = list(ladder.steps.all()) if ladder is not None else []
    counts = evidence.step_counts(parent, steps)
    return {
        "parent": {"id": parent.pk, "name": parent.display_name},
        "created_at": ladder.created_at if ladder is not None else None,
        "steps": [_step(s, counts) for s in steps],
    }


def _parents(request: HttpRequest):
    return request.household.memberships.filter(role=Role.PARENT).order_by("created_at", "pk")


@router.get(L, response={200: list[LadderOut], **errors(*READ)})
@api_access(Access.PARENTS)
def list_ladders(request: HttpRequest, household_id: ObjectId):
    """Each parent's ladder: its steps and how often each was done (household data).

    How the practices felt, and the suggestion, are the parent's own: see `…/mine/ladder`.
    Access: `parents`.
    """
    parents = list(_parents(request))
    found = {
        ladder.owner_id: ladder
        for ladder in Ladder.objects.filter(owner__in=parents).prefetch_related("steps")
    }
    return [ladder_out(p, found.get(p.pk)) for p in parents]


@router.get(L + "/{parent_id}", response={200: LadderOut, **errors(*READ)})
@api_access(Access.PARENTS)
def get_ladder(request: HttpRequest, household_id: ObjectId, parent_id: ObjectId):
    """One parent's ladder (household data). Access: `parents`."""
    parent = _parents(request).filter(pk=parent_id).first()
    if parent is None:
        raise not_found()
    ladder = Ladder.objects.filter(owner=parent).prefetch_related("steps").first()
    return ladder_out(parent, ladder)


def suggestion_out(s: Suggestion) -> dict:
    return {
        "action": s.action.value,
        "why": s.why.value,
        "step_id": s.step.id,
        "current_step_id": s.current.id if s.current else None,
        "minutes": s.minutes,
        "below_step_id": s.below.id if s.below else None,
        "options": [o.id for o in s.options],
        "headline": words.headline(s),
        "reason": words.reason(s),
        "variation": words.variation(s),
        "variation_kind": s.variation.kind.value if s.variation else None,
    }


@router.get(
    "/households/{household_id}/mine/ladder",
    response={200: MyLadderOut, **errors(*READ)},
)
@api_access(Access.OWNER)
def my_ladder(request: HttpRequest, household_id: ObjectId):
    """Your ladder, how often each step felt manageable, and the next-step suggestion.

    The first time, your ladder is made with the default steps, as when you open it in the
    app. Plan the suggested step with `practice_step_id` on `POST …/separations`.
    Access: `owner`: your own, never your partner's.
    """
    me = request.subject.membership
    if me is None or not request.subject.is_parent:
        raise not_found()
    ladder = ladders.ensure_ladder(me)
    steps = list(ladder.steps.all())
    counts = evidence.step_counts(me, steps, with_feel=True)
    suggestion = evidence.suggestion_for(me, steps)
    current = suggestion.current.id if suggestion and suggestion.current else None
    suggested = set()
    if suggestion is not None and suggestion.action is not Action.IN_BETWEEN:
        suggested = {o.id for o in suggestion.options}
    return {
        "parent": {"id": me.pk, "name": me.display_name},
        "created_at": ladder.created_at,
        "steps": [
            {
                **_step(s, counts),
                "manageable": counts.get(s.pk, {}).get("manageable", 0),
                "current": s.pk == current,
                "suggested": s.pk in suggested,
            }
            for s in steps
        ],
        "suggestion": suggestion_out(suggestion) if suggestion is not None else None,
    }
