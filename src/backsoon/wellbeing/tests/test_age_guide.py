"""The age guide: what to expect at the child's age, each fact with its source, goodbye tips."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from backsoon.households.tests.test_url_access import link_client
from backsoon.wellbeing.ageguide import age_guide, for_age

GUIDE = age_guide("en")


def keys(topics) -> set[str]:
    return {t.key for t in topics}


def test_at_four_months():
    age = for_age(GUIDE, 4)
    assert keys(age.now) == {"smiles", "object_permanence", "many_bonds"}
    assert keys(age.coming) == {"missing_you", "separation_protest", "strangers"}
    assert any("Start small" in tip for tip in age.tips)


def test_at_twelve_months():
    age = for_age(GUIDE, 12)
    assert {"separation_protest", "strangers", "preference", "missing_you"} <= keys(age.now)
    assert "smiles" in keys(age.earlier)
    assert any("Don't sneak away" in tip for tip in age.tips)
    assert not age.beyond


def test_older_than_the_guide_gets_the_oldest_tips_and_says_so():
    age = for_age(GUIDE, 40)
    assert age.beyond
    assert any("Come back when you said you would" in tip for tip in age.tips)
    assert age.now == ()


def test_every_month_up_to_three_years_has_exactly_one_set_of_tips():
    for months in range(37):
        assert sum(t.from_month <= months <= t.to_month for t in GUIDE.tips) == 1, months


def test_every_fact_names_a_source():
    for topic in GUIDE.topics:
        assert topic.facts, topic.key
        for fact in topic.facts:
            assert fact.sources and all(fact.sources), (topic.key, fact.text)


def topic(key: str):
    return next(t for t in GUIDE.topics if t.key == key)


def sources(key: str) -> str:
    return " ".join(s for f in topic(key).facts for s in f.sources)


def text(key: str) -> str:
    return " ".join(f.text for f in topic(key).facts) + " " + topic(key).advice


def test_the_facts_and_sources_follow_the_brief():
    assert "6 to 8 months" in text("separation_protest")
    assert "10 to 18 months" in text("separation_protest")
    assert "3 years" in text("separation_protest")
    assert "AAP" in sources("separation_protest") and "NHS" in sources("separation_protest")
    assert "80 seconds on average" in text("separation_protest")
    assert "Ganjian" in sources("separation_protest")
    assert "CDC" in sources("strangers") and "7–8 months" in topic("strangers").range
    assert "CDC" in sources("object_permanence")
    assert "3½ to 5 months" in text("object_permanence")
    assert "Ganjian" in sources("missing_you") and "2024" in sources("missing_you")
    assert "5 to 8 months" in text("missing_you")
    assert "1 and 3" in text("preference")
    assert "Benoit" in sources("many_bonds")


def test_the_smiles_phase_is_framed_as_the_brief_frames_it():
    smiles = topic("smiles")
    assert "parents' forum" in sources("smiles")
    assert "not research" in sources("smiles")
    assert "disputed" in text("smiles")
    assert "it is not rejection" in text("smiles")
    assert "Postpartum depression or anxiety can make a parent feel unliked" in smiles.advice
    assert smiles.self_check
    assert (smiles.from_month, smiles.to_month) == (3, 6)


def page(cast, client) -> str:
    response = client.get(reverse("wellbeing:age", args=[cast.household.pk, cast.child.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 11, 22, 12, tzinfo=UTC), tick=False)
def test_the_page_for_bea_at_eight_months(cast):
    assert cast.child.birth_date == date(2026, 3, 1)
    html = page(cast, cast.client_for(cast.parent))
    assert "Bea at 8 months" in html
    assert "Around now" in html and "Goodbye tips for this age" in html
    assert "Source: American Academy of Pediatrics (AAP)" in html
    assert "not medical advice" in html


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 7, 10, 12, tzinfo=UTC), tick=False)
def test_caregivers_read_it_too_without_the_parents_self_check_link(cast):
    for_you = reverse("wellbeing:for_you", args=[cast.household.pk])
    assert for_you in page(cast, cast.client_for(cast.parent))  # 4 months: the smiles phase
    for client in (cast.client_for(cast.caregiver), link_client(cast)):
        html = page(cast, client)
        assert "Smiling more for other people" in html
        assert for_you not in html


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 11, 1, 2, tzinfo=UTC), tick=False)
def test_the_age_is_counted_on_the_households_clock(cast):
    cast.household.time_zone = "America/New_York"  # still 31 October there
    cast.household.save()
    assert "Bea at 7 months" in page(cast, cast.client_for(cast.parent))


@pytest.mark.django_db
def test_another_households_child_is_404(cast):
    client = cast.client_for(cast.parent)
    url = reverse("wellbeing:age", args=[cast.household.pk, cast.other_child.pk])
    assert client.get(url).status_code == 404
