"""The caregiver's urgent call: "please call me", and "pressed by mistake".

Both go out as urgent notifications (every working channel, whatever the settings or quiet
hours) and are recorded as household data. The follow-up is an `ALL_CLEAR`, not another
call, and shares the call's topic, so on the parent's phone it replaces the first one.

The parents' away page shows the call through its poll (separations/away_notes.py, which
reads the urgent notifications); the caregiver's panel and the history read the latest
call from annotations on the query they already make (`latest_call`).
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from backsoon import notify
from backsoon.coping.models import UrgentCall
from backsoon.notify.events import Event
from backsoon.notify.models import Notification
from backsoon.separations.models import Separation


def latest_call() -> dict:
    """Annotations for a Separation query: its latest urgent call, in the same query."""
    latest = UrgentCall.objects.filter(separation=OuterRef("pk")).order_by("-created_at", "-pk")
    return {
        "urgent_id": Subquery(latest.values("pk")[:1]),
        "urgent_at": Subquery(latest.values("created_at")[:1]),
        "urgent_mistake_at": Subquery(latest.values("mistake_at")[:1]),
        "urgent_caller": Subquery(latest.values("caller_name")[:1]),
    }


def call_count() -> dict:
    counted = (
        UrgentCall.objects.filter(separation=OuterRef("pk"))
        .order_by()
        .values("separation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return {"urgent_count": Coalesce(Subquery(counted), 0)}


def parent_url(call: UrgentCall) -> str:
    return reverse("coping:urgent_parent", args=[call.separation.household_id, call.pk])


def call_parent(separation: Separation, subject, key: str, now: datetime) -> UrgentCall:
    """Record the call and queue it for the parent who is away. The same key: the same call."""
    existing = UrgentCall.objects.filter(separation=separation, key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            call = UrgentCall.objects.create(
                separation=separation,
                caller_membership=subject.membership,
                caller_link=subject.link,
                caller_name=subject.display_name,
                parent_name=separation.leaver_name,
                key=key,
                created_at=now,
            )
            if separation.leaver is not None:
                # Lock-screen text stays neutral: no names (notify.send's rule).
                call.notification = notify.send(
                    separation.leaver,
                    Event.URGENT,
                    _("Please call now"),
                    _("The person looking after your baby asked you to call them now."),
                    parent_url(call),
                    urgent=True,
                    topic=f"urgent-{call.pk}",
                )
                call.save(update_fields=["notification"])
    except IntegrityError:
        return UrgentCall.objects.get(separation=separation, key=key)
    return call


def pressed_by_mistake(call: UrgentCall, now: datetime) -> bool:
    """Send "sorry, all is fine" once; False if it was sent already."""
    with transaction.atomic():
        if not UrgentCall.objects.filter(pk=call.pk, mistake_at__isnull=True).update(
            mistake_at=now
        ):
            return False
        call.mistake_at = now
        leaver = call.separation.leaver
        if leaver is not None:
            call.mistake_notification = notify.send(
                leaver,
                Event.ALL_CLEAR,
                _("All is fine"),
                _("Sorry — the urgent call was pressed by mistake. All is fine."),
                parent_url(call),
                urgent=True,
                topic=f"urgent-{call.pk}",
            )
            call.save(update_fields=["mistake_notification"])
    return True


def outcome(notification: Notification | None) -> str:
    if notification is None:
        return Notification.Outcome.UNREACHABLE
    return notification.outcome
