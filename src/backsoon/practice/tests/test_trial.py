"""The trial run at home: a card to keep open, and noting it afterwards in a few taps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from backsoon.practice import evidence
from backsoon.practice import ladder as ladders
from backsoon.separations.models import Separation, ThankYou

NOW = datetime(2026, 6, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def trial_url(cast):
    return reverse("practice:trial", args=[cast.household.pk])


def test_the_card(cast):
    html = cast.client_for(cast.parent).get(trial_url(cast)).content.decode()
    assert "stay where you are" in html and "tell them one thing they did well" in html
    assert "Sam" in html and "Grandma Ana" in html  # who can care
    assert "Only you see how it felt." in html


def test_noting_a_trial_run(cast):
    response = cast.client_for(cast.parent).post(
        trial_url(cast),
        {
            "carer": f"m{cast.partner.pk}",
            "minutes": "30",
            "stepped_in": "0",
            "feel": "manageable",
            "thank_you": "You found the bouncing she likes.",
        },
    )
    assert response["Location"] == reverse(
        "practice:ladder", args=[cast.household.pk, cast.parent.pk]
    )
    separation = Separation.objects.get()
    assert separation.is_back and separation.practice_step.is_trial
    assert (separation.left_at, separation.back_at) == (NOW - timedelta(minutes=30), NOW)
    assert separation.carer_membership == cast.partner and separation.plan_note
    assert list(separation.children.all()) == [cast.child]
    assert separation.private.feel == "manageable" and separation.private.owner == cast.parent
    assert ThankYou.objects.get(separation=separation).text == "You found the bouncing she likes."
    (fact,) = evidence.recent_facts(cast.parent)
    assert not fact.early


def test_stepping_in_is_an_early_end_and_shapes_the_suggestion(cast):
    client = cast.client_for(cast.parent)
    for _ in range(2):
        client.post(
            trial_url(cast),
            {
                "carer": f"m{cast.partner.pk}",
                "minutes": "30",
                "stepped_in": "1",
                "stepped_in_after": "10",
            },
        )
    assert Separation.objects.count() == 2
    assert all(s.minutes_away == 10 for s in Separation.objects.all())
    s = evidence.suggestion_for(cast.parent)
    assert (s.action.value, s.step.name) == ("repeat", "Trial run at home")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"stepped_in": "1"}, "stepped_in_after"),
        ({"stepped_in": "1", "stepped_in_after": "30"}, "stepped_in_after"),
        ({"stepped_in": "1", "stepped_in_after": "-1"}, "stepped_in_after"),
        ({"stepped_in": "0", "minutes": "7"}, "minutes"),
        ({"stepped_in": "0", "carer": "m999999"}, "carer"),
        ({"stepped_in": "0", "feel": "terrible"}, "feel"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(cast, data, field):
    form = {"carer": f"m{cast.partner.pk}", "minutes": "30", **data}
    response = cast.client_for(cast.parent).post(trial_url(cast), form)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Separation.objects.exists()


def test_without_a_baby_or_a_carer_it_says_what_to_add_first(cast):
    cast.household.children.all().delete()
    html = cast.client_for(cast.parent).get(trial_url(cast)).content.decode()
    assert "First add your baby" in html
    response = cast.client_for(cast.parent).post(trial_url(cast), {"carer": "x"})
    assert response.status_code == 200 and not Separation.objects.exists()


def test_a_ladder_without_a_trial_step_still_notes_it(cast):
    ladder = ladders.ensure_ladder(cast.parent)
    ladder.steps.filter(kind="trial").delete()
    cast.client_for(cast.parent).post(
        trial_url(cast), {"carer": f"m{cast.partner.pk}", "minutes": "15", "stepped_in": "0"}
    )
    assert Separation.objects.get().practice_step is None
