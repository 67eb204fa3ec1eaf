"""Real HTTP receivers on 127.0.0.1 for the tests: the network boundary, not a mock.

PushService behaves like a browser's push service: it checks the VAPID token (ES256 over
the JWT, `aud` its own origin, `exp` in the future but within a day) and decrypts the
payload (aes128gcm) with the subscription's private key and auth secret, as the browser
would. JsonReceiver takes what Apprise's json:// sends.
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from backsoon.notify.vapid import b64url, b64url_decode


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a handler told to hang must not hold up stopping


class LocalReceiver:
    """Answers `status` (after `hang_seconds`) and keeps what it was sent."""

    def __init__(self) -> None:
        self.status = 201
        self.hang_seconds = 0.0
        self.drip_seconds = 0.0  # answers a byte at a time: never idle long enough to time out
        self.headers: dict[str, str] = {}
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status = receiver.handle(self.path, dict(self.headers.items()), body)
                if receiver.hang_seconds:
                    time.sleep(receiver.hang_seconds)
                if receiver.drip_seconds:
                    self._drip(status, receiver.drip_seconds)
                    return
                self.send_response(status)
                for name, value in receiver.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def _drip(self, status: int, seconds: float) -> None:
                self.wfile.write(f"HTTP/1.1 {status} OK\r\nX-Slow: ".encode())
                end = time.monotonic() + seconds
                try:
                    while time.monotonic() < end:
                        self.wfile.write(b"z")
                        self.wfile.flush()
                        time.sleep(0.2)
                    self.wfile.write(b"\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    pass  # the client gave up on us

            def log_message(self, *args):
                pass

        self._server = _Server(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self):
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def handle(self, path: str, headers: dict, body: bytes) -> int:
        raise NotImplementedError


@dataclass
class Browser:
    """The browser's side of one push subscription."""

    name: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    def subscription(self, origin: str) -> dict:
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": f"{origin}/push/{self.name}",
            "expirationTime": None,
            "keys": {"p256dh": b64url(public), "auth": b64url(self.auth)},
        }


@dataclass
class Push:
    browser: str
    payload: dict
    topic: str | None
    ttl: str | None
    urgency: str | None
    status: int
    claims: dict = field(default_factory=dict)


class PushService(LocalReceiver):
    def __init__(self, server_public_key: str) -> None:
        super().__init__()
        self.server_public_key = server_public_key
        self.browsers: dict[str, Browser] = {}
        self.pushes: list[Push] = []  # every well-formed push, whatever we answered
        self.refused: list[str] = []  # pushes that failed a check, and why
        self.answers: dict[str, int] = {}  # per browser, instead of `status`

    def browser_of(self, subscription: dict) -> str:
        return subscription["endpoint"].rsplit("/", 1)[-1]

    def new_browser(self) -> dict:
        """A fresh subscription, as PushSubscription.toJSON() gives it."""
        name = f"b{len(self.browsers) + 1}-{os.urandom(4).hex()}"
        self.browsers[name] = Browser(name, ec.generate_private_key(ec.SECP256R1()), os.urandom(16))
        return self.browsers[name].subscription(self.origin)

    def delivered(self, browser: str | None = None) -> list[Push]:
        with self.lock:
            return [
                push
                for push in self.pushes
                if push.status == 201 and (browser is None or push.browser == browser)
            ]

    def handle(self, path: str, headers: dict, body: bytes) -> int:
        headers = {name.lower(): value for name, value in headers.items()}
        browser = self.browsers.get(path.rsplit("/", 1)[-1])
        if browser is None:
            return 404
        try:
            claims = self._check_vapid(headers.get("authorization", ""))
            if headers.get("content-encoding") != "aes128gcm":
                raise ValueError("content-encoding is not aes128gcm")
            plain = http_ece.decrypt(
                body, private_key=browser.private_key, auth_secret=browser.auth
            )
            payload = json.loads(plain)
        except (ValueError, KeyError, InvalidSignature) as exc:
            with self.lock:
                self.refused.append(f"{type(exc).__name__}: {exc}")
            return 400
        with self.lock:
            self.pushes.append(
                Push(
                    browser.name,
                    payload,
                    headers.get("topic"),
                    headers.get("ttl"),
                    headers.get("urgency"),
                    self.answers.get(browser.name, self.status),
                    claims,
                )
            )
            return self.pushes[-1].status

    def _check_vapid(self, authorization: str) -> dict:
        scheme, _space, params = authorization.partition(" ")
        if scheme.lower() != "vapid":
            raise ValueError(f"not a VAPID authorization: {authorization[:20]!r}")
        parts = dict(item.strip().split("=", 1) for item in params.split(","))
        if parts["k"] != self.server_public_key:
            raise ValueError("signed with another server key")
        header, payload, signature = parts["t"].split(".")
        if json.loads(b64url_decode(header)) != {"typ": "JWT", "alg": "ES256"}:
            raise ValueError("not an ES256 JWT")
        raw = b64url_decode(signature)
        public = ec.EllipticCurvePublicKey.from_encoded_point(
            ec.SECP256R1(), b64url_decode(parts["k"])
        )
        public.verify(
            encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")),
            f"{header}.{payload}".encode(),
            ec.ECDSA(hashes.SHA256()),
        )
        claims = json.loads(b64url_decode(payload))
        if claims["aud"] != self.origin:
            raise ValueError(f"aud is {claims['aud']}, not {self.origin}")
        if not time.time() < claims["exp"] <= time.time() + 24 * 3600:
            raise ValueError("exp is not within the next 24 hours")
        if not claims["sub"].startswith(("mailto:", "https:")):
            raise ValueError("sub is not a mailto: or https: URI")
        return claims


class JsonReceiver(LocalReceiver):
    """What Apprise's json:// posts: {"title", "message", "type", …}."""

    def __init__(self) -> None:
        super().__init__()
        self.status = 200
        self.messages: list[dict] = []

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.port}/"

    def handle(self, path: str, headers: dict, body: bytes) -> int:
        with self.lock:
            self.messages.append(json.loads(body))
        return self.status
