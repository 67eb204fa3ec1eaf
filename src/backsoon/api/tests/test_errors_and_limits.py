"""One error shape for every error; rate limits per token; aware RFC 3339 date-times."""

import re

import pytest
from django.core.cache import cache

from backsoon.api.tests.factories import API, api_client, bearer, token_for

RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]


def test_each_status_has_the_one_shape(cast):
    from django.test import Client

    client = api_client(cast.parent)
    h = cast.household.pk
    assert_error(
        client.post(
            f"{API}/households/{h}/separations", "{not json", content_type="application/json"
        ),
        400,
        "bad_request",
    )
    assert_error(Client().get(f"{API}/households"), 401, "unauthorized")
    assert_error(
        api_client(cast.parent, write=False).post(f"{API}/households/{h}/separations/1/end"),
        403,
        "read_only_token",
    )
    assert_error(client.get(f"{API}/households/{h}/separations/999999"), 404, "not_found")
    assert_error(client.get(f"{API}/households/{h}/separations", {"limit": "x"}), 422, "invalid")


def test_too_many_requests_is_429_with_retry_after(cast, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    raw = token_for(cast.parent)
    client = bearer(raw)
    for _ in range(3):
        assert client.get(f"{API}/households").status_code == 200
    response = client.get(f"{API}/households")
    assert_error(response, 429, "rate_limited")
    assert 1 <= int(response["Retry-After"]) <= 60
    # Per token: another token (or person) is not held back.
    assert api_client(cast.partner).get(f"{API}/households").status_code == 200


def test_date_times_are_aware_rfc3339(cast):
    from backsoon.separations.tests.factories import make_checkin, make_separation

    separation = make_separation(cast)
    make_checkin(separation, all_good=True)
    client = api_client(cast.parent)
    h = cast.household.pk
    body = client.get(f"{API}/households/{h}/separations").json()["items"][0]
    stamps = [body["starts_at"], body["expected_back"], body["left_at"], body["created_at"]]
    stamps += [a["due_at"] for a in body["agreed"]]
    checkin = client.get(f"{API}/households/{h}/separations/{separation.pk}/checkins").json()
    stamps.append(checkin["items"][0]["created_at"])
    assert stamps and all(RFC3339.match(s) for s in stamps), stamps


def test_a_path_or_method_the_api_doesnt_have_answers_in_the_error_shape(cast):
    client = api_client(cast.parent)
    for path in (f"{API}/nope", f"{API}/households/{cast.household.pk}/nope/1"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert client.post(f"{API}/nope").json()["error"]["code"] == "not_found"
    response = client.delete(f"{API}/households/{cast.household.pk}/separations")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}
