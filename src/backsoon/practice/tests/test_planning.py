"""The ladder in the separations pages: choosing the step when planning, the next step
beside "same as last time", and "how did it feel" at the reunion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from backsoon.practice import evidence
from backsoon.practice import ladder as ladders
from backsoon.practice.tests.factories import practice, step_named
from backsoon.separations.models import Separation, SeparationPrivate

NOW = datetime(2026, 6, 20, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def two_good_at_thirty(cast):
    ladders.ensure_ladder(cast.parent)
    thirty = step_named(cast.parent, "30 minutes")
    for day in (3, 2):
        practice(cast, thirty, at=NOW - timedelta(days=day), feel="manageable")
    return thirty


def plan_url(cast):
    return reverse("separations:plan", args=[cast.household.pk])


def plan_data(cast, **extra):
    return {
        "kind": "practice",
        "carer": f"m{cast.partner.pk}",
        "children": [str(cast.child.pk)],
        "starts_at": "2026-06-20T11:00",
        "minutes": "60",
        "agreed-TOTAL_FORMS": "0",
        "agreed-INITIAL_FORMS": "0",
        "messages_aim": "1",
        **extra,
    }


def test_the_plan_form_offers_the_suggested_step_at_its_length(cast, two_good_at_thirty):
    form = cast.client_for(cast.parent).get(plan_url(cast)).context["form"]
    hour = step_named(cast.parent, "1 hour")
    assert form.initial["step"] == str(hour.pk) and form.initial["minutes"] == "60"
    names = [label for _value, label in form.fields["step"].choices]
    assert names[0] == "Whichever fits its length" and "Trial run at home" not in names
    # A link from the ladder chooses the step, and a length not in the usual list.
    forty = ladders.add_step(
        ladders.ladder_of(cast.parent), name="Gym class", minutes=50, kind="away"
    )
    form = cast.client_for(cast.parent).get(plan_url(cast) + f"?step={forty.pk}").context["form"]
    assert form.initial["step"] == str(forty.pk) and form.initial["minutes"] == "50"
    assert ("50", "50 minutes") in form.fields["minutes"].choices


def test_planning_a_step_keeps_it_with_the_plan(cast, two_good_at_thirty):
    hour = step_named(cast.parent, "1 hour")
    client = cast.client_for(cast.parent)
    client.post(plan_url(cast), plan_data(cast, step=str(hour.pk)))
    planned = Separation.objects.get(status="planned")
    assert planned.practice_step == hour
    # Changing the plan keeps the step, or changes it.
    edit = reverse("separations:edit", args=[cast.household.pk, planned.pk])
    assert client.get(edit).context["form"].initial["step"] == str(hour.pk)
    client.post(edit, plan_data(cast, step="", minutes="90"))
    planned.refresh_from_db()
    assert planned.practice_step.minutes == 90
    client.post(edit, plan_data(cast, step="", minutes="45"))
    planned.refresh_from_db()
    assert planned.practice_step is None  # no step is 45 minutes: it counts by its length


def test_a_plain_30_minute_practice_counts_on_the_ladder(cast):
    # A new parent's suggestion is the trial run at home, which isn't planned here: the
    # form preselects no step, and a 30-minute practice is the 30-minute step.
    ladders.ensure_ladder(cast.parent)
    thirty = step_named(cast.parent, "30 minutes")
    client = cast.client_for(cast.parent)
    dashboard = reverse("households:dashboard", args=[cast.household.pk])
    assert "Trial run at home" in client.get(dashboard).content.decode()
    assert client.get(plan_url(cast)).context["form"].initial.get("step") is None
    client.post(plan_url(cast), plan_data(cast, minutes="30"))
    assert Separation.objects.get(status="planned").practice_step == thirty
    Separation.objects.all().delete()
    # One done without a step (say, over the API) counts too: the ladder moves off the trial run.
    practice(cast, None, at=NOW - timedelta(days=1), minutes=30, feel="manageable")
    suggestion = evidence.suggestion_for(cast.parent)
    assert (suggestion.current.id, suggestion.step.id) == (thirty.pk, thirty.pk)
    assert "Trial run at home" not in client.get(dashboard).content.decode()


def test_everyday_time_apart_is_never_put_on_the_ladder(cast, two_good_at_thirty):
    hour = step_named(cast.parent, "1 hour")
    cast.client_for(cast.parent).post(
        plan_url(cast), plan_data(cast, kind="everyday", step=hour.pk)
    )
    assert Separation.objects.get(status="planned").practice_step is None


def test_a_step_from_someone_elses_ladder_is_refused(cast, two_good_at_thirty):
    theirs = ladders.steps_of(ladders.ensure_ladder(cast.partner))[3]
    response = cast.client_for(cast.parent).post(plan_url(cast), plan_data(cast, step=theirs.pk))
    assert response.status_code == 200 and "step" in response.context["form"].errors
    assert not Separation.objects.filter(status="planned").exists()


def test_without_a_ladder_the_plan_form_is_as_before(cast):
    form = cast.client_for(cast.parent).get(plan_url(cast)).context["form"]
    assert "step" not in form.fields


def test_same_as_last_time_offers_the_next_step(cast, two_good_at_thirty):
    again = reverse("separations:again", args=[cast.household.pk])
    client = cast.client_for(cast.parent)
    html = client.get(again).content.decode()
    assert "Your last two times at 30 minutes felt manageable" in html
    assert "Plan 1 hour instead" in html
    hour = step_named(cast.parent, "1 hour")
    client.post(again, {"when": "0", "step": str(hour.pk)})
    planned = Separation.objects.get(status="planned")
    assert (planned.practice_step, planned.planned_minutes) == (hour, 60)
    # "Plan it" alone: the same step as last time.
    planned.delete()
    client.post(again, {"when": "0"})
    planned = Separation.objects.get(status="planned")
    assert (planned.practice_step, planned.planned_minutes) == (two_good_at_thirty, 30)
    # A step that isn't on offer is an error on the page, never a 500.
    assert client.post(again, {"when": "0", "step": "999999"}).status_code == 200


def test_the_reunion_asks_how_it_felt_and_never_needs_an_answer(cast):
    separation = practice(cast, None, at=NOW - timedelta(hours=1), minutes=30)
    url = reverse("separations:reunion", args=[cast.household.pk, separation.pk])
    client = cast.client_for(cast.parent)
    assert "How did it feel, all in all?" in client.get(url).content.decode()
    client.post(url, {"feel": "hard", "thank_you": ""})
    assert SeparationPrivate.objects.get(separation=separation).feel == "hard"
    client.post(url, {"thank_you": ""})
    assert SeparationPrivate.objects.get(separation=separation).feel == ""
    response = client.post(url, {"feel": "awful", "thank_you": ""})
    assert response.status_code == 200 and "feel" in response.context["form"].errors
