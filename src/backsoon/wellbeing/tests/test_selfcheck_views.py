"""Taking a self-check: the form, the result with a kind explanation, and item 9 first."""

from __future__ import annotations

import pytest
from django.urls import reverse

from backsoon.wellbeing.models import SelfCheckResult
from backsoon.wellbeing.scoring import Check
from backsoon.wellbeing.tests.factories import GAD7_HIGH, PHQ9_ITEM9, take

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _packaged_lines(settings):
    settings.CRISIS_FILE = ""


def url(cast, name: str, **kwargs) -> str:
    return reverse(f"wellbeing:{name}", kwargs={"household_id": cast.household.pk, **kwargs})


def answers(values: list[int]) -> dict:
    return {f"item_{n}": str(v) for n, v in enumerate(values, start=1)}


def submit(cast, check: str, values: list[int], who=None):
    client = cast.client_for(who or cast.parent)
    return client, client.post(url(cast, check), answers(values))


def test_the_gad7_form_shows_the_published_text(cast):
    response = cast.client_for(cast.parent).get(url(cast, "gad7"))
    html = response.content.decode()
    stem = "Over the last 2 weeks, how often have you been bothered by the following problems?"
    assert stem in html
    assert "7. Feeling afraid, as if something awful might happen" in html
    assert html.count('type="radio"') == 7 * 4
    assert "More than half the days" in html
    assert "Spitzer" in html
    assert "crisis.js" not in html  # only the PHQ-9 has item 9
    assert "no-store" in response["Cache-Control"]


def test_the_phq9_form_carries_the_crisis_panel_hidden_and_its_own_script(cast):
    html = cast.client_for(cast.parent).get(url(cast, "phq9")).content.decode()
    item9 = "9. Thoughts that you would be better off dead or of hurting yourself in some way"
    assert item9 in html
    assert 'data-crisis-fields="item_9"' in html
    assert '<section id="crisis-now" class="crisis-panel"' in html
    panel = html[html.index('id="crisis-now"') :]
    assert "hidden>" in panel[:200]
    assert 'href="tel:999"' in panel
    assert "Nobody watches Back Soon" in panel
    assert "wellbeing/crisis.js" in html
    assert "<script>" not in html  # no inline scripts (CSP)
    assert "Kroenke" in html


def test_a_gad7_result_shows_the_score_and_a_kind_explanation(cast):
    client, response = submit(cast, "gad7", GAD7_HIGH)
    result = SelfCheckResult.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(cast, "result", result_id=result.pk)
    assert result.owner == cast.parent
    assert (result.kind, result.score, result.answers) == ("gad7", 17, GAD7_HIGH)
    html = client.get(response["Location"]).content.decode()
    assert '<span class="score__value">17</span>' in html
    assert "out of 21" in html
    assert "scores from 15 to 21 are in the range its authors call “severe”" in html
    assert "talking it over with a doctor or a therapist" in html
    assert "isn't a diagnosis" in html


@pytest.mark.parametrize(
    ("values", "says"),
    [([0] * 7, "That's the lowest range"), ([1, 1, 1, 1, 1, 0, 0], "Some of this has been")],
)
def test_below_ten_no_referral_is_pressed(cast, values, says):
    client, response = submit(cast, "gad7", values)
    html = client.get(response["Location"]).content.decode()
    assert says in html
    assert "talking it over with a doctor" not in html


def test_a_missing_answer_is_shown_next_to_its_question_and_the_others_are_kept(cast):
    values = answers(GAD7_HIGH)
    del values["item_4"]
    response = cast.client_for(cast.parent).post(url(cast, "gad7"), values)
    assert response.status_code == 200
    html = response.content.decode()
    error_at = html.index('id="id_item_4_error"')
    assert html.index("4. Trouble relaxing") < error_at < html.index("5. Being so restless")
    assert "Please choose one answer here." in html
    assert 'name="item_1" value="3" id="id_item_1_3" required checked' in html
    assert not SelfCheckResult.objects.exists()


def test_an_answer_out_of_range_is_refused(cast):
    values = answers(GAD7_HIGH) | {"item_2": "4"}
    response = cast.client_for(cast.parent).post(url(cast, "gad7"), values)
    assert response.status_code == 200
    assert not SelfCheckResult.objects.exists()


def test_item9_above_zero_shows_crisis_help_and_no_score(cast):
    client, response = submit(cast, "phq9", PHQ9_ITEM9)
    html = client.get(response["Location"]).content.decode()
    assert "Please reach out to someone now" in html
    assert "it's OK to call right now" in html
    assert "score__value" not in html
    assert "out of 27" not in html
    assert "minimal" not in html
    main = html.split('<main id="main"', 1)[1]
    assert main.index('href="tel:999"') < main.index('href="tel:116123"')
    assert main.index('href="tel:116123"') < main.index("Nobody watches Back Soon")
    assert "call 999 now" in main
    result = SelfCheckResult.objects.get()
    assert result.needs_crisis_help and result.answers == PHQ9_ITEM9


def test_item9_crisis_lines_come_before_support_lines_and_are_told_apart(cast):
    cast.household.country = "US"
    cast.household.save()
    client, response = submit(cast, "phq9", [0] * 8 + [2])
    main = client.get(response["Location"]).content.decode().split('<main id="main"', 1)[1]
    assert main.index('href="tel:911"') < main.index('href="tel:988"')
    assert 'href="sms:988"' in main
    assert main.index('href="sms:988"') < main.index('href="tel:+18338526262"')
    assert main.index("Urgent help, any time") < main.index("Support lines")
    assert main.count("Support line · not for emergencies") == 2


def test_item9_screen_comes_first_every_time_the_result_is_opened(cast):
    result = take(cast.parent, Check.PHQ9, [3] * 8 + [1])
    html = cast.client_for(cast.parent).get(url(cast, "result", result_id=result.pk)).content
    assert b"Please reach out to someone now" in html
    assert b"score__value" not in html


def test_a_deployment_override_of_the_lines_reaches_the_item9_screen(cast, crisis_file):
    crisis_file(
        '[[countries.GB.resources]]\nkind = "crisis"\nname = "Local crisis team"\n'
        'number = "0800 123 4567"\ntel = "+448001234567"\nhours = "24/7"\n'
        'description = "Our area team."\nlast_verified = 2026-11-01\nsource = "nhs.uk"\n'
    )
    client, response = submit(cast, "phq9", PHQ9_ITEM9)
    html = client.get(response["Location"]).content.decode()
    assert "Local crisis team" in html
    assert 'href="tel:+448001234567"' in html
    form = client.get(url(cast, "phq9")).content.decode()
    assert 'href="tel:+448001234567"' in form  # the in-form panel too


def test_an_unknown_country_shows_only_the_local_emergency_number(cast):
    cast.household.country = "FR"
    cast.household.save()
    client, response = submit(cast, "phq9", PHQ9_ITEM9)
    html = client.get(response["Location"]).content.decode()
    assert "call your local emergency number now" in html
    assert 'href="tel:' not in html.split('<main id="main"', 1)[1]
