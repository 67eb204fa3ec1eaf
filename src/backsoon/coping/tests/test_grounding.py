"""Grounding tools: usable any time and offline once loaded, in the parent's own words."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from backsoon.coping import content
from backsoon.coping.models import CarerStrengths, GroundingKit
from backsoon.coping.tests.factories import make_kit, make_strengths, make_urge
from backsoon.pwa import OFFLINE_HEADER
from backsoon.separations.models import Separation
from backsoon.separations.tests.factories import make_separation
from backsoon.wellbeing.content import ContentError

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def url(cast, name, *args):
    return reverse(f"coping:{name}", args=[cast.household.pk, *args])


def test_the_content_file_is_complete_and_warm():
    words = content.grounding("en")
    assert words.real.lines[0] == "My baby is safe."
    assert len(words.present.lines) == 5
    assert words.friend.note == "Crying is OK. Texting a friend can help too."
    assert words.reframes.lines and words.compassion.lines and words.strengths.lines
    everything = " ".join(
        [*words.real.lines, *words.reframes.lines, *words.compassion.lines]
    ).lower()
    for cold in ("fail", "should", "must", "wrong"):
        assert cold not in everything


def test_a_language_without_a_file_falls_back_to_english():
    assert content.grounding("pt-br") == content.grounding("en")


def test_a_broken_file_names_what_is_missing():
    with pytest.raises(ContentError, match=r"\[present\]\.steps"):
        content.parse({**_raw(), "present": {"title": "x", "intro": "y"}}, "test.toml")


def _raw():
    import tomllib
    from importlib.resources import files

    path = files("backsoon.coping").joinpath("data", "grounding", "en.toml")
    return tomllib.loads(path.read_text(encoding="utf-8"))


def test_the_page_works_with_defaults_and_is_kept_for_offline(cast):
    response = cast.client_for(cast.parent).get(url(cast, "grounding"))
    html = response.content.decode()
    assert response.status_code == 200 and response[OFFLINE_HEADER] == "1"
    assert "Breathe in for 4 seconds." in html and "Hold for 4 seconds." in html
    assert html.count("Hold for 4 seconds.") == 1  # the fourth side is off by default
    assert "My baby is safe." in html and "Five things you can see." in html
    assert "Crying is OK. Texting a friend can help too." in html
    assert "Choose a friend to text" in html
    assert 'aria-live="polite"' in html and "data-pacer-live hidden" in html
    assert "coping/coping.js" in html and "style=" not in html and "<script>" not in html
    assert not GroundingKit.objects.exists(), "reading the page writes nothing"


def test_the_dashboard_links_to_it_for_parents_only(cast):
    dashboard = reverse("households:dashboard", args=[cast.household.pk])
    assert url(cast, "grounding") in cast.client_for(cast.parent).get(dashboard).content.decode()
    assert url(cast, "grounding") not in (
        cast.client_for(cast.caregiver).get(dashboard).content.decode()
    )


def test_the_parents_own_words_friend_and_pace(cast):
    make_kit(
        cast.parent,
        real_lines="She is safe.\nI am allowed a break.",
        friend_name="Priya",
        breath_in=5,
        breath_rest=3,
        vibrate=True,
    )
    html = cast.client_for(cast.parent).get(url(cast, "grounding")).content.decode()
    assert "She is safe." in html and "My baby is safe." not in html
    assert 'href="sms:+447700900123?body=Hi%2C%20I' in html and "Text Priya" in html
    assert 'data-in="5"' in html and 'data-rest="3"' in html and 'data-vibrate="1"' in html
    assert "Breathe in for 5 seconds." in html and "Hold for 3 seconds." in html


def test_editing_the_kit_starts_from_the_defaults_and_saves(cast):
    client = cast.client_for(cast.parent)
    form = client.get(url(cast, "kit")).context["form"]
    assert form["real_lines"].value().startswith("My baby is safe.\n")
    response = client.post(
        url(cast, "kit"),
        {
            "real_lines": "  Bea is fine.  \n\n I'm a good dad. ",
            "friend_name": "Jo",
            "friend_phone": "+44 7700 900999",
            "breath_in": "4",
            "breath_hold": "2",
            "breath_out": "6",
            "breath_rest": "0",
            "next": url(cast, "grounding"),
        },
    )
    assert response.status_code == 302 and response["Location"] == url(cast, "grounding")
    kit = GroundingKit.objects.get(owner=cast.parent)
    assert kit.lines() == ["Bea is fine.", "I'm a good dad."]
    assert (kit.breath_hold, kit.breath_out, kit.vibrate) == (2, 6, False)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("breath_in", "11", "Choose from 2 to 8 seconds."),
        ("breath_out", "1", "Choose from 2 to 8 seconds."),
        ("friend_phone", "call me maybe", "doesn't look like a phone number"),
        ("real_lines", "x" * 201, "under 200 characters"),
    ],
)
def test_bad_kit_input_is_explained_beside_the_field(cast, field, value, message):
    data = {
        "real_lines": "Bea is fine.",
        "friend_name": "Jo",
        "friend_phone": "",
        "breath_in": "4",
        "breath_hold": "4",
        "breath_out": "4",
        "breath_rest": "0",
    } | {field: value}
    response = cast.client_for(cast.parent).post(url(cast, "kit"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="id_{field}_error"' in html
    assert 'value="Jo"' in html  # what was typed is kept
    assert not GroundingKit.objects.exists()


def test_a_phone_without_a_name_asks_who_it_is(cast):
    response = cast.client_for(cast.parent).post(
        url(cast, "kit"),
        {
            "friend_phone": "+44 7700 900999",
            "breath_in": "4",
            "breath_hold": "4",
            "breath_out": "4",
            "breath_rest": "0",
        },
    )
    assert "Who is it?" in str(response.context["form"].errors["friend_name"])


def test_strengths_are_written_before_leaving_and_offered_again_next_time(cast):
    client = cast.client_for(cast.parent)
    planned = make_separation(
        cast, status=Separation.Status.PLANNED, starts_at=NOW + timedelta(hours=2)
    )
    dashboard = reverse("households:dashboard", args=[cast.household.pk])
    key = f"m{cast.caregiver.pk}"
    edit = url(cast, "strengths_edit", key)
    html = client.get(dashboard).content.decode()
    assert "Before you go: write down what Grandma Ana is good at" in html and edit in html
    form = client.get(edit).context["form"]
    assert form["text"].value().startswith("They love this baby.")
    response = client.post(edit, {"text": "She sings to Bea.\n\nShe stays calm."})
    assert response.status_code == 302
    assert "Before you go" not in client.get(dashboard).content.decode()
    # Leaving now: the words are there in the wait.
    planned.status, planned.left_at = Separation.Status.AWAY, NOW
    planned.save()
    urge = make_urge(planned, started_at=NOW, wait_minutes=20)
    html = client.get(url(cast, "urge", urge.pk)).content.decode()
    assert "She sings to Bea." in html and "She stays calm." in html
    # Next time with Ana, the same words come back.
    planned.status = Separation.Status.BACK
    planned.save()
    later = make_separation(cast, starts_at=NOW, minutes=60)
    urge = make_urge(later, started_at=NOW, wait_minutes=20)
    assert "She sings to Bea." in client.get(url(cast, "urge", urge.pk)).content.decode()
    assert CarerStrengths.objects.get().lines() == ["She sings to Bea.", "She stays calm."]


def test_strengths_list_every_carer_and_refuse_a_stranger(cast):
    make_strengths(cast.parent, cast.caregiver, "Ana is patient.")
    client = cast.client_for(cast.parent)
    html = client.get(url(cast, "strengths")).content.decode()
    assert "Grandma Ana" in html and "Ana is patient." in html and "Sam" in html
    assert client.get(url(cast, "strengths_edit", f"m{cast.outsider.pk}")).status_code == 404
    assert client.get(url(cast, "strengths_edit", "nonsense")).status_code == 404
    response = client.post(url(cast, "strengths_edit", f"m{cast.partner.pk}"), {"text": "  "})
    assert "Write at least one thing" in response.content.decode()


def test_the_grounding_page_leads_back_to_an_open_wait(cast):
    separation = make_separation(cast, starts_at=NOW - timedelta(minutes=10), minutes=60)
    urge = make_urge(separation, started_at=NOW, wait_minutes=20)
    html = cast.client_for(cast.parent).get(url(cast, "grounding")).content.decode()
    assert url(cast, "urge", urge.pk) in html and "back to it" in html
