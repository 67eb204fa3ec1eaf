"""The practice pages ask the database the same number of questions, whatever the history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from backsoon.practice import ladder as ladders
from backsoon.practice.tests.factories import practice, step_named
from backsoon.separations.models import ParentMessage, SettledAfter, ThankYou
from backsoon.separations.tests.queries import queries_for

SETTLED = [SettledAfter.UNDER_5, SettledAfter.FROM_15_TO_30, SettledAfter.OVER_30]


def history(cast, count: int) -> None:
    ladders.ensure_ladder(cast.parent)
    steps = [step_named(cast.parent, n) for n in ("5 minutes", "30 minutes", "1 hour")]
    urge = apps.get_model("coping", "Urge") if apps.is_installed("backsoon.coping") else None
    for i in range(count):
        separation = practice(
            cast,
            steps[i % 3],
            at=timezone.now() - timedelta(days=3 * i + 1),
            feel=("manageable", "hard", "")[i % 3],
            fear=f"fear number {i % 4}",
            fear_likelihood=60,
            happened=("no", "partly", "yes", "")[i % 4],
            worry_before=7,
            worry_worst=8,
            worry_after=3,
            settled=SETTLED[i % 3],
            kind="everyday" if i % 5 == 4 else "practice",
        )
        ThankYou.objects.create(separation=separation, text="Thank you", author_name="Maya")
        ParentMessage.objects.create(separation=separation, owner=cast.parent)
        if urge is not None:
            urge.objects.create(
                separation=separation,
                owner=cast.parent,
                kind="check",
                created_at=separation.left_at,
                ended_at=separation.left_at + timedelta(minutes=2),
                outcome=("passed", "carried_on", "message")[i % 3],
            )


PAGES = [
    ("practice:progress", "parent", True),
    ("practice:ladder", "parent", True),
    ("practice:ladder", "partner", True),
    ("practice:week", "parent", True),
    ("households:dashboard", "parent", False),
]


@pytest.mark.parametrize(("name", "who", "with_parent"), PAGES)
def test_the_query_count_does_not_grow_with_the_history(cast, name, who, with_parent):
    args = [cast.household.pk] + ([cast.parent.pk] if with_parent else [])
    url = reverse(name, args=args)
    client = cast.client_for(getattr(cast, who))
    history(cast, 1)
    client.get(url)  # the ladder is made on the first visit
    few = queries_for(lambda: client.get(url))
    history(cast, 49)
    many = queries_for(lambda: client.get(url))
    assert len(many) == len(few), "\n".join(many)
    assert len(few) <= 20


def test_the_progress_page_reads_few_rows(cast):
    """Aggregates, not rows: the page's figures come from a handful of grouped queries."""
    history(cast, 30)
    url = reverse("practice:progress", args=[cast.household.pk, cast.parent.pk])
    client = cast.client_for(cast.parent)
    sql = queries_for(lambda: client.get(url))
    assert sum("GROUP BY" in q or "COUNT(" in q.upper() for q in sql) >= 4
