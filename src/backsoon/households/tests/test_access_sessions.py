"""The permission layer reads the membership and the account in one query; the session is
still checked exactly as Django checks it. These would fail if the one-query path let an old,
a deactivated or a forged session through, or if it stopped saving the query."""

from __future__ import annotations

from django.contrib.auth import HASH_SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

DASHBOARD = "households:dashboard"


def dashboard(cast):
    return reverse(DASHBOARD, args=[cast.household.pk])


def test_a_member_is_recognised_with_the_account_read_once(cast):
    client = cast.client_for(cast.parent)
    client.get(dashboard(cast))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(dashboard(cast))
    assert response.status_code == 200
    assert response.context["request"].user == cast.parent.user
    account_reads = [q for q in captured if 'FROM "auth_user"' in q["sql"]]
    assert account_reads == [], [q["sql"][:120] for q in account_reads]
    joined = [q for q in captured if 'FROM "households_membership"' in q["sql"]]
    assert joined and '"auth_user"' in joined[0]["sql"]


def test_a_changed_password_ends_the_other_sessions(cast):
    client = cast.client_for(cast.parent)
    assert client.get(dashboard(cast)).status_code == 200
    user = cast.parent.user
    user.set_password("a whole new password 123")
    user.save()
    response = client.get(dashboard(cast))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_deactivated_account_gets_nothing(cast):
    client = cast.client_for(cast.parent)
    assert client.get(dashboard(cast)).status_code == 200
    user = cast.parent.user
    user.is_active = False
    user.save()
    response = client.get(dashboard(cast))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_forged_session_hash_gets_nothing(cast):
    client = cast.client_for(cast.parent)
    session = client.session
    session[HASH_SESSION_KEY] = "0" * 64
    session.save()
    response = client.get(dashboard(cast))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_session_for_someone_else_in_the_household_is_not_borrowed(cast):
    # Sam's session asking for Maya's owner page still gets Sam's view, never Maya's.
    client = cast.client_for(cast.partner)
    response = client.get(dashboard(cast))
    assert response.status_code == 200
    assert response.context["request"].user == cast.partner.user


def test_an_outsider_still_gets_a_404(cast):
    response = cast.client_for(cast.outsider).get(dashboard(cast))
    assert response.status_code == 404


def test_no_session_at_all_is_asked_to_log_in(cast):
    response = Client().get(dashboard(cast))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
