"""Your own inner data (`owner`): your notes and ratings on your separations, your urges, your
self-checks, and everything else kept about you alone. Nobody else can read it — not even
your partner.
"""

from collections import defaultdict

from django.http import HttpRequest
from ninja import Router

from backsoon.api.errors import READ, errors, not_found
from backsoon.api.permissions import api_access
from backsoon.api.portability import personal
from backsoon.api.schemas import (
    DateTimeIn,
    Limit,
    NotesPage,
    ObjectId,
    Offset,
    SelfCheckPage,
    UrgePage,
)
from backsoon.coping.models import Urge
from backsoon.households.access import Access
from backsoon.separations.models import ParentMessage, SeparationPrivate
from backsoon.wellbeing.models import SelfCheckResult

router = Router(tags=["yours only"])

ME = "/households/{household_id}/mine"


def _me(request: HttpRequest):
    membership = request.subject.membership
    if membership is None:
        raise not_found()
    return membership


@router.get(ME + "/separations", response={200: NotesPage, **errors(*READ)})
@api_access(Access.OWNER)
def my_separation_notes(
    request: HttpRequest, household_id: ObjectId, limit: Limit = 20, offset: Offset = 0
):
    """Your worry ratings, fears and reasons on the separations you left for, newest first.

    Access: `owner`: only yours, whoever else is in the household.
    """
    me = _me(request)
    queryset = (
        SeparationPrivate.objects.filter(owner=me, separation__household=request.household)
        .select_related("separation")
        .order_by("-separation__starts_at", "-separation_id")
    )
    page = list(queryset[offset : offset + limit])
    sent = defaultdict(list)
    for message in ParentMessage.objects.filter(
        owner=me, separation_id__in=[p.separation_id for p in page]
    ).order_by("sent_at", "pk"):
        sent[message.separation_id].append(message)
    items = []
    for p in page:
        messages = sent[p.separation_id]
        items.append(
            {
                "separation_id": p.separation_id,
                "starts_at": p.separation.starts_at,
                "status": p.separation.status,
                "worry_before": p.worry_before,
                "fear": p.fear,
                "fear_likelihood": p.fear_likelihood,
                "messages_aim": p.messages_aim,
                "worry_worst": p.worry_worst,
                "worry_after": p.worry_after,
                "fear_outcome": p.fear_outcome,
                "early_reason": p.early_reason,
                "feel": p.feel,
                "rated_at": p.rated_at,
                "messages_sent": [m.sent_at for m in messages],
                "messages_counted": sum(1 for m in messages if not m.after_missed_update),
            }
        )
    return {"items": items, "count": queryset.count(), "limit": limit, "offset": offset}


@router.get(ME + "/self-checks", response={200: SelfCheckPage, **errors(*READ)})
@api_access(Access.OWNER)
def my_self_checks(
    request: HttpRequest,
    household_id: ObjectId,
    since: DateTimeIn | None = None,
    limit: Limit = 20,
    offset: Offset = 0,
):
    """Your GAD-7 and PHQ-9 results, newest first; `since` keeps those taken at or after it.

    Access: `owner`.
    """
    queryset = SelfCheckResult.objects.filter(owner=_me(request)).order_by("-taken_at", "-pk")
    if since is not None:
        queryset = queryset.filter(taken_at__gte=since)
    items = [
        {
            "id": r.pk,
            "kind": r.kind,
            "answers": [int(a) for a in r.answers] if isinstance(r.answers, list) else [],
            "score": r.score,
            "language": r.language,
            "taken_at": r.taken_at,
        }
        for r in queryset[offset : offset + limit]
    ]
    return {"items": items, "count": queryset.count(), "limit": limit, "offset": offset}


@router.get(ME + "/urges", response={200: UrgePage, **errors(*READ)})
@api_access(Access.OWNER)
def my_urges(
    request: HttpRequest,
    household_id: ObjectId,
    since: DateTimeIn | None = None,
    limit: Limit = 20,
    offset: Offset = 0,
):
    """Your urges to check or to go home while away, newest first; `since` keeps those at or
    after it. Access: `owner`: only yours, never your partner's.
    """
    queryset = Urge.objects.filter(
        owner=_me(request), separation__household=request.household
    ).order_by("-created_at", "-pk")
    if since is not None:
        queryset = queryset.filter(created_at__gte=since)
    items = [
        {
            "id": u.pk,
            "separation_id": u.separation_id,
            "kind": u.kind,
            "created_at": u.created_at,
            "strength_before": u.strength_before,
            "strength_after": u.strength_after,
            "wait_minutes": u.wait_minutes,
            "waited_minutes": u.waited_minutes,
            "outcome": u.outcome,
            "more_than_planned": u.more_than_planned,
            "ended_at": u.ended_at,
        }
        for u in queryset[offset : offset + limit]
    ]
    return {"items": items, "count": queryset.count(), "limit": limit, "offset": offset}


@router.get(ME, response={200: dict, **errors(*READ)})
@api_access(Access.OWNER)
def my_data(request: HttpRequest, household_id: ObjectId):
    """Everything kept about you alone in this household, as in your personal download.

    The same document as "Download your own data" (schema `backsoon-personal/2`), for this
    household only; it grows as the app keeps new kinds of inner data. Access: `owner`.
    """
    return personal.document_for([_me(request)])
