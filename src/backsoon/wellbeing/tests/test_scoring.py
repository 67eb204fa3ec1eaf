"""GAD-7 and PHQ-9 scoring and bands, as published, on every band edge."""

from __future__ import annotations

import pytest

from backsoon.wellbeing.scoring import (
    BANDS,
    Check,
    band,
    max_score,
    needs_crisis_help,
    score,
    suggests_looking_further,
)

GAD7, PHQ9 = Check.GAD7, Check.PHQ9


@pytest.mark.parametrize(
    ("check", "answers", "total", "band_key"),
    [
        (GAD7, [0, 0, 0, 0, 0, 0, 0], 0, "minimal"),
        (GAD7, [1, 1, 1, 1, 0, 0, 0], 4, "minimal"),
        (GAD7, [1, 1, 1, 1, 1, 0, 0], 5, "mild"),
        (GAD7, [2, 2, 2, 1, 1, 1, 0], 9, "mild"),
        (GAD7, [2, 2, 2, 2, 1, 1, 0], 10, "moderate"),
        (GAD7, [3, 2, 2, 2, 2, 2, 1], 14, "moderate"),
        (GAD7, [3, 3, 2, 2, 2, 2, 1], 15, "severe"),
        (GAD7, [3, 3, 3, 3, 3, 3, 3], 21, "severe"),
        (PHQ9, [0] * 9, 0, "minimal"),
        (PHQ9, [1, 1, 1, 1, 0, 0, 0, 0, 0], 4, "minimal"),
        (PHQ9, [1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "mild"),
        (PHQ9, [1] * 9, 9, "mild"),
        (PHQ9, [2, 2, 2, 2, 2, 0, 0, 0, 0], 10, "moderate"),
        (PHQ9, [2, 2, 2, 2, 2, 2, 2, 0, 0], 14, "moderate"),
        (PHQ9, [3, 3, 3, 2, 2, 2, 0, 0, 0], 15, "moderately_severe"),
        (PHQ9, [3, 3, 3, 3, 3, 2, 2, 0, 0], 19, "moderately_severe"),
        (PHQ9, [3, 3, 3, 3, 3, 3, 2, 0, 0], 20, "severe"),
        (PHQ9, [3] * 9, 27, "severe"),
    ],
)
def test_worked_examples(check, answers, total, band_key):
    assert score(check, answers) == total
    assert band(check, total).key == band_key


GAD7_EDGES = {0: "minimal", 4: "minimal", 5: "mild", 9: "mild", 10: "moderate", 14: "moderate"}
GAD7_EDGES |= {15: "severe", 21: "severe"}
PHQ9_EDGES = {0: "minimal", 4: "minimal", 5: "mild", 9: "mild", 10: "moderate", 14: "moderate"}
PHQ9_EDGES |= {15: "moderately_severe", 19: "moderately_severe", 20: "severe", 27: "severe"}


@pytest.mark.parametrize(("total", "key"), GAD7_EDGES.items())
def test_gad7_band_edges(total, key):
    assert band(GAD7, total).key == key


@pytest.mark.parametrize(("total", "key"), PHQ9_EDGES.items())
def test_phq9_band_edges(total, key):
    assert band(PHQ9, total).key == key


@pytest.mark.parametrize("check", list(Check))
def test_every_possible_score_has_exactly_one_band(check):
    for total in range(max_score(check) + 1):
        assert sum(total in b for b in BANDS[check]) == 1, total
    assert BANDS[check][0].low == 0
    assert BANDS[check][-1].high == max_score(check)


def test_the_maximum_scores():
    assert max_score(GAD7) == 21
    assert max_score(PHQ9) == 27


@pytest.mark.parametrize("check", list(Check))
@pytest.mark.parametrize("total", [-1, 28])
def test_impossible_scores_have_no_band(check, total):
    with pytest.raises(ValueError):
        band(check, total)


@pytest.mark.parametrize(
    ("check", "answers"),
    [
        (GAD7, [0] * 6),
        (GAD7, [0] * 8),
        (PHQ9, [0] * 7),
        (GAD7, [0, 0, 0, 0, 0, 0, 4]),
        (GAD7, [0, 0, 0, 0, 0, 0, -1]),
        (GAD7, [0, 0, 0, 0, 0, 0, "1"]),
        (GAD7, [0, 0, 0, 0, 0, 0, True]),
    ],
)
def test_wrong_answers_are_refused(check, answers):
    with pytest.raises(ValueError):
        score(check, answers)


@pytest.mark.parametrize(("total", "expected"), [(9, False), (10, True), (27, True), (0, False)])
def test_ten_is_where_both_authors_suggest_looking_further(total, expected):
    assert suggests_looking_further(total) is expected


@pytest.mark.parametrize("item9", [1, 2, 3])
def test_phq9_item9_above_zero_needs_crisis_help_whatever_the_score(item9):
    assert needs_crisis_help(PHQ9, [0] * 8 + [item9])
    assert needs_crisis_help(PHQ9, [3] * 8 + [item9])


def test_phq9_item9_at_zero_does_not():
    assert not needs_crisis_help(PHQ9, [3] * 8 + [0])


def test_gad7_never_needs_the_crisis_screen():
    assert not needs_crisis_help(GAD7, [3] * 7)
