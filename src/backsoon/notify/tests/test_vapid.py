"""VAPID keys: made once in the data folder, or taken from the environment when shared."""

import os
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from backsoon.checks import check_push_keys
from backsoon.config import ConfigError
from backsoon.notify import vapid


def test_keys_are_made_on_first_run_kept_private_and_reused(tmp_path):
    first = vapid.load_keys(tmp_path, shared=False, environ={})

    key_file = tmp_path / vapid.KEY_FILE_NAME
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert first.private_pem.startswith("-----BEGIN PRIVATE KEY-----")
    assert not first.from_env
    point = vapid.b64url_decode(first.public_key)
    assert len(point) == 65 and point[0] == 4, "applicationServerKey: an uncompressed P-256 point"
    assert vapid.load_keys(tmp_path, shared=False, environ={}) == first


def test_an_empty_key_file_stops_the_start(tmp_path):
    (tmp_path / vapid.KEY_FILE_NAME).write_text("")

    with pytest.raises(ConfigError, match="is empty"):
        vapid.load_keys(tmp_path, shared=False, environ={})


def test_with_a_shared_database_no_key_is_made(tmp_path):
    keys = vapid.load_keys(tmp_path, shared=True, environ={})

    assert keys == vapid.VapidKeys("", "", from_env=False)
    assert not (tmp_path / vapid.KEY_FILE_NAME).exists()


def pem(key) -> str:
    return vapid.to_pem(key)


def test_the_private_key_may_come_as_pem_a_file_or_the_raw_number(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    public = vapid.public_key_of(key)
    raw = vapid.b64url(key.private_numbers().private_value.to_bytes(32, "big"))
    secret_file = tmp_path / "vapid.pem"
    secret_file.write_text(pem(key))

    for environ in (
        {"VAPID_PRIVATE_KEY": pem(key)},
        {"VAPID_PRIVATE_KEY": raw, "VAPID_PUBLIC_KEY": public},
        {"VAPID_PRIVATE_KEY_FILE": str(secret_file)},
    ):
        keys = vapid.load_keys(tmp_path, shared=True, environ=environ)
        assert (keys.public_key, keys.from_env) == (public, True)


def test_a_public_key_that_does_not_belong_to_the_private_key_is_refused(tmp_path):
    key, other = (ec.generate_private_key(ec.SECP256R1()) for _ in range(2))

    with pytest.raises(ConfigError, match="does not belong") as error:
        vapid.load_keys(
            tmp_path,
            shared=True,
            environ={"VAPID_PRIVATE_KEY": pem(key), "VAPID_PUBLIC_KEY": vapid.public_key_of(other)},
        )
    assert vapid.public_key_of(key) in str(error.value), "the message gives the right one"


@pytest.mark.parametrize(
    "value",
    [
        "not a key",
        vapid.to_pem(ec.generate_private_key(ec.SECP384R1())),
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
    ],
)
def test_something_that_is_not_a_p256_key_is_refused(tmp_path, value):
    with pytest.raises(ConfigError, match="not a VAPID private key"):
        vapid.load_keys(tmp_path, shared=True, environ={"VAPID_PRIVATE_KEY": value})


def test_a_public_key_alone_is_a_mistake(tmp_path):
    with pytest.raises(ConfigError, match="VAPID_PRIVATE_KEY is not"):
        vapid.load_keys(tmp_path, shared=False, environ={"VAPID_PUBLIC_KEY": "abc"})


def test_the_subject_defaults_to_the_from_address_and_must_be_a_uri():
    assert (
        vapid.subject_claim({}, from_email="Back Soon <backsoon@example.org>")
        == "mailto:backsoon@example.org"
    )
    assert (
        vapid.subject_claim({"VAPID_SUBJECT": "https://example.org"}, from_email="")
        == "https://example.org"
    )
    with pytest.raises(ConfigError, match="must start with mailto: or https://"):
        vapid.subject_claim({"VAPID_SUBJECT": "admin@example.org"}, from_email="")


@pytest.fixture
def embedded(settings):
    settings.DATABASE_URL = ""
    settings.VAPID_KEYS = vapid.VapidKeys("pem", "public", from_env=False)
    settings.VAPID_SUBJECT = "mailto:backsoon@localhost"
    settings.SITE_URL = ""
    settings.NOTIFY_CHANNEL_TIMEOUT_SECONDS = 10
    settings.WORKER_BATCH_SIZE = 10
    settings.NOTIFY_SEND_THREADS = 10
    settings.WORKER_LEASE_SECONDS = 120
    return settings


def ids(settings) -> set[str]:
    return {message.id for message in check_push_keys(None)}


def test_a_home_install_has_nothing_to_report(embedded):
    assert ids(embedded) == set()


def test_a_shared_database_without_vapid_keys_from_the_environment_is_an_error(embedded):
    embedded.DATABASE_URL = "postgres://backsoon@db.example.org/backsoon"
    [error] = check_push_keys(None)
    assert error.id == "backsoon.E010"
    assert "VAPID_PRIVATE_KEY_FILE" in error.hint

    embedded.VAPID_KEYS = vapid.VapidKeys("pem", "public", from_env=True)
    assert ids(embedded) == set()


def test_sends_that_could_outlast_the_lease_are_an_error(embedded):
    embedded.NOTIFY_CHANNEL_TIMEOUT_SECONDS = 30
    embedded.NOTIFY_SEND_THREADS = 4
    assert ids(embedded) == {"backsoon.E011"}


def test_an_unreachable_subject_on_a_public_https_site_is_a_warning(embedded):
    embedded.SITE_URL = "https://backsoon.example.org"
    assert ids(embedded) == {"backsoon.W010"}
    embedded.VAPID_SUBJECT = "mailto:admin@example.org"
    assert ids(embedded) == set()


def test_the_settings_of_this_test_run_have_a_usable_key(settings):
    key = serialization.load_pem_private_key(settings.VAPID_PRIVATE_KEY.encode(), None)
    assert vapid.public_key_of(key) == settings.VAPID_PUBLIC_KEY
