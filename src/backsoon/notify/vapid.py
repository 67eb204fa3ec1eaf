"""The server's VAPID key pair for web push, read at start-up (no Django imports here).

Embedded: generated on first run and kept in the data folder (mode 0600). With a shared
database several hosts send pushes, so the keys must come from the environment instead;
checks.py turns a missing key into an error there.
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from backsoon.config import ConfigError, env_str

KEY_FILE_NAME = "vapid_private_key.pem"


@dataclass(frozen=True)
class VapidKeys:
    private_pem: str  # PKCS#8 PEM; "" when none could be had (see checks.py)
    public_key: str  # applicationServerKey: the uncompressed P-256 point, base64url
    from_env: bool


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_key_of(key: ec.EllipticCurvePrivateKey) -> str:
    return b64url(
        key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )


def to_pem(key: ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def parse_private_key(text: str, source: str) -> ec.EllipticCurvePrivateKey:
    """A P-256 key as PEM, as base64url DER, or as the raw 32-byte number in base64url."""
    text = text.strip()
    try:
        if "-----BEGIN" in text:
            key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        else:
            raw = b64url_decode("".join(text.split()))
            if len(raw) == 32:
                key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
            else:
                key = serialization.load_der_private_key(raw, password=None)
    except (ValueError, TypeError, binascii.Error, UnicodeEncodeError):
        key = None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ConfigError(
            f"{source} is not a VAPID private key. Use a P-256 key in PEM form "
            "(make one with: openssl ecparam -name prime256v1 -genkey -noout | "
            "openssl pkcs8 -topk8 -nocrypt)."
        )
    return key


def load_keys(data_dir: Path, *, shared: bool, environ: dict | None = None) -> VapidKeys:
    """The keys from VAPID_PRIVATE_KEY(_FILE), or (embedded only) from the data folder."""
    private_text = env_str("VAPID_PRIVATE_KEY", "", environ)
    public_text = env_str("VAPID_PUBLIC_KEY", "", environ)
    if private_text:
        key = parse_private_key(private_text, "VAPID_PRIVATE_KEY")
        public = public_key_of(key)
        if public_text and public_text.rstrip("=") != public:
            raise ConfigError(
                "VAPID_PUBLIC_KEY does not belong to VAPID_PRIVATE_KEY. Leave VAPID_PUBLIC_KEY "
                f"out, or set it to the key's public half: VAPID_PUBLIC_KEY={public}"
            )
        return VapidKeys(to_pem(key), public, from_env=True)
    if public_text:
        raise ConfigError("VAPID_PUBLIC_KEY is set but VAPID_PRIVATE_KEY is not; set both.")
    if shared:
        return VapidKeys("", "", from_env=False)
    key = read_or_create_key(data_dir / KEY_FILE_NAME)
    return VapidKeys(to_pem(key), public_key_of(key), from_env=False)


def read_or_create_key(path: Path) -> ec.EllipticCurvePrivateKey:
    """Like config.read_or_create_secret, for a PEM private key."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(path)
    except OSError as exc:
        raise ConfigError(f"{path} cannot be created ({exc.strerror}).") from exc
    key = ec.generate_private_key(ec.SECP256R1())
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(to_pem(key))
    return key


def _read_key(path: Path) -> ec.EllipticCurvePrivateKey:
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} cannot be read ({exc}).") from exc
    if not text.strip():
        raise ConfigError(f"{path} is empty. Delete it and start again to make a new one.")
    return parse_private_key(text, str(path))


def subject_claim(environ: dict | None = None, *, from_email: str) -> str:
    """VAPID_SUBJECT: how a push service can reach whoever runs this server."""
    value = env_str("VAPID_SUBJECT", "", environ)
    if not value:
        return f"mailto:{parseaddr(from_email)[1] or 'backsoon@localhost'}"
    if not (value.startswith("mailto:") or value.startswith("https://")):
        raise ConfigError(
            f"VAPID_SUBJECT={value!r} must start with mailto: or https:// "
            "(for example VAPID_SUBJECT=mailto:admin@example.org)."
        )
    return value
