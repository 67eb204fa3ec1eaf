"""Django email backend that writes every message to the outbox instead of sending it.

allauth's mail goes through here too, so no request ever waits on SMTP; the worker sends.
"""

from __future__ import annotations

from email.utils import make_msgid

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import sanitize_address

from backsoon.notify.models import OutboxEmail


def message_id_domain() -> str:
    if settings.SITE:
        return settings.SITE.host
    return "backsoon.localhost"


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        count = 0
        for message in email_messages:
            recipients = message.recipients()
            if not recipients:
                continue
            # A stable Message-ID makes a repeated send (worker died mid-send) recognisable.
            if not any(name.lower() == "message-id" for name in message.extra_headers):
                message.extra_headers["Message-ID"] = make_msgid(domain=message_id_domain())
            mime = message.message()
            # As Django's SMTP backend does: an internationalised domain goes out as punycode.
            encoding = message.encoding or settings.DEFAULT_CHARSET
            sender = message.from_email or settings.DEFAULT_FROM_EMAIL
            OutboxEmail.objects.create(
                message_id=str(mime["Message-ID"]),
                sender=sanitize_address(sender, encoding),
                recipients=[sanitize_address(address, encoding) for address in recipients],
                subject=str(message.subject)[:255],
                raw=mime.as_bytes(linesep="\r\n"),
            )
            count += 1
        return count
