"""A person's private calendar feed: a URL whose token is the only access (STYLE.md, item 8).

Calendar apps cannot log in, so whoever holds the URL can read the feed; it lists household
data only (the plan and its agreed updates), never anyone's inner data. Only the token's
SHA-256 is kept; the URL is shown once, and a new one or "stop" revokes the old.
"""

from __future__ import annotations

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from backsoon.households.models import Membership, hash_token, new_token

TOKEN_MAX_LENGTH = 100


class CalendarFeed(models.Model):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "separations"
        constraints = [
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(revoked_at__isnull=True),
                name="separations_one_live_feed_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"calendar of {self.membership_id} ({'revoked' if self.revoked_at else 'live'})"


def live_feed(membership: Membership) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(membership=membership, revoked_at__isnull=True).first()


def new_feed(membership: Membership) -> tuple[CalendarFeed, str]:
    """A fresh feed, replacing any live one; returns the token, which is not kept."""
    token = new_token()
    with transaction.atomic():
        revoke(membership)
        feed = CalendarFeed.objects.create(membership=membership, token_hash=hash_token(token))
    return feed, token


def revoke(membership: Membership) -> int:
    return CalendarFeed.objects.filter(membership=membership, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def find_feed(token: str) -> CalendarFeed | None:
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    return (
        CalendarFeed.objects.filter(token_hash=hash_token(token), revoked_at__isnull=True)
        .select_related("membership__household")
        .first()
    )
