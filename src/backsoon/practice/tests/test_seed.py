"""`backsoon manage seed`: demo households whose charts mean something."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import Avg, Max
from django.test import Client

from backsoon.caresheets.models import Sheet
from backsoon.households.models import CaregiverLink, Household
from backsoon.practice import evidence
from backsoon.practice.models import Ladder
from backsoon.practice.progress import progress_for
from backsoon.practice.seed import DEMO_PASSWORD, seed
from backsoon.practice.sql import minutes_away
from backsoon.separations.models import CheckIn, Separation, SeparationPrivate, Settling

NOW = datetime(2026, 6, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_seed_makes_households_with_a_history(db):
    out = StringIO()
    call_command("seed", households=2, weeks=6, per_week=3, stdout=out)
    text = out.getvalue()
    assert "Demo household 1" in text and "Demo household 2" in text
    assert f"Password for every demo account: {DEMO_PASSWORD}" in text
    assert Household.objects.count() == 2
    assert Ladder.objects.count() == 2
    assert CaregiverLink.objects.count() == 2
    assert Sheet.objects.filter(kind="child").count() == 2
    assert Sheet.objects.filter(kind="agreement").count() == 2
    separations = Separation.objects.filter(status="back")
    assert 2 * 6 * 3 <= separations.count() <= 2 * 6 * 4 + 2
    assert separations.filter(kind="everyday").exists()
    assert separations.filter(practice_step__isnull=False).exists()
    assert SeparationPrivate.objects.exclude(feel="").exists()
    assert SeparationPrivate.objects.exclude(fear="").exists()
    assert CheckIn.objects.count() == Settling.objects.count() == separations.count()
    maya = Ladder.objects.order_by("pk").first().owner
    assert evidence.suggestion_for(maya) is not None
    figures = progress_for(maya, NOW)
    assert figures.count and figures.longest and figures.worry and figures.fears


def test_the_demo_charts_show_a_trend(db):
    """Early weeks against late ones: longer times apart feel manageable, worry eases, more
    urges pass while waiting, the baby settles sooner."""
    [made] = seed(1, 26, seed=1, now=NOW)
    mine = Separation.objects.filter(household=made.household, status="back")
    start = NOW - timedelta(weeks=26)
    early = {"left_at__lt": start + timedelta(weeks=8)}
    late = {"left_at__gte": NOW - timedelta(weeks=8)}

    def longest(**when):
        manageable = mine.filter(private__feel="manageable", **when)
        return manageable.annotate(away=minutes_away()).aggregate(m=Max("away"))["m"]

    def worry(**when):
        return mine.filter(**when).aggregate(w=Avg("private__worry_before"))["w"]

    def share(queryset, **match) -> float:
        return queryset.filter(**match).count() / max(queryset.count(), 1)

    assert longest(**late) >= 3 * longest(**early)
    assert worry(**late) < worry(**early) - 2
    settled = Settling.objects.filter(separation__household=made.household)
    early_settled = settled.filter(separation__left_at__lt=start + timedelta(weeks=8))
    late_settled = settled.filter(separation__left_at__gte=NOW - timedelta(weeks=8))
    assert share(late_settled, after="under_5") > share(early_settled, after="under_5")
    if apps.is_installed("backsoon.coping"):
        urges = apps.get_model("coping", "Urge").objects.filter(owner__household=made.household)
        early_urges = urges.filter(created_at__lt=start + timedelta(weeks=8))
        late_urges = urges.filter(created_at__gte=NOW - timedelta(weeks=8))
        assert late_urges.count() < early_urges.count()
        assert share(late_urges, outcome="passed") > share(early_urges, outcome="passed")


def test_seeding_again_adds_more_and_the_demo_accounts_log_in(db):
    call_command("seed", households=1, weeks=2, stdout=StringIO())
    call_command("seed", households=1, weeks=2, stdout=StringIO())
    assert Household.objects.count() == 2
    client = Client()
    assert client.login(username="priya.2", password=DEMO_PASSWORD)


def test_bad_numbers_are_refused_with_an_example(db):
    with pytest.raises(CommandError, match="--households takes"):
        call_command("seed", households=0, stdout=StringIO())
    with pytest.raises(CommandError, match="--per-week takes"):
        call_command("seed", per_week=9, stdout=StringIO())
