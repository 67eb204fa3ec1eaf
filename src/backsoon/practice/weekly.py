"""The opt-in weekly note: what went well this week, in calm words.

Due time is a column (`WeeklyNote.next_weekly_at`, STYLE.md): Sunday at 18:00 on the
household's clock. The worker claims a due note by moving that time to the next Sunday with
a conditional UPDATE, and queues the note in the same transaction (the outbox), so two
workers never send it twice and a crash sends it on the next round. After a long downtime
each person gets one note, not one per missed week. A week with nothing in it sends nothing:
no "you missed…". The lock screen reads only "A short note on your week is ready."
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db import transaction
from django.db.models import Count, Max, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backsoon.households.models import Membership
from backsoon.households.services import zone
from backsoon.practice.models import WeeklyNote
from backsoon.separations.display import length
from backsoon.separations.models import SeparationPrivate

logger = logging.getLogger("backsoon.worker")

SEND_WEEKDAY = 6  # Sunday
SEND_TIME = time(18, 0)
RETRY = timedelta(hours=1)


def next_weekly(after: datetime, tz: ZoneInfo) -> datetime:
    """The first Sunday 18:00 on the household's clock strictly after `after`, in UTC."""
    day = after.astimezone(tz).date()
    day += timedelta(days=(SEND_WEEKDAY - day.weekday()) % 7)
    while True:
        # A wall time skipped by a DST jump is normalised by the round trip through UTC.
        due = datetime.combine(day, SEND_TIME, tzinfo=tz).astimezone(UTC)
        if due > after:
            return due
        day += timedelta(days=7)


@dataclass(frozen=True)
class Week:
    times: int = 0
    minutes: int = 0
    longest_manageable: int = 0
    fears: int = 0
    happened: int = 0
    urges_passed: int = 0
    thanks: int = 0


def lines(week: Week) -> list[str]:
    """What went well, a line each; nothing at all for an empty week."""
    if not week.times:
        return []
    said = [
        ngettext(
            "You spent time apart once this week: %(length)s.",
            "You spent time apart %(n)d times this week, %(length)s in all.",
            week.times,
        )
        % {"n": week.times, "length": length(week.minutes)}
    ]
    if week.longest_manageable:
        said.append(
            _("The longest that felt manageable: %(length)s.")
            % {"length": length(week.longest_manageable)}
        )
    if week.fears:
        said.append(
            ngettext(
                "You wrote down a fear once; %(happened)s.",
                "You wrote down a fear %(n)d times; %(happened)s.",
                week.fears,
            )
            % {
                "n": week.fears,
                "happened": ngettext(
                    "it happened %(n)d time", "it happened %(n)d times", week.happened
                )
                % {"n": week.happened},
            }
        )
    if week.urges_passed:
        said.append(
            ngettext(
                "An urge to check passed while you waited.",
                "%(n)d urges to check passed while you waited.",
                week.urges_passed,
            )
            % {"n": week.urges_passed}
        )
    if week.thanks:
        said.append(
            ngettext(
                "You thanked whoever cared, once.",
                "You thanked whoever cared %(n)d times.",
                week.thanks,
            )
            % {"n": week.thanks}
        )
    return said


def week_for(owner: Membership, end: datetime) -> Week:
    """The seven days before `end`, from aggregates (owner data)."""
    from backsoon.practice.evidence import finished
    from backsoon.practice.sql import minutes_away

    start = end - timedelta(days=7)
    mine = finished(owner).filter(left_at__gte=start, left_at__lt=end)
    manageable = Q(private__owner=owner, private__feel=SeparationPrivate.Feel.MANAGEABLE)
    mine_private = Q(private__owner=owner)
    totals = mine.annotate(away=minutes_away()).aggregate(
        times=Count("pk"),
        total=Sum("away"),
        longest=Max("away", filter=manageable),
        fears=Count("pk", filter=mine_private & ~Q(private__fear="")),
        happened=Count(
            "pk",
            filter=mine_private
            & ~Q(private__fear="")
            & Q(private__fear_outcome=SeparationPrivate.Outcome.YES),
        ),
        thanks=Count("thank_you"),
    )
    passed = 0
    if apps.is_installed("backsoon.coping") and totals["times"]:
        passed = (
            apps.get_model("coping", "Urge")
            .objects.filter(
                owner=owner, outcome="passed", created_at__gte=start, created_at__lt=end
            )
            .count()
        )

    def mins(value) -> int:
        return round(value or 0)

    return Week(
        times=totals["times"],
        minutes=mins(totals["total"]),
        longest_manageable=mins(totals["longest"]),
        fears=totals["fears"],
        happened=totals["happened"],
        urges_passed=passed,
        thanks=totals["thanks"],
    )


def note_of(owner: Membership) -> WeeklyNote | None:
    return WeeklyNote.objects.filter(owner=owner).first()


def turn(owner: Membership, on: bool, now: datetime | None = None) -> WeeklyNote:
    """On (the next Sunday evening) or off; the due time is recomputed with the choice."""
    now = now or timezone.now()
    note, _created = WeeklyNote.objects.update_or_create(
        owner=owner,
        defaults={
            "next_weekly_at": next_weekly(now, zone(owner.household)) if on else None,
            "updated_at": now,
        },
    )
    return note


def page_url(owner: Membership) -> str:
    return reverse(
        "practice:week", kwargs={"household_id": owner.household_id, "parent_id": owner.pk}
    )


def send_due_weekly_notes(worker, now: datetime) -> int:
    """Worker step: queue the weekly notes that are due, one small batch at a time."""
    due = list(
        WeeklyNote.objects.filter(next_weekly_at__lte=now)
        .select_related("owner__household")
        .order_by("next_weekly_at")[: worker.batch]
    )
    done = 0
    for note in due:
        if worker.shutdown:
            break
        try:
            done += _send(note, now)
        except Exception as exc:
            # One bad row waits an hour with its error; it never crash-loops the worker.
            logger.exception("Weekly note %s could not be queued", note.pk)
            WeeklyNote.objects.filter(pk=note.pk, next_weekly_at=note.next_weekly_at).update(
                next_weekly_at=now + RETRY, last_error=f"{type(exc).__name__}: {exc}"[:500]
            )
    return done


def _send(note: WeeklyNote, now: datetime) -> int:
    from backsoon import notify

    owner = note.owner
    week = week_for(owner, now)
    with transaction.atomic():
        claimed = WeeklyNote.objects.filter(pk=note.pk, next_weekly_at=note.next_weekly_at).update(
            next_weekly_at=next_weekly(now, zone(owner.household)), last_error=""
        )
        if claimed != 1:
            return 0  # another worker has it, or the person just turned it off
        if lines(week):
            body = _("A short note on your week is ready.")
            notify.send(
                owner, "weekly", "Back Soon", body, page_url(owner), topic=f"weekly-{owner.pk}"
            )
            WeeklyNote.objects.filter(pk=note.pk).update(last_sent_at=now)
    return 1
