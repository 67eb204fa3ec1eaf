"""Schemathesis against /api/v1/openapi.json, with a seeded household (schemathesis.toml).

Every operation gets valid and broken requests; every response must be documented, match
its schema, and never be a 5xx. Most requests use the seeded household's real ids (some
keep the generated ones, to exercise the 404s). Bounded by max-examples in schemathesis.toml.
"""

from datetime import timedelta

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings

from backsoon.api.schemas import MAX_ID
from backsoon.api.tests.factories import token_for
from backsoon.coping.tests.factories import make_urge
from backsoon.households.models import CaregiverLink
from backsoon.separations.models import Separation
from backsoon.separations.schedule import AgreedSpec
from backsoon.separations.tests.factories import make_checkin, make_separation
from backsoon.wellbeing.scoring import Check
from backsoon.wellbeing.tests.factories import GAD7_HIGH, take

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
# The bound lives in schemathesis.toml; the suite's Hypothesis profile must not raise it.
MAX_EXAMPLES = schemathesis.Config.discover().projects.default.generation.max_examples


@pytest.fixture
def _in_the_test_transaction():
    """A real WSGI request closes the database connection when it ends (Django's test client
    stops that too): here it would end the test's transaction and its seeded household."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(cast, settings, _in_the_test_transaction):
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000
    cache.clear()
    CaregiverLink.create(household=cast.household, name="Sitter Lou", created_by=cast.parent)
    away = make_separation(
        cast,
        leaver=cast.partner,
        agreed=[AgreedSpec("photo", "nap", offset_minutes=20)],
        private={"fear": "rain", "worry_before": 6},
    )
    checkin = make_checkin(away, photo=True, all_good=True)
    planned = make_separation(
        cast,
        status=Separation.Status.PLANNED,
        starts_at=timezone.now() + timedelta(hours=2),
    )
    take(cast.parent, Check.GAD7, GAD7_HIGH)
    back = make_separation(
        cast, status=Separation.Status.BACK, starts_at=timezone.now() - timedelta(days=1)
    )
    make_urge(back, outcome="passed", strength_before=5)  # Maya's own, for /mine/urges
    ids = {
        "household_id": cast.household.pk,
        "separation_id": planned.pk,
        "checkin_id": checkin.pk,
        "parent_id": cast.parent.pk,
    }
    return {"ids": ids, "token": token_for(cast.parent), "away": away.pk}


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_its_contract(case, seeded):
    ids = dict(seeded["ids"])
    if case.path.endswith("/checkins"):
        ids["separation_id"] = seeded["away"]  # Maya's partner is away: updates can be read
    path = case.path_parameters or {}
    for name, real in ids.items():
        generated = path.get(name)
        # A valid id becomes the real one (four times in five); an invalid one stays invalid.
        if isinstance(generated, int) and 1 <= generated <= MAX_ID and generated % 5:
            path[name] = real
    case.call_and_validate(headers={"Authorization": f"Bearer {seeded['token']}"})
