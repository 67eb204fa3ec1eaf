"""Your own inner data (`owner`): your notes and ratings on your separations, your self-checks,
and everything else kept about you alone. Nobody else can read it — not even your partner.
"""

from collections import defaultdict

from django.http import HttpRequest
from ninja import Router

from backsoon.api.errors import READ, errors, not_found
from backsoon.api.permissions import api_access
from backsoon.api.portability import personal
from backsoon.api.schemas import Limit, NotesPage, ObjectId, Offset, SelfCheckPage
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
                "rated_at": p.rated_at,
                "messages_sent": [m.sent_at for m in messages],
                "messages_counted": sum(1 for m in messages if not m.after_missed_update),
            }
        )
    return {"items": items, "count": queryset.count(), "limit": limit, "offset": offset}


@router.get(ME + "/self-checks", response={200: SelfCheckPage, **errors(*READ)})
@api_access(Access.OWNER)
def my_self_checks(
    request: HttpRequest, household_id: ObjectId, limit: Limit = 20, offset: Offset = 0
):
    """Your GAD-7 and PHQ-9 results, newest first. Access: `owner`."""
    queryset = SelfCheckResult.objects.filter(owner=_me(request)).order_by("-taken_at", "-pk")
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


@router.get(ME, response={200: dict, **errors(*READ)})
@api_access(Access.OWNER)
def my_data(request: HttpRequest, household_id: ObjectId):
    """Everything kept about you alone in this household, as in your personal download.

    The same document as "Download your own data" (schema `backsoon-personal/1`), for this
    household only; it grows as the app keeps new kinds of inner data. Access: `owner`.
    """
    return personal.document_for([_me(request)])
