"""Past separations, as household data: how long, who cared, the updates and thank-yous.

Never the leaving parent's ratings, fears or reasons: those are on their own `mine` page.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import render

from backsoon.coping.urgent import call_count, latest_call
from backsoon.households.access import Access, access
from backsoon.separations.models import CheckIn, Separation
from backsoon.separations.views_common import household_time

PAGE = 20


@access(Access.PARENTS)
@household_time
def history(request, household_id):
    try:
        page_number = max(1, min(int(request.GET.get("page", "1")), 1000))
    except ValueError:
        page_number = 1
    separations = (
        Separation.objects.filter(
            household=request.household,
            status__in=[Separation.Status.BACK, Separation.Status.CANCELLED],
        )
        .select_related("thank_you")
        .annotate(**latest_call(), **call_count())  # urgent calls, in the same query
        .prefetch_related(
            "children",
            Prefetch("checkins", queryset=CheckIn.objects.order_by("created_at", "pk")),
        )
        .order_by("-starts_at", "-pk")
    )
    start = (page_number - 1) * PAGE
    page = list(separations[start : start + PAGE + 1])
    return render(
        request,
        "separations/history.html",
        {
            "household": request.household,
            "separations": page[:PAGE],
            "older": page_number + 1 if len(page) > PAGE else None,
        },
    )
