"""A person's calendar feed as iCalendar text: the plan and its agreed updates, nothing else.

Household data only (DOMAIN.md): who is away, who is caring, for whom, when, and what was
agreed. Never anyone's worry, fear or reasons. Times are written in UTC; calendar apps show
them in the reader's own zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from backsoon.separations.schedule import planned_end

AGREED_LENGTH = timedelta(minutes=5)  # a calendar entry needs some length to be seen
REFRESH = timedelta(hours=1)


@dataclass(frozen=True)
class Agreed:
    id: int
    kind: str  # "all_good" or "photo"
    label: str
    due_at: datetime


@dataclass(frozen=True)
class Apart:
    id: int
    leaver: str
    carer: str
    children: list[str]
    start: datetime
    minutes: int
    cancelled: bool
    agreed: list[Agreed]
    url: str


def _agreed_title(agreed: Agreed, carer: str) -> str:
    if agreed.kind == "photo":
        text = _("A photo from %(carer)s, as agreed") % {"carer": carer}
    else:
        text = _("An “all good” from %(carer)s, as agreed") % {"carer": carer}
    return f"{text} ({agreed.label})" if agreed.label else text


def build(separations: list[Apart], *, name: str, host: str, now: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Back Soon//Time apart//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    for apart in separations:
        event = Event()
        event.add("uid", f"separation-{apart.id}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", apart.start)
        event.add("dtend", planned_end(apart.start, apart.minutes))
        children = _(", ").join(apart.children) or _("the baby")
        event.add(
            "summary",
            _("%(leaver)s away — %(carer)s with %(children)s")
            % {"leaver": apart.leaver, "carer": apart.carer, "children": children},
        )
        event.add("status", "CANCELLED" if apart.cancelled else "CONFIRMED")
        event.add("transp", "TRANSPARENT")
        event.add("url", apart.url)
        calendar.add_component(event)
        for agreed in apart.agreed:
            entry = Event()
            entry.add("uid", f"agreed-{agreed.id}@{host}")
            entry.add("dtstamp", now)
            entry.add("dtstart", agreed.due_at)
            entry.add("dtend", agreed.due_at + AGREED_LENGTH)
            entry.add("summary", _agreed_title(agreed, apart.carer))
            entry.add("status", "CANCELLED" if apart.cancelled else "CONFIRMED")
            entry.add("transp", "TRANSPARENT")
            entry.add("url", apart.url)
            calendar.add_component(entry)
    return calendar.to_ical()
