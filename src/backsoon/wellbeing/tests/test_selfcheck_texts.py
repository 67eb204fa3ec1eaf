"""The self-check texts are the published ones, word for word (Spitzer 2006; Kroenke 2001)."""

from __future__ import annotations

import pytest

from backsoon.wellbeing import content
from backsoon.wellbeing.scoring import Check
from backsoon.wellbeing.selfchecks import questionnaire

OPTIONS = ("Not at all", "Several days", "More than half the days", "Nearly every day")

GAD7 = (
    "Feeling nervous, anxious, or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid, as if something awful might happen",
)
PHQ9 = (
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself — or that you are a failure or have let yourself or your "
    "family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite — "
    "being so fidgety or restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead or of hurting yourself in some way",
)


def test_gad7_word_for_word():
    q = questionnaire(Check.GAD7, "en")
    assert q.stem == (
        "Over the last 2 weeks, how often have you been bothered by the following problems?"
    )
    assert q.items == GAD7
    assert q.options == OPTIONS
    assert q.choices == [(0, "Not at all"), (1, "Several days"), (2, "More than half the days"),
                         (3, "Nearly every day")]  # fmt: skip
    assert "Spitzer" in q.citation and "2006" in q.citation


def test_phq9_word_for_word():
    q = questionnaire(Check.PHQ9, "en")
    assert q.stem == (
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    )
    assert q.items == PHQ9
    assert q.options == OPTIONS
    assert "Kroenke" in q.citation and "2001" in q.citation


@pytest.mark.parametrize("language", ["de", "pt-br", "en-gb", None])
def test_a_language_without_a_validated_translation_gets_the_english_text(language):
    assert questionnaire(Check.PHQ9, language).language == "en"
    assert questionnaire(Check.PHQ9, language).items == PHQ9


def test_language_fallback_order():
    assert content.candidates("pt-BR") == ["pt-br", "pt", "en"]
    assert content.candidates("en") == ["en"]


def test_no_epds_text_is_shipped():
    text = "".join(str(v) for v in content.load("selfchecks", "en")[1].values())
    assert "EPDS" not in text
    assert "Edinburgh" not in text
