"""How times and lengths read on screen: the household's clock, no seconds, ever."""

from __future__ import annotations

from datetime import datetime

from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backsoon.households.models import Household
from backsoon.households.services import zone

# Countries whose clocks read "3:30 PM"; everyone else reads "15:30".
TWELVE_HOUR_COUNTRIES = frozenset({"US", "CA", "AU", "NZ", "PH", "IN", "PK", "EG"})


def clock(value: datetime | None, household: Household) -> str:
    if value is None:
        return ""
    local = value.astimezone(zone(household))
    return dateformat.format(
        local, "g:i A" if household.country in TWELVE_HOUR_COUNTRIES else "H:i"
    )


def day_and_clock(value: datetime, household: Household, today=None) -> str:
    """ "15:30" today, "Tue 3 Jun, 15:30" on another day."""
    local = value.astimezone(zone(household))
    if today is not None and local.date() == today:
        return clock(value, household)
    return _("%(day)s, %(time)s") % {
        "day": dateformat.format(local, "D j M"),
        "time": clock(value, household),
    }


def length(minutes: int) -> str:
    hours, rest = divmod(int(minutes), 60)
    if not hours and not rest:
        return _("under a minute")
    if not hours:
        return ngettext("%(n)d minute", "%(n)d minutes", rest) % {"n": rest}
    if not rest:
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return _("%(h)d h %(m)d min") % {"h": hours, "m": rest}
