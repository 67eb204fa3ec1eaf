"""Prepare the measured household for bench/harness.py and print its targets as JSON.

Run by the harness in the bench environment (DJANGO_SETTINGS_MODULE=benchsite.settings,
bench/ on PYTHONPATH, the throwaway data folder or database):

    python bench/fixture.py HOUSEHOLD_ID

On the seeded household (two years of history) it makes what a live afternoon has: the
practising parent away with Grandma Ana on a caregiver link (three updates posted so far),
the partner away too with Grandpa Joe on a second link (the harness posts "All good" there,
so the measured away page does not grow during the run), signed-in sessions for the parent
and both links, and a read-only API token. Then it asks every target once through Django's
test client and counts its queries (the second request, once the session is cached).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sys
from datetime import timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchsite.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.cached_db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from backsoon.api.tokens import create_token  # noqa: E402
from backsoon.households.access import LINKS_SESSION_KEY, Subject  # noqa: E402
from backsoon.households.models import CaregiverLink, Household  # noqa: E402
from backsoon.separations import services  # noqa: E402
from backsoon.separations.schedule import AgreedSpec  # noqa: E402

CSRF_SECRET = secrets.token_hex(16)  # 32 characters: Django accepts an unmasked secret


def session_for(**data) -> str:
    store = SessionStore()
    for key, value in data.items():
        store[key] = value
    store.create()
    return store.session_key


def user_session(user) -> str:
    return session_for(
        **{
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
    )


def away_with(household, leaver, link, minutes: int, checkins: int):
    plan = services.PlanData(
        kind="practice",
        carer=services.Carer(link=link),
        children=list(household.children.all()),
        starts_at=timezone.now() - timedelta(minutes=5),
        minutes=minutes,
        plan_note="",
        agreed=[
            AgreedSpec("all_good", "", offset_minutes=20),
            AgreedSpec("photo", "Nap time", offset_minutes=90),
        ],
    )
    separation = services.create_plan(household, leaver, plan)
    services.leave_now(separation, timezone.now() - timedelta(minutes=5))
    subject = Subject(household=household, link=link)
    for n in range(checkins):
        services.post_checkin(
            separation,
            subject,
            f"bench-{n}",
            services.Post(all_good=True, state="content", message="Playing happily"),
            timezone.now(),
        )
    return separation


def main() -> None:
    household = Household.objects.get(pk=int(sys.argv[1]))
    parents = list(household.memberships.order_by("pk").select_related("user"))
    leaver, partner = parents[0], parents[1]
    grandma, grandma_token = CaregiverLink.create(
        household=household, name="Grandma Ana", phone="+44 7700 900111", created_by=leaver
    )
    grandpa, _ = CaregiverLink.create(
        household=household, name="Grandpa Joe", phone="+44 7700 900222", created_by=leaver
    )
    measured = away_with(household, leaver, grandma, 180, checkins=3)
    posted_to = away_with(household, partner, grandpa, 600, checkins=0)
    parent_cookie = f"sessionid={user_session(leaver.user)}"
    grandma_cookie = "sessionid=" + session_for(
        **{LINKS_SESSION_KEY: {str(household.pk): grandma.pk}}
    )
    grandpa_cookie = "sessionid=" + session_for(
        **{LINKS_SESSION_KEY: {str(household.pk): grandpa.pk}}
    )
    _, api_token = create_token(name="bench", can_write=False, created_by=leaver, membership=leaver)

    h, s = household.pk, measured.pk
    away_path = reverse("separations:away", args=[h, s])
    page = Client(HTTP_COOKIE=parent_cookie).get(away_path)
    assert page.status_code == 200, page.status_code
    poller = re.search(r'id="poller"[^>]*hx-get="([^"]+)"', page.content.decode())
    poller = poller or re.search(r'hx-get="([^"]+)"[^>]*id="poller"', page.content.decode())
    poll_path = poller.group(1).replace("&amp;", "&")

    targets = [
        {"name": "hello", "path": "/bench/hello/", "expect": 200},
        {
            "name": "home",
            "path": reverse("households:dashboard", args=[h]),
            "cookie": parent_cookie,
            "expect": 200,
        },
        {"name": "away", "path": away_path, "cookie": parent_cookie, "expect": 200},
        {
            "name": "poll",
            "path": poll_path,
            "cookie": parent_cookie,
            "headers": {"HX-Request": "true"},
            "expect": 204,
        },
        {
            "name": "caregiver",
            "path": reverse("separations:care_now", args=[h]),
            "cookie": grandma_cookie,
            "expect": 200,
        },
        {
            "name": "progress",
            "path": reverse("practice:progress", args=[h, leaver.pk]),
            "cookie": parent_cookie,
            "expect": 200,
        },
        {
            "name": "api_list_20",
            "path": f"/api/v1/households/{h}/separations?limit=20",
            "headers": {"Authorization": f"Bearer {api_token}"},
            "expect": 200,
        },
        {
            "name": "post_all_good",
            "path": reverse("separations:care_post", args=[h, posted_to.pk]),
            "cookie": f"{grandpa_cookie}; csrftoken={CSRF_SECRET}",
            "method": "POST",
            "form": {"action": "all_good", "csrfmiddlewaretoken": CSRF_SECRET},
            "expect": 302,
        },
    ]
    for target in targets:
        target["queries"] = count_queries(target)
    print(
        json.dumps(
            {
                "household": h,
                "separations": household.separations.count(),
                "checkins": sum(s.checkins.count() for s in household.separations.all()),
                "grandma_token": grandma_token,
                "targets": targets,
            }
        )
    )


def count_queries(target: dict) -> int:
    headers = {
        f"HTTP_{k.upper().replace('-', '_')}": v for k, v in target.get("headers", {}).items()
    }
    client = Client(HTTP_COOKIE=target.get("cookie", ""), **headers)

    def ask(n: int):
        if target.get("method") == "POST":
            return client.post(target["path"], {**target["form"], "key": f"fixture-{n}"})
        return client.get(target["path"])

    ask(0)  # the session is read from the database once, then from the cache
    with CaptureQueriesContext(connection) as captured:
        response = ask(1)
    assert response.status_code == target["expect"], (target["name"], response.status_code)
    return len(captured)


if __name__ == "__main__":
    main()
