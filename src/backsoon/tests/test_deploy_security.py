"""Production settings, as a real start would read them from the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.test import Client

from backsoon.testing.fixtures import PASSWORD, make_user

SITE = "https://backsoon.example.org"
SETTINGS_SHOWN = [
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "SECURE_HSTS_SECONDS",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "ALLAUTH_TRUSTED_PROXY_COUNT",
    "SESSION_ENGINE",
    "MFA_ALLOW_UNVERIFIED_EMAIL",
]


def production_env(tmp_path, **extra) -> dict:
    """Only what an operator would set, nothing from the test run."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "BACKSOON_DATA_DIR": str(tmp_path / "data"),
        "BACKSOON_URL": SITE,
        "BACKSOON_PROXY_COUNT": "1",
        "EMAIL_URL": "smtp://mail.example.org:587",
    }
    env.update(extra)
    return env


def run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=120
    )


def production_settings(tmp_path, **extra) -> dict:
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {SETTINGS_SHOWN!r}}}))"
    )
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE="backsoon.settings", **extra)
    result = run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_check_deploy_is_clean_with_an_https_site(tmp_path):
    result = run(
        ["-m", "backsoon", "manage", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_complains_without_https(tmp_path):
    result = run(
        ["-m", "backsoon", "manage", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(tmp_path, BACKSOON_URL="http://backsoon.example.org"),
    )
    assert result.returncode != 0
    assert "security.W012" in result.stderr  # the session cookie would not be Secure


def test_https_settings_make_cookies_secure_and_turn_on_hsts(tmp_path):
    shown = production_settings(tmp_path)
    assert shown["SESSION_COOKIE_SECURE"] and shown["CSRF_COOKIE_SECURE"]
    assert shown["SESSION_COOKIE_HTTPONLY"] and shown["CSRF_COOKIE_HTTPONLY"]
    assert shown["SESSION_COOKIE_SAMESITE"] == shown["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert shown["SECURE_HSTS_SECONDS"] == 3600 and shown["SECURE_SSL_REDIRECT"]
    assert shown["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert shown["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1
    assert shown["ALLOWED_HOSTS"][0] == "backsoon.example.org"
    # With a mail server, two-step verification waits for a confirmed address.
    assert shown["MFA_ALLOW_UNVERIFIED_EMAIL"] is False


def test_hsts_max_age_is_raised_step_by_step_from_the_environment(tmp_path):
    week = production_settings(tmp_path, BACKSOON_HSTS_SECONDS="604800")
    assert week["SECURE_HSTS_SECONDS"] == 604800


def test_without_a_proxy_forwarded_headers_are_not_believed(tmp_path):
    shown = production_settings(tmp_path, BACKSOON_PROXY_COUNT="0")
    assert shown["SECURE_PROXY_SSL_HEADER"] is None
    assert shown["ALLAUTH_TRUSTED_PROXY_COUNT"] == 0


def test_sessions_are_cached_only_where_the_cache_is_the_only_copy(tmp_path):
    # One web process: its memory is the only cache. Several without Redis: a session ended in
    # one process would live on in another's memory, so they read the database.
    alone = production_settings(tmp_path)
    several = production_settings(tmp_path, BACKSOON_WEB_PROCESSES="2")
    shared = production_settings(
        tmp_path, BACKSOON_WEB_PROCESSES="2", REDIS_URL="redis://127.0.0.1:6379/0"
    )
    assert alone["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert several["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert shared["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


@pytest.fixture
def https_site(tmp_path, settings):
    """This test run, with the settings a production start on https has."""
    for name, value in production_settings(tmp_path).items():
        setattr(settings, name, tuple(value) if name == "SECURE_PROXY_SSL_HEADER" else value)
    return settings


def _cookie_attributes(response, name: str) -> dict:
    morsel = response.cookies[name]
    return {
        "secure": bool(morsel["secure"]),
        "httponly": bool(morsel["httponly"]),
        "samesite": morsel["samesite"],
    }


def test_logging_in_over_https_sets_secure_httponly_samesite_cookies(db, https_site):
    make_user("maya@example.org")
    client = Client(HTTP_HOST="backsoon.example.org", HTTP_X_FORWARDED_FOR="203.0.113.7")
    page = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert page.status_code == 200
    assert page["Strict-Transport-Security"] == "max-age=3600"
    assert _cookie_attributes(page, "csrftoken") == {
        "secure": True,
        "httponly": True,
        "samesite": "Lax",
    }
    response = client.post(
        "/accounts/login/",
        {"login": "maya@example.org", "password": PASSWORD},
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert response.status_code == 302
    assert _cookie_attributes(response, "sessionid") == {
        "secure": True,
        "httponly": True,
        "samesite": "Lax",
    }


def test_plain_http_through_the_proxy_is_sent_to_https(db, https_site):
    client = Client(HTTP_HOST="backsoon.example.org", HTTP_X_FORWARDED_FOR="203.0.113.7")
    response = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="http")
    assert response.status_code == 301
    assert response["Location"] == f"{SITE}/accounts/login/"


def test_the_policy_allows_no_inline_code(db, client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    for name in ("default-src", "script-src", "style-src"):
        assert directives[name] == ["'self'"], name
    assert "unsafe" not in policy
    assert directives["object-src"] == ["'none'"] and directives["base-uri"] == ["'none'"]
