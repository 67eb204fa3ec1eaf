"""Every list in the API costs the same number of queries for 1 row or 12 (no N+1)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backsoon.api.tests.factories import API, token_for
from backsoon.coping.tests.factories import make_urge
from backsoon.households.models import CaregiverLink, Child
from backsoon.notify.tests.factories import add_email
from backsoon.practice import ladder as ladders
from backsoon.separations.models import ParentMessage, Separation, ThankYou
from backsoon.separations.schedule import AgreedSpec
from backsoon.separations.tests.factories import make_checkin, make_separation
from backsoon.wellbeing.scoring import Check
from backsoon.wellbeing.tests.factories import GAD7_HIGH, take


def add_rows(cast, n: int, away) -> None:
    for i in range(n):
        separation = make_separation(
            cast,
            status=Separation.Status.BACK,
            starts_at=timezone.now() - timedelta(days=i + 1),
            agreed=[AgreedSpec("all_good", "", offset_minutes=5)],
        )
        ThankYou.objects.create(separation=separation, text="Thanks", author_name="Maya")
        ParentMessage.objects.create(separation=separation, owner=cast.parent)
        make_urge(separation, outcome="passed")
        make_checkin(away, photo=i % 2 == 0, all_good=True)
        take(cast.parent, Check.GAD7, GAD7_HIGH)
        Child.objects.create(household=cast.household, name=f"Kid {i}", birth_date="2026-01-01")
        CaregiverLink.create(household=cast.household, name=f"Link {i}", created_by=cast.parent)
        add_email(cast.parent, f"maya{i}@example.org")
        ladders.add_step(
            ladders.ensure_ladder(cast.parent), name=f"Step {i}", minutes=7 + i, kind="away"
        )


def queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, {"limit": 100})
    assert response.status_code == 200, response.content
    return len(captured)


LISTS = [
    "/households",
    "/households/{h}/children",
    "/households/{h}/people",
    "/households/{h}/care-sheets",
    "/households/{h}/notifications",
    "/households/{h}/separations",
    "/households/{h}/separations/{s}/checkins",
    "/households/{h}/mine/separations",
    "/households/{h}/mine/self-checks",
    "/households/{h}/mine/urges",
    "/households/{h}/mine",
    "/households/{h}/mine/ladder",
    "/households/{h}/ladders",
]


@pytest.mark.parametrize("path", LISTS)
def test_a_list_costs_the_same_for_one_row_or_twelve(cast, path):
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(cast.parent)}")
    away = make_separation(cast, leaver=cast.partner)
    url = API + path.format(h=cast.household.pk, s=away.pk)
    add_rows(cast, 1, away)
    client.get(url)  # the token's "last used" is written once, on first use
    few = queries(client, url)
    add_rows(cast, 11, away)
    assert queries(client, url) == few
