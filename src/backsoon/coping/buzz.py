"""The worker's step for "put the phone away and buzz me at the end".

A wait that asked for a buzz carries `buzz_at` (STYLE.md: due state is a column). The
step claims each due row with a conditional UPDATE that clears it, and queues the
notification in the same transaction: a buzz is sent once, or not at all if the parent
ended the wait first or is already home.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from backsoon import notify
from backsoon.coping.models import Urge
from backsoon.notify.events import Event

logger = logging.getLogger("backsoon.worker")

RETRY_AFTER = timedelta(minutes=5)


def send_due_buzzes(worker, now: datetime) -> int:
    due = list(
        Urge.objects.filter(buzz_at__isnull=False, buzz_at__lte=now)
        .order_by("buzz_at")
        .values_list("pk", "buzz_at")[: worker.batch]
    )
    for pk, buzz_at in due:
        if worker.shutdown:
            break  # the rest stay due for the next round
        try:
            buzz(pk, buzz_at, now)
        except Exception:
            # One bad row waits and is logged; it never crash-loops the worker.
            logger.exception("Buzz for urge %s failed; trying again later", pk)
            Urge.objects.filter(pk=pk, buzz_at=buzz_at).update(buzz_at=now + RETRY_AFTER)
    return len(due)


def buzz(pk: int, buzz_at: datetime, now: datetime) -> bool:
    """Queue the buzz for one due urge; False if another worker or the parent got there first."""
    with transaction.atomic():
        if Urge.objects.filter(pk=pk, buzz_at=buzz_at).update(buzz_at=None) != 1:
            return False
        urge = Urge.objects.select_related("separation", "owner").get(pk=pk)
        if urge.ended_at is not None or not urge.separation.is_away:
            return False  # ended, or home already: nothing to buzz about
        notify.send(
            urge.owner,
            Event.BUZZ,
            "Back Soon",
            _("Your wait is over. How is it now?"),
            reverse("coping:urge", args=[urge.separation.household_id, urge.pk]),
            topic=f"wait-{urge.pk}",
        )
        Urge.objects.filter(pk=pk).update(buzzed_at=now)
    return True
