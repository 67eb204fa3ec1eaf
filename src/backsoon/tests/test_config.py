"""Settings from the environment are strict: a typo stops the start and says how to fix it."""

import stat

import pytest

from backsoon import config
from backsoon.config import ConfigError


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("true", True),
        ("ON", True),
        ("1", True),
        ("false", False),
        ("off", False),
        ("0", False),
        ("", True),
        ("  ", True),
    ],
)
def test_booleans_accept_only_clear_words(raw, value):
    assert config.env_bool("BACKSOON_DEBUG", True, {"BACKSOON_DEBUG": raw}) is value


@pytest.mark.parametrize("raw", ["yes", "no", "y", "enabled", "2"])
def test_a_boolean_like_yes_is_refused_naming_the_variable_and_a_valid_example(raw):
    with pytest.raises(ConfigError) as error:
        config.env_bool("BACKSOON_DEBUG", False, {"BACKSOON_DEBUG": raw})

    assert f"BACKSOON_DEBUG={raw!r}" in str(error.value)
    assert "BACKSOON_DEBUG=true" in str(error.value)


def test_whole_numbers_are_checked_with_a_minimum():
    assert config.env_int("BACKSOON_PROXY_COUNT", 0, environ={"BACKSOON_PROXY_COUNT": "2"}) == 2
    with pytest.raises(ConfigError, match=r"BACKSOON_PROXY_COUNT='two'.*BACKSOON_PROXY_COUNT=10"):
        config.env_int("BACKSOON_PROXY_COUNT", 0, environ={"BACKSOON_PROXY_COUNT": "two"})
    with pytest.raises(ConfigError, match="at least 1"):
        config.env_int(
            "BACKSOON_WORKER_IDLE_SECONDS",
            2,
            minimum=1,
            environ={"BACKSOON_WORKER_IDLE_SECONDS": "0"},
        )


EMAIL_SCHEMES = ("smtp", "smtps", "smtp+starttls")


@pytest.mark.parametrize(
    "url",
    [
        "smtp://mail.example.org",
        "smtps://u:p%40ss@mail.example.org:465",
        "smtp+starttls://mail.example.org:587",
    ],
)
def test_a_url_with_an_allowed_scheme_and_a_host_is_accepted(url):
    assert (
        config.env_url(
            "EMAIL_URL", EMAIL_SCHEMES, "smtp://mail.example.org:587", {"EMAIL_URL": url}
        )
        == url
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://mail.example.org",
        "mail.example.org:587",
        "smtp://",
        "smtp://mail.example.org:port",
        "smtp://mail.example.org:99999",
    ],
)
def test_a_url_with_a_bad_scheme_host_or_port_is_refused_with_an_example(url):
    with pytest.raises(ConfigError) as error:
        config.env_url(
            "EMAIL_URL", EMAIL_SCHEMES, "smtp://mail.example.org:587", {"EMAIL_URL": url}
        )

    assert "EMAIL_URL=" in str(error.value)
    assert "smtp:// or smtps:// or smtp+starttls://" in str(error.value)
    assert "for example EMAIL_URL=smtp://mail.example.org:587" in str(error.value)


def test_a_refused_url_does_not_print_its_password():
    environ = {"DATABASE_URL": "mysql://backsoon:hunter2@db.example.org/backsoon"}
    with pytest.raises(ConfigError) as error:
        config.env_url("DATABASE_URL", ("postgres",), "postgres://db.example.org/backsoon", environ)

    assert "hunter2" not in str(error.value)
    assert "mysql://backsoon:***@db.example.org/backsoon" in str(error.value)


def test_a_secret_is_read_from_the_file_named_by_name_file(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("s3cret-from-a-file\n", encoding="utf-8")

    assert (
        config.env_str("SECRET_KEY", environ={"SECRET_KEY_FILE": str(secret)})
        == "s3cret-from-a-file"
    )


def test_a_name_file_that_cannot_be_read_is_refused(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(ConfigError, match=r"SECRET_KEY_FILE points to .*nowhere.*cannot be read"):
        config.env_str("SECRET_KEY", environ={"SECRET_KEY_FILE": str(missing)})


def test_an_empty_name_file_is_refused_rather_than_meaning_unset(tmp_path):
    empty = tmp_path / "empty"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"SECRET_KEY_FILE .* is empty"):
        config.env_str("SECRET_KEY", environ={"SECRET_KEY_FILE": str(empty)})


def test_a_variable_and_its_file_together_are_refused(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("from-file", encoding="utf-8")
    with pytest.raises(ConfigError, match="Both SECRET_KEY and SECRET_KEY_FILE"):
        config.env_str(
            "SECRET_KEY", environ={"SECRET_KEY": "inline", "SECRET_KEY_FILE": str(secret)}
        )


def test_a_url_can_come_from_a_file_too(tmp_path):
    url_file = tmp_path / "email_url"
    url_file.write_text("smtp://mail.example.org:587\n", encoding="utf-8")

    environ = {"EMAIL_URL_FILE": str(url_file)}
    assert (
        config.env_url("EMAIL_URL", EMAIL_SCHEMES, "smtp://x", environ)
        == "smtp://mail.example.org:587"
    )


@pytest.mark.parametrize(
    ("raw", "mode"), [("", "invite"), ("open", "open"), ("Closed", "closed"), ("invite", "invite")]
)
def test_registration_is_one_of_three_modes(raw, mode):
    environ = {"BACKSOON_REGISTRATION": raw}
    assert (
        config.env_choice("BACKSOON_REGISTRATION", config.REGISTRATION_MODES, "invite", environ)
        == mode
    )


def test_an_unknown_registration_mode_is_refused_listing_the_choices():
    with pytest.raises(ConfigError) as error:
        config.env_choice(
            "BACKSOON_REGISTRATION",
            config.REGISTRATION_MODES,
            "invite",
            {"BACKSOON_REGISTRATION": "maybe"},
        )

    assert "BACKSOON_REGISTRATION='maybe'" in str(error.value)
    assert "invite, open, closed" in str(error.value)
    assert "BACKSOON_REGISTRATION=invite" in str(error.value)


@pytest.mark.parametrize(("raw", "code"), [("", "US"), ("gb", "GB"), (" de ", "DE")])
def test_a_country_is_a_two_letter_code(raw, code):
    assert (
        config.env_country("BACKSOON_DEFAULT_COUNTRY", "US", {"BACKSOON_DEFAULT_COUNTRY": raw})
        == code
    )


@pytest.mark.parametrize("raw", ["GBR", "G", "G1", "42", "ÄÖ", "U.S."])
def test_anything_else_is_not_a_country_code(raw):
    with pytest.raises(
        ConfigError, match=r"BACKSOON_DEFAULT_COUNTRY=.* two-letter country code .*=US"
    ):
        config.env_country("BACKSOON_DEFAULT_COUNTRY", "US", {"BACKSOON_DEFAULT_COUNTRY": raw})


def test_the_site_url_is_its_scheme_and_host():
    site = config.parse_site_url({"BACKSOON_URL": "https://Backsoon.Example.org/"})

    assert site.url == "https://Backsoon.Example.org"
    assert site.host == "backsoon.example.org"
    assert site.is_https
    assert not config.parse_site_url({"BACKSOON_URL": "http://192.168.1.20:8000"}).is_https
    assert config.parse_site_url({}) is None


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/backsoon",
        "https://example.org/backsoon/",
        "https://example.org/?a=1",
        "https://example.org/#top",
    ],
)
def test_a_site_url_with_a_path_is_refused(url):
    with pytest.raises(ConfigError, match=r"BACKSOON_URL=.* root of its host"):
        config.parse_site_url({"BACKSOON_URL": url})


def test_a_site_url_must_be_http_or_https():
    with pytest.raises(ConfigError, match="http:// or https://"):
        config.parse_site_url({"BACKSOON_URL": "ftp://backsoon.example.org"})


def test_the_data_folder_defaults_to_data_beside_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    assert config.data_dir({}) == tmp_path.resolve() / "data"
    assert (
        config.data_dir({"BACKSOON_DATA_DIR": str(tmp_path / "elsewhere")})
        == tmp_path.resolve() / "elsewhere"
    )


def test_a_data_folder_that_cannot_be_created_is_refused(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")

    with pytest.raises(ConfigError, match=r"BACKSOON_DATA_DIR=.* cannot be created"):
        config.ensure_data_dir(blocker / "data")


def test_a_generated_secret_is_kept_private_and_the_same_next_time(tmp_path):
    path = tmp_path / "secret_key"

    first = config.read_or_create_secret(path)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) >= 64
    assert config.read_or_create_secret(path) == first
    assert config.read_or_create_secret(tmp_path / "other_secret") != first


def test_an_empty_secret_file_is_refused_with_how_to_fix_it(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("", encoding="utf-8")

    with pytest.raises(ConfigError, match=r"is empty\. Delete it"):
        config.read_or_create_secret(path)
