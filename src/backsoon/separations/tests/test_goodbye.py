"""The goodbye card and "Leaving now": short, per child, and the clock starts."""

from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.urls import reverse

from backsoon.households.models import Child
from backsoon.separations import goodbye
from backsoon.separations.models import GoodbyeRitual, Separation
from backsoon.separations.schedule import AgreedSpec
from backsoon.separations.tests.factories import make_separation

NOW = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def planned(cast):
    with time_machine.travel(NOW, tick=False):
        yield make_separation(
            cast,
            status=Separation.Status.PLANNED,
            starts_at=datetime(2026, 6, 1, 10, 30, tzinfo=UTC),
            minutes=60,
            agreed=[
                AgreedSpec("all_good", offset_minutes=20),
                AgreedSpec("photo", "nap", clock=time(11, 45)),
            ],
        )


def detail(cast, separation):
    return reverse("separations:detail", args=[cast.household.pk, separation.pk])


@pytest.mark.parametrize(
    ("months", "sneak_tip"),
    [(3, False), (8, False), (9, True), (20, True)],
)
def test_the_age_tip_says_not_to_sneak_out_from_about_nine_months(months, sneak_tip):
    tip = goodbye.age_tip("Bea", months)
    assert ("Slipping out unseen" in tip) is sneak_tip
    assert "Bea" in tip


def test_the_card_is_short_and_shows_the_ritual_the_tip_and_a_calm_face(cast, planned):
    # Bea, born 1 Mar 2026, is 3 months old on 1 Jun 2026.
    with time_machine.travel(NOW, tick=False):
        html = cast.client_for(cast.parent).get(detail(cast, planned)).content.decode()
    assert goodbye.default_ritual("Bea") in html.replace("&#x27;", "'").replace("&quot;", '"')
    assert "takes cues from your face" in html and "Slipping out" not in html
    assert "A calm face is enough" in html
    main = html[html.index("<main") : html.index("</main>")]
    assert main.count('type="submit"') == 2  # "Leaving now", and "Cancel" tucked in the plan
    assert "Leaving now" in html


def test_each_child_gets_their_own_words_and_tip(cast, planned):
    older = Child.objects.create(household=cast.household, name="Kofi", birth_date=date(2025, 1, 5))
    planned.children.add(older)
    GoodbyeRitual.objects.create(child=older, text="High five, a kiss, “back after your nap!”")
    with time_machine.travel(NOW, tick=False):
        html = cast.client_for(cast.parent).get(detail(cast, planned)).content.decode()
    assert "High five, a kiss" in html
    assert "Say goodbye to Kofi, then go" in html


def test_the_partner_sees_the_plan_but_no_goodbye_card_and_cannot_start_it(cast, planned):
    client = cast.client_for(cast.partner)
    with time_machine.travel(NOW, tick=False):
        html = client.get(detail(cast, planned)).content.decode()
        assert "Leaving now" not in html and "Maya's time apart" in html
        response = client.post(reverse("separations:leave", args=[cast.household.pk, planned.pk]))
    assert response.status_code == 404
    planned.refresh_from_db()
    assert planned.is_planned


def test_leaving_now_starts_the_clock_and_moves_the_offsets(cast, planned):
    later = datetime(2026, 6, 1, 10, 40, tzinfo=UTC)  # ten minutes late
    with time_machine.travel(later, tick=False):
        response = cast.client_for(cast.parent).post(
            reverse("separations:leave", args=[cast.household.pk, planned.pk])
        )
    assert response["Location"] == reverse("separations:away", args=[cast.household.pk, planned.pk])
    planned.refresh_from_db()
    assert planned.is_away and planned.left_at == later
    assert planned.expected_back == datetime(2026, 6, 1, 11, 40, tzinfo=UTC)
    # "After 20 minutes" counts from the real goodbye; "11:45" (10:45 UTC) stays put.
    assert [a.due_at for a in planned.agreed.all()] == [
        datetime(2026, 6, 1, 10, 45, tzinfo=UTC),
        datetime(2026, 6, 1, 11, 0, tzinfo=UTC),
    ]


def test_a_clock_time_that_can_no_longer_happen_is_dropped(cast, planned):
    with time_machine.travel(datetime(2026, 6, 1, 10, 50, tzinfo=UTC), tick=False):
        cast.client_for(cast.parent).post(
            reverse("separations:leave", args=[cast.household.pk, planned.pk])
        )
    planned.refresh_from_db()
    # 11:45 BST (10:45 UTC) has passed: tomorrow's 11:45 is after the end, so it goes.
    assert [a.kind for a in planned.agreed.all()] == ["all_good"]


def test_leaving_twice_changes_nothing(cast, planned):
    client = cast.client_for(cast.parent)
    url = reverse("separations:leave", args=[cast.household.pk, planned.pk])
    with time_machine.travel(NOW, tick=False):
        client.post(url)
    with time_machine.travel(datetime(2026, 6, 1, 10, 5, tzinfo=UTC), tick=False):
        client.post(url)
    planned.refresh_from_db()
    assert planned.left_at == NOW


def test_one_time_apart_at_a_time(cast, planned):
    with time_machine.travel(NOW, tick=False):
        make_separation(cast, status=Separation.Status.AWAY)
        response = cast.client_for(cast.parent).post(
            reverse("separations:leave", args=[cast.household.pk, planned.pk]), follow=True
        )
    assert "already away" in response.content.decode()
    planned.refresh_from_db()
    assert planned.is_planned


def test_parents_edit_the_goodbye_words(cast, planned):
    url = reverse("separations:ritual", args=[cast.household.pk, cast.child.pk])
    client = cast.client_for(cast.partner)
    assert "A hug and a kiss for Bea" in client.get(url).content.decode()
    response = client.post(
        url, {"text": "Two kisses, a wave at the window.", "back": str(planned.pk)}
    )
    assert response["Location"] == detail(cast, planned)
    assert GoodbyeRitual.objects.get(child=cast.child).text == "Two kisses, a wave at the window."
    assert client.post(url, {"text": ""}).status_code == 200
    # A digit int() refuses: the dashboard, not a 500.
    assert client.post(url, {"text": "A wave.", "back": "²"}).status_code == 302
    assert cast.client_for(cast.caregiver).get(url).status_code == 404


def test_without_a_tested_channel_the_card_says_once_where_updates_show(cast, planned):
    from backsoon.notify.models import Channel

    client = cast.client_for(cast.parent)
    with time_machine.travel(NOW, tick=False):
        html = client.get(detail(cast, planned)).content.decode()
        assert "updates will show here in the app" in html
        assert reverse("notify:settings", args=[cast.household.pk]) in html
        Channel.objects.create(
            membership=cast.parent,
            kind="email",
            config={"address": "maya@example.org"},
            label="maya@example.org",
            last_test_ok=True,
        )
        assert "show here in the app" not in client.get(detail(cast, planned)).content.decode()
