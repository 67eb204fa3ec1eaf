"""System checks name each configuration foot-gun before the app starts."""

import pytest
from django.core import checks

from backsoon.checks import check_configuration


def ids(settings_overrides: dict, settings) -> set[str]:
    for name, value in settings_overrides.items():
        setattr(settings, name, value)
    return {message.id for message in check_configuration(None)}


@pytest.fixture
def embedded(settings):
    """The defaults of a home install: SQLite, a generated key, mail set up, no public URL."""
    settings.DATABASE_URL = ""
    settings.SECRET_KEY_FROM_ENV = False
    settings.EMAIL_URL = "smtp://mail.example.org:587"
    settings.REDIS_URL = ""
    settings.SITE_URL = ""
    settings.DEFAULT_COUNTRY = "US"
    return settings


def test_a_home_install_with_mail_has_nothing_to_report(embedded):
    assert ids({}, embedded) == set()


def test_a_shared_database_without_a_shared_secret_key_is_an_error(embedded):
    embedded.DATABASE_URL = "postgres://backsoon@db.example.org/backsoon"
    embedded.REDIS_URL = "redis://127.0.0.1:6379/0"

    messages = check_configuration(None)

    [error] = messages
    assert error.id == "backsoon.E001"
    assert error.level == checks.ERROR
    assert "SECRET_KEY_FILE" in error.hint


def test_a_shared_database_with_secret_key_from_the_environment_passes(embedded):
    found = ids(
        {
            "DATABASE_URL": "postgres://backsoon@db.example.org/backsoon",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "SECRET_KEY_FROM_ENV": True,
        },
        embedded,
    )

    assert found == set()


def test_missing_email_url_is_a_warning(embedded):
    embedded.EMAIL_URL = ""

    [warning] = check_configuration(None)

    assert warning.id == "backsoon.W001"
    assert warning.level == checks.WARNING
    assert "EMAIL_URL=smtp://" in warning.hint


def test_a_shared_database_without_redis_is_a_warning(embedded):
    found = ids(
        {
            "DATABASE_URL": "postgres://backsoon@db.example.org/backsoon",
            "SECRET_KEY_FROM_ENV": True,
        },
        embedded,
    )

    assert found == {"backsoon.W002"}


@pytest.mark.parametrize(
    ("site_url", "expected"),
    [
        ("http://backsoon.example.org", {"backsoon.W003"}),
        ("https://backsoon.example.org", set()),
        ("http://127.0.0.1:8000", set()),
        ("http://localhost:8000", set()),
    ],
)
def test_a_public_plain_http_url_is_a_warning(embedded, site_url, expected):
    assert ids({"SITE_URL": site_url}, embedded) == expected


def test_a_default_country_the_forms_do_not_offer_is_an_error(embedded):
    assert ids({"DEFAULT_COUNTRY": "ZZ"}, embedded) == {"backsoon.E002"}
    assert ids({"DEFAULT_COUNTRY": "GB"}, embedded) == set()


def test_the_checks_run_with_djangos_own(embedded):
    embedded.EMAIL_URL = ""

    found = {message.id for message in checks.run_checks()}

    assert "backsoon.W001" in found
