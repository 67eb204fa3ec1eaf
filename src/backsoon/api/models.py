"""Personal access tokens for the REST API.

A token acts as exactly one subject of the permission layer (households/access.py): one
account's membership in one household, or one caregiver link. Only the SHA-256 of the token
is kept (STYLE.md, "Tokens are passwords"); the token itself is shown once, when made.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backsoon.households.models import CaregiverLink, Household, Membership

ONE_SUBJECT = (Q(membership__isnull=False) & Q(link__isnull=True)) | (
    Q(membership__isnull=True) & Q(link__isnull=False)
)


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="api_tokens")
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, null=True, blank=True, related_name="api_tokens"
    )
    link = models.ForeignKey(
        CaregiverLink, on_delete=models.CASCADE, null=True, blank=True, related_name="api_tokens"
    )
    name = models.CharField(_("what it's for"), max_length=60)
    can_write = models.BooleanField(_("can make changes"), default=False)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        constraints = [models.CheckConstraint(condition=ONE_SUBJECT, name="api_token_one_subject")]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def subject_name(self) -> str:
        return self.membership.display_name if self.membership_id else self.link.name
