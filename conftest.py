import os

import pytest
from hypothesis import HealthCheck, settings

pytest_plugins = ["backsoon.testing.fixtures", "backsoon.testing.browser"]

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
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
