"""The urge pages: tap, wait (or not), three endings, each recorded once, nothing blocked."""

from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import pytest
import time_machine
from django.urls import reverse

from backsoon.coping.models import Urge
from backsoon.coping.tests.factories import make_kit, make_strengths, make_urge
from backsoon.notify.tests.factories import add_email
from backsoon.pwa import OFFLINE_HEADER
from backsoon.separations.caregiver import emergency_info
from backsoon.separations.models import ParentMessage, Separation
from backsoon.separations.schedule import AgreedSpec
from backsoon.separations.tests.factories import make_separation

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)  # 13:00 in London


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def new_url(cast, separation):
    return reverse("coping:urge_new", args=[cast.household.pk, separation.pk])


def urge_url(cast, urge):
    return reverse("coping:urge", args=[cast.household.pk, urge.pk])


def tap(cast, separation, kind="check"):
    response = cast.client_for(cast.parent).post(new_url(cast, separation), {"kind": kind})
    assert response.status_code == 302
    return Urge.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[1])


def test_the_away_page_offers_both_urges_to_the_leaver_only(cast):
    separation = make_separation(cast)
    away = reverse("separations:away", args=[cast.household.pk, separation.pk])
    html = cast.client_for(cast.parent).get(away).content.decode()
    assert "I want to check" in html and "I want to go home" in html
    assert new_url(cast, separation) in html
    assert reverse("coping:grounding", args=[cast.household.pk]) in html
    partner = cast.client_for(cast.partner).get(away).content.decode()
    assert "I want to check" not in partner and new_url(cast, separation) not in partner


def test_forty_five_minutes_in_the_offer_is_twenty_minutes(cast):
    separation = make_separation(cast, starts_at=NOW - timedelta(minutes=45), minutes=120)
    urge = tap(cast, separation)
    assert (urge.kind, urge.owner, urge.created_at) == ("check", cast.parent, NOW)
    html = cast.client_for(cast.parent).get(urge_url(cast, urge)).content.decode()
    assert (
        cast.client_for(cast.parent).get(urge_url(cast, urge)).context["form"]["minutes"].value()
        == "20"
    )
    assert "Wait with me" in html and "It passed" in html and "Send my one message" in html
    assert "That's the" not in html


def test_a_15_minute_practice_offers_the_10_minutes_left(cast):
    separation = make_separation(cast, starts_at=NOW - timedelta(minutes=5), minutes=15)
    urge = tap(cast, separation)
    response = cast.client_for(cast.parent).get(urge_url(cast, urge))
    form = response.context["form"]
    assert response.context["offered"] == 10
    assert form["minutes"].value() == "10"
    assert [c for c, _ in form.fields["minutes"].choices] == ["5", "10"]
    assert "That's the 10 minutes left before you're due back." in response.content.decode()


def test_waiting_shows_a_clock_time_and_no_ticking_seconds(cast):
    separation = make_separation(cast, starts_at=NOW - timedelta(minutes=45), minutes=120)
    make_kit(cast.parent, real_lines="My baby is safe with Ana.")
    make_strengths(cast.parent, cast.caregiver, "Ana sings to her.")
    urge = tap(cast, separation)
    client = cast.client_for(cast.parent)
    response = client.post(
        urge_url(cast, urge), {"action": "wait", "minutes": "20", "strength": "7"}
    )
    assert response.status_code == 302
    urge.refresh_from_db()
    assert (urge.started_at, urge.wait_minutes, urge.strength_before) == (NOW, 20, 7)
    response = client.get(urge_url(cast, urge))
    html = response.content.decode()
    assert "Waiting until about 13:20" in html
    assert "My baby is safe with Ana." in html and "Ana sings to her." in html
    assert "Box breathing" in html and "Five things you can see." in html
    assert 'aria-live="polite"' in html and "data-pacer" in html
    assert "13:20:00" not in html.replace('data-wait-end="2026-06-01T13:20:00+01:00"', "")
    assert response[OFFLINE_HEADER] == "1"


def test_leaving_and_coming_back_resumes_the_wait(cast, frozen):
    separation = make_separation(cast, starts_at=NOW - timedelta(minutes=45), minutes=120)
    urge = tap(cast, separation)
    client = cast.client_for(cast.parent)
    client.post(urge_url(cast, urge), {"action": "wait", "minutes": "20"})
    frozen.shift(timedelta(minutes=8))
    # Back on the away page, the same tap (either one) takes her to the same wait.
    assert tap(cast, separation, "home").pk == urge.pk
    # A second "wait" (another tab, a double tap) never restarts it.
    client.post(urge_url(cast, urge), {"action": "wait", "minutes": "20"})
    urge.refresh_from_db()
    assert (urge.started_at, urge.wait_minutes, urge.kind) == (NOW, 20, "check")
    html = client.get(urge_url(cast, urge)).content.decode()
    assert "Waiting until about 13:20" in html and "wait-end--over" not in html
    frozen.shift(timedelta(minutes=12))
    html = client.get(urge_url(cast, urge)).content.decode()
    assert 'wait-end--over"' in html and ">Your wait is over. How is it now?</p>" in html


def test_the_wait_is_capped_at_the_time_left_even_if_more_is_asked(cast):
    separation = make_separation(cast, starts_at=NOW - timedelta(minutes=5), minutes=15)
    urge = tap(cast, separation)
    client = cast.client_for(cast.parent)
    response = client.post(urge_url(cast, urge), {"action": "wait", "minutes": "30"})
    assert response.status_code == 200  # 30 is not one of the choices on a 15-minute practice
    assert "Choose one of the lengths shown" in response.content.decode()
    urge.refresh_from_db()
    assert urge.started_at is None


@pytest.mark.parametrize("outcome", ["passed", "carried_on"])
def test_an_ending_is_recorded_once_with_how_long_was_waited(cast, frozen, outcome):
    separation = make_separation(cast, starts_at=NOW - timedelta(minutes=45), minutes=120)
    urge = tap(cast, separation)
    client = cast.client_for(cast.parent)
    client.post(urge_url(cast, urge), {"action": "wait", "minutes": "20", "strength": "8"})
    frozen.shift(timedelta(minutes=13))
    response = client.post(urge_url(cast, urge), {"action": outcome, "strength_after": "3"})
    assert response.status_code == 302 and response["Location"] == urge_url(cast, urge)
    frozen.shift(timedelta(minutes=1))
    client.post(urge_url(cast, urge), {"action": "message"})  # too late: it has ended
    urge.refresh_from_db()
    assert urge.outcome == outcome and urge.ended_at == NOW + timedelta(minutes=13)
    assert (urge.waited_seconds, urge.strength_before, urge.strength_after) == (780, 8, 3)
    assert not ParentMessage.objects.exists()
    html = client.get(urge_url(cast, urge)).content.decode()
    assert "Noted" in html and "You waited 13 minutes first." in html


def test_send_my_one_message_opens_messages_and_counts_once(cast):
    cast.caregiver.phone = "+44 7700 900456"
    cast.caregiver.save()
    separation = make_separation(cast, starts_at=NOW - timedelta(minutes=45), minutes=120)
    urge = tap(cast, separation)
    client = cast.client_for(cast.parent)
    response = client.post(urge_url(cast, urge), {"action": "message", "strength": "9"})
    assert response.status_code == 302
    assert unquote(response["Location"]) == "sms:+44 7700 900456?body=How are things going?"
    # A second tap (the form sent twice) records nothing more.
    assert client.post(urge_url(cast, urge), {"action": "message"})["Location"] == urge_url(
        cast, urge
    )
    urge.refresh_from_db()
    message = ParentMessage.objects.get()
    assert (urge.outcome, urge.message, urge.strength_before) == ("message", message, 9)
    assert urge.waited_seconds == 0 and not urge.more_than_planned


def test_more_messages_than_planned_are_allowed_and_noted_kindly(cast):
    separation = make_separation(
        cast, starts_at=NOW - timedelta(minutes=45), minutes=120, private={"messages_aim": 1}
    )
    client = cast.client_for(cast.parent)
    first = tap(cast, separation)
    client.post(urge_url(cast, first), {"action": "message"})
    second = tap(cast, separation)
    assert second.pk != first.pk
    html = client.get(urge_url(cast, second)).content.decode()
    assert "You've sent the messages you planned. Another is fine" in html
    client.post(urge_url(cast, second), {"action": "message"})
    second.refresh_from_db()
    assert second.outcome == "message" and second.more_than_planned
    assert ParentMessage.objects.count() == 2
    html = client.get(urge_url(cast, second)).content.decode()
    assert "more than you planned. That's allowed" in html
    for word in ("fail", "over budget", "too many", "limit"):
        assert word not in html.lower()


def test_a_message_after_a_missed_agreed_update_never_counts_as_more(cast):
    separation = make_separation(
        cast,
        starts_at=NOW - timedelta(minutes=45),
        minutes=120,
        private={"messages_aim": 0},
        agreed=[AgreedSpec("all_good", offset_minutes=30)],
    )
    urge = tap(cast, separation)
    cast.client_for(cast.parent).post(urge_url(cast, urge), {"action": "message"})
    urge.refresh_from_db()
    assert urge.message.after_missed_update and not urge.more_than_planned


def test_no_phone_number_means_the_usual_messaging_app(cast):
    separation = make_separation(cast, starts_at=NOW - timedelta(minutes=45), minutes=120)
    urge = tap(cast, separation)
    client = cast.client_for(cast.parent)
    page = client.get(urge_url(cast, urge)).content.decode()
    assert "send it from the messaging app you usually use" in page
    response = client.post(urge_url(cast, urge), {"action": "message"})
    assert response["Location"] == urge_url(cast, urge)
    html = client.get(urge_url(cast, urge)).content.decode()
    assert "How are things going?" in html and "messaging app you usually use" in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"action": "wait", "minutes": "20", "strength": "11"}, "strength", "from 0 to 10"),
        ({"action": "wait", "strength": "6"}, "minutes", "Choose how long"),
        ({"action": "wait", "minutes": "abc", "strength": "6"}, "minutes", "lengths shown"),
        ({"minutes": "20", "strength": "6"}, "action", "choose a button"),
        ({"action": "panic", "minutes": "20", "strength": "6"}, "action", "choose a button"),
    ],
)
def test_bad_input_is_explained_beside_its_field_and_keeps_the_values(cast, data, field, message):
    separation = make_separation(cast, starts_at=NOW - timedelta(minutes=45), minutes=120)
    urge = tap(cast, separation)
    response = cast.client_for(cast.parent).post(urge_url(cast, urge), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors and message.lower() in str(form.errors[field]).lower()
    html = response.content.decode()
    if field != "action":
        assert f'id="id_{field}_error"' in html
    if field != "strength" and "strength" in data:
        assert 'value="6" selected' in html
    urge.refresh_from_db()
    assert urge.started_at is None and urge.ended_at is None


def test_bad_input_while_waiting_is_explained_too(cast):
    separation = make_separation(cast, starts_at=NOW - timedelta(minutes=45), minutes=120)
    urge = tap(cast, separation)
    client = cast.client_for(cast.parent)
    client.post(urge_url(cast, urge), {"action": "wait", "minutes": "20"})
    response = client.post(urge_url(cast, urge), {"action": "passed", "strength_after": "11"})
    assert response.status_code == 200
    assert 'id="id_strength_after_error"' in response.content.decode()
    urge.refresh_from_db()
    assert urge.ended_at is None


def test_an_unknown_kind_is_an_urge_to_check(cast):
    separation = make_separation(cast)
    assert tap(cast, separation, kind="<script>").kind == "check"


def test_the_real_emergency_is_one_tap_away_with_the_agreement_beside_it(cast):
    from backsoon.caresheets.models import Sheet

    Sheet.objects.create(
        household=cast.household,
        kind=Sheet.Kind.AGREEMENT,
        content={"call_now": {"items": ["She has trouble breathing"]}},
    )
    emergency_info(cast.household)
    cast.caregiver.phone = "+44 7700 900456"
    cast.caregiver.save()
    separation = make_separation(cast, starts_at=NOW - timedelta(minutes=45), minutes=120)
    urge = tap(cast, separation)
    html = cast.client_for(cast.parent).get(urge_url(cast, urge)).content.decode()
    assert 'href="tel:+447700900456"' in html and "Call Grandma Ana" in html
    assert "You agreed Grandma Ana calls you right away if:" in html
    assert "She has trouble breathing" in html


def test_the_buzz_needs_a_channel_else_the_open_page_vibrates(cast):
    separation = make_separation(cast, starts_at=NOW - timedelta(minutes=45), minutes=120)
    client = cast.client_for(cast.parent)
    first = tap(cast, separation)
    client.post(urge_url(cast, first), {"action": "wait", "minutes": "20", "buzz": "on"})
    first.refresh_from_db()
    assert first.buzz and first.buzz_at is None  # nothing would carry it
    html = client.get(urge_url(cast, first)).content.decode()
    assert "keep this page open — it will vibrate at about 13:20" in html
    assert 'data-buzz="1"' in html
    client.post(urge_url(cast, first), {"action": "passed"})

    add_email(cast.parent, "maya@example.org")
    second = tap(cast, separation)
    client.post(urge_url(cast, second), {"action": "wait", "minutes": "15", "buzz": "on"})
    second.refresh_from_db()
    assert second.buzz_at == NOW + timedelta(minutes=15)
    assert "we'll buzz you at about 13:15" in client.get(urge_url(cast, second)).content.decode()
    client.post(urge_url(cast, second), {"action": "passed"})
    second.refresh_from_db()
    assert second.buzz_at is None, "an ended wait is never buzzed"


def test_no_urge_once_the_time_apart_is_over(cast):
    separation = make_separation(cast, status=Separation.Status.BACK)
    response = cast.client_for(cast.parent).post(new_url(cast, separation), {"kind": "check"})
    assert response.status_code == 302 and not Urge.objects.exists()


def test_an_open_urge_after_coming_home_can_still_be_ended(cast):
    separation = make_separation(cast, starts_at=NOW - timedelta(minutes=45), minutes=120)
    urge = make_urge(separation)
    separation.status, separation.back_at = Separation.Status.BACK, NOW
    separation.save()
    client = cast.client_for(cast.parent)
    response = client.get(urge_url(cast, urge))
    assert "no wait to offer" in response.content.decode()
    client.post(urge_url(cast, urge), {"action": "passed"})
    urge.refresh_from_db()
    assert urge.outcome == "passed"


def test_your_urges_list_them_calmly(cast):
    separation = make_separation(cast, starts_at=NOW - timedelta(minutes=45), minutes=120)
    make_urge(
        separation,
        strength_before=8,
        strength_after=2,
        started_at=NOW,
        wait_minutes=20,
        ended_at=NOW + timedelta(minutes=20),
        outcome="passed",
        waited_seconds=1200,
    )
    make_urge(separation, kind="home", ended_at=NOW, outcome="message", more_than_planned=True)
    html = (
        cast.client_for(cast.parent)
        .get(reverse("coping:urges", args=[cast.household.pk]))
        .content.decode()
    )
    assert "Wanted to check · strength 8 → 2" in html and "waited 20 minutes" in html
    assert "it passed" in html and "more than planned" in html


def test_a_wait_across_the_clock_change_is_real_minutes_shown_on_the_new_clock(cast, frozen):
    # 25 Oct 2026, London: 01:50 BST is 00:50 UTC; at 01:00 UTC the clocks go back to 01:00.
    frozen.move_to(datetime(2026, 10, 25, 0, 50, tzinfo=UTC))
    separation = make_separation(cast, minutes=120)
    urge = tap(cast, separation)
    client = cast.client_for(cast.parent)
    client.post(urge_url(cast, urge), {"action": "wait", "minutes": "20"})
    urge.refresh_from_db()
    assert urge.state(separation.expected_back).wait_ends_at == datetime(
        2026, 10, 25, 1, 10, tzinfo=UTC
    )
    assert "Waiting until about 01:10" in client.get(urge_url(cast, urge)).content.decode()
