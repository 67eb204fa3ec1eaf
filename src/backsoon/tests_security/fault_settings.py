"""The real settings, with a short lease so a killed worker's claims come back in seconds
(the fault tests kill workers on purpose and wait for the lease)."""

from backsoon.settings import *  # noqa: F403

WORKER_LEASE_SECONDS = 6
WORKER_BATCH_SIZE = 5
NOTIFY_CHANNEL_TIMEOUT_SECONDS = 1
SMTP_TIMEOUT_SECONDS = 2
API_RATE_LIMIT_PER_MINUTE = 1_000_000  # the load here is ours, on purpose
