"""Email: the message is handed to the outbox, whose own worker step sends it by SMTP."""

from __future__ import annotations

from django.db import transaction

from backsoon.notify.channels.base import BaseChannel
from backsoon.notify.mail import send_templated, site_url
from backsoon.notify.models import Delivery, OutboxEmail
from backsoon.notify.outbox import message_id_domain


class EmailChannel(BaseChannel):
    kind = "email"
    network = False

    def send(self, delivery) -> None:
        notification = delivery.notification
        # Stable per delivery: a worker that died after queueing finds it instead of a twin.
        message_id = f"<notification.{delivery.pk}.{notification.topic}@{message_id_domain()}>"
        with transaction.atomic():
            email = OutboxEmail.objects.filter(message_id=message_id).first()
            if email is None:
                send_templated(
                    "notify/email/notification",
                    [delivery.channel.config["address"]],
                    {
                        "notification": notification,
                        "link": site_url() + notification.url,
                        "settings_link": site_url() + delivery.channel.page_url,
                    },
                    message_id=message_id,
                )
                email = OutboxEmail.objects.filter(message_id=message_id).first()
            Delivery.objects.filter(pk=delivery.pk).update(email=email)
