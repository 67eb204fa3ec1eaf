"""The caregiver view carries the live separation and the next plan's agreed updates."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from backsoon.separations.models import Separation
from backsoon.separations.schedule import AgreedSpec
from backsoon.separations.tests.factories import make_separation

LONDON = ZoneInfo("Europe/London")


@time_machine.travel(datetime(2026, 11, 22, 11, 0, tzinfo=LONDON), tick=False)
def test_the_carer_sees_all_good_on_the_care_sheet(cast):
    make_separation(cast, status=Separation.Status.AWAY)
    html = (
        cast.client_for(cast.caregiver)
        .get(reverse("caresheets:care", args=[cast.household.pk]))
        .content.decode()
    )
    assert "All good" in html and "Maya is away" in html


@time_machine.travel(datetime(2026, 11, 22, 11, 0, tzinfo=LONDON), tick=False)
def test_the_sheet_shows_the_next_plans_agreed_update_times(cast):
    make_separation(
        cast,
        status=Separation.Status.PLANNED,
        starts_at=datetime(2026, 11, 23, 12, 0, tzinfo=LONDON),
        minutes=90,
        agreed=[
            AgreedSpec(kind="photo", label="at nap time", clock=datetime(2026, 1, 1, 13, 0).time())
        ],
    )
    html = (
        cast.client_for(cast.partner)
        .get(reverse("caresheets:care", args=[cast.household.pk]))
        .content.decode()
    )
    assert "Next time: Monday 23 November, 12:00" in html
    assert "13:00" in html and "at nap time" in html


@time_machine.travel(datetime(2026, 11, 22, 11, 0, tzinfo=LONDON), tick=False)
def test_no_plan_no_next_time(cast):
    make_separation(
        cast, status=Separation.Status.BACK, starts_at=datetime.now(LONDON) - timedelta(days=1)
    )
    html = (
        cast.client_for(cast.caregiver)
        .get(reverse("caresheets:care", args=[cast.household.pk]))
        .content.decode()
    )
    assert "Next time:" not in html
