"""Configuration from the environment, parsed strictly.

Every reader raises ConfigError naming the variable and showing a valid example, so a
typo stops the start instead of silently meaning something else.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

TRUE_WORDS = {"1", "true", "on"}
FALSE_WORDS = {"0", "false", "off"}
REGISTRATION_MODES = ("invite", "open", "closed")


class ConfigError(Exception):
    """A setting in the environment is wrong; the message says which and how to fix it."""


def env_str(name: str, default: str = "", environ: dict | None = None) -> str:
    """The variable's value, or the contents of the file named by NAME_FILE."""
    environ = os.environ if environ is None else environ
    file_name = environ.get(f"{name}_FILE", "").strip()
    if not file_name:
        return environ.get(name, default).strip()
    if environ.get(name, "").strip():
        raise ConfigError(f"Both {name} and {name}_FILE are set; keep only one of them.")
    try:
        value = Path(file_name).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(
            f"{name}_FILE points to {file_name!r}, which cannot be read ({exc.strerror})."
        ) from exc
    if not value:
        # An empty secret file is a mistake, not a wish for the default.
        raise ConfigError(f"{name}_FILE points to {file_name!r}, which is empty.")
    return value


def env_bool(name: str, default: bool, environ: dict | None = None) -> bool:
    raw = env_str(name, "", environ).lower()
    if not raw:
        return default
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise ConfigError(
        f"{name}={raw!r} is not a boolean. Use one of: true, false, 1, 0, on, off "
        f"(for example {name}=true)."
    )


def env_int(name: str, default: int, minimum: int = 0, environ: dict | None = None) -> int:
    raw = env_str(name, "", environ)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(
            f"{name}={raw!r} is not a whole number (for example {name}=10)."
        ) from None
    if value < minimum:
        raise ConfigError(f"{name}={value} is too small; it must be at least {minimum}.")
    return value


def env_url(name: str, schemes: tuple[str, ...], example: str, environ: dict | None = None) -> str:
    raw = env_str(name, "", environ)
    if not raw:
        return ""
    parts = urlsplit(raw)
    if parts.scheme not in schemes or not parts.hostname or not _has_valid_port(parts):
        raise ConfigError(
            f"{name}={_without_password(raw)!r} is not a valid URL. It must start with "
            f"{' or '.join(s + '://' for s in schemes)} and name a host, with a numeric port "
            f"if any (for example {name}={example})."
        )
    return raw


def _without_password(url: str) -> str:
    # The message is printed and logged; a password in it would leak.
    userinfo, at, rest = urlsplit(url).netloc.rpartition("@")
    if not at or ":" not in userinfo:
        return url
    user = userinfo.split(":", 1)[0]
    return url.replace(f"{userinfo}@{rest}", f"{user}:***@{rest}", 1)


def _has_valid_port(parts: SplitResult) -> bool:
    try:
        parts.port  # noqa: B018  (the property raises ValueError for a bad port)
    except ValueError:
        return False
    return True


def env_choice(
    name: str, choices: tuple[str, ...], default: str, environ: dict | None = None
) -> str:
    raw = env_str(name, "", environ).lower()
    if not raw:
        return default
    if raw not in choices:
        raise ConfigError(
            f"{name}={raw!r} is not allowed. Use one of: {', '.join(choices)} "
            f"(for example {name}={choices[0]})."
        )
    return raw


def env_country(name: str, default: str, environ: dict | None = None) -> str:
    raw = env_str(name, "", environ).upper()
    if not raw:
        return default
    if len(raw) != 2 or not (raw.isascii() and raw.isalpha()):
        raise ConfigError(
            f"{name}={raw!r} is not a two-letter country code (for example {name}=US or GB)."
        )
    return raw


@dataclass(frozen=True)
class SiteURL:
    url: str
    scheme: str
    host: str

    @property
    def is_https(self) -> bool:
        return self.scheme == "https"


def parse_site_url(environ: dict | None = None) -> SiteURL | None:
    raw = env_url("BACKSOON_URL", ("http", "https"), "https://backsoon.example.org", environ)
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ConfigError(
            f"BACKSOON_URL={raw!r} has a path; Back Soon must be served at the root of its "
            "host (for example BACKSOON_URL=https://backsoon.example.org)."
        )
    return SiteURL(url=f"{parts.scheme}://{parts.netloc}", scheme=parts.scheme, host=parts.hostname)


def data_dir(environ: dict | None = None) -> Path:
    raw = env_str("BACKSOON_DATA_DIR", "", environ)
    path = Path(raw).expanduser() if raw else Path.cwd() / "data"
    return path.resolve()


def ensure_data_dir(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"BACKSOON_DATA_DIR={str(path)!r} cannot be created ({exc.strerror}). "
            "Point it at a folder this user can write (for example BACKSOON_DATA_DIR=./data)."
        ) from exc


def read_or_create_secret(path: Path, nbytes: int = 48) -> str:
    """Read a secret kept in the data folder, creating it (mode 0600) the first time."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        value = _read_secret_file(path)
        if value:
            return value
        raise ConfigError(
            f"{path} is empty. Delete it and start again to make a new one."
        ) from None
    except OSError as exc:
        raise ConfigError(f"{path} cannot be created ({exc.strerror}).") from exc
    value = secrets.token_urlsafe(nbytes)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    return value


def _read_secret_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"{path} cannot be read ({exc.strerror}).") from exc
