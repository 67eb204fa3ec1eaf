"""Delivering an outbox email: by SMTP (EMAIL_URL) or, with none set, printed to the console."""

from __future__ import annotations

import smtplib
import ssl
import sys
from dataclasses import dataclass
from email import message_from_bytes, policy
from urllib.parse import unquote, urlsplit

from django.conf import settings


class DeliveryError(Exception):
    """A send failed. `permanent` means retrying will not help (e.g. the address is refused);
    `unreachable`, that the mail server itself couldn't be reached or didn't answer."""

    def __init__(self, message: str, permanent: bool = False, *, unreachable: bool = False):
        super().__init__(message)
        self.permanent = permanent
        self.unreachable = unreachable


@dataclass(frozen=True)
class SMTPConfig:
    host: str
    port: int
    username: str
    password: str
    implicit_tls: bool
    require_starttls: bool

    @classmethod
    def from_url(cls, url: str) -> SMTPConfig:
        parts = urlsplit(url)
        implicit = parts.scheme == "smtps"
        return cls(
            host=parts.hostname or "localhost",
            port=parts.port or (465 if implicit else 587),
            username=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            implicit_tls=implicit,
            require_starttls=parts.scheme == "smtp+starttls",
        )


def send_raw(sender: str, recipients: list[str], raw: bytes) -> None:
    if not settings.EMAIL_URL:
        _print_to_console(raw)
        return
    _send_smtp(SMTPConfig.from_url(settings.EMAIL_URL), sender, recipients, raw)


def _print_to_console(raw: bytes) -> None:
    message = message_from_bytes(raw, policy=policy.default)
    out = sys.stdout
    out.write("-" * 72 + "\n")
    for header in ("From", "To", "Subject", "Message-ID"):
        out.write(f"{header}: {message[header]}\n")
    body = message.get_body(preferencelist=("plain",))
    out.write("\n" + (body.get_content() if body else "") + "\n")
    out.write("-" * 72 + "\n")
    out.flush()


def _send_smtp(config: SMTPConfig, sender: str, recipients: list[str], raw: bytes) -> None:
    timeout = settings.SMTP_TIMEOUT_SECONDS
    context = ssl.create_default_context()
    try:
        if config.implicit_tls:
            client = smtplib.SMTP_SSL(config.host, config.port, timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(config.host, config.port, timeout=timeout)
        try:
            client.ehlo()
            if not config.implicit_tls:
                if client.has_extn("starttls"):
                    client.starttls(context=context)
                    client.ehlo()
                elif config.require_starttls:
                    raise DeliveryError("The mail server does not offer STARTTLS.", permanent=True)
            if config.username:
                client.login(config.username, config.password)
            refused = client.sendmail(sender, recipients, raw)
        finally:
            _hang_up(client)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _text in exc.recipients.values()]
        raise DeliveryError(
            f"The mail server refused every recipient: {exc.recipients}",
            permanent=all(500 <= code < 600 for code in codes),
        ) from exc
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(f"The mail server did not accept the login ({exc.smtp_code}).") from exc
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(
            f"The mail server answered {exc.smtp_code}: {exc.smtp_error!r}",
            permanent=500 <= exc.smtp_code < 600,
        ) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"Could not reach the mail server: {exc}", unreachable=True) from exc
    if refused:
        # Some recipients got it; retrying would send them a duplicate.
        raise DeliveryError(f"Some recipients were refused: {sorted(refused)}", permanent=True)


def _hang_up(client: smtplib.SMTP) -> None:
    # Once the message is accepted, a failed QUIT must not turn into a retry (a duplicate).
    try:
        client.quit()
    except (OSError, smtplib.SMTPException):
        client.close()
