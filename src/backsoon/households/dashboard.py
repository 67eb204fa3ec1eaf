"""What the dashboard's entries share, read once per request.

The dashboard is one template with a line from each app (separations, practice, coping,
wellbeing). Several of them need the same rows — the times apart under way or planned —
so the first entry to ask reads them, with what the others need folded into the same query,
and the rest reuse them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import CharField, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat

from backsoon.coping.models import CarerStrengths
from backsoon.separations.models import Separation

LIVE = (Separation.Status.AWAY, Separation.Status.PLANNED)


@dataclass(frozen=True)
class Times:
    current: list[Separation]  # the household's times apart under way or planned, by start
    last: Separation | None  # the viewer's last plan not called off ("same as last time")


def times(request) -> Times:
    """The household's current times apart and, for a parent, their last plan: one query.

    For a parent each row also says whether they wrote down the carer's strengths
    (`has_strengths`, their own data: only ever about the viewer).
    """
    memo = getattr(request, "_dashboard_times", None)
    if memo is not None:
        return memo
    household, subject = request.household, request.subject
    wanted = Q(status__in=LIVE)
    rows = Separation.objects.filter(household=household)
    if subject.is_parent:
        owner = subject.membership
        last_pk = (
            Separation.objects.filter(household=household, leaver=owner)
            .exclude(status=Separation.Status.CANCELLED)
            .order_by("-created_at", "-pk")
            .values("pk")[:1]
        )
        wanted |= Q(pk=Subquery(last_pk))
        rows = rows.select_related("carer_membership", "carer_link").annotate(
            member_strengths=_strengths_written(owner, "m", "carer_membership_id"),
            link_strengths=_strengths_written(owner, "l", "carer_link_id"),
        )
    rows = list(rows.filter(wanted).order_by("starts_at", "pk"))
    for row in rows:
        row.has_strengths = bool(
            getattr(row, "member_strengths", False) or getattr(row, "link_strengths", False)
        )
    last = None
    if subject.is_parent:
        mine = [s for s in rows if s.leaver_id == subject.membership.pk]
        last = max(mine, key=lambda s: (s.created_at, s.pk), default=None)
        if last is not None and last.status == Separation.Status.CANCELLED:
            last = None
    memo = request._dashboard_times = Times(
        current=[s for s in rows if s.status in LIVE],
        last=last,
    )
    return memo


def _strengths_written(owner, prefix: str, column: str) -> Exists:
    key = Concat(Value(prefix), Cast(OuterRef(column), output_field=CharField()))
    return Exists(CarerStrengths.objects.filter(owner=owner, carer_key=key))
