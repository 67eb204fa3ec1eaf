"""Your own inner data through the API: notes with how it felt, urges and self-checks, with
pages and a `since` filter. Nobody else's, ever (test_permissions has the intruders)."""

from datetime import timedelta

from django.utils import timezone

from backsoon.api.tests.factories import API, api_client
from backsoon.coping.tests.factories import make_urge
from backsoon.separations.models import Separation, SeparationPrivate
from backsoon.separations.tests.factories import make_separation
from backsoon.wellbeing.models import SelfCheckResult
from backsoon.wellbeing.scoring import Check
from backsoon.wellbeing.tests.factories import GAD7_HIGH, take


def test_your_notes_say_how_it_felt(cast):
    back = make_separation(cast, status=Separation.Status.BACK, private={"worry_before": 4})
    SeparationPrivate.objects.filter(separation=back).update(feel="hard")
    body = api_client(cast.parent).get(f"{API}/households/{cast.household.pk}/mine/separations")
    assert body.json()["items"][0]["feel"] == "hard"


def test_urges_come_newest_first_in_pages_and_since_a_time(cast):
    now = timezone.now()
    away = make_separation(cast, status=Separation.Status.BACK)
    for hours, strength in ((5, 3), (3, 6), (1, 8)):
        make_urge(
            away,
            created_at=now - timedelta(hours=hours),
            strength_before=strength,
            waited_seconds=600,
            outcome="passed",
            ended_at=now - timedelta(hours=hours) + timedelta(minutes=10),
        )
    client = api_client(cast.parent)
    url = f"{API}/households/{cast.household.pk}/mine/urges"
    page = client.get(url, {"limit": 2}).json()
    assert page["count"] == 3 and [u["strength_before"] for u in page["items"]] == [8, 6]
    assert page["items"][0]["waited_minutes"] == 10
    assert page["items"][0]["created_at"].endswith("Z")
    rest = client.get(url, {"limit": 2, "offset": 2}).json()
    assert [u["strength_before"] for u in rest["items"]] == [3]
    since = (now - timedelta(hours=4)).isoformat()
    recent = client.get(url, {"since": since}).json()
    assert recent["count"] == 2
    naive = client.get(url, {"since": since[:19]})
    assert naive.status_code == 422
    assert naive.json()["error"]["fields"][0]["field"] == "query.since"


def test_self_checks_since_a_time(cast):
    take(cast.parent, Check.GAD7, GAD7_HIGH)
    SelfCheckResult.objects.update(taken_at=timezone.now() - timedelta(days=30))
    take(cast.parent, Check.GAD7, GAD7_HIGH)
    client = api_client(cast.parent)
    url = f"{API}/households/{cast.household.pk}/mine/self-checks"
    assert client.get(url).json()["count"] == 2
    week = (timezone.now() - timedelta(days=7)).isoformat()
    assert client.get(url, {"since": week}).json()["count"] == 1
