"""Sensitive changes ask for the password again when the last one is not recent."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from backsoon.testing.fixtures import PASSWORD

REAUTH = reverse("account_reauthenticate")


def sensitive_requests(cast) -> list[tuple[str, str, dict]]:
    household = cast.household.pk
    return [
        ("post", reverse("account_email"), {"action_add": "", "email": "new@example.org"}),
        ("get", reverse("mfa_activate_totp"), {}),
        ("get", reverse("mfa_add_webauthn"), {}),
        ("get", reverse("mfa_generate_recovery_codes"), {}),
        (
            "post",
            reverse("api_pages:token_new", args=[household]),
            {"name": "Home Assistant", "access": "read", "acts_as": "me"},
        ),
        ("post", reverse("api_pages:account_delete"), {"understood": "on"}),
    ]


@pytest.mark.parametrize("index", range(6))
def test_a_sensitive_change_asks_for_the_password_first(cast, index):
    method, url, data = sensitive_requests(cast)[index]
    client = cast.client_for(cast.parent)  # a session from long ago: no recent password
    response = getattr(client, method)(url, data)
    assert response.status_code == 302 and response["Location"].startswith(REAUTH), url
    cast.parent.user.refresh_from_db()
    assert cast.parent.user.emailaddress_set.count() == 1
    confirmed = client.post(response["Location"], {"password": PASSWORD})
    # allauth then carries on with what was asked (replaying a POST) or goes back to it.
    assert confirmed.status_code in (200, 302)
    assert "Confirm it's you" not in confirmed.content.decode()
    again = getattr(client, method)(url, data)
    assert not again.get("Location", "").startswith(REAUTH), url


def test_changing_the_password_needs_the_current_one(cast):
    client = cast.client_for(cast.parent)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "not-it",
            "password1": "a-new-long-pass-77",
            "password2": "a-new-long-pass-77",
        },
    )
    assert response.status_code == 200
    cast.parent.user.refresh_from_db()
    assert cast.parent.user.check_password(PASSWORD)


def test_a_wrong_password_does_not_confirm(cast):
    client = cast.client_for(cast.parent)
    client.get(reverse("mfa_activate_totp"))
    wrong = client.post(REAUTH, {"password": "not-it"})
    assert wrong.status_code == 200
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(REAUTH)


def test_confirming_lasts_a_few_minutes(cast):
    client = cast.client_for(cast.parent)
    with time_machine.travel("2026-11-22 12:00:00+00:00", tick=False):
        client.post(REAUTH, {"password": PASSWORD})
        assert client.get(reverse("mfa_activate_totp")).status_code == 200
    with time_machine.travel("2026-11-22 12:04:30+00:00", tick=False):
        assert client.get(reverse("mfa_activate_totp")).status_code == 200
    with time_machine.travel("2026-11-22 12:05:30+00:00", tick=False):
        assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(REAUTH)
