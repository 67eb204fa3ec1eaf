"""The pages the benchmark measures cost the same few queries for a short or a long history.

Two demo households from `seed` (one week of practice, and twelve), each with a live
afternoon: the parent away with a grandmother on a caregiver link, updates posted, an API
token. Every page is asked for both; a page that queries per separation, per update or per
rating (an N+1) costs more for the long history and fails here, as does one over budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from backsoon.api.tokens import create_token
from backsoon.households.access import LINKS_SESSION_KEY, Subject
from backsoon.households.models import CaregiverLink
from backsoon.practice.seed import seed
from backsoon.separations import services
from backsoon.separations.schedule import AgreedSpec

# The budget is 3 for the poll and 10 for any page. The poll costs 2 (the session
# cached; the membership read with its account, and the poll itself): held there.
POLL_BUDGET = 2
PAGE_BUDGET = 10


@dataclass
class Afternoon:
    household_id: int
    separation_id: int
    leaver_id: int
    parent: Client
    grandma: Client
    api: Client
    poll_path: str


def live_afternoon(weeks: int) -> Afternoon:
    made = seed(1, weeks, now=timezone.now() - timedelta(days=1))[0]
    household = made.household
    leaver = household.memberships.order_by("pk").first()
    link, _token = CaregiverLink.create(household=household, name="Grandma", created_by=leaver)
    plan = services.PlanData(
        kind="practice",
        carer=services.Carer(link=link),
        children=list(household.children.all()),
        starts_at=timezone.now() - timedelta(minutes=5),
        minutes=120,
        plan_note="",
        agreed=[AgreedSpec("all_good", "", offset_minutes=20)],
    )
    separation = services.create_plan(household, leaver, plan)
    services.leave_now(separation, timezone.now() - timedelta(minutes=5))
    for n in range(3):
        services.post_checkin(
            separation,
            Subject(household=household, link=link),
            f"budget-{n}",
            services.Post(all_good=True, state="content"),
            timezone.now(),
        )
    parent = Client()
    parent.force_login(leaver.user)
    grandma = Client()
    session = grandma.session
    session[LINKS_SESSION_KEY] = {str(household.pk): link.pk}
    session.save()
    grandma.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    _, raw = create_token(name="budget", can_write=False, created_by=leaver, membership=leaver)
    away = parent.get(reverse("separations:away", args=[household.pk, separation.pk]))
    last_id = max(separation.checkins.values_list("pk", flat=True))
    return Afternoon(
        household_id=household.pk,
        separation_id=separation.pk,
        leaver_id=leaver.pk,
        parent=parent,
        grandma=grandma,
        api=Client(HTTP_AUTHORIZATION=f"Bearer {raw}"),
        poll_path=_poller(away.content.decode(), last_id),
    )


def _poller(html: str, last_id: int) -> str:
    start = html.index('id="poller"')
    tag = html[html.rindex("<", 0, start) : html.index(">", start)]
    path = tag.split('hx-get="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert f"after={last_id}" in path, path
    return path


def pages(a: Afternoon) -> dict[str, tuple[Client, str, int, int]]:
    """name: (client, path, expected status, budget)."""
    h, s = a.household_id, a.separation_id
    return {
        "dashboard": (
            a.parent,
            reverse("households:dashboard", args=[h]),
            200,
            PAGE_BUDGET,
        ),
        "away": (a.parent, reverse("separations:away", args=[h, s]), 200, PAGE_BUDGET),
        "poll": (a.parent, a.poll_path, 204, POLL_BUDGET),
        "caregiver": (a.grandma, reverse("separations:care_now", args=[h]), 200, PAGE_BUDGET),
        "history": (a.parent, reverse("separations:history", args=[h]), 200, PAGE_BUDGET),
        "progress": (
            a.parent,
            reverse("practice:progress", args=[h, a.leaver_id]),
            200,
            PAGE_BUDGET,
        ),
        "api_list_20": (
            a.api,
            f"/api/v1/households/{h}/separations?limit=20",
            200,
            PAGE_BUDGET,
        ),
    }


def count(client: Client, path: str, status: int) -> int:
    client.get(path)  # the session is read from the database once, then from the cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return len(captured)


@pytest.fixture
def histories(db, settings):
    # As served with a shared cache (REDIS_URL): sessions cached_db, so a session costs no
    # query once cached. Without one they are read from the database: one query more.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    return live_afternoon(weeks=1), live_afternoon(weeks=12)


def test_the_long_history_really_is_longer(histories):
    from backsoon.separations.models import Separation

    short, long = histories
    few = Separation.objects.filter(household_id=short.household_id).count()
    many = Separation.objects.filter(household_id=long.household_id).count()
    assert many >= 8 * few and many >= 40


@pytest.mark.parametrize(
    "page", ["dashboard", "away", "poll", "caregiver", "history", "progress", "api_list_20"]
)
def test_a_page_costs_the_same_few_queries_for_any_history(histories, page):
    short, long = histories
    client, path, status, budget = pages(short)[page]
    few = count(client, path, status)
    client, path, status, budget = pages(long)[page]
    many = count(client, path, status)
    assert many == few, f"{page}: {few} queries for a week of history, {many} for twelve"
    assert many <= budget, f"{page}: {many} queries, budget {budget}"


def test_the_dashboard_stays_in_budget_with_a_note_a_prompt_and_a_plan(histories):
    """The dashboard's busiest state: back from the afternoon, another time planned with a
    member caring (the "what they're good at" prompt), a high self-check and a card put off
    (the note)."""
    from backsoon.households.models import Membership, Role
    from backsoon.separations.models import Separation
    from backsoon.testing.fixtures import make_user
    from backsoon.wellbeing.models import CardDismissal, SelfCheckResult

    _short, long = histories
    leaver = Membership.objects.get(pk=long.leaver_id)
    Separation.objects.filter(pk=long.separation_id).update(
        status=Separation.Status.BACK, back_at=timezone.now()
    )
    aunt = Membership.objects.create(
        household_id=long.household_id,
        user=make_user("aunt-budget@example.org"),
        role=Role.CAREGIVER,
        display_name="Aunt Zoe",
    )
    plan = services.PlanData(
        kind="practice",
        carer=services.Carer(membership=aunt),
        children=list(leaver.household.children.all()),
        starts_at=timezone.now() + timedelta(days=1),
        minutes=45,
        plan_note="",
        agreed=[],
    )
    services.create_plan(leaver.household, leaver, plan)
    now = timezone.now()
    for kind in ("gad7", "phq9"):
        SelfCheckResult.objects.create(
            owner=leaver, kind=kind, answers=[3] * 7, score=15, language="en", taken_at=now
        )
    CardDismissal.objects.create(
        owner=leaver,
        rule="cancelled_plans",
        key="",
        choice="not_now",
        evidence_start=now - timedelta(days=20),
        evidence_until=now,
        hidden_until=now + timedelta(days=7),
    )
    client, path, status, budget = pages(long)["dashboard"]
    queries = count(client, path, status)
    page = client.get(path).content.decode()
    assert "There's a note for you" in page
    assert "write down what Aunt Zoe is good at" in page
    assert queries <= budget, f"dashboard: {queries} queries, budget {budget}"
