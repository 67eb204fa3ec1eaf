"""A query compiled once per connection gives what the ORM gives, for every set of values."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from backsoon.households.access import MEMBERSHIP_WITH_USER
from backsoon.households.models import Membership


def test_the_same_instances_as_the_orm_for_each_household_and_person(cast):
    for membership in [cast.parent, cast.partner, cast.caregiver, cast.outsider]:
        found = MEMBERSHIP_WITH_USER.objects(
            household_id=membership.household_id, user_id=membership.user_id
        )
        expected = Membership.objects.select_related("household", "user").get(pk=membership.pk)
        assert len(found) == 1
        got = found[0]
        assert got.pk == expected.pk and got.display_name == expected.display_name
        assert got.role == expected.role and got.created_at == expected.created_at
        assert got.household.name == expected.household.name
        assert got.household.time_zone == expected.household.time_zone
        assert got.user.email == expected.user.email
        assert got.user.password == expected.user.password
        # Related objects come filled in: no query to read them.
        with CaptureQueriesContext(connection) as captured:
            assert got.household.pk == got.household_id and got.user.pk == got.user_id
        assert len(captured) == 0


def test_someone_from_another_household_finds_nothing(cast):
    assert (
        MEMBERSHIP_WITH_USER.objects(household_id=cast.household.pk, user_id=cast.outsider.user_id)
        == []
    )
    assert MEMBERSHIP_WITH_USER.objects(household_id=10**9, user_id=cast.parent.user_id) == []
