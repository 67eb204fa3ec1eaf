"""Test helpers: results for the cast, and marker values that must never reach the partner."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from backsoon.wellbeing import services
from backsoon.wellbeing.models import SelfCheckResult
from backsoon.wellbeing.scoring import Check

# Maya's distinctive results: 17 and 19 appear nowhere else in these pages.
GAD7_HIGH = [3, 3, 3, 2, 2, 2, 2]  # 17: "severe"
PHQ9_HIGH_NO_ITEM9 = [3, 3, 3, 3, 2, 2, 2, 1, 0]  # 19: "moderately severe"
PHQ9_ITEM9 = [0, 1, 0, 1, 0, 1, 0, 0, 1]  # 4, with item 9 above 0


def take(
    membership, check: Check, answers: list[int], at: datetime | None = None
) -> SelfCheckResult:
    return services.record(membership, check, answers, "en", at or timezone.now())


def url_values(cast) -> dict:
    """Values for the URL test: one of Maya's results."""
    return {"result_id": take(cast.parent, Check.GAD7, GAD7_HIGH).pk}
