"""A person's own inner data (`owner`), found wherever an app keeps it.

Any model with an `owner` field pointing at a Membership is owner data (DOMAIN.md, "Inner
data belongs to its person"): worry ratings and fears, messages sent, self-checks, urges,
help cards. Finding them by that field means a new kind of inner data is in the person's
download and goes with their account without anyone remembering to add it here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.apps import apps
from django.db import models
from django.utils import timezone

from backsoon.households.models import Membership

SCHEMA = "backsoon-personal/1"


def owner_models() -> list[type[models.Model]]:
    found = []
    for model in apps.get_models():
        field = next((f for f in model._meta.concrete_fields if f.name == "owner"), None)
        if field is not None and field.is_relation and field.related_model is Membership:
            found.append(model)
    return sorted(found, key=lambda m: m._meta.label_lower)


def _value(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    return value


def _rows(model: type[models.Model], membership: Membership) -> list[dict]:
    fields = [f for f in model._meta.concrete_fields if f.name != "owner"]
    rows = []
    for obj in model.objects.filter(owner=membership).order_by("pk"):
        rows.append(
            {
                (f"{f.name}_id" if f.is_relation else f.name): _value(f.value_from_object(obj))
                for f in fields
            }
        )
    return rows


def document_for(memberships: list[Membership]) -> dict:
    """The person's own data in these memberships, one entry per household."""
    kinds = owner_models()
    return {
        "schema": SCHEMA,
        "exported_at": _value(timezone.now()),
        "about": (
            "Your own notes, ratings, urges and self-checks: data only you can see in Back "
            "Soon. Ids refer to rows on the server it came from."
        ),
        "households": [
            {
                "household": m.household.name,
                "household_id": m.household_id,
                "you": {"name": m.display_name, "role": m.role, "membership_id": m.pk},
                "data": {model._meta.label_lower: _rows(model, m) for model in kinds},
            }
            for m in memberships
        ],
    }


def document_for_user(user) -> dict:
    memberships = list(
        Membership.objects.filter(user=user).select_related("household").order_by("pk")
    )
    return {**document_for(memberships), "account": {"email": user.email}}


def delete_owner_data(membership: Membership) -> int:
    """Remove everything kept about this person alone in this household."""
    removed = 0
    for model in owner_models():
        count, _by_model = model.objects.filter(owner=membership).delete()
        removed += count
    return removed
