"""What a separation tells people, through `notify.send` (an outbox: it only writes rows).

Call these inside the transaction of the change they are about. The words show on a lock
screen, so they stay neutral (DOMAIN.md, "Quiet by default"): no names, nothing worrying,
never "late". Who hears what is each person's choice on their notifications page.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from backsoon import notify
from backsoon.households.models import CaregiverLink, Membership, Role
from backsoon.notify.events import Event
from backsoon.separations.models import AgreedCheckIn, Separation

TITLE = "Back Soon"


def carer(separation: Separation) -> Membership | CaregiverLink | None:
    """Whoever stays with the children, as a notify subject (None if they were removed)."""
    return separation.carer_membership or separation.carer_link


def care_page(separation: Separation) -> str:
    return reverse("separations:care_now", args=[separation.household_id])


def away_page(separation: Separation) -> str:
    return reverse("separations:away", args=[separation.household_id, separation.pk])


def _care_topic(separation: Separation) -> str:
    # Reminders and the nudge share a topic: a phone shows the newest one only.
    return f"care-{separation.pk}"


def reminder_message(
    separation: Separation, agreed: AgreedCheckIn, *, catch_up: bool
) -> notify.Message | None:
    who = carer(separation)
    if who is None:
        return None
    if catch_up:
        body = _("An update is due — whenever you have a moment. One tap is enough.")
    elif AgreedCheckIn.Kind(agreed.kind) == AgreedCheckIn.Kind.PHOTO:
        body = _("Time for a photo, as agreed. One tap is enough.")
    else:
        body = _("Time for an update, as agreed. One tap is enough.")
    return notify.Message(
        who, Event.REMINDER, TITLE, body, care_page(separation), topic=_care_topic(separation)
    )


def nudge(separation: Separation) -> None:
    who = carer(separation)
    if who is None:
        return
    notify.send(
        who,
        Event.NUDGE,
        TITLE,
        _("When you have a moment, a quick update would be lovely."),
        care_page(separation),
        topic=_care_topic(separation),
    )


def parents_except(separation: Separation, *memberships: int | None):
    """The household's parents, minus whoever is caring or posting (each chooses what to hear)."""
    parents = Membership.objects.filter(
        household_id=separation.household_id, role=Role.PARENT
    ).select_related("household")
    return parents.exclude(pk__in=[pk for pk in memberships if pk is not None])


def posted(separation: Separation, poster_membership_id: int | None) -> None:
    # One batch for all the parents: the same few queries for one parent or three.
    notify.send_many(
        notify.Message(
            parent,
            Event.POSTED,
            TITLE,
            _("A new update is here."),
            away_page(separation),
            topic=f"posted-{separation.pk}",
        )
        for parent in parents_except(
            separation, poster_membership_id, separation.carer_membership_id
        )
    )


def still_to_come(separation: Separation) -> None:
    """The parents who chose to hear it: an agreed update hasn't come yet (once per separation)."""
    notify.send_many(
        notify.Message(
            parent,
            Event.LATE,
            TITLE,
            _("An agreed update is still to come. The page has the details."),
            away_page(separation),
            topic=f"late-{separation.pk}",
        )
        for parent in parents_except(separation, separation.carer_membership_id)
    )


def ended(separation: Separation) -> None:
    if separation.leaver_id is None:
        return
    notify.send(
        separation.leaver,
        Event.ENDED,
        TITLE,
        _("We closed your time apart for you. Welcome back."),
        reverse("separations:reunion", args=[separation.household_id, separation.pk]),
        topic=f"ended-{separation.pk}",
    )


def thanks(separation: Separation) -> None:
    who = carer(separation)
    if who is None:
        return
    notify.send(
        who,
        Event.THANKS,
        TITLE,
        _("A thank-you is waiting for you."),
        care_page(separation),
        topic=f"thanks-{separation.pk}",
    )
