"""The opt-in weekly note: its due time, the page, and the worker step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from backsoon.notify.models import Delivery, Notification
from backsoon.notify.tests.factories import add_email
from backsoon.notify.worker import Worker
from backsoon.practice import ladder as ladders
from backsoon.practice import weekly
from backsoon.practice.models import WeeklyNote
from backsoon.practice.tests.factories import practice, step_named

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
# Wednesday 17 June 2026, 12:00 UTC.
NOW = datetime(2026, 6, 17, 12, 0, tzinfo=UTC)


def test_the_note_is_due_on_sunday_evening_on_the_households_clock():
    assert weekly.next_weekly(NOW, LONDON) == datetime(2026, 6, 21, 17, 0, tzinfo=UTC)
    assert weekly.next_weekly(NOW, NEW_YORK) == datetime(2026, 6, 21, 22, 0, tzinfo=UTC)
    sunday_evening = datetime(2026, 6, 21, 17, 0, tzinfo=UTC)
    assert weekly.next_weekly(sunday_evening, LONDON) == datetime(2026, 6, 28, 17, tzinfo=UTC)
    just_before = sunday_evening - timedelta(seconds=1)
    assert weekly.next_weekly(just_before, LONDON) == sunday_evening


def test_across_a_clock_change_it_is_still_six_in_the_evening():
    # The UK moves to summer time on Sunday 29 March 2026, at 01:00.
    before = datetime(2026, 3, 25, 12, tzinfo=UTC)
    assert weekly.next_weekly(before, LONDON) == datetime(2026, 3, 29, 17, tzinfo=UTC)
    assert weekly.next_weekly(datetime(2026, 3, 22, 12, tzinfo=UTC), LONDON) == datetime(
        2026, 3, 22, 18, tzinfo=UTC
    )
    # And back on Sunday 25 October 2026.
    assert weekly.next_weekly(datetime(2026, 10, 24, tzinfo=UTC), LONDON) == datetime(
        2026, 10, 25, 18, tzinfo=UTC
    )


def test_the_lines_say_what_went_well_and_nothing_for_an_empty_week():
    assert weekly.lines(weekly.Week()) == []
    said = weekly.lines(
        weekly.Week(
            times=3,
            minutes=135,
            longest_manageable=60,
            fears=2,
            happened=0,
            urges_passed=4,
            thanks=2,
        )
    )
    assert said == [
        "You spent time apart 3 times this week, 2 h 15 min in all.",
        "The longest that felt manageable: 1 hour.",
        "You wrote down a fear 2 times; it happened 0 times.",
        "4 urges to check passed while you waited.",
        "You thanked whoever cared 2 times.",
    ]
    assert weekly.lines(weekly.Week(times=1, minutes=30)) == [
        "You spent time apart once this week: 30 minutes."
    ]
    assert weekly.lines(weekly.Week(times=3, minutes=90, fears=3, happened=1))[1] == (
        "You wrote down a fear 3 times; it happened 1 time."
    )


def week_url(cast):
    return reverse("practice:week", args=[cast.household.pk, cast.parent.pk])


def test_turning_it_on_and_off(cast):
    client = cast.client_for(cast.parent)
    with time_machine.travel(NOW, tick=False):
        html = client.get(week_url(cast)).content.decode()
        assert "A quiet week so far" in html and "Turn it on" in html
        client.post(week_url(cast), {"on": "1"})
    note = weekly.note_of(cast.parent)
    assert note.next_weekly_at == datetime(2026, 6, 21, 17, 0, tzinfo=UTC)
    html = client.get(week_url(cast)).content.decode()
    assert "Turn it off" in html and "no way to reach you set up yet" in html
    add_email(cast.parent, "maya@example.org")
    assert "no way to reach you" not in client.get(week_url(cast)).content.decode()
    client.post(week_url(cast), {"on": "0"})
    note.refresh_from_db()
    assert note.next_weekly_at is None
    assert client.post(week_url(cast), {"on": "maybe"}).status_code == 302  # ignored


@pytest.fixture
def on_with_a_week(cast):
    ladders.ensure_ladder(cast.parent)
    add_email(cast.parent, "maya@example.org", events=[])  # the note goes anyway: opted in
    with time_machine.travel(NOW, tick=False):
        weekly.turn(cast.parent, True)
    practice(
        cast,
        step_named(cast.parent, "30 minutes"),
        at=datetime(2026, 6, 19, 9, tzinfo=UTC),
        feel="manageable",
        fear="she cries",
        happened="no",
    )
    return weekly.note_of(cast.parent)


def worker():
    return SimpleNamespace(batch=10, shutdown=False)


def test_the_worker_sends_it_once_with_a_neutral_lock_screen(cast, on_with_a_week):
    due = on_with_a_week.next_weekly_at
    assert weekly.send_due_weekly_notes(worker(), due - timedelta(minutes=1)) == 0
    assert weekly.send_due_weekly_notes(worker(), due) == 1
    notification = Notification.objects.get(kind="weekly")
    assert (notification.title, notification.body) == (
        "Back Soon",
        "A short note on your week is ready.",
    )
    assert notification.url == week_url(cast)
    assert Delivery.objects.filter(notification=notification).count() == 1  # not chosen: opted in
    on_with_a_week.refresh_from_db()
    assert on_with_a_week.next_weekly_at == due + timedelta(weeks=1)
    assert on_with_a_week.last_sent_at == due
    assert weekly.send_due_weekly_notes(worker(), due + timedelta(minutes=5)) == 0
    assert Notification.objects.filter(kind="weekly").count() == 1


def test_a_second_worker_holding_the_same_row_sends_nothing(cast, on_with_a_week):
    stale = WeeklyNote.objects.get(pk=on_with_a_week.pk)
    due = stale.next_weekly_at
    assert weekly.send_due_weekly_notes(worker(), due) == 1
    assert weekly._send(stale, due) == 0  # its claim no longer matches
    assert Notification.objects.filter(kind="weekly").count() == 1


def test_after_a_long_downtime_one_note_not_a_flood(cast, on_with_a_week):
    later = on_with_a_week.next_weekly_at + timedelta(weeks=5, hours=3)
    practice(cast, step_named(cast.parent, "1 hour"), at=later - timedelta(days=1))
    assert weekly.send_due_weekly_notes(worker(), later) == 1
    assert weekly.send_due_weekly_notes(worker(), later) == 0
    assert Notification.objects.filter(kind="weekly").count() == 1
    on_with_a_week.refresh_from_db()
    assert on_with_a_week.next_weekly_at > later


def test_an_empty_week_sends_nothing_and_waits_for_the_next(cast, on_with_a_week):
    due = on_with_a_week.next_weekly_at + timedelta(weeks=1)
    WeeklyNote.objects.filter(pk=on_with_a_week.pk).update(next_weekly_at=due)
    assert weekly.send_due_weekly_notes(worker(), due) == 1
    assert not Notification.objects.filter(kind="weekly").exists()
    on_with_a_week.refresh_from_db()
    assert on_with_a_week.next_weekly_at == due + timedelta(weeks=1)


def test_a_bad_row_waits_an_hour_with_its_error(cast, on_with_a_week, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(weekly, "week_for", broken)
    due = on_with_a_week.next_weekly_at
    assert weekly.send_due_weekly_notes(worker(), due) == 0
    on_with_a_week.refresh_from_db()
    assert on_with_a_week.next_weekly_at == due + weekly.RETRY
    assert "the disk is full" in on_with_a_week.last_error


def test_the_real_worker_runs_the_step(cast, on_with_a_week, settings):
    assert weekly.send_due_weekly_notes in Worker().steps
    Worker().run_once(on_with_a_week.next_weekly_at)
    assert Notification.objects.filter(kind="weekly").exists()


def test_the_page_shows_this_week(cast, on_with_a_week):
    with time_machine.travel(datetime(2026, 6, 20, 12, tzinfo=UTC), tick=False):
        html = cast.client_for(cast.parent).get(week_url(cast)).content.decode()
    assert "You spent time apart once this week: 30 minutes." in html
    assert "The longest that felt manageable: 30 minutes." in html
    assert "You wrote down a fear once; it happened 0 times." in html
