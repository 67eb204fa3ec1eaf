""" "Same as last time": two taps from the dashboard to a planned separation."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from backsoon.households.models import CaregiverLink
from backsoon.separations.models import Separation, SeparationPrivate
from backsoon.separations.schedule import AgreedSpec
from backsoon.separations.tests.factories import make_separation

NOW = datetime(2026, 6, 2, 9, 0, 20, tzinfo=UTC)


def dashboard(cast):
    return reverse("households:dashboard", args=[cast.household.pk])


def test_two_taps_copy_the_last_plan_starting_now(cast):
    link, _ = CaregiverLink.create(
        household=cast.household, name="Grandma Ana", created_by=cast.parent
    )
    make_separation(
        cast,
        link=link,
        status=Separation.Status.BACK,
        starts_at=datetime(2026, 6, 1, 9, 0, tzinfo=UTC),
        minutes=30,
        agreed=[AgreedSpec("photo", "in the garden", offset_minutes=20)],
        private={"messages_aim": 2, "worry_before": 8},
    )
    client = cast.client_for(cast.parent)
    with time_machine.travel(NOW, tick=False):
        html = client.get(dashboard(cast)).content.decode()
        again = reverse("separations:again", args=[cast.household.pk])
        assert f'href="{again}"' in html and "30 minutes with Grandma Ana" in html
        page = client.get(again)  # tap 1
        assert "Same as last time" in page.content.decode()
        response = client.post(again, {"when": "0"})  # tap 2
    new = Separation.objects.exclude(status=Separation.Status.BACK).get()
    assert response["Location"] == reverse("separations:detail", args=[cast.household.pk, new.pk])
    assert new.is_planned and new.carer_link == link and new.carer_name == "Grandma Ana"
    assert new.planned_minutes == 30 and list(new.children.all()) == [cast.child]
    assert new.starts_at == datetime(2026, 6, 2, 9, 1, tzinfo=UTC)  # now, to the minute
    agreed = new.agreed.get()
    assert (agreed.kind, agreed.label, agreed.due_at) == (
        "photo",
        "in the garden",
        datetime(2026, 6, 2, 9, 21, tzinfo=UTC),
    )
    private = SeparationPrivate.objects.get(separation=new)
    assert private.messages_aim == 2 and private.worry_before is None  # never carried over


def test_a_later_start_can_be_chosen(cast):
    make_separation(
        cast, status=Separation.Status.BACK, starts_at=timezone.now() - timedelta(days=1)
    )
    with time_machine.travel(NOW, tick=False):
        cast.client_for(cast.parent).post(
            reverse("separations:again", args=[cast.household.pk]), {"when": "60"}
        )
    assert Separation.objects.get(status="planned").starts_at == datetime(
        2026, 6, 2, 10, 1, tzinfo=UTC
    )


def test_it_copies_this_parents_plan_not_the_partners(cast):
    make_separation(
        cast, leaver=cast.partner, carer=cast.caregiver, status=Separation.Status.BACK, minutes=90
    )
    html = cast.client_for(cast.parent).get(dashboard(cast)).content.decode()
    assert "Same as last time" not in html and "Plan your first practice" in html
    response = cast.client_for(cast.parent).get(
        reverse("separations:again", args=[cast.household.pk])
    )
    assert response["Location"] == reverse("separations:plan", args=[cast.household.pk])


def test_a_withdrawn_link_sends_you_to_the_full_form(cast):
    link, _ = CaregiverLink.create(
        household=cast.household, name="Sitter Lou", created_by=cast.parent
    )
    make_separation(cast, link=link, status=Separation.Status.BACK)
    link.revoked_at = timezone.now()
    link.save()
    client = cast.client_for(cast.parent)
    assert "Same as last time" not in client.get(dashboard(cast)).content.decode()
    response = client.post(reverse("separations:again", args=[cast.household.pk]), {"when": "0"})
    assert response["Location"] == reverse("separations:plan", args=[cast.household.pk])
    assert Separation.objects.count() == 1


def test_cancelled_plans_are_not_last_time(cast):
    make_separation(cast, status=Separation.Status.BACK, minutes=15)
    make_separation(cast, status=Separation.Status.CANCELLED, minutes=240)
    html = cast.client_for(cast.parent).get(dashboard(cast)).content.decode()
    assert "15 minutes with Grandma Ana" in html


def test_the_dashboard_shows_who_is_away_and_whats_planned(cast):
    with time_machine.travel(NOW, tick=False):
        make_separation(cast, leaver=cast.partner, carer=cast.caregiver)
        make_separation(cast, status=Separation.Status.PLANNED, starts_at=NOW + timedelta(hours=2))
        html = cast.client_for(cast.parent).get(dashboard(cast)).content.decode()
    assert "Sam is away" in html and "back around 10:20" in html
    assert "Your 30 minutes" in html and "planned for 12:00" in html


def test_a_caregiver_caring_now_is_pointed_to_the_update_page(cast):
    make_separation(cast)
    html = cast.client_for(cast.caregiver).get(dashboard(cast)).content.decode()
    assert reverse("separations:care_now", args=[cast.household.pk]) in html
    assert "Plan" not in html
