"""When the next gentle reminder is due: pure arithmetic on the household's clock.

A reminder comes N weeks after the last self-check (or after turning reminders on), at a
calm morning hour on the household's clock, whatever daylight saving did in between.
The lock-screen text never names a questionnaire (DOMAIN.md, "Quiet by default").
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

REMINDER_TEXT = _("A moment for you?")
LOCAL_TIME = time(10, 0)


def next_reminder(after: datetime, every_weeks: int | None, zone: ZoneInfo) -> datetime | None:
    """`every_weeks` after the local date of `after`, at LOCAL_TIME there; None when off."""
    if not every_weeks:
        return None
    day = after.astimezone(zone).date() + timedelta(weeks=every_weeks)
    local = datetime.combine(day, LOCAL_TIME, tzinfo=zone)
    # A wall time skipped by a DST jump would be normalised by the round trip through UTC.
    return local.astimezone(ZoneInfo("UTC"))
