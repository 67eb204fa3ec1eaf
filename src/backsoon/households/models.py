from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

INVITATION_LIFETIME = timedelta(days=7)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """At least 128 random bits (here 256), URL-safe."""
    return secrets.token_urlsafe(32)


class Household(models.Model):
    name = models.CharField(_("household name"), max_length=80)
    time_zone = models.CharField(_("time zone"), max_length=64)
    country = models.CharField(_("country"), max_length=2)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    PARENT = "parent", _("parent")
    CAREGIVER = "caregiver", _("caregiver")


class Membership(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    display_name = models.CharField(_("your name as others see it"), max_length=60)
    phone = models.CharField(_("phone number"), max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["household", "user"], name="one_membership_per_household"
            )
        ]
        ordering = ["role", "created_at"]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_role_display()})"

    @property
    def is_parent(self) -> bool:
        return self.role == Role.PARENT


class Child(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="children")
    name = models.CharField(_("name"), max_length=60)
    birth_date = models.DateField(_("date of birth"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["birth_date", "pk"]
        verbose_name_plural = _("children")

    def __str__(self) -> str:
        return self.name

    def age_in_months(self, today: date) -> int:
        months = (today.year - self.birth_date.year) * 12 + today.month - self.birth_date.month
        if today.day < self.birth_date.day:
            months -= 1
        return max(0, months)


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None):
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class Invitation(models.Model):
    """A single-use, expiring link; only the SHA-256 of its token is kept."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=10, choices=Role.choices)
    display_name = models.CharField(_("their name"), max_length=60)
    email = models.EmailField(_("their email (optional)"), blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    email_message_id = models.CharField(max_length=255, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.display_name} → {self.household}"

    @classmethod
    def create(cls, **fields) -> tuple[Invitation, str]:
        token = new_token()
        fields.setdefault("expires_at", timezone.now() + INVITATION_LIFETIME)
        invitation = cls.objects.create(token_hash=hash_token(token), **fields)
        return invitation, token

    def state(self, now=None) -> str:
        now = now or timezone.now()
        if self.accepted_at:
            return "used"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return "pending"


class CaregiverLinkQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class CaregiverLink(models.Model):
    """Access for someone without an account ("Grandma Ana"): a subject of the permission layer."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="caregiver_links"
    )
    name = models.CharField(_("their name"), max_length=60)
    phone = models.CharField(_("their phone number"), max_length=32, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("stops working on"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    stopped_by_caregiver = models.BooleanField(default=False)
    last_used_at = models.DateTimeField(null=True, blank=True)
    first_opened_at = models.DateTimeField(null=True, blank=True)

    objects = CaregiverLinkQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def create(cls, **fields) -> tuple[CaregiverLink, str]:
        token = new_token()
        return cls.objects.create(token_hash=hash_token(token), **fields), token

    def state(self, now=None) -> str:
        now = now or timezone.now()
        if self.revoked_at:
            return "revoked"
        if self.expires_at and self.expires_at <= now:
            return "expired"
        return "active"
