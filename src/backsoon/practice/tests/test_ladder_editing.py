"""The ladder page and its editing: add, remove, reorder, rename, change lengths.

Bad input gets a message next to the field with what was typed kept, and never a 500.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from backsoon.practice import ladder as ladders
from backsoon.practice.models import Ladder, LadderStep
from backsoon.practice.tests.factories import practice, step_named

DEFAULT_NAMES = [
    "Trial run at home",
    "5 minutes",
    "15 minutes",
    "30 minutes",
    "1 hour",
    "1 h 30 min",
    "2 hours",
    "Half a day",
    "A full day",
    "An evening out",
    "Overnight",
]


def names(owner) -> list[str]:
    return [s.name for s in ladders.steps_of(ladders.ladder_of(owner))]


def url(cast, name, *args):
    return reverse(f"practice:{name}", args=[cast.household.pk, *args])


def test_opening_your_ladder_makes_the_default_steps_once(cast):
    client = cast.client_for(cast.parent)
    html = client.get(url(cast, "ladder", cast.parent.pk)).content.decode()
    client.get(url(cast, "ladder", cast.parent.pk))
    assert Ladder.objects.count() == 1
    assert names(cast.parent) == DEFAULT_NAMES
    steps = ladders.steps_of(ladders.ladder_of(cast.parent))
    assert [s.minutes for s in steps] == [30, 5, 15, 30, 60, 90, 120, 240, 480, 240, 720]
    kinds = [s.kind for s in steps]
    assert kinds[0] == "trial" and kinds[-2:] == ["bedtime", "bedtime"]
    assert "Your practice ladder" in html and "A first step: Trial run at home" in html
    assert reverse("practice:trial", args=[cast.household.pk]) in html


def test_the_home_link_goes_to_your_own_ladder(cast):
    response = cast.client_for(cast.partner).get(url(cast, "home"))
    assert response["Location"] == url(cast, "ladder", cast.partner.pk)


def test_the_dashboard_links_to_your_ladder_with_your_next_step(cast):
    ladders.ensure_ladder(cast.parent)
    html = (
        cast.client_for(cast.parent)
        .get(reverse("households:dashboard", args=[cast.household.pk]))
        .content.decode()
    )
    assert url(cast, "ladder", cast.parent.pk) in html
    assert "Your practice ladder" in html and "A first step: Trial run at home" in html
    caregiver = (
        cast.client_for(cast.caregiver)
        .get(reverse("households:dashboard", args=[cast.household.pk]))
        .content.decode()
    )
    assert "Your practice ladder" not in caregiver


def test_adding_a_step_puts_it_where_its_length_belongs(cast):
    ladders.ensure_ladder(cast.parent)
    client = cast.client_for(cast.parent)
    response = client.post(
        url(cast, "step_add"),
        {"name": "45 minutes", "minutes": "45", "kind": "away", "idea": "the gym"},
    )
    assert response.status_code == 302
    assert names(cast.parent)[3:6] == ["30 minutes", "45 minutes", "1 hour"]
    client.post(url(cast, "step_add"), {"name": "A weekend", "minutes": "1440", "kind": "away"})
    assert names(cast.parent)[9:12] == ["A full day", "A weekend", "An evening out"]


def test_adding_to_a_ladder_never_opened_creates_it(cast):
    cast.client_for(cast.partner).post(
        url(cast, "step_add"), {"name": "10 minutes", "minutes": "10", "kind": "away"}
    )
    assert "10 minutes" in names(cast.partner) and len(names(cast.partner)) == 12


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "  ", "minutes": "20", "kind": "away"}, "name", "Give the step a name."),
        ({"name": "Gym", "minutes": "", "kind": "away"}, "minutes", "How many minutes?"),
        (
            {"name": "Gym", "minutes": "lots", "kind": "away"},
            "minutes",
            "A whole number of minutes",
        ),
        ({"name": "Gym", "minutes": "0", "kind": "away"}, "minutes", "at least a minute"),
        ({"name": "Gym", "minutes": "-5", "kind": "away"}, "minutes", "at least a minute"),
        ({"name": "Gym", "minutes": "2000", "kind": "away"}, "minutes", "Up to 24 hours"),
        ({"name": "Gym", "minutes": "9" * 30, "kind": "away"}, "minutes", "Up to 24 hours"),
        ({"name": "Gym", "minutes": "20", "kind": "sideways"}, "kind", "Select a valid choice"),
        ({"name": "G" * 61, "minutes": "20", "kind": "away"}, "name", "at most 60"),
        ({"name": "Gym", "minutes": "20", "kind": "away", "idea": "i" * 121}, "idea", "at most"),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_kept(cast, data, field, message):
    ladders.ensure_ladder(cast.parent)
    response = cast.client_for(cast.parent).post(url(cast, "step_add"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html  # the message sits with its field
    if data["name"].strip() and field != "name":
        assert f'value="{data["name"]}"' in html  # what was typed is kept
    assert len(names(cast.parent)) == 11


def test_renaming_and_changing_a_length(cast):
    ladders.ensure_ladder(cast.parent)
    step = step_named(cast.parent, "1 hour")
    client = cast.client_for(cast.parent)
    page = client.get(url(cast, "step_edit", step.pk)).content.decode()
    assert 'value="1 hour"' in page and "Remove this step" in page
    response = client.post(
        url(cast, "step_edit", step.pk),
        {"name": "Coffee with Jo", "minutes": "75", "kind": "away", "idea": "the café"},
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert (step.name, step.minutes, step.idea) == ("Coffee with Jo", 75, "the café")
    bad = client.post(url(cast, "step_edit", step.pk), {"name": "x", "minutes": "soon"})
    assert bad.status_code == 200 and 'value="soon"' in bad.content.decode()


def test_reordering(cast):
    ladders.ensure_ladder(cast.parent)
    client = cast.client_for(cast.parent)
    evening = step_named(cast.parent, "An evening out")
    client.post(url(cast, "step_move", evening.pk), {"direction": "up"})
    assert names(cast.parent)[-3:] == ["An evening out", "A full day", "Overnight"]
    client.post(url(cast, "step_move", evening.pk), {"direction": "down"})
    client.post(url(cast, "step_move", evening.pk), {"direction": "down"})
    assert names(cast.parent)[-2:] == ["Overnight", "An evening out"]
    client.post(url(cast, "step_move", evening.pk), {"direction": "down"})  # already last
    trial = step_named(cast.parent, "Trial run at home")
    client.post(url(cast, "step_move", trial.pk), {"direction": "up"})  # already first
    assert names(cast.parent)[0] == "Trial run at home"
    positions = [s.position for s in ladders.steps_of(ladders.ladder_of(cast.parent))]
    assert positions == list(range(11))
    assert client.get(url(cast, "step_move", evening.pk)).status_code == 405


def test_removing_a_step_keeps_its_times_apart(cast):
    ladders.ensure_ladder(cast.parent)
    hour = step_named(cast.parent, "1 hour")
    separation = practice(cast, hour, at=timezone.now() - timedelta(days=1))
    response = cast.client_for(cast.parent).post(url(cast, "step_remove", hour.pk))
    assert response.status_code == 302
    assert "1 hour" not in names(cast.parent)
    separation.refresh_from_db()
    assert separation.practice_step is None and separation.minutes_away == 60
    positions = [s.position for s in ladders.steps_of(ladders.ladder_of(cast.parent))]
    assert positions == list(range(10))


def test_nobody_changes_someone_elses_ladder(cast):
    ladders.ensure_ladder(cast.parent)
    step = step_named(cast.parent, "1 hour")
    sam = cast.client_for(cast.partner)
    assert sam.get(url(cast, "step_edit", step.pk)).status_code == 404
    for action in ("step_edit", "step_remove", "step_move"):
        assert sam.post(url(cast, action, step.pk), {"name": "Mine now"}).status_code == 404
    assert sam.post(url(cast, "in_between"), {"step": step.pk, "minutes": 45}).status_code == 404
    assert names(cast.parent) == DEFAULT_NAMES
    # Sam sees it, read-only: no editing controls even when asking for them.
    html = sam.get(url(cast, "ladder", cast.parent.pk) + "?edit=1").content.decode()
    assert "Move up" not in html and "Change the ladder" not in html and "1 hour" in html


def test_adding_the_suggested_step_in_between(cast):
    ladders.ensure_ladder(cast.parent)
    hour = step_named(cast.parent, "1 hour")
    for day in (3, 2):
        practice(cast, hour, at=timezone.now() - timedelta(days=day), away=20)
    client = cast.client_for(cast.parent)
    html = client.get(url(cast, "ladder", cast.parent.pk)).content.decode()
    assert "A step in between: 45 minutes" in html and "Add 45 minutes and plan it" in html
    response = client.post(url(cast, "in_between"), {"step": hour.pk, "minutes": "45"})
    new = step_named(cast.parent, "45 minutes")
    assert new.in_between and new.kind == "away"
    assert response["Location"] == (
        reverse("separations:plan", args=[cast.household.pk]) + f"?step={new.pk}"
    )
    assert names(cast.parent)[3:6] == ["30 minutes", "45 minutes", "1 hour"]
    # A stale form (the ladder changed meanwhile) adds nothing.
    again = client.post(url(cast, "in_between"), {"step": hour.pk, "minutes": "45"})
    assert again.status_code == 302 and len(names(cast.parent)) == 12
    assert client.post(url(cast, "in_between"), {"step": "x"}).status_code == 404


def test_the_page_on_how_it_works_names_its_sources(cast):
    html = cast.client_for(cast.partner).get(url(cast, "how")).content.decode()
    assert "Behav Res Ther" in html and "2008;46(1):5–27" in html and "2014;58:10–23" in html
    assert "never failed" in html and "partly did, and it was handled" in html


def test_everything_lands_under_the_right_household(cast):
    ladders.ensure_ladder(cast.parent)
    assert LadderStep.objects.filter(ladder__household=cast.household).count() == 11
