"""allauth's account pages, messages and emails in our words (templates/account/)."""

from __future__ import annotations

import re
from email import message_from_bytes, policy

import pytest
from django.test import Client
from django.urls import reverse

from backsoon.notify.models import OutboxEmail
from backsoon.testing.fixtures import PASSWORD, make_user

pytestmark = pytest.mark.django_db

USERNAME_WORDS = re.compile(r"username|sign in|signed in", re.IGNORECASE)


def visible_text(response) -> str:
    """The page without tags, so attribute values (autocomplete="username") don't count."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def outbox_texts(mail: OutboxEmail) -> tuple[str, str]:
    """The plain-text and HTML parts of a queued email."""
    message = message_from_bytes(bytes(mail.raw), policy=policy.default)
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return (text.get_content() if text else ""), (html.get_content() if html else "")


def test_login_page_says_log_in_and_nothing_about_usernames(client):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    text = visible_text(response)
    assert "Log in" in text
    assert "Forgot your password?" in text
    assert not USERNAME_WORDS.search(text), USERNAME_WORDS.search(text)
    assert 'name="login"' in response.content.decode()  # allauth's field names are kept
    assert 'name="password"' in response.content.decode()


def test_login_page_offers_sign_up_while_sign_up_is_open(client):
    response = client.get(reverse("account_login"))
    assert "Create an account" in visible_text(response)
    assert f'href="{reverse("account_signup")}"' in response.content.decode()


def test_login_page_has_no_sign_up_link_when_sign_up_is_closed(client):
    make_user("maya@example.org")
    response = client.get(reverse("account_login"))
    assert "Create an account" not in visible_text(response)


def test_sign_up_page_renders_while_nobody_has_an_account(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    text = visible_text(response)
    assert "Create your account" in text
    assert "haven't invited" in text
    html = response.content.decode()
    assert re.search(r"<button[^>]*>\s*Create account\s*</button>", html)
    for name in ("email", "password1", "password2"):
        assert f'name="{name}"' in html
    assert "novalidate" not in html


def test_signing_up_welcomes_and_queues_our_confirmation_email(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "maya@example.org", "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert "We've sent a confirmation link to maya@example.org." in messages
    assert "Welcome to Back Soon." in messages  # not "Welcome back" on the very first visit

    mail = OutboxEmail.objects.get()
    assert mail.subject == "[Back Soon] Welcome to Back Soon: please confirm your email"
    text, html = outbox_texts(mail)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", text)
    assert link, text
    assert f'href="{link.group(0)}"' in html
    assert "style=" not in html


def test_sign_up_is_by_invitation_once_someone_has_an_account(client):
    make_user("maya@example.org")
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    text = visible_text(response)
    assert "invitation" in text
    assert "brings you back here" in text
    assert 'name="password1"' not in response.content.decode()


def test_password_reset_queues_our_email_with_a_reset_link(client):
    make_user("maya@example.org")
    page = client.get(reverse("account_reset_password"))
    assert "contact us" not in visible_text(page).lower()

    response = client.post(reverse("account_reset_password"), {"email": "maya@example.org"})
    assert response.status_code == 302
    done = client.get(response["Location"])
    assert "Check your email" in visible_text(done)
    assert "contact us" not in visible_text(done).lower()
    assert "person who runs this Back Soon" in visible_text(done)

    mail = OutboxEmail.objects.get()
    assert mail.recipients == ["maya@example.org"]
    assert mail.subject == "[Back Soon] Your link to choose a new password"
    text, html = outbox_texts(mail)
    assert "asked to reset the password for your Back Soon account" in text
    assert "ignore this email" in text
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", text)
    assert link, text
    assert link.group(0) in html
    assert "username" not in text.lower()

    # The link opens the page to choose a new password (allauth swaps the key for a session).
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path, follow=True)
    assert "Choose a new password" in visible_text(page)


def test_login_message_welcomes_back_without_the_username(client):
    user = make_user("maya.okafor@example.org")
    credentials = {"login": "maya.okafor@example.org", "password": PASSWORD}
    response = client.post(reverse("account_login"), credentials, follow=True)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["Welcome back."]
    assert user.username not in " ".join(messages)
    assert "Welcome back." in visible_text(response)


def test_logout_page_and_message(client):
    make_user("maya@example.org")
    client.login(username="maya@example.org", password=PASSWORD)
    page = client.get(reverse("account_logout"))
    assert "Log out" in visible_text(page)
    response = client.post(reverse("account_logout"), follow=True)
    assert [str(m) for m in response.context["messages"]] == ["You're logged out. See you soon."]


def test_email_page_is_labelled_and_keeps_allauth_actions():
    user = make_user("maya@example.org")
    client = Client()
    client.force_login(user)
    response = client.get(reverse("account_email"))
    assert response.status_code == 200
    text = visible_text(response)
    assert "Your email addresses" in text
    html = response.content.decode()
    for name in ("action_primary", "action_send", "action_remove", "action_add"):
        assert f'name="{name}"' in html
    assert "style=" not in html
