"""From the database to the rule's plain facts, in a fixed number of queries.

`suggestion_for` reads the parent's own ratings (owner data): call it only for the person
it is about. `step_counts` without `with_feel` reads household data only (how often each
step was done), which the partner may see.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q

from backsoon.households.models import Membership
from backsoon.households.services import zone
from backsoon.practice import ladder as ladders
from backsoon.practice import rule
from backsoon.practice.models import LadderStep
from backsoon.practice.sql import minutes_away
from backsoon.separations import services as separation_services
from backsoon.separations.models import Separation, SeparationPrivate, SettledAfter, Settling

# The rule looks at the last two times at a step; this many recent ones is plenty.
WINDOW = 60
SLOW = [SettledAfter.OVER_30, SettledAfter.NOT_YET]


def finished(owner: Membership):
    """The parent's finished times apart (household data)."""
    return Separation.objects.filter(
        household_id=owner.household_id,
        leaver=owner,
        status=Separation.Status.BACK,
        left_at__isnull=False,
        back_at__isnull=False,
    )


def recent_facts(owner: Membership, limit: int = WINDOW) -> list[rule.Fact]:
    """The parent's latest finished times apart, as the rule sees them (owner data)."""
    rows = list(
        finished(owner)
        .annotate(
            sent=Count(
                "parent_messages",
                filter=Q(parent_messages__owner=owner, parent_messages__after_missed_update=False),
            )
        )
        .order_by("-left_at", "-pk")
        .values(
            "pk",
            "kind",
            "practice_step_id",
            "planned_minutes",
            "left_at",
            "back_at",
            "carer_membership_id",
            "carer_link_id",
            "carer_name",
            "sent",
            "private__owner_id",
            "private__feel",
            "private__fear",
            "private__fear_outcome",
            "private__messages_aim",
        )[:limit]
    )
    away = {r["pk"]: (r["back_at"] - r["left_at"]).total_seconds() for r in rows}
    slow: dict[int, list[str]] = defaultdict(list)
    for settling in (
        Settling.objects.filter(separation_id__in=list(away), after__in=SLOW)
        .order_by("child__birth_date", "child_id")
        .values("separation_id", "child__name", "after")
    ):
        if rule.slow_to_settle(settling["after"], away[settling["separation_id"]]):
            slow[settling["separation_id"]].append(settling["child__name"])
    tz = zone(owner.household)
    facts = []
    for r in rows:
        mine = r["private__owner_id"] == owner.pk
        facts.append(
            rule.Fact(
                at=r["left_at"],
                seconds_away=away[r["pk"]],
                planned_minutes=r["planned_minutes"],
                step_id=r["practice_step_id"],
                everyday=r["kind"] == Separation.Kind.EVERYDAY,
                feel=(r["private__feel"] or "") if mine else "",
                fear=bool(r["private__fear"]) if mine else False,
                happened=(r["private__fear_outcome"] or "") if mine else "",
                slow_settling=tuple(slow.get(r["pk"], ())),
                messages=r["sent"],
                aim=r["private__messages_aim"] if mine else None,
                carer=_carer_key(r["carer_membership_id"], r["carer_link_id"], r["carer_name"]),
                carer_name=r["carer_name"],
                hour=r["left_at"].astimezone(tz).hour,
            )
        )
    return facts


def _carer_key(membership_id, link_id, name) -> str:
    if membership_id:
        return f"m{membership_id}"
    if link_id:
        return f"l{link_id}"
    return f"n:{name}"


def carers_for(owner: Membership) -> list[tuple[str, str]]:
    """(key, name) of everyone who could care, as `separations.services.carers` lists them."""
    return separation_services.carer_names(owner.household_id, owner)


def suggestion_for(owner: Membership, steps: list[LadderStep] | None = None):
    """The next-step suggestion for this parent, or None without a ladder (owner data)."""
    if steps is None:
        steps = ladders.steps_for(owner)
    if not steps:
        return None
    return rule.suggest(
        [ladders.as_rule_step(s) for s in steps], recent_facts(owner), carers_for(owner)
    )


def step_counts(
    owner: Membership, steps: list[LadderStep], *, with_feel: bool = False
) -> dict[int, dict[str, int]]:
    """How many times apart count for each step (rule.counts_for), in one query.

    with_feel (owner data, for the parent themselves): also how many of them felt manageable.
    """
    if not steps:
        return {}
    ids = [s.pk for s in steps]
    unassigned = Q(practice_step__isnull=True) | ~Q(practice_step_id__in=ids)
    aggregates = {}
    for step in steps:
        counts = Q(practice_step_id=step.pk)
        if step.kind == LadderStep.Kind.AWAY:
            reached = step.minutes - rule.tolerance_seconds(step.minutes) / 60
            counts |= unassigned & Q(away__gte=reached)
        aggregates[f"times_{step.pk}"] = Count("pk", filter=counts)
        if with_feel:
            feel = Q(private__owner=owner, private__feel=SeparationPrivate.Feel.MANAGEABLE)
            aggregates[f"fine_{step.pk}"] = Count("pk", filter=counts & feel)
    totals = finished(owner).annotate(away=minutes_away()).aggregate(**aggregates)
    return {
        s.pk: {
            "times": totals[f"times_{s.pk}"],
            "manageable": totals.get(f"fine_{s.pk}", 0) or 0,
        }
        for s in steps
    }
