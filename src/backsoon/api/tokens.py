"""Making, finding and revoking personal access tokens."""

from __future__ import annotations

from django.utils import timezone

from backsoon.api.models import ApiToken
from backsoon.households.models import CaregiverLink, Membership, hash_token, new_token

PREFIX = "bs_"  # lets secret scanners and people recognise a Back Soon token
MAX_LENGTH = 100
LAST_USED_PRECISION_SECONDS = 300


def create_token(
    *,
    name: str,
    can_write: bool,
    created_by: Membership,
    membership: Membership | None = None,
    link: CaregiverLink | None = None,
) -> tuple[ApiToken, str]:
    """A new token for one subject; the second value is the token, never stored."""
    if (membership is None) == (link is None):
        raise ValueError("a token acts as exactly one subject")
    raw = PREFIX + new_token()
    owner = membership or link
    token = ApiToken.objects.create(
        household_id=owner.household_id,
        membership=membership,
        link=link,
        name=name,
        can_write=can_write,
        token_hash=hash_token(raw),
        created_by=created_by,
    )
    return token, raw


def find_token(raw: str) -> ApiToken | None:
    """The working token this string is, or None (revoked, its link withdrawn, or unknown)."""
    if not raw or len(raw) > MAX_LENGTH:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("household", "membership__household", "link__household")
        .filter(token_hash=hash_token(raw))
        .first()
    )
    if token is None:
        return None
    if token.link_id is not None and token.link.state() != "active":
        return None
    now = timezone.now()
    if (
        token.last_used_at is None
        or (now - token.last_used_at).total_seconds() > LAST_USED_PRECISION_SECONDS
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def revoke(token: ApiToken) -> bool:
    return bool(
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )
