"""The care sheet: one sheet per child, one for the household, one emergency agreement.

Each sheet keeps its content as a JSON document (see `sections.py` for its shape, validated
by the forms) and a revision number; every save adds a Revision with a full snapshot, so the
history, the "changed since you last looked" marks and the agreement's versions all come
from the same rows.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backsoon.households.models import CaregiverLink, Child, Household, Membership

ONE_SUBJECT = (Q(membership__isnull=False) & Q(link__isnull=True)) | (
    Q(membership__isnull=True) & Q(link__isnull=False)
)


class Sheet(models.Model):
    class Kind(models.TextChoices):
        CHILD = "child", _("care sheet")
        HOUSEHOLD = "household", _("contacts and home")
        AGREEMENT = "agreement", _("emergency agreement")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="care_sheets")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    child = models.OneToOneField(
        Child, on_delete=models.CASCADE, null=True, blank=True, related_name="care_sheet"
    )
    content = models.JSONField(default=dict)
    # The number of the latest revision; for the agreement, its version.
    revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_by_name = models.CharField(max_length=60, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="child") & Q(child__isnull=False))
                | (~Q(kind="child") & Q(child__isnull=True)),
                name="caresheets_sheet_child_only_for_child_sheets",
            ),
            models.UniqueConstraint(
                fields=["household", "kind"],
                condition=~Q(kind="child"),
                name="caresheets_one_household_sheet_and_agreement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.child or self.household})"


class Revision(models.Model):
    """One save: the whole content after it, what changed, who saved it and when."""

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    content = models.JSONField(default=dict)
    # [[section, field], …] that differ from the revision before.
    changes = models.JSONField(default=list)
    author = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept as text too, so the history still reads right after someone leaves.
    author_name = models.CharField(max_length=60)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "number"], name="caresheets_one_revision_number"
            )
        ]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.sheet} #{self.number}"


class LastSeen(models.Model):
    """For one subject, the revision of each sheet they saw when they last opened the care view."""

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    link = models.OneToOneField(
        CaregiverLink, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # {"<sheet id>": revision number}
    revisions = models.JSONField(default=dict)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=ONE_SUBJECT, name="caresheets_lastseen_one_subject")
        ]

    def __str__(self) -> str:
        return f"last seen by {self.membership or self.link}"


class AgreementResponse(models.Model):
    """A caregiver's answer to one version of the agreement: a confirmation, a note, or both."""

    agreement = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="responses")
    version = models.PositiveIntegerField()
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    link = models.ForeignKey(
        CaregiverLink, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=60)
    confirmed = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=ONE_SUBJECT, name="caresheets_response_one_subject"),
            models.CheckConstraint(
                condition=Q(confirmed=True) | ~Q(note=""), name="caresheets_response_not_empty"
            ),
        ]
        indexes = [
            models.Index(fields=["agreement", "-created_at"], name="caresheets_response_recent")
        ]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} on version {self.version}"
