"""Two-step verification: an authenticator app (TOTP), its secret kept encrypted."""

from __future__ import annotations

import sqlite3
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse

from backsoon import config
from backsoon.backup import make_backup, restore_backup
from backsoon.households.adapter import MFAAdapter
from backsoon.notify.models import OutboxEmail
from backsoon.testing.fixtures import PASSWORD
from backsoon.tests.test_account_pages import outbox_texts


def code_for(secret: str, *, steps_ahead: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + steps_ahead))


def log_in(client: Client, email: str):
    return client.post(reverse("account_login"), {"login": email, "password": PASSWORD})


def logged_in_and_confirmed(email: str) -> Client:
    client = Client()
    assert log_in(client, email).status_code == 302
    # Changing two-step verification asks for the password again (test_reauthentication).
    confirmed = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert confirmed.status_code == 302
    return client


def turn_on_totp(cast) -> str:
    client = logged_in_and_confirmed("maya@example.org")
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": code_for(secret)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return secret


def test_turning_on_an_authenticator_app_keeps_its_secret_encrypted(cast):
    secret = turn_on_totp(cast)
    totp = Authenticator.objects.get(user=cast.parent.user, type=Authenticator.Type.TOTP)
    stored = totp.data["secret"]
    assert secret not in stored and stored.startswith("fernet:")
    assert MFAAdapter().decrypt(stored) == secret
    # Recovery codes come with it; their seed is encrypted the same way.
    codes = Authenticator.objects.get(user=cast.parent.user, type=Authenticator.Type.RECOVERY_CODES)
    assert codes.data["seed"].startswith("fernet:")


@pytest.mark.django_db(transaction=True)  # allauth sends it once the change is committed
def test_turning_it_on_is_told_by_email(cast):
    turn_on_totp(cast)
    mail = OutboxEmail.objects.latest("pk")
    assert mail.recipients == ["maya@example.org"]
    text, _html = outbox_texts(mail)
    assert "change was just made to your Back Soon account" in text
    assert "Log out everywhere" in text


def test_once_on_logging_in_needs_the_code_as_well(cast):
    secret = turn_on_totp(cast)
    client = Client()
    response = log_in(client, "maya@example.org")
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("households:new")).status_code == 302  # not in yet
    page = client.get(reverse("mfa_authenticate")).content.decode()
    assert "One more step" in page and "security key" not in page  # Maya has none
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "code" in wrong.content.decode().lower()
    assert client.get(reverse("households:new")).status_code == 302
    right = client.post(reverse("mfa_authenticate"), {"code": code_for(secret, steps_ahead=1)})
    assert right.status_code == 302
    assert client.get(reverse("households:new")).status_code == 200


def test_without_a_mail_server_an_unconfirmed_address_may_turn_it_on(cast, settings):
    assert not settings.EMAIL_URL  # the test run has no mail server
    cast.parent.user.emailaddress_set.update(verified=False)
    turn_on_totp(cast)
    assert Authenticator.objects.filter(type=Authenticator.Type.TOTP).exists()


def test_with_a_mail_server_the_address_is_confirmed_first(cast, settings):
    settings.MFA_ALLOW_UNVERIFIED_EMAIL = False
    cast.parent.user.emailaddress_set.update(verified=False)
    client = logged_in_and_confirmed("maya@example.org")
    page = client.get(reverse("mfa_activate_totp"), follow=True)
    assert "Please confirm your email address first" in page.content.decode()
    assert not Authenticator.objects.exists()


def test_a_secret_encrypted_with_another_key_is_refused(cast, settings):
    secret = turn_on_totp(cast)
    stored = Authenticator.objects.get(type=Authenticator.Type.TOTP).data["secret"]
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-different-key-" + "x" * 40
    try:
        MFAAdapter().decrypt(stored)
    except ValueError as exc:
        assert "SECRET_KEY" in str(exc)
    else:
        raise AssertionError("decrypted with the wrong key")
    # A rotated key listed in SECRET_KEY_FALLBACKS still opens it.
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert MFAAdapter().decrypt(stored) == secret


def test_the_two_step_pages_are_ours_and_carry_no_inline_code(cast):
    client = logged_in_and_confirmed("maya@example.org")
    for name in ("mfa_index", "mfa_activate_totp", "mfa_add_webauthn", "usersessions_list"):
        response = client.get(reverse(name))
        html = response.content.decode()
        assert response.status_code == 200, name
        assert "Get help now" in html, name  # our layout
        assert " style=" not in html and "<script>" not in html, name
        for script in html.split("<script")[1:]:
            opening = script.split(">", 1)[0]
            assert "src=" in opening or 'type="application/json"' in opening, (name, opening)


def test_a_restored_backup_still_opens_the_secrets(tmp_path, settings):
    data = tmp_path / "data"
    data.mkdir()
    settings.SECRET_KEY = config.read_or_create_secret(data / "secret_key")
    stored = MFAAdapter().encrypt("JBSWY3DPEHPK3PXP")
    db = sqlite3.connect(data / "backsoon.sqlite3")
    db.execute("CREATE TABLE mfa_authenticator (data TEXT)")
    db.execute("INSERT INTO mfa_authenticator VALUES (?)", (stored,))
    db.commit()
    archive = make_backup(data, data / "backsoon.sqlite3", tmp_path / "backups")

    fresh = tmp_path / "fresh"
    restore_backup(archive, fresh, fresh / "backsoon.sqlite3")
    settings.SECRET_KEY = config.read_or_create_secret(fresh / "secret_key")
    (restored,) = (
        sqlite3.connect(fresh / "backsoon.sqlite3")
        .execute("SELECT data FROM mfa_authenticator")
        .fetchone()
    )
    assert MFAAdapter().decrypt(restored) == "JBSWY3DPEHPK3PXP"
