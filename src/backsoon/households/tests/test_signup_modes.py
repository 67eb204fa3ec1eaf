import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from backsoon.testing.fixtures import PASSWORD, make_user


def sign_up(client: Client, email: str):
    return client.post(
        reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )


def test_by_default_the_first_person_may_sign_up_and_then_only_invitees(db, client):
    sign_up(client, "first@example.org")
    assert get_user_model().objects.filter(email="first@example.org").exists()
    second = Client()
    sign_up(second, "second@example.org")
    assert not get_user_model().objects.filter(email="second@example.org").exists()
    assert "by invitation" in second.get(reverse("home")).content.decode()


def test_open_registration_lets_anyone_sign_up(db, client, settings):
    settings.REGISTRATION = "open"
    make_user("first@example.org")
    sign_up(client, "second@example.org")
    assert get_user_model().objects.filter(email="second@example.org").exists()


@pytest.mark.parametrize("mode", ["closed"])
def test_closed_registration_refuses_even_the_first(db, client, settings, mode):
    settings.REGISTRATION = mode
    sign_up(client, "first@example.org")
    assert not get_user_model().objects.exists()
