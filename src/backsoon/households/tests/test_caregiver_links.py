from datetime import timedelta

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backsoon.households.models import CaregiverLink, hash_token


def make_link(cast, **data):
    client = cast.client_for(cast.parent)
    payload = {"name": "Grandma Ana", "phone": "", "expires_on": ""} | data
    return client.post(reverse("households:links", args=[cast.household.pk]), payload)


def token_from(response) -> str:
    html = response.content.decode()
    start = html.index('value="http://testserver/c/') + len('value="http://testserver/c/')
    return html[start : html.index("/", start)]


def test_a_parent_makes_a_link_and_only_its_hash_is_kept(cast):
    response = make_link(cast, phone="07400 123456")
    token = token_from(response)
    link = CaregiverLink.objects.get()
    assert link.token_hash == hash_token(token) and len(token) >= 22
    assert link.phone == "+447400123456"
    html = response.content.decode()
    assert "sms:+447400123456?body=" in html and "data:image/svg+xml" in html


def test_bad_link_input_keeps_what_was_typed(cast):
    with time_machine.travel("2026-11-22 12:00:00+00:00", tick=False):
        response = make_link(cast, phone="12", expires_on="2026-11-01")
    html = response.content.decode()
    assert "phone number" in html and "already passed" in html and 'value="Grandma Ana"' in html
    assert not CaregiverLink.objects.exists()


def test_opening_a_link_takes_a_post_so_previews_change_nothing(cast):
    token = token_from(make_link(cast))
    client = Client()
    page = client.get(reverse("households:link_open", args=[token]))
    assert page.status_code == 200
    assert "What Back Soon keeps about you" in page.content.decode()
    link = CaregiverLink.objects.get()
    assert link.first_opened_at is None and link.last_used_at is None
    care = reverse("caresheets:care", args=[cast.household.pk])
    assert client.get(care).status_code == 302  # not yet opened: no access
    response = client.post(reverse("households:link_open", args=[token]), {"action": "open"})
    assert response["Location"] == care
    assert client.get(care).status_code == 200
    link.refresh_from_db()
    assert link.first_opened_at is not None and link.last_used_at is not None


def test_revoking_takes_effect_at_once(cast):
    token = token_from(make_link(cast))
    client = Client()
    client.post(reverse("households:link_open", args=[token]))
    care = reverse("caresheets:care", args=[cast.household.pk])
    assert client.get(care).status_code == 200
    link = CaregiverLink.objects.get()
    cast.client_for(cast.parent).post(
        reverse("households:link_revoke", args=[cast.household.pk, link.pk])
    )
    gone = client.get(care)
    assert gone.status_code == 410 and gone["Clear-Site-Data"]
    reopened = client.post(reverse("households:link_open", args=[token]))
    assert reopened.status_code == 410 and "stopped it" in reopened.content.decode()


def test_an_expired_or_forged_link_gives_a_clear_page(cast):
    token = token_from(
        make_link(cast, expires_on=(timezone.localdate() + timedelta(days=1)).isoformat())
    )
    with time_machine.travel(timezone.now() + timedelta(days=3), tick=False):
        expired = Client().get(reverse("households:link_open", args=[token]))
    assert expired.status_code == 410 and "has passed" in expired.content.decode()
    forged = Client().get(reverse("households:link_open", args=["A" * 43]))
    assert forged.status_code == 404 and "recognise" in forged.content.decode()


def test_the_person_on_the_link_can_stop_it(cast):
    token = token_from(make_link(cast))
    client = Client()
    client.post(reverse("households:link_open", args=[token]))
    response = client.post(
        reverse("households:link_about", args=[cast.household.pk]), {"action": "stop"}
    )
    assert response.status_code == 410 and response["Clear-Site-Data"]
    link = CaregiverLink.objects.get()
    assert link.revoked_at and link.stopped_by_caregiver
    assert client.get(reverse("caresheets:care", args=[cast.household.pk])).status_code == 302
    listing = cast.client_for(cast.parent).get(
        reverse("households:links", args=[cast.household.pk])
    )
    assert "stopped by them" in listing.content.decode()


def test_a_link_subject_sees_the_care_view_not_the_dashboard(cast):
    token = token_from(make_link(cast))
    client = Client()
    client.post(reverse("households:link_open", args=[token]))
    response = client.get(reverse("households:dashboard", args=[cast.household.pk]))
    assert response["Location"] == reverse("caresheets:care", args=[cast.household.pk])


def test_the_link_pages_say_where_reminders_a_parent_set_up_go(cast):
    from backsoon.notify.tests.factories import add_email

    token = token_from(make_link(cast))
    link = CaregiverLink.objects.get()
    client = Client()
    about = reverse("households:link_about", args=[cast.household.pk])
    assert (
        "won't be sent anything"
        in client.get(reverse("households:link_open", args=[token])).content.decode()
    )
    client.post(reverse("households:link_open", args=[token]))
    assert "won't be sent anything" in client.get(about).content.decode()

    add_email(link, "ana@example.org")
    for page in (client.get(about), Client().get(reverse("households:link_open", args=[token]))):
        html = page.content.decode()
        assert "ana@example.org" in html and "won't be sent anything" not in html


def test_the_links_page_leads_to_each_working_links_reminders(cast):
    make_link(cast)
    working = CaregiverLink.objects.get()
    stopped, _token = CaregiverLink.create(
        household=cast.household, name="Old sitter", created_by=cast.parent
    )
    CaregiverLink.objects.filter(pk=stopped.pk).update(revoked_at=timezone.now())
    client = cast.client_for(cast.parent)
    html = client.get(reverse("households:links", args=[cast.household.pk])).content.decode()
    reminders = reverse("notify:link_reminders", args=[cast.household.pk, working.pk])
    assert f'href="{reminders}"' in html and f"Reminders for {working.name}" in html
    assert "Reminders for Old sitter" not in html
    assert client.get(reminders).status_code == 200
