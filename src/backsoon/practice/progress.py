"""Progress figures for one parent, from SQL aggregates: a fixed number of queries and a
bounded number of rows, however long the history (owner data: call it only for its person).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.apps import apps
from django.db.models import Avg, Count, Max, Min, Q, Sum
from django.db.models.functions import Lower, Trim
from django.utils import timezone

from backsoon.households.models import Membership
from backsoon.households.services import zone
from backsoon.practice.evidence import finished
from backsoon.practice.sql import minutes_away, period_of, period_starts, utc_midnight
from backsoon.separations.models import SeparationPrivate, SettledAfter, Settling

# Weekly points while the history is short; monthly after that.
WEEKS_BEFORE_MONTHS = 26
MAX_POINTS = 24
WORRY_POINTS = 12
SETTLING_MONTHS = 6
FEARS_SHOWN = 5
URGE_OUTCOMES = ("passed", "carried_on", "message")
SETTLING_ORDER = [
    SettledAfter.UNDER_5,
    SettledAfter.FROM_5_TO_15,
    SettledAfter.FROM_15_TO_30,
    SettledAfter.OVER_30,
    SettledAfter.NOT_YET,
]


@dataclass(frozen=True)
class FearTally:
    text: str
    times: int  # how many times apart it was written down before
    happened: int
    partly: int
    answered: int
    likely: int | None  # the average likelihood given, in %


@dataclass
class Progress:
    count: int = 0
    total_minutes: int = 0
    longest_manageable: int = 0
    by_month: bool = False
    periods: list[date] = field(default_factory=list)  # the first day of each week or month
    longest: list[tuple[date, int]] = field(default_factory=list)
    worry: list[dict] = field(default_factory=list)
    urges: list[tuple[date, list[int]]] | None = None  # None: the coping app isn't here
    settling: list[dict] = field(default_factory=list)  # per child: name, months
    fears: list[FearTally] = field(default_factory=list)
    fears_times: int = 0
    fears_happened: int = 0
    fears_partly: int = 0


def progress_for(owner: Membership, now: datetime | None = None) -> Progress:
    now = now or timezone.now()
    tz = zone(owner.household)
    mine = finished(owner)
    manageable = Q(private__owner=owner, private__feel=SeparationPrivate.Feel.MANAGEABLE)
    totals = mine.annotate(away=minutes_away()).aggregate(
        count=Count("pk"),
        first=Min("left_at"),
        total=Sum("away"),
        longest=Max("away", filter=manageable),
    )
    result = Progress(
        count=totals["count"],
        total_minutes=round(totals["total"] or 0),
        longest_manageable=round(totals["longest"] or 0),
    )
    if not result.count:
        return result
    result.by_month = now - totals["first"] > timedelta(weeks=WEEKS_BEFORE_MONTHS)
    starts = period_starts(now, tz, result.by_month, MAX_POINTS if result.by_month else 26)
    since = utc_midnight(starts[0], tz)
    result.periods = starts

    result.longest = [
        (starts[row["period"]], round(row["longest"]))
        for row in mine.filter(manageable, left_at__gte=since)
        .annotate(period=period_of("left_at", starts, tz))
        .values("period")
        .annotate(longest=Max(minutes_away()))
        .order_by("period")
    ]
    result.worry = list(
        reversed(
            mine.filter(private__owner=owner)
            .filter(
                Q(private__worry_before__isnull=False)
                | Q(private__worry_worst__isnull=False)
                | Q(private__worry_after__isnull=False)
            )
            .order_by("-left_at", "-pk")
            .values(
                "left_at",
                "back_at",
                "private__worry_before",
                "private__worry_worst",
                "private__worry_after",
            )[:WORRY_POINTS]
        )
    )
    result.urges = _urges(owner, starts, tz)
    result.settling = _settling(owner, now, tz)
    _fears(owner, result)
    return result


def _urges(owner, starts, tz) -> list[tuple[date, list[int]]] | None:
    if not apps.is_installed("backsoon.coping"):
        return None
    urge = apps.get_model("coping", "Urge")
    counts: dict[date, list[int]] = {}
    for row in (
        urge.objects.filter(
            owner=owner,
            separation__household_id=owner.household_id,
            outcome__in=URGE_OUTCOMES,
            created_at__gte=utc_midnight(starts[0], tz),
        )
        .annotate(period=period_of("created_at", starts, tz))
        .values("period", "outcome")
        .annotate(n=Count("pk"))
        .order_by("period")
    ):
        bucket = counts.setdefault(starts[row["period"]], [0, 0, 0])
        bucket[URGE_OUTCOMES.index(row["outcome"])] += row["n"]
    return sorted(counts.items())


def _settling(owner, now, tz) -> list[dict]:
    months = period_starts(now, tz, True, SETTLING_MONTHS)
    children: dict[int, dict] = {}
    for row in (
        Settling.objects.filter(
            separation__in=finished(owner)
            .filter(left_at__gte=utc_midnight(months[0], tz))
            .values("pk")
        )
        .annotate(period=period_of("separation__left_at", months, tz))
        .values("child_id", "child__name", "period", "after")
        .annotate(n=Count("pk"))
        .order_by("child__birth_date", "child_id", "period")
    ):
        child = children.setdefault(row["child_id"], {"name": row["child__name"], "months": {}})
        counts = child["months"].setdefault(months[row["period"]], [0] * len(SETTLING_ORDER))
        if row["after"] in SETTLING_ORDER:
            counts[SETTLING_ORDER.index(row["after"])] += row["n"]
    return [{"name": c["name"], "months": sorted(c["months"].items())} for c in children.values()]


def _fears(owner, result: Progress) -> None:
    written = SeparationPrivate.objects.filter(
        owner=owner, separation__in=finished(owner).values("pk")
    ).exclude(fear="")
    happened = Count("pk", filter=Q(fear_outcome=SeparationPrivate.Outcome.YES))
    partly = Count("pk", filter=Q(fear_outcome=SeparationPrivate.Outcome.PARTLY))
    totals = written.aggregate(times=Count("pk"), happened=happened, partly=partly)
    result.fears_times = totals["times"]
    result.fears_happened = totals["happened"]
    result.fears_partly = totals["partly"]
    if not result.fears_times:
        return
    result.fears = [
        FearTally(
            text=row["text"],
            times=row["times"],
            happened=row["happened"],
            partly=row["partly"],
            answered=row["answered"],
            likely=round(row["likely"]) if row["likely"] is not None else None,
        )
        for row in written.annotate(key=Lower(Trim("fear")))
        .values("key")
        .annotate(
            times=Count("pk"),
            happened=happened,
            partly=partly,
            answered=Count("pk", filter=~Q(fear_outcome="")),
            likely=Avg("fear_likelihood"),
            text=Max("fear"),
            last=Max("separation__left_at"),
        )
        .order_by("-times", "-last")[:FEARS_SHOWN]
    ]
