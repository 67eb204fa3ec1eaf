"""Saving a person's self-checks and reminder preference (owner data, one membership each)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from backsoon.households.models import Membership
from backsoon.households.services import zone
from backsoon.wellbeing import scoring
from backsoon.wellbeing.models import Reminder, SelfCheckResult
from backsoon.wellbeing.reminders import next_reminder


def record(
    owner: Membership,
    check: scoring.Check,
    answers: Sequence[int],
    language: str,
    now: datetime | None = None,
) -> SelfCheckResult:
    """Keep a result; a reminder that is on now counts from this check."""
    now = now or timezone.now()
    total = scoring.score(check, answers)
    with transaction.atomic():
        result = SelfCheckResult.objects.create(
            owner=owner,
            kind=scoring.Check(check).value,
            answers=list(answers),
            score=total,
            language=language,
            taken_at=now,
        )
        reminder = Reminder.objects.filter(owner=owner, every_weeks__isnull=False).first()
        if reminder is not None:
            reminder.next_reminder_at = next_reminder(
                now, reminder.every_weeks, zone(owner.household)
            )
            reminder.save(update_fields=["next_reminder_at"])
    return result


def reminder_of(owner: Membership) -> Reminder | None:
    return Reminder.objects.filter(owner=owner).first()


def set_reminder(owner: Membership, every_weeks: int | None, now: datetime | None = None) -> None:
    """On (2 or 4 weeks from now) or off; the due time is recomputed with the choice."""
    now = now or timezone.now()
    every_weeks = every_weeks or None
    Reminder.objects.update_or_create(
        owner=owner,
        defaults={
            "every_weeks": every_weeks,
            "next_reminder_at": next_reminder(now, every_weeks, zone(owner.household)),
            "updated_at": now,
        },
    )


def delete_results(owner: Membership) -> int:
    deleted, _by_model = SelfCheckResult.objects.filter(owner=owner).delete()
    return deleted
