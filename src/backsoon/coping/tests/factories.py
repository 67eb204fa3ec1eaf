"""Test helpers: urges, grounding kits, strengths and urgent calls for the cast."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from backsoon.coping.models import CarerStrengths, GroundingKit, Urge, UrgentCall
from backsoon.separations.models import Separation
from backsoon.separations.tests.factories import make_separation

# Distinctive owner data: privacy tests assert these never reach anyone but the owner.
REAL_MARKER = "REAL-MARKER-my-baby-is-fine-with-Ana"
FRIEND_MARKER = "FRIEND-MARKER-Priya"
STRENGTHS_MARKER = "STRENGTHS-MARKER-Ana-sings-to-her"


def make_urge(separation, *, owner=None, **fields) -> Urge:
    fields.setdefault("created_at", timezone.now())
    fields.setdefault("kind", "check")
    return Urge.objects.create(separation=separation, owner=owner or separation.leaver, **fields)


def make_kit(owner, **fields) -> GroundingKit:
    fields.setdefault("real_lines", f"{REAL_MARKER}\nI'm a good parent.")
    fields.setdefault("friend_name", FRIEND_MARKER)
    fields.setdefault("friend_phone", "+44 7700 900123")
    return GroundingKit.objects.create(owner=owner, **fields)


def make_strengths(owner, carer, text=STRENGTHS_MARKER) -> CarerStrengths:
    return CarerStrengths.objects.create(
        owner=owner, carer_key=f"m{carer.pk}", carer_name=carer.display_name, text=text
    )


def make_call(separation, *, by=None, link=None, key="k1", **fields) -> UrgentCall:
    return UrgentCall.objects.create(
        separation=separation,
        caller_membership=None if link else (by or separation.carer_membership),
        caller_link=link,
        caller_name=link.name if link else (by or separation.carer_membership).display_name,
        parent_name=separation.leaver_name,
        key=key,
        **fields,
    )


def url_values(cast) -> dict:
    """Values for the URL test: Maya's urge and Ana's urgent call, on a finished separation
    (a finished one, so it never clashes with another app's separation that is away now)."""
    separation = make_separation(
        cast, status=Separation.Status.BACK, starts_at=timezone.now() - timedelta(hours=3)
    )
    urge = make_urge(separation, strength_before=7)
    call = make_call(separation)
    return {"urge_id": urge.pk, "call_id": call.pk, "carer": f"m{cast.caregiver.pk}"}
