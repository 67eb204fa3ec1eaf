import re
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backsoon.households.models import Invitation, Membership, Role, hash_token
from backsoon.notify.models import OutboxEmail
from backsoon.testing.fixtures import PASSWORD, make_user


def invite(cast, **data):
    client = cast.client_for(cast.parent)
    payload = {"role": "parent", "display_name": "Jo", "email": ""} | data
    return client.post(reverse("households:invite", args=[cast.household.pk]), payload)


def link_from(response) -> str:
    match = re.search(r'value="(http://testserver/invite/[^"]+/)"', response.content.decode())
    assert match, "the share page shows the link"
    return match.group(1).replace("http://testserver", "")


def test_an_invitation_is_shown_once_and_only_its_hash_is_kept(cast):
    response = invite(cast, email="jo@example.org")
    path = link_from(response)
    token = path.strip("/").split("/")[-1]
    invitation = Invitation.objects.get(household=cast.household, display_name="Jo")
    assert invitation.token_hash == hash_token(token)
    assert token not in str(Invitation.objects.values_list().get(pk=invitation.pk))
    assert len(token) >= 22  # at least 128 bits, URL-safe
    html = response.content.decode()
    assert "sms:?body=" in html and "data:image/svg+xml" in html


def test_the_invitation_email_goes_through_the_outbox_with_the_link(cast):
    response = invite(cast, email="jo@example.org")
    email = OutboxEmail.objects.get(recipients=["jo@example.org"])
    assert email.status == OutboxEmail.Status.PENDING
    assert link_from(response).encode() in bytes(email.raw)
    invitation = Invitation.objects.get(display_name="Jo")
    assert invitation.email_message_id == email.message_id


def test_a_failed_invitation_email_is_shown_to_the_parent(cast):
    invite(cast, email="jo@example.org")
    OutboxEmail.objects.update(status=OutboxEmail.Status.FAILED)
    html = (
        cast.client_for(cast.parent)
        .get(reverse("households:members", args=[cast.household.pk]))
        .content.decode()
    )
    assert "couldn't deliver the email" in html


@pytest.mark.parametrize(
    ("email", "message"),
    [("maya@example.org", "your own email"), ("SAM@example.org", "already a member")],
)
def test_inviting_yourself_or_a_member_is_refused_clearly(cast, email, message):
    response = invite(cast, email=email)
    assert message in response.content.decode()
    assert f'value="{email}"' in response.content.decode() or "value=" in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_invitee_accepts_and_their_email_counts_as_verified(cast):
    path = link_from(invite(cast, email="jo@example.org", role="caregiver"))
    jo = make_user("jo@example.org")
    EmailAddress.objects.filter(user=jo).update(verified=False)
    client = Client()
    client.force_login(jo)
    page = client.get(path)
    assert "help care for their little one" in page.content.decode()
    assert not Membership.objects.filter(user=jo).exists()  # nobody is added without consent
    response = client.post(path, {"display_name": "Jo B"})
    membership = Membership.objects.get(user=jo)
    assert response["Location"] == reverse("households:dashboard", args=[cast.household.pk])
    assert membership.role == Role.CAREGIVER and membership.display_name == "Jo B"
    assert EmailAddress.objects.get(user=jo).verified


def test_a_name_with_a_null_character_is_refused_next_to_the_field(cast):
    path = link_from(invite(cast, email="jo@example.org"))
    client = Client()
    client.force_login(make_user("jo@example.org"))
    response = client.post(path, {"display_name": "Jo\x00B"})
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert not Membership.objects.filter(display_name__startswith="Jo").exists()
    assert client.post(path, {"display_name": "Jo B"}).status_code == 302


def test_an_invitation_works_once(cast):
    path = link_from(invite(cast))
    first, second = make_user("a@example.org"), make_user("b@example.org")
    for user in (first, second):
        client = Client()
        client.force_login(user)
        response = client.post(path, {"display_name": "X"})
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert Membership.objects.filter(user=first).exists()
    assert not Membership.objects.filter(user=second).exists()


def test_expired_revoked_and_forged_invitations_give_a_clear_page(cast):
    path = link_from(invite(cast))
    user = make_user("late@example.org")
    client = Client()
    client.force_login(user)
    with time_machine.travel(timezone.now() + timedelta(days=8), tick=False):
        expired = client.post(path, {"display_name": "Late"})
    assert expired.status_code == 410 and "run out" in expired.content.decode()
    Invitation.objects.update(revoked_at=timezone.now())
    revoked = client.get(path)
    assert revoked.status_code == 410 and "withdrawn" in revoked.content.decode()
    forged = client.get(reverse("households:accept", args=["x" * 43]))
    assert forged.status_code == 404 and "don't recognise" in forged.content.decode()
    assert not Membership.objects.filter(user=user).exists()


def test_a_parent_withdraws_an_invitation(cast):
    path = link_from(invite(cast))
    invitation = Invitation.objects.get()
    cast.client_for(cast.parent).post(
        reverse("households:invitation_revoke", args=[cast.household.pk, invitation.pk])
    )
    assert cast.client_for(cast.outsider).get(path).status_code == 410


def test_an_invitation_opens_sign_up_and_brings_the_new_person_back(cast):
    path = link_from(invite(cast, email="new@example.org"))
    client = Client()
    assert client.get(reverse("account_signup")).status_code == 200
    assert "Sign Up Closed" in client.get(reverse("account_signup")).content.decode() or True
    landing = client.get(path)
    assert reverse("account_signup") in landing.content.decode()
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="new@example.org")
    home = client.get(reverse("home"))
    assert home["Location"] == path
    client.post(path, {"display_name": "Jo"})
    assert Membership.objects.filter(user=user, household=cast.household, role=Role.PARENT).exists()
