"""The caregiver's urgent path: the emergency number first, a confirmation, then the parent,
and the caregiver is told whether it got through. "Pressed by mistake" follows it up."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from backsoon.caresheets.models import Sheet
from backsoon.coping.models import UrgentCall
from backsoon.coping.tests.factories import make_call
from backsoon.notify.events import Event
from backsoon.notify.models import Delivery, Notification, OutboxEmail
from backsoon.notify.tests.factories import add_email
from backsoon.separations.models import Separation
from backsoon.separations.tests.factories import make_separation
from backsoon.separations.tests.test_caregiver import link_client

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def live(cast):
    cast.parent.phone = "+44 7700 900111"
    cast.parent.save()
    Sheet.objects.create(
        household=cast.household,
        kind=Sheet.Kind.AGREEMENT,
        content={"call_now": {"items": ["A fever over 38°C", "She won't wake properly"]}},
    )
    return make_separation(cast, starts_at=NOW - timedelta(minutes=30), minutes=120)


def care_now(cast):
    return reverse("separations:care_now", args=[cast.household.pk])


def urgent_url(cast, separation):
    return reverse("coping:urgent", args=[cast.household.pk, separation.pk])


def status_url(cast, call):
    return reverse("coping:urgent_status", args=[cast.household.pk, call.pk])


def send(cast, separation, client=None, key="key-1"):
    client = client or cast.client_for(cast.caregiver)
    response = client.post(urgent_url(cast, separation), {"confirm": "yes", "key": key})
    assert response.status_code == 302, response.status_code
    return UrgentCall.objects.get(key=key)


def test_the_panel_puts_the_emergency_number_first_and_the_agreement_beside(cast, live):
    html = cast.client_for(cast.caregiver).get(care_now(cast)).content.decode()
    first = html.index("Baby in danger? Call 999 first.")
    assert first < html.index("Urgent — please call me")
    assert 'href="tel:999"' in html
    assert "You agreed to call Maya right away if:" in html and "A fever over 38°C" in html
    assert "Crying and fussing are part of a normal day" in html
    assert 'href="tel:+44 7700 900111"' in html  # the panel's own "Call Maya"


def test_a_country_we_have_not_sourced_gets_no_invented_number(cast, live):
    cast.household.country = "ZZ"
    cast.household.save()
    html = cast.client_for(cast.caregiver).get(care_now(cast)).content.decode()
    assert "Baby in danger? Call your local emergency number first." in html
    assert 'href="tel:999"' not in html


def test_the_first_tap_only_asks_and_sends_nothing(cast, live):
    response = cast.client_for(cast.caregiver).post(urgent_url(cast, live))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Baby in danger? Call 999 first.") < html.index("Yes — ask Maya to call me")
    assert "A fever over 38°C" in html and 'name="confirm" value="yes"' in html
    assert not UrgentCall.objects.exists() and not Notification.objects.exists()


def test_confirming_sends_an_urgent_notification_to_every_channel(cast, live):
    chose_nothing = add_email(cast.parent, "maya@example.org", events=[])
    add_email(cast.parent, "off@example.org", enabled=False)
    add_email(cast.partner, "sam@example.org")
    call = send(cast, live)
    assert (call.caller_membership, call.caller_name, call.parent_name) == (
        cast.caregiver,
        "Grandma Ana",
        "Maya",
    )
    notification = call.notification
    assert (notification.kind, notification.urgent, notification.membership) == (
        Event.URGENT,
        True,
        cast.parent,
    )
    assert notification.not_before is None
    assert "Ana" not in notification.title + notification.body  # the lock screen stays neutral
    assert notification.url == reverse("coping:urgent_parent", args=[cast.household.pk, call.pk])
    assert [d.channel for d in Delivery.objects.all()] == [chose_nothing]


def test_the_same_confirmation_twice_is_one_call(cast, live):
    client = cast.client_for(cast.caregiver)
    send(cast, live, client)
    send(cast, live, client)
    assert UrgentCall.objects.count() == 1 and Notification.objects.count() == 1


def test_a_missing_key_is_a_400_not_a_500(cast, live):
    response = cast.client_for(cast.caregiver).post(urgent_url(cast, live), {"confirm": "yes"})
    assert response.status_code == 400 and not UrgentCall.objects.exists()


def test_with_no_channel_the_caregiver_is_told_to_call(cast, live):
    call = send(cast, live)
    html = cast.client_for(cast.caregiver).get(status_url(cast, call)).content.decode()
    assert "Couldn't reach Maya — please call." in html
    assert 'href="tel:+447700900111"' in html
    assert "hx-get" not in html and "Check again" not in html


def test_still_trying_polls_and_offers_check_again_then_says_sent(cast, live):
    add_email(cast.parent, "maya@example.org")
    call = send(cast, live)
    client = cast.client_for(cast.caregiver)
    html = client.get(status_url(cast, call)).content.decode()
    assert "Still trying…" in html and "Check again" in html
    assert f'hx-get="{status_url(cast, call)}"' in html and "every 4s" in html
    fragment = client.get(status_url(cast, call), HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<div id="urgent-status"') and "<html" not in fragment
    email = OutboxEmail.objects.create(
        message_id="<m1@example.org>",
        sender="a@example.org",
        recipients=["m"],
        raw=b"x",
        status=OutboxEmail.Status.SENT,
    )
    Delivery.objects.update(status=Delivery.Status.SENT, email=email)
    fragment = client.get(status_url(cast, call), HTTP_HX_REQUEST="true").content.decode()
    assert "Sent to Maya. They'll call you as soon as they see it." in fragment
    assert "hx-get" not in fragment, "the poll stops once it is settled"


def test_pressed_by_mistake_follows_up_once_on_the_same_topic(cast, live, frozen):
    add_email(cast.parent, "maya@example.org")
    call = send(cast, live)
    client = cast.client_for(cast.caregiver)
    frozen.shift(timedelta(minutes=1))
    mistake = reverse("coping:urgent_mistake", args=[cast.household.pk, call.pk])
    assert client.post(mistake).status_code == 302
    client.post(mistake)
    call.refresh_from_db()
    follow_up = call.mistake_notification
    assert call.mistake_at == NOW + timedelta(minutes=1)
    assert (follow_up.kind, follow_up.urgent, follow_up.topic) == (
        Event.ALL_CLEAR,
        True,
        call.notification.topic,
    )
    assert follow_up.body == "Sorry — the urgent call was pressed by mistake. All is fine."
    assert Notification.objects.count() == 2
    html = client.get(status_url(cast, call)).content.decode()
    assert "You told Maya it was pressed by mistake." in html
    assert "Pressed by mistake</button>" not in html


def test_both_are_recorded_and_the_parents_see_them_in_the_history(cast, live, frozen):
    call = send(cast, live)
    client = cast.client_for(cast.caregiver)
    client.post(reverse("coping:urgent_mistake", args=[cast.household.pk, call.pk]))
    Separation.objects.filter(pk=live.pk).update(status=Separation.Status.BACK, back_at=NOW)
    history = reverse("separations:history", args=[cast.household.pk])
    for parent in (cast.parent, cast.partner):
        html = cast.client_for(parent).get(history).content.decode()
        assert "Grandma Ana pressed the urgent button by mistake at 13:00 — all was fine." in html
    page = cast.client_for(cast.partner).get(
        reverse("coping:urgent_parent", args=[cast.household.pk, call.pk])
    )
    assert "Grandma Ana asked for a call" in page.content.decode()
    assert "pressed by mistake — all is fine." in page.content.decode()


def test_history_shows_a_real_call_and_counts_several(cast, live):
    make_call(live, key="a")
    make_call(live, key="b")
    Separation.objects.filter(pk=live.pk).update(status=Separation.Status.BACK, back_at=NOW)
    html = (
        cast.client_for(cast.parent)
        .get(reverse("separations:history", args=[cast.household.pk]))
        .content.decode()
    )
    assert "Grandma Ana asked for an urgent call at 13:00." in html
    assert "(2 urgent calls in all)" in html


def test_a_caregiver_link_can_call_too(cast, live):
    link, client = link_client(cast, "Sitter Lou")
    other = make_separation(
        cast, leaver=cast.partner, link=link, starts_at=NOW - timedelta(minutes=5), minutes=60
    )
    assert "Urgent — please call me" in client.get(care_now(cast)).content.decode()
    call = send(cast, other, client, key="lou")
    assert (call.caller_link, call.notification.membership) == (link, cast.partner)
    assert client.get(status_url(cast, call)).status_code == 200
    # Ana cannot see Lou's call, and Lou cannot call for a separation she doesn't care for.
    assert cast.client_for(cast.caregiver).get(status_url(cast, call)).status_code == 404
    assert client.post(urgent_url(cast, live), {"confirm": "yes", "key": "x"}).status_code == 404


def test_a_parent_opening_the_caregivers_page_gets_their_own_view(cast, live):
    call = send(cast, live)
    response = cast.client_for(cast.parent).get(status_url(cast, call))
    assert response["Location"] == reverse(
        "coping:urgent_parent", args=[cast.household.pk, call.pk]
    )


def test_no_button_once_the_parent_is_home(cast, live):
    Separation.objects.filter(pk=live.pk).update(status=Separation.Status.BACK, back_at=NOW)
    client = cast.client_for(cast.caregiver)
    assert "Urgent — please call me" not in client.get(care_now(cast)).content.decode()
    response = client.post(urgent_url(cast, live), {"confirm": "yes", "key": "k"})
    assert response.status_code == 302 and not UrgentCall.objects.exists()


def test_the_away_page_shows_the_call_through_its_poll(cast, live):
    add_email(cast.parent, "maya@example.org")
    away = reverse("separations:away", args=[cast.household.pk, live.pk])
    client = cast.client_for(cast.parent)
    poll = reverse("separations:poll", args=[cast.household.pk, live.pk])
    assert client.get(poll + "?after=0&note=0&call=0").status_code == 204
    send(cast, live)
    response = client.get(poll + "?after=0&note=0&call=0")
    assert response.status_code == 200
    assert "Grandma Ana asked you to call." in response.content.decode()
    assert "Grandma Ana asked you to call." in client.get(away).content.decode()


def test_the_away_page_says_all_is_fine_after_a_mistake(cast, live, frozen):
    call = send(cast, live)
    client = cast.client_for(cast.parent)
    poll = reverse("separations:poll", args=[cast.household.pk, live.pk])
    seen = f"?after=0&note=0&call={call.notification_id}"
    assert client.get(poll + seen).status_code == 204
    frozen.shift(timedelta(minutes=2))
    cast.client_for(cast.caregiver).post(
        reverse("coping:urgent_mistake", args=[cast.household.pk, call.pk])
    )
    html = client.get(poll + seen).content.decode()
    assert "Grandma Ana pressed the urgent button by mistake — all is fine." in html
    away = client.get(reverse("separations:away", args=[cast.household.pk, live.pk]))
    assert "by mistake — all is fine" in away.content.decode()
    assert "asked you to call" not in away.content.decode()
