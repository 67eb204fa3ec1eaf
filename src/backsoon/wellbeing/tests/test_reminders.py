"""The optional reminder: neutral words, a due-time column, recomputed on every write."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from backsoon.wellbeing.models import Reminder
from backsoon.wellbeing.reminders import REMINDER_TEXT, next_reminder
from backsoon.wellbeing.scoring import Check
from backsoon.wellbeing.tests.factories import take

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def test_off_means_no_due_time():
    assert next_reminder(datetime(2026, 1, 5, 12, tzinfo=UTC), None, LONDON) is None
    assert next_reminder(datetime(2026, 1, 5, 12, tzinfo=UTC), 0, LONDON) is None


def test_two_weeks_later_at_ten_in_the_morning_local_time():
    at = datetime(2026, 1, 5, 21, 30, tzinfo=UTC)
    assert next_reminder(at, 2, LONDON) == datetime(2026, 1, 19, 10, tzinfo=UTC)


def test_across_the_spring_dst_change_it_stays_at_ten_local():
    # 20 March is GMT; 3 April is BST (UTC+1): 10:00 local is 09:00 UTC.
    at = datetime(2026, 3, 20, 8, tzinfo=UTC)
    assert next_reminder(at, 2, LONDON) == datetime(2026, 4, 3, 9, tzinfo=UTC)


def test_across_the_autumn_dst_change_in_new_york():
    # 20 October is EDT (UTC-4); 17 November is EST (UTC-5).
    at = datetime(2026, 10, 20, 14, tzinfo=UTC)
    assert next_reminder(at, 4, NEW_YORK) == datetime(2026, 11, 17, 15, tzinfo=UTC)


def test_the_local_date_counts_not_the_utc_date():
    # 23:30 in New York on 1 June is already 2 June in UTC.
    at = datetime(2026, 6, 2, 3, 30, tzinfo=UTC)
    assert next_reminder(at, 2, NEW_YORK) == datetime(2026, 6, 15, 14, tzinfo=UTC)


def test_the_reminder_text_never_names_a_questionnaire():
    text = str(REMINDER_TEXT)
    assert text == "A moment for you?"
    for name in ("GAD", "PHQ", "anxiety", "depress", "mood"):
        assert name.lower() not in text.lower()


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 3, 20, 8, tzinfo=UTC), tick=False)
def test_choosing_a_reminder_stores_the_due_time(cast):
    client = cast.client_for(cast.parent)
    url = reverse("wellbeing:reminder", args=[cast.household.pk])
    page = client.get(url).content.decode()
    assert "A moment for you?" in page
    response = client.post(url, {"every_weeks": "2"})
    assert response.status_code == 302
    reminder = Reminder.objects.get(owner=cast.parent)
    assert reminder.every_weeks == 2
    assert reminder.next_reminder_at == datetime(2026, 4, 3, 9, tzinfo=UTC)
    assert 'value="2" id="id_every_weeks_1" checked' in client.get(url).content.decode()


@pytest.mark.django_db
def test_turning_it_off_clears_the_due_time(cast):
    client = cast.client_for(cast.parent)
    url = reverse("wellbeing:reminder", args=[cast.household.pk])
    client.post(url, {"every_weeks": "4"})
    client.post(url, {"every_weeks": ""})
    reminder = Reminder.objects.get(owner=cast.parent)
    assert reminder.every_weeks is None
    assert reminder.next_reminder_at is None


@pytest.mark.django_db
def test_an_unknown_interval_is_refused_next_to_the_field(cast):
    client = cast.client_for(cast.parent)
    url = reverse("wellbeing:reminder", args=[cast.household.pk])
    response = client.post(url, {"every_weeks": "1"})
    assert response.status_code == 200
    assert "field__error" in response.content.decode()
    assert not Reminder.objects.exists()


@pytest.mark.django_db
def test_taking_a_check_moves_the_next_reminder_on(cast):
    with time_machine.travel(datetime(2026, 1, 5, 12, tzinfo=UTC), tick=False):
        cast.client_for(cast.parent).post(
            reverse("wellbeing:reminder", args=[cast.household.pk]), {"every_weeks": "4"}
        )
    assert Reminder.objects.get().next_reminder_at == datetime(2026, 2, 2, 10, tzinfo=UTC)
    take(cast.parent, Check.GAD7, [0] * 7, datetime(2026, 1, 20, 12, tzinfo=UTC))
    assert Reminder.objects.get().next_reminder_at == datetime(2026, 2, 17, 10, tzinfo=UTC)


@pytest.mark.django_db
def test_a_check_without_a_reminder_creates_none(cast):
    take(cast.parent, Check.GAD7, [0] * 7)
    assert not Reminder.objects.exists()


@pytest.mark.django_db
def test_the_due_index_is_partial():
    [index] = [i for i in Reminder._meta.indexes if i.name == "wellbeing_reminder_due"]
    assert index.fields == ["next_reminder_at"]
    assert index.condition is not None
