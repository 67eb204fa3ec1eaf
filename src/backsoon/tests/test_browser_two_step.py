"""Two-step verification in a real Chromium: a security key (a virtual one) and an app code."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from backsoon.testing.browser import assert_accessible, follow
from backsoon.testing.fixtures import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIRTUAL_KEY = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
    "automaticPresenceSimulation": True,
}


def log_in(page, base: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill("maya@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()


def confirm_password(page) -> None:
    expect(page.get_by_role("heading", name="Confirm it's you")).to_be_visible()
    assert_accessible(page, "two-step-01-confirm")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()


def test_a_security_key_is_added_and_then_asked_for_at_login(live_server, new_phone, settings):
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # the live server is plain http
    make_user("maya@example.org")
    base = live_server.url
    phone = new_phone()
    devtools = phone.context.new_cdp_session(phone)
    devtools.send("WebAuthn.enable")
    devtools.send("WebAuthn.addVirtualAuthenticator", {"options": VIRTUAL_KEY})

    log_in(phone, base)
    phone.wait_for_url(re.compile(r"^https?://[^/]+/(h/new/)?$"))
    phone.goto(base + "/accounts/email/")
    follow(phone, "Two-step verification")
    assert_accessible(phone, "two-step-00-index")
    phone.get_by_role("link", name="Add a security key").click()
    confirm_password(phone)
    expect(phone.get_by_role("heading", name="Add a security key")).to_be_visible()
    assert_accessible(phone, "two-step-02-add-key")
    phone.get_by_role("button", name="Add").click()
    expect(phone.get_by_role("heading", name="Recovery codes")).to_be_visible()
    assert Authenticator.objects.filter(type=Authenticator.Type.WEBAUTHN).count() == 1

    phone.locator("header").get_by_role("button", name="Log out").click()
    phone.wait_for_url(re.compile(r"^https?://[^/]+/$"))
    log_in(phone, base)
    expect(phone.get_by_role("heading", name="One more step")).to_be_visible()
    assert_accessible(phone, "two-step-03-second-step")
    phone.get_by_role("button", name="Use a security key instead").click()
    phone.wait_for_url(re.compile(r"^https?://[^/]+/(h/new/)?$"))
    phone.goto(base + "/h/new/")
    assert phone.url.endswith("/h/new/")


def test_an_authenticator_app_is_set_up_on_a_phone(live_server, new_phone):
    make_user("maya@example.org")
    base = live_server.url
    phone = new_phone()
    log_in(phone, base)
    phone.wait_for_url(re.compile(r"^https?://[^/]+/(h/new/)?$"))
    phone.goto(base + "/accounts/2fa/totp/activate/")
    confirm_password(phone)
    expect(phone.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    assert_accessible(phone, "two-step-04-app")
    secret = phone.get_by_label("The key, to type in by hand").input_value()
    phone.get_by_label("The 6-digit code from the app").fill("000000")
    phone.get_by_role("button", name="Turn it on").click()
    expect(phone.get_by_text("That code didn't work")).to_be_visible()
    assert_accessible(phone, "two-step-05-app-wrong-code")
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    phone.get_by_label("The 6-digit code from the app").fill(code)
    phone.get_by_role("button", name="Turn it on").click()
    expect(phone.get_by_text("Two-step verification is on.")).to_be_visible()
