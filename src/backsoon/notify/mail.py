"""Emails as a trio of templates (subject, text, HTML), queued in the outbox."""

from __future__ import annotations

import os
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from backsoon.notify.outbox import message_id_domain


def site_url() -> str:
    """The start of every link in what we send: BACKSOON_URL, else where `serve` serves."""
    return settings.SITE_URL or os.environ.get("BACKSOON_SERVED_AT") or "http://127.0.0.1:8000"


def send_templated(
    prefix: str, to: list[str], context: dict, *, message_id: str | None = None
) -> str:
    """Queue `<prefix>_subject.txt`, `_message.txt` and `_message.html`; return the Message-ID.

    Pass a stable `message_id` to make a repeated queueing recognisable.
    """
    context = {**context, "site_url": site_url()}
    subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
    text = render_to_string(f"{prefix}_message.txt", context)
    html = render_to_string(f"{prefix}_message.html", context)
    message_id = message_id or make_msgid(domain=message_id_domain())
    message = EmailMultiAlternatives(
        subject=subject, body=text, to=to, headers={"Message-ID": message_id}
    )
    message.attach_alternative(html, "text/html")
    message.send()
    return message_id
