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

SCHEMA = "backsoon-personal/2"
# Named for their parent but shared: both parents see a ladder, and it is in the household
# export (practice/models.py).
HOUSEHOLD_DATA = {"practice.ladder"}


def owner_models() -> list[type[models.Model]]:
    found = []
    for model in apps.get_models():
        field = next((f for f in model._meta.concrete_fields if f.name == "owner"), None)
        if model._meta.label_lower in HOUSEHOLD_DATA:
            continue
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


def refs(membership: Membership) -> dict:
    """What the rows' ids point at, told so another server can find the same things: each
    separation by when it was planned to start and made (an import keeps both), each child
    by name and birthday, each person by name."""
    household = membership.household
    return {
        "separations": {
            str(pk): {"starts_at": _value(starts), "created_at": _value(created)}
            for pk, starts, created in household.separations.values_list(
                "pk", "starts_at", "created_at"
            )
        },
        "children": {
            str(pk): {"name": name, "birth_date": _value(born)}
            for pk, name, born in household.children.values_list("pk", "name", "birth_date")
        },
        "people": {
            **{
                f"m{pk}": name
                for pk, name in household.memberships.values_list("pk", "display_name")
            },
            **{f"l{pk}": name for pk, name in household.caregiver_links.values_list("pk", "name")},
        },
    }


def document_for(memberships: list[Membership]) -> dict:
    """The person's own data in these memberships, one entry per household."""
    kinds = owner_models()
    return {
        "schema": SCHEMA,
        "exported_at": _value(timezone.now()),
        "about": (
            "Your own notes, ratings, urges and self-checks: data only you can see in Back "
            "Soon. Ids refer to rows on the server it came from; `refs` says what they are, "
            "so you can load this file on another server after its household export."
        ),
        "households": [
            {
                "household": m.household.name,
                "household_id": m.household_id,
                "you": {"name": m.display_name, "role": m.role, "membership_id": m.pk},
                "data": {model._meta.label_lower: _rows(model, m) for model in kinds},
                "refs": refs(m),
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
