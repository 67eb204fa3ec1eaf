"""A person's own wellbeing data: self-check results, their reminder, their cards' dismissals.

All of it is `owner` data (DOMAIN.md, "Inner data belongs to its person"): every row belongs
to one membership and is read only by views that filter by `request.subject.membership`.
Leaving a household deletes it with the membership.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backsoon.households.models import Membership
from backsoon.wellbeing.scoring import CRISIS_ITEM, Check


class SelfCheckResult(models.Model):
    class Kind(models.TextChoices):
        GAD7 = Check.GAD7.value, "GAD-7"
        PHQ9 = Check.PHQ9.value, "PHQ-9"

    owner = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    answers = models.JSONField()  # [0..3] per item, in the published order
    score = models.PositiveSmallIntegerField()
    language = models.CharField(max_length=16)  # the text version the person answered
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["owner", "kind", "taken_at"], name="wellbeing_result_by_owner")
        ]
        ordering = ["-taken_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.taken_at:%Y-%m-%d %H:%M}Z"

    @property
    def check_kind(self) -> Check:
        return Check(self.kind)

    @property
    def needs_crisis_help(self) -> bool:
        return (
            self.kind == Check.PHQ9
            and len(self.answers) >= CRISIS_ITEM
            and self.answers[CRISIS_ITEM - 1] > 0
        )


class Reminder(models.Model):
    """ "A moment for you?" every 2 or 4 weeks. The worker (a later issue) sends what is due:
    `next_reminder_at` is recomputed on every write (STYLE.md: scheduled state is a column)."""

    class Every(models.IntegerChoices):
        TWO_WEEKS = 2, _("every 2 weeks")
        FOUR_WEEKS = 4, _("every 4 weeks")

    owner = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="+")
    every_weeks = models.PositiveSmallIntegerField(choices=Every.choices, null=True, blank=True)
    next_reminder_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_reminder_at"],
                condition=Q(next_reminder_at__isnull=False),
                name="wellbeing_reminder_due",
            )
        ]

    def __str__(self) -> str:
        return f"reminder every {self.every_weeks} weeks" if self.every_weeks else "no reminder"


class CardDismissal(models.Model):
    """A person's answer to one of their own help cards, kept with the evidence it was about.

    "I already have support" stops that card for good; "Not now" hides it until
    `hidden_until` (see redflags.py), after which it returns only while the evidence lasts.
    """

    class Choice(models.TextChoices):
        NOT_NOW = "not_now", _("Not now")
        HAVE_SUPPORT = "have_support", _("I already have support")

    owner = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(max_length=32)
    key = models.CharField(max_length=32, blank=True)  # which child, for the baby's card
    choice = models.CharField(max_length=16, choices=Choice.choices)
    evidence_start = models.DateTimeField()
    evidence_until = models.DateTimeField()
    hidden_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["owner", "rule"], name="wellbeing_dismissal_by_owner")]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.rule}/{self.key}: {self.choice}"
