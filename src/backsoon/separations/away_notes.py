"""The calm lines at the top of the away page: an urgent call, and an update still to come.

The page and its poll build the same `AwayNotes`; the poll sends them again only when they
changed (`?note=<agreed id>&call=<notification id>` says what the page shows now).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Subquery

from backsoon.notify.models import Notification
from backsoon.separations.services import urgent_calls_q


@dataclass(frozen=True)
class AwayNotes:
    carer_name: str
    carer_phone: str = ""
    # The first agreed update that ran late while its caregiver could be reminded (0: none).
    late_id: int = 0
    late_due: datetime | None = None
    # The caregiver's latest urgent call to the person looking at the page (0: none).
    call_id: int = 0
    call_at: datetime | None = None
    # "all_clear": the caregiver then said it was pressed by mistake (coping/urgent.py).
    call_kind: str = ""

    def differ_from(self, late_id: int, call_id: int) -> bool:
        return (self.late_id, self.call_id) != (late_id, call_id)


def for_page(separation, agreed: list, phone: str) -> AwayNotes:
    """From a separation annotated with `poll_annotations` and its agreed updates."""
    late = next(
        (a for a in agreed if a.pk == separation.late_agreed_id and a.done_by_id is None), None
    )
    return AwayNotes(
        carer_name=separation.carer_name,
        carer_phone=phone,
        late_id=late.pk if late else 0,
        late_due=late.due_at if late else None,
        call_id=separation.call_id or 0,
        call_at=separation.call_at,
        call_kind=separation.call_kind or "",
    )


def poll_annotations(membership) -> dict:
    """The latest urgent call to `membership`, as columns of the page's (or poll's) query."""
    calls = Notification.objects.filter(
        urgent_calls_q(OuterRef("left_at")), membership=membership
    ).order_by("-pk")
    return {
        "call_id": Subquery(calls.values("pk")[:1]),
        "call_at": Subquery(calls.values("created_at")[:1]),
        "call_kind": Subquery(calls.values("kind")[:1]),
    }


POLL_VALUES = (
    "carer_name",
    "carer_membership__phone",
    "carer_link__phone",
    "late_agreed_id",
    "late_agreed__due_at",
    "late_agreed__done_by_id",
    "call_id",
    "call_at",
    "call_kind",
)


def for_poll(row: dict) -> AwayNotes:
    late_open = row["late_agreed_id"] is not None and row["late_agreed__done_by_id"] is None
    return AwayNotes(
        carer_name=row["carer_name"],
        carer_phone=row["carer_membership__phone"] or row["carer_link__phone"] or "",
        late_id=row["late_agreed_id"] if late_open else 0,
        late_due=row["late_agreed__due_at"] if late_open else None,
        call_id=row["call_id"] or 0,
        call_at=row["call_at"],
        call_kind=row["call_kind"] or "",
    )
