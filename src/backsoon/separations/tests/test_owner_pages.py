"""The leaving parent's own pages: feelings before, and notes across separations."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from backsoon.separations.models import ParentMessage, Separation, SeparationPrivate
from backsoon.separations.tests.factories import make_separation


def test_before_the_parent_notes_worry_fear_and_the_messages_they_aim_for(cast):
    separation = make_separation(
        cast, status=Separation.Status.PLANNED, starts_at=timezone.now() + timedelta(hours=1)
    )
    url = reverse("separations:before", args=[cast.household.pk, separation.pk])
    client = cast.client_for(cast.parent)
    assert "only you see it" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "worry_before": "7",
            "fear": "She won't nap",
            "fear_likelihood": "60",
            "messages_aim": "2",
        },
    )
    assert response["Location"] == reverse(
        "separations:detail", args=[cast.household.pk, separation.pk]
    )
    private = SeparationPrivate.objects.get(separation=separation)
    assert (private.worry_before, private.fear, private.fear_likelihood, private.messages_aim) == (
        7,
        "She won't nap",
        60,
        2,
    )
    bad = client.post(
        url, {"worry_before": "12", "fear_likelihood": "55", "messages_aim": "x", "fear": "kept"}
    )
    assert bad.status_code == 200 and "kept" in bad.content.decode()


def test_once_away_the_before_page_is_closed(cast):
    separation = make_separation(cast)
    response = cast.client_for(cast.parent).get(
        reverse("separations:before", args=[cast.household.pk, separation.pk])
    )
    assert response["Location"] == reverse("separations:mine", args=[cast.household.pk])


def test_your_notes_count_messages_but_never_one_after_a_missed_update(cast):
    separation = make_separation(
        cast,
        status=Separation.Status.BACK,
        private={"worry_before": 8, "worry_worst": 9, "worry_after": 3, "messages_aim": 1},
    )
    ParentMessage.objects.create(separation=separation, owner=cast.parent)
    ParentMessage.objects.create(separation=separation, owner=cast.parent, after_missed_update=True)
    html = (
        cast.client_for(cast.parent)
        .get(reverse("separations:mine", args=[cast.household.pk]))
        .content.decode()
    )
    assert "8 · 9 · 3" in html
    assert "1 message sent (you aimed for 1)" in html


def test_a_caregiver_has_no_notes_page(cast):
    assert (
        cast.client_for(cast.caregiver)
        .get(reverse("separations:mine", args=[cast.household.pk]))
        .status_code
        == 404
    )
