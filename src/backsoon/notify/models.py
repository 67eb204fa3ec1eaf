from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ClaimableMixin(models.Model):
    """A row the worker claims by conditional UPDATE (see claims.py)."""

    # NULL, not "", means unclaimed: the conditional UPDATE matches on `IS NULL`.
    claim_token = models.CharField(max_length=32, null=True, blank=True)  # noqa: DJ001
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class OutboxEmail(ClaimableMixin):
    """An email written inside the request's transaction and sent later by the worker."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("could not be sent")

    created_at = models.DateTimeField(default=timezone.now)
    message_id = models.CharField(max_length=255, unique=True)
    sender = models.CharField(max_length=320)
    recipients = models.JSONField()
    subject = models.CharField(max_length=255, blank=True)
    raw = models.BinaryField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_due_idx",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.recipients)} ({self.status})"
