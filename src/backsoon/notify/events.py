"""The kinds of thing Back Soon may tell someone, and who chooses to hear which.

Quiet by default (DOMAIN.md): a new channel carries only what its person came for, and an
urgent call goes to every working channel whatever anyone chose.
"""

from __future__ import annotations

import re

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    URGENT = "urgent", _("An urgent call from whoever is looking after your baby")
    POSTED = "posted", _("An agreed update has been posted")
    LATE = "late", _("An agreed update hasn't come yet (you'll still see it calmly on the page)")
    ENDED = "ended", _("A time apart was closed for you because nobody tapped “I'm back”")
    REMINDER = "reminder", _("A reminder when an agreed update is due")
    NUDGE = "nudge", _("One gentle nudge if an agreed update is still to come")
    THANKS = "thanks", _("A thank-you from the parents")
    TEST = "test", _("A test message")
    BUZZ = "buzz", _("The end of a wait you asked to be buzzed for")
    # Sent urgent too, so it reaches wherever the urgent call did; not itself a call.
    ALL_CLEAR = "all_clear", _("“All is fine” after an urgent call pressed by mistake")
    WEEKLY = "weekly", _("Your weekly note on practising, if you turned it on")


# Who would want each kind: the person away from the baby, or the person looking after it.
AWAY = (Event.POSTED, Event.LATE, Event.ENDED)
CARING = (Event.REMINDER, Event.NUDGE, Event.THANKS)
# What a new channel starts with. Someone on a caregiver link (or a caregiver account) adds a
# channel to be reminded, so reminders start on, with the one nudge that follows a reminder
# and the parents' thank-you; a parent hears only urgent calls until they choose more.
DEFAULT_FOR_CARING = [Event.REMINDER.value, Event.NUDGE.value, Event.THANKS.value]
DEFAULT_FOR_PARENTS: list[str] = []

# Short names, for "Email · urgent calls, updates" under each channel.
SHORT = {
    Event.URGENT: _("urgent calls"),
    Event.POSTED: _("updates"),
    Event.LATE: _("updates still to come"),
    Event.ENDED: _("times apart closed for you"),
    Event.REMINDER: _("reminders"),
    Event.NUDGE: _("nudges"),
    Event.THANKS: _("thank-yous"),
}

TOPIC_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


def choosable(is_parent: bool) -> tuple[Event, ...]:
    """The kinds a person can switch on or off (urgent is always on, tests always go)."""
    return AWAY + CARING if is_parent else CARING


def defaults(is_parent: bool) -> list[str]:
    return list(DEFAULT_FOR_PARENTS if is_parent else DEFAULT_FOR_CARING)


def summary(chosen: list[str], is_parent: bool) -> str:
    kinds = [Event.URGENT] if is_parent else []
    kinds += [event for event in choosable(is_parent) if event in chosen]
    if not kinds:
        return str(_("nothing chosen yet"))
    return ", ".join(str(SHORT[kind]) for kind in kinds)


def wanted(kind: str, chosen: list[str], *, urgent: bool) -> bool:
    # A buzz was asked for a moment ago, like a test, and the weekly note is turned on on
    # its own page: each goes to every working channel.
    return urgent or kind in (Event.TEST, Event.BUZZ, Event.WEEKLY) or kind in chosen
