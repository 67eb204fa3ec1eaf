"""`carer_names` reads who could care in one query and lists them exactly as `carers` does."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backsoon.households.models import CaregiverLink, Membership, Role
from backsoon.separations import services
from backsoon.testing.fixtures import make_user


def test_the_same_people_in_the_same_order_in_one_query(cast):
    now = timezone.now()
    Membership.objects.create(
        household=cast.household,
        user=make_user("aunt@example.org"),
        role=Role.CAREGIVER,
        display_name="Aunt Zoe",
        created_at=now - timedelta(days=400),
    )
    for name in ["Sitter Lou", "Auntie Bo", "Nanny Kim"]:
        CaregiverLink.create(household=cast.household, name=name, created_by=cast.parent)
    gone, _ = CaregiverLink.create(household=cast.household, name="Gone", created_by=cast.parent)
    CaregiverLink.objects.filter(pk=gone.pk).update(revoked_at=now)
    old, _ = CaregiverLink.create(household=cast.household, name="Old", created_by=cast.parent)
    CaregiverLink.objects.filter(pk=old.pk).update(expires_at=now - timedelta(days=1))
    CaregiverLink.create(household=cast.other_household, name="Theirs", created_by=cast.outsider)

    expected = [(c.value, c.name) for c in services.carers(cast.household, cast.parent)]
    with CaptureQueriesContext(connection) as captured:
        names = services.carer_names(cast.household.pk, cast.parent)
    assert names == expected
    assert len(captured) == 1
    listed = [name for _key, name in names]
    assert "Maya" not in listed and "Gone" not in listed and "Old" not in listed
    assert "Theirs" not in listed
    assert listed[-3:] == ["Auntie Bo", "Nanny Kim", "Sitter Lou"]
