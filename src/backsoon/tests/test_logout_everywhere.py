""" "Log out everywhere" ends every session of the person, on every device."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from backsoon.testing.fixtures import PASSWORD


def logged_in(email: str, agent: str) -> Client:
    client = Client(HTTP_USER_AGENT=agent)
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def is_in(client: Client) -> bool:
    return client.get(reverse("households:new")).status_code == 200


def test_logging_out_everywhere_ends_the_other_phones_session_too(cast):
    phone = logged_in("maya@example.org", "Phone")
    laptop = logged_in("maya@example.org", "Laptop")
    partner = logged_in("sam@example.org", "Sam's phone")
    assert is_in(phone) and is_in(laptop)

    response = laptop.post(reverse("logout_everywhere"))

    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert not is_in(laptop)
    assert not is_in(phone)
    assert is_in(partner)  # only Maya's sessions end
    assert "logged out everywhere" in laptop.get(reverse("account_login")).content.decode()


def test_the_button_is_in_the_account_settings(cast):
    client = logged_in("maya@example.org", "Phone")
    html = client.get(reverse("account_email")).content.decode()
    assert f'action="{reverse("logout_everywhere")}"' in html and "Log out everywhere" in html
    assert reverse("mfa_index") in html and reverse("usersessions_list") in html


def test_it_takes_a_post(cast):
    client = logged_in("maya@example.org", "Phone")
    assert client.get(reverse("logout_everywhere")).status_code == 405
    assert is_in(client)
