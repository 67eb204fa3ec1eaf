"""Keys a page posts without a Django form (the one-tap "Settled now", the urgent call's
confirmation), with a NUL character: PostgreSQL can't store one, and it was a 500 there.

The form fuzzer doesn't reach these: neither page shows its form until after a post.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from backsoon.coping.models import UrgentCall
from backsoon.separations.models import CheckIn
from backsoon.separations.tests.factories import make_separation


def test_settled_now_with_a_nul_in_its_key_is_a_400(cast):
    separation = make_separation(cast, starts_at=timezone.now() - timedelta(minutes=5))
    url = reverse("separations:care_settled", args=[cast.household.pk, separation.pk])
    response = cast.client_for(cast.caregiver).post(url, {"key": "k\x00"})
    assert response.status_code == 400
    assert not CheckIn.objects.exists()


def test_an_urgent_call_with_a_nul_in_its_key_is_a_400(cast):
    separation = make_separation(cast, starts_at=timezone.now() - timedelta(minutes=5))
    url = reverse("coping:urgent", args=[cast.household.pk, separation.pk])
    response = cast.client_for(cast.caregiver).post(url, {"confirm": "yes", "key": "k\x00"})
    assert response.status_code == 400
    assert not UrgentCall.objects.exists()
