"""Helpers for the care sheet tests: a caregiver on a link, and sheets written in one call."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from backsoon.caresheets import services
from backsoon.caresheets.models import Sheet
from backsoon.households.models import CaregiverLink


def write(cast, kind: str, updates: dict, *, author=None, child=None):
    """Save sections of a sheet as a parent would (Maya unless told otherwise)."""
    child = child if child is not None else (cast.child if kind == Sheet.Kind.CHILD else None)
    sheet = services.sheet_for(cast.household, kind, child)
    return services.save(sheet, updates, author or cast.parent)


def care_url(cast) -> str:
    return reverse("caresheets:care", args=[cast.household.pk])


@pytest.fixture
def link_client(cast) -> tuple[CaregiverLink, Client]:
    """Grandma Ana's phone, opened through a caregiver link (no account)."""
    link, token = CaregiverLink.create(
        household=cast.household, name="Grandma Ana", created_by=cast.parent
    )
    client = Client()
    response = client.post(reverse("households:link_open", args=[token]))
    assert response.status_code == 302
    return link, client
