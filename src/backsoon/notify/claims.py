"""Claiming due rows by conditional UPDATE, with a token and a lease (STYLE.md, item 2).

Works the same on SQLite and PostgreSQL: a row is ours only if our UPDATE changed it. A
claim older than the lease is taken again, so a crashed worker loses nothing; a stale worker
cannot finish a row whose token is no longer its own.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import models
from django.db.models import Q


@dataclass(frozen=True)
class Claim:
    pk: int
    token: str


def new_token() -> str:
    return secrets.token_hex(16)


def claim_due(
    queryset: models.QuerySet,
    *,
    now: datetime,
    lease: timedelta,
    batch: int,
    order_by: str,
) -> list[Claim]:
    """Claim up to `batch` rows of `queryset` (already filtered to what is due)."""
    stale = now - lease
    free_or_stale = Q(claim_token__isnull=True) | Q(claimed_at__lt=stale)
    candidates = list(
        queryset.filter(free_or_stale).order_by(order_by).values_list("pk", "claim_token")[:batch]
    )
    claims = []
    for pk, seen_token in candidates:
        token = new_token()
        row = queryset.filter(pk=pk)
        if seen_token is None:
            row = row.filter(claim_token__isnull=True)
        else:
            row = row.filter(claim_token=seen_token, claimed_at__lt=stale)
        if row.update(claim_token=token, claimed_at=now) == 1:
            claims.append(Claim(pk=pk, token=token))
    return claims


def claim_batch(
    queryset: models.QuerySet,
    *,
    now: datetime,
    lease: timedelta,
    batch: int,
    order_by: str,
) -> list[Claim]:
    """Like `claim_due`, in one UPDATE for the whole batch, which shares one token.

    Each row is still ours only if our UPDATE changed it: the rows are read back by token.
    """
    stale = now - lease
    free_or_stale = Q(claim_token__isnull=True) | Q(claimed_at__lt=stale)
    candidates = list(
        queryset.filter(free_or_stale).order_by(order_by).values_list("pk", flat=True)[:batch]
    )
    if not candidates:
        return []
    token = new_token()
    queryset.filter(free_or_stale, pk__in=candidates).update(claim_token=token, claimed_at=now)
    ours = queryset.model.objects.filter(pk__in=candidates, claim_token=token)
    return [
        Claim(pk=pk, token=token) for pk in ours.order_by(order_by).values_list("pk", flat=True)
    ]


def release(model: type[models.Model], claim: Claim, **fields) -> bool:
    """Write the outcome of a claimed row, only if the claim is still ours."""
    changed = model.objects.filter(pk=claim.pk, claim_token=claim.token).update(
        claim_token=None, claimed_at=None, **fields
    )
    return changed == 1


def renew(model: type[models.Model], claim: Claim, *, now: datetime) -> bool:
    """Restart the lease of a claim that is still ours, just before acting on it."""
    return model.objects.filter(pk=claim.pk, claim_token=claim.token).update(claimed_at=now) == 1


def backoff(attempts: int, base_seconds: int = 30, cap_seconds: int = 3600) -> timedelta:
    """30 s, 1 min, 2 min, … capped at an hour."""
    return timedelta(seconds=min(cap_seconds, base_seconds * 2 ** max(0, attempts - 1)))
