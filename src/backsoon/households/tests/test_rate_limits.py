"""Rate limits on logging in, password resets, invitations and caregiver links.

Behind a proxy, the limit keys on the address our proxy saw, however a client dresses up
X-Forwarded-For.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.urls import reverse

from backsoon.households.models import CaregiverLink, Invitation
from backsoon.households.tests.test_caregiver_links import make_link, token_from
from backsoon.households.tests.test_invitations import invite, link_from
from backsoon.testing.fixtures import PASSWORD

PROXY = "10.0.0.2"  # our own reverse proxy: every request arrives from it
TOO_MANY = "a lot of tries in a short time"


@pytest.fixture
def behind_one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    return settings


def through_proxy(real_ip: str, spoofed: str = "") -> Client:
    """A client whose request passed our proxy, which appended the address it saw."""
    forwarded = f"{spoofed}, {real_ip}" if spoofed else real_ip
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def failed_login(client: Client, email: str) -> str:
    response = client.post(reverse("account_login"), {"login": email, "password": "wrong-password"})
    assert response.status_code == 200  # the form again, never a 500
    return response.content.decode()


class CountingHasher(MD5PasswordHasher):
    """The suite's fast hasher, counting how often a password is hashed or checked."""

    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


def test_failed_logins_are_limited_per_real_address_whatever_the_client_forwards(
    cast, behind_one_proxy
):
    for attempt in range(10):
        client = through_proxy("203.0.113.7", spoofed=f"198.18.0.{attempt}")
        assert TOO_MANY not in failed_login(client, f"nobody{attempt}@example.org")
    blocked = through_proxy("203.0.113.7", spoofed="198.18.0.99")
    assert TOO_MANY in failed_login(blocked, "someone@example.org")
    # The right password from that address waits too; another address is not held up.
    right = blocked.post(
        reverse("account_login"), {"login": "maya@example.org", "password": PASSWORD}
    )
    assert right.status_code == 200 and TOO_MANY in right.content.decode()
    other = through_proxy("198.51.100.20")
    assert TOO_MANY not in failed_login(other, "someone@example.org")


def test_without_a_proxy_forwarded_for_is_ignored(cast):
    for attempt in range(10):
        client = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"198.18.0.{attempt}")
        assert TOO_MANY not in failed_login(client, f"nobody{attempt}@example.org")
    client = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.18.0.200")
    assert TOO_MANY in failed_login(client, "someone@example.org")


def test_guessing_one_persons_password_is_slow_from_any_address(cast, behind_one_proxy):
    for attempt in range(5):
        client = through_proxy(f"203.0.113.{attempt}")
        assert TOO_MANY not in failed_login(client, "maya@example.org")
    assert TOO_MANY in failed_login(through_proxy("203.0.113.200"), "MAYA@example.org")


def test_a_login_checks_one_password_hash_whether_or_not_the_account_exists(cast, settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    cast.parent.user.set_password(PASSWORD)
    cast.parent.user.save()
    counts = {}
    for email in ("maya@example.org", "nobody@example.org"):
        CountingHasher.calls = 0
        failed_login(Client(), email)
        counts[email] = CountingHasher.calls
    assert counts == {"maya@example.org": 1, "nobody@example.org": 1}


def test_a_request_that_skipped_a_proxy_is_keyed_on_its_own_address(cast, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    client = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.18.0.1")
    assert TOO_MANY not in failed_login(client, "nobody@example.org")


def test_a_password_reset_answers_the_same_for_an_unknown_address(cast):
    url = reverse("account_reset_password")
    known = Client().post(url, {"email": "maya@example.org"})
    unknown = Client().post(url, {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_password_reset_requests_are_limited(cast, behind_one_proxy):
    url = reverse("account_reset_password")
    for attempt in range(5):
        client = through_proxy(f"203.0.113.{attempt}", spoofed="198.18.0.1")
        assert client.post(url, {"email": "maya@example.org"}).status_code == 302
    response = through_proxy("203.0.113.50").post(url, {"email": "maya@example.org"})
    assert response.status_code == 429
    assert "try again in a few minutes" in response.content.decode()


@pytest.mark.parametrize("route", ["households:accept", "households:link_open"])
def test_guessing_tokens_is_stopped_per_real_address(cast, behind_one_proxy, route):
    real = make_link(cast) if route == "households:link_open" else invite(cast)
    token = (
        token_from(real)
        if route == "households:link_open"
        else link_from(real).strip("/").split("/")[-1]
    )
    for attempt in range(20):
        client = through_proxy("203.0.113.7", spoofed=f"198.18.0.{attempt}")
        response = client.get(reverse(route, args=[f"guess-{attempt:04d}-aaaaaaaaaaaa"]))
        assert response.status_code == 404
    guesser = through_proxy("203.0.113.7", spoofed="198.18.9.9")
    # Over the limit even the right token is refused, so a guess learns nothing.
    refused = guesser.get(reverse(route, args=[token]))
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 15 * 60
    assert "try again in a few minutes" in refused.content.decode()
    assert guesser.get(reverse(route, args=["another-guess-aaaaaaaaaa"])).status_code == 429
    assert through_proxy("198.51.100.20").get(reverse(route, args=[token])).status_code == 200


def test_a_valid_token_does_not_count_as_a_guess(cast, behind_one_proxy):
    token = token_from(make_link(cast))
    client = through_proxy("203.0.113.7")
    for _ in range(25):
        assert client.get(reverse("households:link_open", args=[token])).status_code == 200


def test_a_parent_can_share_only_so_much_in_an_hour(cast, settings):
    settings.SHARE_CREATE_LIMIT = (3, 3600)
    for number in range(3):
        invite(cast, display_name=f"Friend {number}", email="")
    response = invite(cast, display_name="One more", email="")
    html = response.content.decode()
    assert response.status_code == 200 and "shared a lot in the last hour" in html
    assert 'value="One more"' in html  # what was typed is kept
    assert Invitation.objects.count() == 3
    refused = make_link(cast, name="Grandpa Joe")
    assert "shared a lot in the last hour" in refused.content.decode()
    assert not CaregiverLink.objects.exists()
    # The partner has an hour of their own.
    partner = cast.client_for(cast.partner)
    response = partner.post(
        reverse("households:links", args=[cast.household.pk]),
        {"name": "Grandpa Joe", "phone": "", "expires_on": ""},
    )
    assert CaregiverLink.objects.count() == 1, response.content.decode()[:500]
