"""The practice ladder of each leaving parent, and their opt-in weekly note.

The ladder is household data: the partner sees its steps and how often each was done, so
the two of them can plan the build-up together (DOMAIN.md, practice 16). How a practice
felt, and what was feared, stay on SeparationPrivate (owner data) and never come through
here.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backsoon.households.models import Household, Membership

# The plan form's longest time apart, so every step can be planned.
MAX_STEP_MINUTES = 24 * 60


class Ladder(models.Model):
    """One per leaving parent; created with the default steps the first time they open it."""

    owner = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="ladder")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"ladder of {self.owner_id}"


class LadderStep(models.Model):
    class Kind(models.TextChoices):
        TRIAL = "trial", _("A trial run at home (you stay in the house)")
        AWAY = "away", _("Time away")
        BEDTIME = "bedtime", _("Time away over bedtime")

    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(_("name"), max_length=60)
    minutes = models.PositiveIntegerField(
        _("length in minutes"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_STEP_MINUTES)],
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.AWAY)
    idea = models.CharField(_("an idea for it"), max_length=120, blank=True)
    # Added from an "in-between step" suggestion (half the gap to the step below).
    in_between = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["ladder", "position"], name="practice_step_order")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_trial(self) -> bool:
        return self.kind == self.Kind.TRIAL


class WeeklyNote(models.Model):
    """A parent's opt-in weekly note. `next_weekly_at` is the due time (None: off), recomputed
    on every write; the worker claims a due note by moving it forward (weekly.py)."""

    owner = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="+")
    next_weekly_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_weekly_at"],
                condition=Q(next_weekly_at__isnull=False),
                name="practice_weekly_due",
            )
        ]

    def __str__(self) -> str:
        return f"weekly note of {self.owner_id}"

    @property
    def is_on(self) -> bool:
        return self.next_weekly_at is not None
