"""Scoring the GAD-7 and PHQ-9, exactly as published. Pure functions: no request, no ORM.

Each answer is 0 ("Not at all") to 3 ("Nearly every day"); the score is their sum.
Bands: GAD-7 0–4, 5–9, 10–14, 15–21 (Spitzer et al. 2006); PHQ-9 0–4, 5–9, 10–14, 15–19,
20–27 (Kroenke et al. 2001). Both papers take 10 as the point to look further.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Check(StrEnum):
    GAD7 = "gad7"
    PHQ9 = "phq9"


ITEMS = {Check.GAD7: 7, Check.PHQ9: 9}
LOWEST, HIGHEST = 0, 3
# Both authors suggest a closer look with a professional from 10 (the red-flag rule uses it).
LOOK_FURTHER_FROM = 10
# PHQ-9 item 9 ("Thoughts that you would be better off dead or of hurting yourself…").
CRISIS_ITEM = 9


@dataclass(frozen=True)
class Band:
    key: str
    low: int
    high: int
    label: Promise  # the authors' own name for the range

    def __contains__(self, score: int) -> bool:
        return self.low <= score <= self.high


BANDS: dict[Check, tuple[Band, ...]] = {
    Check.GAD7: (
        Band("minimal", 0, 4, _("minimal")),
        Band("mild", 5, 9, _("mild")),
        Band("moderate", 10, 14, _("moderate")),
        Band("severe", 15, 21, _("severe")),
    ),
    Check.PHQ9: (
        Band("minimal", 0, 4, _("minimal")),
        Band("mild", 5, 9, _("mild")),
        Band("moderate", 10, 14, _("moderate")),
        Band("moderately_severe", 15, 19, _("moderately severe")),
        Band("severe", 20, 27, _("severe")),
    ),
}


def max_score(check: Check) -> int:
    return ITEMS[Check(check)] * HIGHEST


def validate(check: Check, answers: Sequence[int]) -> list[int]:
    """The answers as ints, or ValueError: one per item, each 0 to 3."""
    check = Check(check)
    values = list(answers)
    if len(values) != ITEMS[check]:
        raise ValueError(f"{check} has {ITEMS[check]} items, got {len(values)} answers")
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"answers must be whole numbers, got {value!r}")
        if not LOWEST <= value <= HIGHEST:
            raise ValueError(f"answers go from {LOWEST} to {HIGHEST}, got {value}")
    return values


def score(check: Check, answers: Sequence[int]) -> int:
    return sum(validate(check, answers))


def band(check: Check, total: int) -> Band:
    for candidate in BANDS[Check(check)]:
        if total in candidate:
            return candidate
    raise ValueError(f"{check} scores go from 0 to {max_score(check)}, got {total}")


def needs_crisis_help(check: Check, answers: Sequence[int]) -> bool:
    """PHQ-9 item 9 above 0: crisis help comes first, before any score."""
    if Check(check) is not Check.PHQ9:
        return False
    return validate(check, answers)[CRISIS_ITEM - 1] > 0


def suggests_looking_further(total: int) -> bool:
    return total >= LOOK_FURTHER_FROM
