"""Separations: list, read, plan, start ("leaving now"), end ("I'm back"), cancel.

The operations go through `separations.services`, as the web pages do. Parents see all of
the household's separations; a caregiver (account or link) sees only those they care for.
"""

from datetime import time

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from backsoon.api.errors import READ, WRITE, conflict, errors, forbidden, invalid, not_found
from backsoon.api.permissions import api_access
from backsoon.api.routes import present
from backsoon.api.schemas import (
    AgreedOut,
    DateTimeIn,
    Limit,
    ObjectId,
    Offset,
    PlanIn,
    SeparationOut,
    SeparationPage,
    SeparationStatus,
)
from backsoon.households.access import Access
from backsoon.households.services import zone
from backsoon.practice.models import LadderStep
from backsoon.separations import schedule, services
from backsoon.separations.forms import PAST_GRACE
from backsoon.separations.models import Separation

router = Router(tags=["separations"])

S = "/households/{household_id}/separations"


def visible(request: HttpRequest):
    """The separations this subject may see: all for parents, their own care for others."""
    queryset = present.separations().filter(household=request.household)
    if not request.subject.is_parent:
        queryset = queryset.filter(services.caring_for(request.subject))
    return queryset


def visible_one(request: HttpRequest, separation_id: int) -> Separation:
    separation = visible(request).filter(pk=separation_id).first()
    if separation is None:
        raise not_found()
    return separation


@router.get(S, response={200: SeparationPage, **errors(*READ)})
@api_access(Access.HOUSEHOLD, caregivers=True)
def list_separations(
    request: HttpRequest,
    household_id: ObjectId,
    status: SeparationStatus | None = None,
    starts_after: DateTimeIn | None = None,
    starts_before: DateTimeIn | None = None,
    limit: Limit = 20,
    offset: Offset = 0,
):
    """Newest first. Filter by status and by start (date-times with an offset, RFC 3339).

    Access: `household`: parents see all; a caregiver or caregiver link, those they care for.
    """
    queryset = visible(request).order_by("-starts_at", "-pk")
    if status:
        queryset = queryset.filter(status=status)
    if starts_after is not None:
        queryset = queryset.filter(starts_at__gte=starts_after)
    if starts_before is not None:
        queryset = queryset.filter(starts_at__lt=starts_before)
    return {
        "items": [present.separation_out(s) for s in queryset[offset : offset + limit]],
        "count": queryset.count(),
        "limit": limit,
        "offset": offset,
    }


@router.get(S + "/{separation_id}", response={200: SeparationOut, **errors(*READ)})
@api_access(Access.HOUSEHOLD, caregivers=True)
def get_separation(request: HttpRequest, household_id: ObjectId, separation_id: ObjectId):
    """Access: `household`: parents; a caregiver or link only for the ones they care for."""
    return present.separation_out(visible_one(request, separation_id))


@router.get(S + "/{separation_id}/agreed", response={200: list[AgreedOut], **errors(*READ)})
@api_access(Access.HOUSEHOLD, caregivers=True)
def list_agreed(request: HttpRequest, household_id: ObjectId, separation_id: ObjectId):
    """The updates agreed in advance, with when each is due and which check-in met it."""
    return [present.agreed_out(a) for a in visible_one(request, separation_id).agreed.all()]


def _carer(request: HttpRequest, body: PlanIn) -> services.Carer:
    if (body.carer_member_id is None) == (body.carer_link_id is None):
        raise invalid("body.carer_member_id", _("Give carer_member_id or carer_link_id, not both."))
    for carer in services.carers(request.household, request.subject.membership):
        if carer.membership is not None and carer.membership.pk == body.carer_member_id:
            return carer
        if carer.link is not None and carer.link.pk == body.carer_link_id:
            return carer
    field = "body.carer_member_id" if body.carer_member_id else "body.carer_link_id"
    raise invalid(field, _("Choose someone from this household's people (GET …/people)."))


def _agreed(body: PlanIn, tz) -> list[schedule.AgreedSpec]:
    if body.agreed is None:
        return schedule.default_agreement(body.minutes)
    specs = []
    for n, item in enumerate(body.agreed):
        if (item.after_minutes is None) == (item.at is None):
            raise invalid(f"body.agreed.{n}", _("Give after_minutes or at, not both."))
        clock = time.fromisoformat(item.at) if item.at else None
        spec = schedule.AgreedSpec(item.kind, item.label, clock, item.after_minutes)
        if not schedule.fits(body.starts_at, body.minutes, spec, tz):
            raise invalid(f"body.agreed.{n}", _("This comes after you're back."))
        specs.append(spec)
    return specs


def _step(request: HttpRequest, body: PlanIn) -> LadderStep | None:
    """A step on the planning parent's own ladder; anyone else's is not a choice."""
    if body.practice_step_id is None:
        return None
    step = LadderStep.objects.filter(
        pk=body.practice_step_id, ladder__owner=request.subject.membership
    ).first()
    if step is None:
        raise invalid("body.practice_step_id", _("Choose a step on your own ladder."))
    return step


@router.post(S, response={201: SeparationOut, **errors(*WRITE)})
@api_access(Access.PARENTS)
def plan(request: HttpRequest, household_id: ObjectId, body: PlanIn):
    """Plan a separation; you are the parent who leaves. Access: `parents`, writing.

    `private` holds your own notes (worry, fear, the messages you aim for): owner data, shown
    only to you. `practice_step_id` ties it to a step on your own ladder (the suggestion's
    `step_id`). An overlap with another plan of the same children answers 409 unless
    `allow_overlap` is true.
    """
    household = request.household
    if body.starts_at < timezone.now() - PAST_GRACE:
        raise invalid("body.starts_at", _("That time has already passed."))
    wanted = set(body.children)
    children = list(household.children.filter(pk__in=wanted))
    if len(children) != len(wanted):
        raise invalid("body.children", _("Choose children of this household."))
    plan_data = services.PlanData(
        kind=body.kind,
        carer=_carer(request, body),
        children=children,
        starts_at=body.starts_at,
        minutes=body.minutes,
        plan_note=body.plan_note,
        agreed=_agreed(body, zone(household)),
        practice_step=_step(request, body),
    )
    if not body.allow_overlap and services.overlapping(
        household, children, body.starts_at, body.minutes
    ):
        raise conflict("overlap", _("This overlaps another plan for the same children."))
    private = body.private.model_dump() if body.private else None
    separation = services.create_plan(household, request.subject.membership, plan_data, private)
    return Status(201, present.separation_out(visible_one(request, separation.pk)))


def _own(request: HttpRequest, separation_id: int) -> Separation:
    separation = visible_one(request, separation_id)
    if separation.leaver_id != request.subject.membership.pk:
        raise forbidden("not_the_leaver", _("Only the parent who leaves can do this."))
    return separation


@router.post(S + "/{separation_id}/start", response={200: SeparationOut, **errors(*WRITE)})
@api_access(Access.PARENTS)
def start(request: HttpRequest, household_id: ObjectId, separation_id: ObjectId):
    """ "Leaving now": the clock starts. Only the parent who leaves. Access: `parents`."""
    separation = _own(request, separation_id)
    if not separation.is_planned:
        raise conflict("not_planned", _("Only a planned separation can start."))
    try:
        started = services.leave_now(separation, timezone.now())
    except services.AlreadyAway as exc:
        raise conflict("already_away", _("You're away on another plan already.")) from exc
    if not started:
        raise conflict("not_planned", _("Only a planned separation can start."))
    return present.separation_out(visible_one(request, separation_id))


@router.post(S + "/{separation_id}/end", response={200: SeparationOut, **errors(*WRITE)})
@api_access(Access.PARENTS)
def end(request: HttpRequest, household_id: ObjectId, separation_id: ObjectId):
    """ "I'm back". Only the parent who left. Access: `parents`."""
    separation = _own(request, separation_id)
    if not services.come_back(separation, timezone.now()):
        raise conflict("not_away", _("Only a separation under way can end."))
    return present.separation_out(visible_one(request, separation_id))


@router.post(S + "/{separation_id}/cancel", response={200: SeparationOut, **errors(*WRITE)})
@api_access(Access.PARENTS)
def cancel(request: HttpRequest, household_id: ObjectId, separation_id: ObjectId):
    """Call off a planned separation. Any parent. Access: `parents`."""
    separation = visible_one(request, separation_id)
    if not services.cancel(separation, by=request.subject.membership):
        raise conflict("not_planned", _("Only a planned separation can be cancelled."))
    return present.separation_out(visible_one(request, separation_id))
