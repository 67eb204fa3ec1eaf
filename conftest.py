import os

import pytest
from hypothesis import HealthCheck, settings

pytest_plugins = ["backsoon.testing.fixtures", "backsoon.testing.browser"]

# CI draws the same examples on every run (derandomize), so a green run stays green on the
# same code; the dev profile keeps drawing new ones, which is how new bugs get found.
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits live in the cache: one test's tries must not count against the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
