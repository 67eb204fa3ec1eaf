"""What the caregiver's update and the parent's thank-you tell the other side."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from backsoon.households.models import CaregiverLink
from backsoon.notify.events import Event
from backsoon.notify.models import Notification
from backsoon.notify.tests.factories import add_push
from backsoon.separations.models import Separation
from backsoon.separations.tests.factories import make_separation
from backsoon.separations.tests.worker_kit import bodies, pushes, run_worker

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 10, 13, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def post_all_good(cast, separation, who):
    url = reverse("separations:care_post", args=[cast.household.pk, separation.pk])
    response = cast.client_for(who).post(url, {"key": "k-1", "action": "all_good"})
    assert response.status_code == 302


def test_a_parent_who_chose_updates_hears_when_one_is_posted(cast, push_service):
    maya = add_push(cast.parent, push_service, events=[Event.POSTED])
    sam = add_push(cast.partner, push_service, events=[Event.POSTED])
    quiet_parent = add_push(cast.parent, push_service)  # another device, left quiet
    ana = add_push(cast.caregiver, push_service)
    separation = make_separation(cast)

    post_all_good(cast, separation, cast.caregiver)
    post_all_good(cast, separation, cast.caregiver)  # the same form again: one update
    run_worker(NOW)

    [push] = pushes(push_service, maya)
    assert push.payload["body"] == "A new update is here."
    assert push.payload["url"] == reverse(
        "separations:away", args=[cast.household.pk, separation.pk]
    )
    assert push.topic == f"posted-{separation.pk}"
    assert bodies(push_service, sam) == ["A new update is here."]
    assert bodies(push_service, quiet_parent) == []
    assert bodies(push_service, ana) == [], "not told about their own post"


def test_the_partner_caring_is_not_told_about_their_own_post(cast, push_service):
    sam = add_push(cast.partner, push_service, events=[Event.POSTED])
    maya = add_push(cast.parent, push_service, events=[Event.POSTED])
    separation = make_separation(cast, carer=cast.partner)

    post_all_good(cast, separation, cast.partner)
    run_worker(NOW)

    assert bodies(push_service, maya) == ["A new update is here."]
    assert bodies(push_service, sam) == []


def reunion(cast, separation, text):
    url = reverse("separations:reunion", args=[cast.household.pk, separation.pk])
    return cast.client_for(cast.parent).post(url, {"thank_you": text})


def test_the_thank_you_reaches_the_caregiver_once(cast, push_service):
    ana = add_push(cast.caregiver, push_service)  # thank-yous are on for a new channel
    separation = make_separation(
        cast, status=Separation.Status.BACK, starts_at=NOW - timedelta(hours=1)
    )

    assert reunion(cast, separation, "Thank you, Ana — she napped so well.").status_code == 302
    run_worker(NOW)
    reunion(cast, separation, "Thank you, Ana — she napped so well!")
    run_worker(NOW)

    [push] = pushes(push_service, ana)
    assert push.payload["body"] == "A thank-you is waiting for you."
    assert push.payload["url"] == f"/h/{cast.household.pk}/care/now/"
    assert "napped" not in str(push.payload), "the words stay on the page, not the lock screen"
    assert Notification.objects.filter(kind=Event.THANKS).count() == 1
    page = cast.client_for(cast.caregiver).get(push.payload["url"]).content.decode()
    assert "she napped so well!" in page


def test_a_caregiver_on_a_link_gets_the_thank_you_too(cast, push_service):
    link, _token = CaregiverLink.create(
        household=cast.household, name="Lou", created_by=cast.parent
    )
    lou = add_push(link, push_service)
    separation = make_separation(
        cast, link=link, status=Separation.Status.BACK, starts_at=NOW - timedelta(hours=1)
    )

    reunion(cast, separation, "Thank you, Lou.")
    run_worker(NOW)

    assert bodies(push_service, lou) == ["A thank-you is waiting for you."]
