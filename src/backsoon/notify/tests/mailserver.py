"""A real SMTP server on 127.0.0.1 for the tests: the network boundary, not a mock."""

from __future__ import annotations

import socket
import threading
from collections import Counter
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MailServer:
    """Collects what it accepts; `data_reply`, `rcpt_reply` and `quit_reply` change its answers."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"smtp://127.0.0.1:{self.port}"
        self.received: list[bytes] = []
        self.recipients: list[list[str]] = []
        self.data_reply = "250 OK"
        self.rcpt_reply: str | None = None
        self.quit_reply: str | None = None
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    def start(self) -> MailServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def message_ids(self) -> Counter:
        return Counter(
            str(message_from_bytes(raw, policy=policy.default)["Message-ID"])
            for raw in self.received
        )

    # aiosmtpd handler hooks

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_reply.startswith("250"):
            with self._lock:
                self.received.append(envelope.original_content or envelope.content)
                self.recipients.append(list(envelope.rcpt_tos))
        return self.data_reply

    async def handle_QUIT(self, server, session, envelope):
        return self.quit_reply or "221 Bye"
