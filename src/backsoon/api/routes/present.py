"""Turning rows into API documents: one place, so lists and details agree."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch, QuerySet

from backsoon.api.schemas import as_hhmm
from backsoon.households.models import Child
from backsoon.separations.models import CheckIn, Separation


def separations() -> QuerySet:
    """Separations with everything `separation_out` reads, in a fixed number of queries."""
    return Separation.objects.select_related("thank_you").prefetch_related(
        Prefetch("children", queryset=Child.objects.only("pk")), "agreed"
    )


def _person(kind: str, pk: int | None, name: str) -> dict:
    return {"kind": kind if pk else None, "id": pk, "name": name}


def _thank_you(separation: Separation) -> dict | None:
    try:
        thanks = separation.thank_you
    except ObjectDoesNotExist:
        return None
    return {"text": thanks.text, "author_name": thanks.author_name, "created_at": thanks.created_at}


def separation_out(s: Separation) -> dict:
    if s.carer_link_id:
        carer = _person("link", s.carer_link_id, s.carer_name)
    else:
        carer = _person("member", s.carer_membership_id, s.carer_name)
    return {
        "id": s.pk,
        "kind": s.kind,
        "status": s.status,
        "starts_at": s.starts_at,
        "planned_minutes": s.planned_minutes,
        "expected_back": s.expected_back,
        "left_at": s.left_at,
        "back_at": s.back_at,
        "plan_note": s.plan_note,
        "practice_step_id": s.practice_step_id,
        "leaver": _person("member", s.leaver_id, s.leaver_name),
        "carer": carer,
        "children": sorted(c.pk for c in s.children.all()),
        "agreed": [agreed_out(a) for a in s.agreed.all()],
        "thank_you": _thank_you(s),
        "created_at": s.created_at,
    }


def agreed_out(a) -> dict:
    return {
        "id": a.pk,
        "kind": a.kind,
        "label": a.label,
        "clock_time": as_hhmm(a.clock_time),
        "offset_minutes": a.offset_minutes,
        "due_at": a.due_at,
        "done_by_checkin_id": a.done_by_id,
    }


def checkins() -> QuerySet:
    return CheckIn.objects.select_related("agreed")


def checkin_out(c: CheckIn, photo_url) -> dict:
    try:
        agreed_id = c.agreed.pk
    except ObjectDoesNotExist:
        agreed_id = None
    settled = c.settled if isinstance(c.settled, list) else []
    return {
        "id": c.pk,
        "separation_id": c.separation_id,
        "author_name": c.author_name,
        "all_good": c.all_good,
        "settled_now": c.settled_now,
        "state": c.state,
        "message": c.message,
        "ate_less": c.ate_less,
        "looked_around": c.looked_around,
        "settled": [
            {
                "child_id": s.get("child") if isinstance(s.get("child"), int) else None,
                "name": str(s.get("name", "")),
                "after": str(s.get("after", "")),
            }
            for s in settled
            if isinstance(s, dict)
        ],
        "photo": {"url": photo_url(c), "width": c.photo_width, "height": c.photo_height}
        if c.photo
        else None,
        "agreed_id": agreed_id,
        "created_at": c.created_at,
    }
