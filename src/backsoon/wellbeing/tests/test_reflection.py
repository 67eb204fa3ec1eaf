"""How is it going?: not a test, nothing stored; harm or psychosis means crisis help."""

from __future__ import annotations

import pytest
from django.urls import reverse

from backsoon.wellbeing.models import CardDismissal, Reminder, SelfCheckResult
from backsoon.wellbeing.reflection import reflection

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _packaged_lines(settings):
    settings.CRISIS_FILE = ""


def url(cast) -> str:
    return reverse("wellbeing:reflection", args=[cast.household.pk])


def post(cast, **answers) -> str:
    response = cast.client_for(cast.parent).post(url(cast), answers)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_says_it_is_not_a_test_and_tells_the_two_kinds_of_thoughts_apart(cast):
    html = cast.client_for(cast.parent).get(url(cast)).content.decode()
    assert "Not a validated test" in html
    assert "no score" in html
    assert "harm coming to your baby" in html
    assert "very common in new parents" in html
    assert "aren&#x27;t dangerous in themselves" in html
    assert "Thoughts of harming yourself or your baby are different. They are an emergency" in html
    assert "postpartum psychosis" in html
    assert "seeing or hearing things others don&#x27;t" in html
    assert "going days without sleep" in html
    assert 'data-crisis-fields="harm psychosis"' in html
    assert "wellbeing/crisis.js" in html
    assert "not medical advice" in html


def test_every_sign_from_the_brief_is_asked():
    keys = [q.key for q in reflection("en").questions]
    assert keys == ["blocking", "conflict", "excessive", "months", "intrusive"]


def test_no_yes_answers_get_a_calm_reply(cast):
    html = post(cast, blocking="no", conflict="no")
    assert "things feel manageable right now" in html


def test_each_yes_gets_its_own_kind_suggestion(cast):
    cast.household.country = "US"
    cast.household.save()
    html = post(cast, blocking="yes", intrusive="yes", months="no")
    assert 'data-reflection="blocking"' in html
    assert 'data-reflection="intrusive"' in html
    assert 'data-reflection="months"' not in html
    assert "aren&#x27;t dangerous in themselves" in html
    assert "therapist" in html
    assert "Support line · not for emergencies" in html
    assert "Please reach out" not in html


@pytest.mark.parametrize("field", ["harm", "psychosis"])
def test_harm_or_psychosis_goes_straight_to_crisis_help(cast, field):
    html = post(cast, blocking="yes", **{field: "yes"})
    assert "Please reach out to someone now" in html
    assert 'href="tel:999"' in html
    assert "Nobody watches Back Soon" in html
    assert 'data-reflection="blocking"' not in html


def test_psychosis_names_the_emergency(cast):
    html = post(cast, psychosis="yes")
    assert "postpartum psychosis" in html
    assert "emergency department" in html


def test_nothing_is_stored(cast):
    post(cast, blocking="yes", conflict="yes", harm="no")
    post(cast, harm="yes")
    assert not SelfCheckResult.objects.exists()
    assert not CardDismissal.objects.exists()
    assert not Reminder.objects.exists()


def test_a_made_up_answer_is_refused_and_the_others_are_kept(cast):
    response = cast.client_for(cast.parent).post(url(cast), {"blocking": "maybe", "months": "yes"})
    html = response.content.decode()
    assert "field__error" in html
    assert 'name="months" value="yes" id="id_months_0" checked' in html
