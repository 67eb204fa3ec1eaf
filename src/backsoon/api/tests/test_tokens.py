"""Personal access tokens in settings: made after the password again, shown once, stored
only as SHA-256, revoked at will; one subject each (your membership, or a caregiver link)."""

import hashlib
import re

from django.urls import reverse

from backsoon.api.models import ApiToken
from backsoon.api.tests.factories import API, bearer
from backsoon.households.models import CaregiverLink
from backsoon.testing.fixtures import PASSWORD


def tokens_url(cast):
    return reverse("api_pages:tokens", args=[cast.household.pk])


def new_url(cast):
    return reverse("api_pages:token_new", args=[cast.household.pk])


def make_token(client, cast, **data):
    """Ask for a token, give the password again, and get the page that shows it once."""
    data = {"name": "Home Assistant", "access": "read", "acts_as": "me"} | data
    before = ApiToken.objects.count()
    asked = client.post(new_url(cast), data)
    if asked.status_code != 302:
        return asked  # the password was given a moment ago
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    assert ApiToken.objects.count() == before
    return client.post(asked["Location"], {"password": PASSWORD})  # allauth resumes the POST


def raw_token(response) -> str:
    return re.search(r'value="(bs_[^"]+)"', response.content.decode()).group(1)


def test_a_token_is_made_after_the_password_and_shown_once(cast):
    client = cast.client_for(cast.parent)
    asked = client.post(new_url(cast), {"name": "x", "access": "read", "acts_as": "me"})
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    shown = make_token(client, cast)
    assert shown.status_code == 200
    assert shown["Cache-Control"] == "no-store"
    raw = raw_token(shown)
    assert len(raw) >= 3 + 43  # "bs_" and 256 random bits, URL-safe base64
    token = ApiToken.objects.get()
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert token.membership == cast.parent and not token.can_write
    assert raw not in str(list(ApiToken.objects.values()))
    page = client.get(tokens_url(cast)).content.decode()
    assert "Home Assistant" in page and raw not in page
    assert bearer(raw).get(f"{API}/households").status_code == 200


def test_a_parent_makes_a_read_write_token_for_a_caregiver_link(cast):
    link, _ = CaregiverLink.create(
        household=cast.household, name="Sitter Lou", created_by=cast.parent
    )
    client = cast.client_for(cast.parent)
    raw = raw_token(make_token(client, cast, access="write", acts_as=f"link:{link.pk}"))
    token = ApiToken.objects.get()
    assert token.link == link and token.membership is None and token.can_write
    assert token.created_by == cast.parent
    you = bearer(raw).get(f"{API}/households/{cast.household.pk}").json()["you"]
    assert you == {"kind": "link", "role": "caregiver", "name": "Sitter Lou"}


def test_a_caregiver_makes_tokens_only_for_themselves(cast):
    link, _ = CaregiverLink.create(
        household=cast.household, name="Sitter Lou", created_by=cast.parent
    )
    client = cast.client_for(cast.caregiver)
    page = client.get(tokens_url(cast)).content.decode()
    assert "Sitter Lou" not in page
    refused = make_token(client, cast, acts_as=f"link:{link.pk}")
    assert refused.status_code == 400
    assert not ApiToken.objects.exists()
    raw = raw_token(make_token(client, cast))
    assert ApiToken.objects.get().membership == cast.caregiver
    assert bearer(raw).get(f"{API}/households").json()[0]["you"]["role"] == "caregiver"


def test_revoking_ends_it_at_once(cast):
    client = cast.client_for(cast.parent)
    raw = raw_token(make_token(client, cast))
    token = ApiToken.objects.get()
    response = client.post(reverse("api_pages:token_revoke", args=[cast.household.pk, token.pk]))
    assert response["Location"] == tokens_url(cast)  # the password was given a moment ago
    assert bearer(raw).get(f"{API}/households").status_code == 401
    assert "Working tokens" not in client.get(tokens_url(cast)).content.decode()


def test_revoking_asks_for_the_password_again_then_resumes(cast):
    raw = raw_token(make_token(cast.client_for(cast.parent), cast))
    token = ApiToken.objects.get()
    later = cast.client_for(cast.parent)  # signed in, but not a moment ago
    url = reverse("api_pages:token_revoke", args=[cast.household.pk, token.pk])
    asked = later.post(url)
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    assert bearer(raw).get(f"{API}/households").status_code == 200
    wrong = later.post(asked["Location"], {"password": "not it"})
    assert wrong.status_code == 200
    assert bearer(raw).get(f"{API}/households").status_code == 200
    done = later.post(asked["Location"], {"password": PASSWORD})
    assert done["Location"] == tokens_url(cast)
    assert bearer(raw).get(f"{API}/households").status_code == 401


def test_nobody_revokes_someone_elses_token(cast):
    raw = raw_token(make_token(cast.client_for(cast.parent), cast))
    token = ApiToken.objects.get()
    url = reverse("api_pages:token_revoke", args=[cast.household.pk, token.pk])
    for other in (cast.partner, cast.caregiver):
        assert cast.client_for(other).post(url).status_code == 404
    assert bearer(raw).get(f"{API}/households").status_code == 200
