"""System checks for configuration foot-guns (run by `backsoon serve` before it starts)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=False)
def check_configuration(app_configs, **kwargs):
    messages = []
    if settings.DATABASE_URL and not settings.SECRET_KEY_FROM_ENV:
        messages.append(
            Error(
                "DATABASE_URL is set, but SECRET_KEY is not.",
                hint="With a shared database several hosts may serve, and they must share one "
                "key: set SECRET_KEY or SECRET_KEY_FILE "
                "(for example SECRET_KEY_FILE=/run/secrets/backsoon).",
                id="backsoon.E001",
            )
        )
    if not settings.EMAIL_URL:
        messages.append(
            Warning(
                "EMAIL_URL is not set: emails are printed by the worker instead of sent, and "
                "verifying an email address is optional.",
                hint="Set EMAIL_URL so people get invitations and password resets "
                "(for example EMAIL_URL=smtp://user:password@mail.example.org:587).",
                id="backsoon.W001",
            )
        )
    if settings.DEFAULT_COUNTRY not in _known_countries():
        messages.append(
            Error(
                f"BACKSOON_DEFAULT_COUNTRY={settings.DEFAULT_COUNTRY} is not a country code "
                "Back Soon knows.",
                hint="Use an ISO 3166 two-letter code (for example BACKSOON_DEFAULT_COUNTRY=GB).",
                id="backsoon.E002",
            )
        )
    if settings.DATABASE_URL and not settings.REDIS_URL:
        messages.append(
            Warning(
                "DATABASE_URL is set but REDIS_URL is not: sessions and rate limits are kept per "
                "process.",
                hint="If more than one web process serves, set REDIS_URL "
                "(for example REDIS_URL=redis://127.0.0.1:6379/0).",
                id="backsoon.W002",
            )
        )
    if (
        settings.SITE_URL.startswith("http://")
        and "127.0.0.1" not in settings.SITE_URL
        and "localhost" not in settings.SITE_URL
    ):
        messages.append(
            Warning(
                "BACKSOON_URL is plain http: offline use, notifications and installing on a phone "
                "need https.",
                hint="Put a TLS proxy in front (see the README, 'Serving over https').",
                id="backsoon.W003",
            )
        )
    return messages


def _unreachable(subject: str) -> bool:
    from urllib.parse import urlsplit

    if subject.startswith("mailto:"):
        host = subject.rpartition("@")[2]
    else:
        host = urlsplit(subject).hostname or ""
    host = host.rstrip(".").lower()
    return host == "localhost" or host.endswith((".localhost", ".local", ".invalid"))


def _known_countries() -> set[str]:
    from backsoon.households.forms import country_choices

    return {code for code, _name in country_choices()}


@register(Tags.security, deploy=False)
def check_push_keys(app_configs, **kwargs):
    """Web push: with a shared database every host must sign with the same VAPID key."""
    messages = []
    if settings.DATABASE_URL and not settings.VAPID_KEYS.from_env:
        messages.append(
            Error(
                "DATABASE_URL is set, but VAPID_PRIVATE_KEY is not.",
                hint="Every host must send web push with the same key pair: set "
                "VAPID_PRIVATE_KEY or VAPID_PRIVATE_KEY_FILE (a P-256 key in PEM form; make one "
                "with `openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 "
                "-nocrypt`), and optionally VAPID_PUBLIC_KEY and VAPID_SUBJECT.",
                id="backsoon.E010",
            )
        )
    from backsoon.notify.channels.base import send_time_limit

    if send_time_limit(settings.WORKER_BATCH_SIZE) >= settings.WORKER_LEASE_SECONDS:
        messages.append(
            Error(
                "A batch of notification sends can outlast the worker's lease, so another "
                "worker could send them again.",
                hint="Keep 2 × NOTIFY_CHANNEL_TIMEOUT_SECONDS × ceil(WORKER_BATCH_SIZE / "
                "NOTIFY_SEND_THREADS) well below WORKER_LEASE_SECONDS.",
                id="backsoon.E011",
            )
        )
    if settings.SITE_URL.startswith("https://") and _unreachable(settings.VAPID_SUBJECT):
        messages.append(
            Warning(
                f"VAPID_SUBJECT is {settings.VAPID_SUBJECT}: Apple's push service refuses a "
                "subject that can't be reached, so iPhones would get no notifications.",
                hint="Set VAPID_SUBJECT to a real address (for example "
                "VAPID_SUBJECT=mailto:admin@example.org).",
                id="backsoon.W010",
            )
        )
    return messages
