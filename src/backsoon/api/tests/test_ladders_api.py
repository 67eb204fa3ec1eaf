"""The ladders through the API: both parents see the steps (household data); how a practice
felt, and the suggestion that comes from it, only ever reach the parent themselves."""

from datetime import timedelta

from django.utils import timezone

from backsoon.api.tests.factories import API, api_client
from backsoon.households.models import CaregiverLink
from backsoon.practice import ladder as ladders
from backsoon.practice.tests.factories import practice
from backsoon.separations.models import Separation, SeparationPrivate
from backsoon.separations.tests.factories import FEAR_MARKER

MANAGEABLE = SeparationPrivate.Feel.MANAGEABLE


def two_good_times(cast):
    """Maya did her 5-minute step twice, and it felt manageable: the rule says move up."""
    steps = list(ladders.ensure_ladder(cast.parent).steps.all())
    now = timezone.now()
    made = [
        practice(
            cast,
            steps[1],
            at=now - timedelta(days=days),
            feel=MANAGEABLE,
            fear=FEAR_MARKER,
            happened=SeparationPrivate.Outcome.NO,
        )
        for days in (3, 2)
    ]
    return steps, made


def test_your_own_ladder_has_how_it_felt_and_the_suggestion(cast):
    steps, _made = two_good_times(cast)
    body = api_client(cast.parent).get(f"{API}/households/{cast.household.pk}/mine/ladder")
    assert body.status_code == 200
    mine = body.json()
    assert mine["parent"] == {"id": cast.parent.pk, "name": "Maya"}
    assert [s["id"] for s in mine["steps"]] == [s.pk for s in steps]
    five = mine["steps"][1]
    assert (five["times"], five["manageable"], five["current"]) == (2, 2, True)
    suggestion = mine["suggestion"]
    assert suggestion["action"] == "move_up" and suggestion["why"] == "two_good"
    assert suggestion["step_id"] == steps[2].pk == suggestion["options"][0]
    assert suggestion["current_step_id"] == steps[1].pk and suggestion["minutes"] == 15
    assert "felt manageable" in suggestion["reason"]
    assert "didn't happen" in suggestion["reason"]
    assert mine["steps"][2]["suggested"] and not mine["steps"][1]["suggested"]


def test_a_new_parent_gets_the_default_ladder_and_a_first_step(cast):
    mine = api_client(cast.partner).get(f"{API}/households/{cast.household.pk}/mine/ladder")
    body = mine.json()
    assert body["parent"]["name"] == "Sam" and len(body["steps"]) == 11
    assert body["steps"][0]["kind"] == "trial"
    assert body["suggestion"]["action"] == "start"
    assert body["suggestion"]["step_id"] == body["steps"][0]["id"]


def test_the_partner_sees_the_steps_and_nothing_that_comes_from_ratings(cast):
    steps, made = two_good_times(cast)
    sam = api_client(cast.partner)
    h = cast.household.pk
    one = sam.get(f"{API}/households/{h}/ladders/{cast.parent.pk}")
    listed = sam.get(f"{API}/households/{h}/ladders")
    assert one.status_code == listed.status_code == 200
    ladder = one.json()
    assert [s["name"] for s in ladder["steps"]] == [s.name for s in steps]
    assert ladder["steps"][1]["times"] == 2  # how often it was done is the household's
    for step in ladder["steps"]:
        assert set(step) == {
            "id",
            "position",
            "name",
            "minutes",
            "kind",
            "idea",
            "in_between",
            "times",
        }
    text = one.content.decode() + listed.content.decode()
    for word in ("suggest", "manageable", "reason", "current", FEAR_MARKER):
        assert word not in text, word
    # However Maya rates her practices, nothing Sam receives changes.
    for separation in made:
        SeparationPrivate.objects.filter(separation=separation).update(
            feel=SeparationPrivate.Feel.HARD, fear_outcome=SeparationPrivate.Outcome.YES
        )
    assert sam.get(f"{API}/households/{h}/ladders/{cast.parent.pk}").content == one.content
    assert sam.get(f"{API}/households/{h}/ladders").content == listed.content
    # Her own view does change: the suggestion listens to her ratings.
    maya = api_client(cast.parent).get(f"{API}/households/{h}/mine/ladder").json()
    assert maya["suggestion"]["why"] == "hard"
    # Sam's own is his own.
    assert sam.get(f"{API}/households/{h}/mine/ladder").json()["parent"]["name"] == "Sam"


def test_every_parents_ladder_is_listed_opened_or_not(cast):
    two_good_times(cast)
    listed = api_client(cast.parent).get(f"{API}/households/{cast.household.pk}/ladders").json()
    assert [(ladder["parent"]["name"], len(ladder["steps"])) for ladder in listed] == [
        ("Maya", 11),
        ("Sam", 0),
    ]
    assert listed[1]["created_at"] is None


def test_caregivers_links_and_outsiders_see_no_ladder(cast):
    ladders.ensure_ladder(cast.parent)
    link, _ = CaregiverLink.create(household=cast.household, name="Lou", created_by=cast.parent)
    h = cast.household.pk
    paths = [
        f"{API}/households/{h}/ladders",
        f"{API}/households/{h}/ladders/{cast.parent.pk}",
        f"{API}/households/{h}/mine/ladder",
    ]
    for client in (api_client(cast.caregiver), api_client(link=link), api_client(cast.outsider)):
        for path in paths:
            assert client.get(path).status_code == 404, path
    # Nor is a caregiver a parent with a ladder, under any household id.
    maya = api_client(cast.parent)
    assert maya.get(f"{API}/households/{h}/ladders/{cast.caregiver.pk}").status_code == 404
    assert maya.get(f"{API}/households/{h}/ladders/{cast.outsider.pk}").status_code == 404


def test_a_plan_names_a_step_on_your_own_ladder_only(cast):
    mine = list(ladders.ensure_ladder(cast.parent).steps.all())
    sams = list(ladders.ensure_ladder(cast.partner).steps.all())
    client = api_client(cast.parent)
    url = f"{API}/households/{cast.household.pk}/separations"
    plan = {
        "carer_member_id": cast.caregiver.pk,
        "children": [cast.child.pk],
        "starts_at": (timezone.now() + timedelta(hours=1)).isoformat(),
        "minutes": 15,
        "practice_step_id": mine[2].pk,
    }
    made = client.post(url, plan, content_type="application/json")
    assert made.status_code == 201, made.content
    assert made.json()["practice_step_id"] == mine[2].pk
    assert Separation.objects.get(pk=made.json()["id"]).practice_step == mine[2]
    refused = client.post(
        url, plan | {"practice_step_id": sams[2].pk}, content_type="application/json"
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"][0]["field"] == "body.practice_step_id"
    assert Separation.objects.count() == 1
