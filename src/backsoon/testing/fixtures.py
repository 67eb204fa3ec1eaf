"""The shared cast of every access test: two parents, a caregiver, and an outsider."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client

from backsoon.households.models import Child, Household, Membership, Role

PASSWORD = "a-long-test-password-42"  # noqa: S105 (test accounts only)


def make_user(email: str):
    user = get_user_model().objects.create_user(
        username=email.split("@")[0], email=email, password=PASSWORD
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@dataclass
class Cast:
    household: Household
    child: Child
    parent: Membership
    partner: Membership
    caregiver: Membership
    other_household: Household
    other_child: Child
    outsider: Membership

    def client_for(self, membership: Membership | None) -> Client:
        client = Client()
        if membership is not None:
            client.force_login(membership.user)
        return client


@pytest.fixture
def cast(db) -> Cast:
    return make_cast()


def make_cast() -> Cast:
    """The cast, outside a fixture (the access matrix builds it once per module)."""
    household = Household.objects.create(
        name="The Okafors", time_zone="Europe/London", country="GB"
    )
    parent = Membership.objects.create(
        household=household,
        user=make_user("maya@example.org"),
        role=Role.PARENT,
        display_name="Maya",
    )
    partner = Membership.objects.create(
        household=household, user=make_user("sam@example.org"), role=Role.PARENT, display_name="Sam"
    )
    caregiver = Membership.objects.create(
        household=household,
        user=make_user("ana@example.org"),
        role=Role.CAREGIVER,
        display_name="Grandma Ana",
    )
    child = Child.objects.create(household=household, name="Bea", birth_date=date(2026, 3, 1))
    other = Household.objects.create(
        name="The Lindqvists", time_zone="America/New_York", country="US"
    )
    outsider = Membership.objects.create(
        household=other, user=make_user("olle@example.org"), role=Role.PARENT, display_name="Olle"
    )
    other_child = Child.objects.create(household=other, name="Nils", birth_date=date(2026, 1, 10))
    return Cast(household, child, parent, partner, caregiver, other, other_child, outsider)


@pytest.fixture(autouse=True)
def _email_through_the_outbox(settings):
    """Django's test runner swaps in a memory backend; the product's path is the outbox."""
    settings.EMAIL_BACKEND = "backsoon.notify.outbox.OutboxEmailBackend"
