"""The production settings, with one extra URL: the bare "hello" view the harness compares with."""

from backsoon.settings import *  # noqa: F403

ROOT_URLCONF = "benchsite.urls"

# The API allows 120 requests a minute per token; wrk sends thousands with one token. The
# harness measures what listing costs, so its one token is not throttled (the throttle's
# own cache round trip still runs on every request).
API_RATE_LIMIT_PER_MINUTE = 10**9
