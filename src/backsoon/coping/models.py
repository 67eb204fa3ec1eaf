"""Coping in the moment: urges and their waits, the grounding kit, strengths, urgent calls.

Owner data (DOMAIN.md, "Inner data belongs to its person"): Urge, GroundingKit and
CarerStrengths are read only through `owner` views filtered by the person they are about.
UrgentCall is household data: both parents see it in the history.

Urges live here rather than in `separations` (ARCHITECTURE.md puts them there) so this app
owns its own migrations while the separations app is changing under other hands.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backsoon.coping import flow
from backsoon.households.models import CaregiverLink, Membership
from backsoon.separations.models import ParentMessage, Separation, rating


class Urge(models.Model):
    """One urge to check, or to go home, and what the parent did with it. Owner data."""

    class Kind(models.TextChoices):
        CHECK = "check", _("wanted to check")
        HOME = "home", _("wanted to go home")

    class Outcome(models.TextChoices):
        PASSED = flow.Outcome.PASSED.value, _("it passed")
        CARRIED_ON = flow.Outcome.CARRIED_ON.value, _("still there, carried on")
        MESSAGE = flow.Outcome.MESSAGE.value, _("sent a message")

    separation = models.ForeignKey(Separation, on_delete=models.CASCADE, related_name="urges")
    owner = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    strength_before = rating()
    strength_after = rating()
    started_at = models.DateTimeField(null=True, blank=True)
    wait_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    buzz = models.BooleanField(default=False)
    # Due state as a column (STYLE.md): the worker asks "which buzzes are due now?".
    buzz_at = models.DateTimeField(null=True, blank=True)
    buzzed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    waited_seconds = models.PositiveIntegerField(null=True, blank=True)
    more_than_planned = models.BooleanField(default=False)
    message = models.OneToOneField(
        ParentMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="urge"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["separation", "owner"],
                condition=Q(ended_at__isnull=True),
                name="coping_one_open_urge",
            ),
        ]
        indexes = [
            models.Index(
                fields=["buzz_at"], name="coping_buzz_due", condition=Q(buzz_at__isnull=False)
            ),
        ]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"urge {self.kind} at {self.created_at:%Y-%m-%d %H:%M}Z"

    def state(self, ends_by) -> flow.UrgeState:
        return flow.UrgeState(
            kind=self.kind,
            at=self.created_at,
            ends_by=ends_by,
            started_at=self.started_at,
            wait_minutes=self.wait_minutes,
            buzz=self.buzz,
            ended_at=self.ended_at,
            outcome=self.outcome,
            waited_seconds=self.waited_seconds,
        )

    @property
    def waited_minutes(self) -> int | None:
        return None if self.waited_seconds is None else round(self.waited_seconds / 60)


class GroundingKit(models.Model):
    """A parent's own grounding settings and words. Owner data; none saved means defaults."""

    owner = models.OneToOneField(
        Membership, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    real_lines = models.TextField(_("Your sentences"), max_length=1500, blank=True)
    friend_name = models.CharField(_("A friend's name"), max_length=60, blank=True)
    friend_phone = models.CharField(_("Their phone number"), max_length=32, blank=True)
    breath_in = models.PositiveSmallIntegerField(
        default=4, validators=[MinValueValidator(2), MaxValueValidator(8)]
    )
    breath_hold = models.PositiveSmallIntegerField(
        default=4, validators=[MinValueValidator(0), MaxValueValidator(8)]
    )
    breath_out = models.PositiveSmallIntegerField(
        default=4, validators=[MinValueValidator(2), MaxValueValidator(8)]
    )
    breath_rest = models.PositiveSmallIntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(8)]
    )
    vibrate = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"grounding kit of {self.owner_id}"

    def lines(self) -> list[str]:
        return [line.strip() for line in self.real_lines.splitlines() if line.strip()]


class CarerStrengths(models.Model):
    """What the parent wrote about a caregiver's strengths, to read when it's hard. Owner data.

    Keyed by the caregiver ("m12" for a member, "l5" for a caregiver link) so the same words
    come back the next time that person cares.
    """

    owner = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    carer_key = models.CharField(max_length=12)
    carer_name = models.CharField(max_length=60)
    text = models.TextField(_("What they're good at"), max_length=1500)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "carer_key"], name="coping_strengths_once")
        ]
        ordering = ["carer_name", "pk"]

    def __str__(self) -> str:
        return f"strengths of {self.carer_name}"

    def lines(self) -> list[str]:
        return [line.strip() for line in self.text.splitlines() if line.strip()]


class UrgentCall(models.Model):
    """The caregiver asked the parent to call, urgently. Household data: parents see it."""

    separation = models.ForeignKey(
        Separation, on_delete=models.CASCADE, related_name="urgent_calls"
    )
    caller_membership = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    caller_link = models.ForeignKey(
        CaregiverLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    caller_name = models.CharField(max_length=60)
    parent_name = models.CharField(max_length=60)
    key = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    notification = models.ForeignKey(
        "notify.Notification", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mistake_at = models.DateTimeField(null=True, blank=True)
    mistake_notification = models.ForeignKey(
        "notify.Notification", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["separation", "key"], name="coping_urgent_once"),
            models.CheckConstraint(
                condition=~(Q(caller_membership__isnull=False) & Q(caller_link__isnull=False)),
                name="coping_urgent_one_caller",
            ),
        ]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"urgent call from {self.caller_name} at {self.created_at:%H:%M}Z"

    def is_by(self, subject) -> bool:
        if subject.link is not None:
            return self.caller_link_id == subject.link.pk
        return self.caller_membership_id == subject.membership.pk

    @property
    def caller_phone(self) -> str:
        if self.caller_membership_id:
            return self.caller_membership.phone
        if self.caller_link_id:
            return self.caller_link.phone
        return ""
