"""The API's permission matrix: the web's access classes, per token and per session.

Household A's token never reads B; the partner never reads the other parent's owner data;
a caregiver (account or link) reads and posts only where they care; a read-only token
cannot write; a revoked token, or one whose link was withdrawn, gets 401.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from backsoon.api.api import api
from backsoon.api.models import ApiToken
from backsoon.api.tests.factories import API, api_client, bearer, token_for
from backsoon.coping.tests.factories import make_urge
from backsoon.households.access import Access
from backsoon.households.models import CaregiverLink
from backsoon.separations.models import CheckIn, Separation
from backsoon.separations.tests.factories import FEAR_MARKER, make_checkin, make_separation
from backsoon.wellbeing.scoring import Check
from backsoon.wellbeing.tests.factories import GAD7_HIGH, take


def operations():
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            yield from path_view.operations


def test_every_operation_declares_an_access_class():
    undeclared = [
        op.view_func.__name__
        for op in operations()
        if getattr(op.view_func, "api_access", None) is None
    ]
    assert not undeclared


def test_owner_operations_exist():
    owner = {op.path for op in operations() if op.view_func.api_access is Access.OWNER}
    assert {
        "/households/{household_id}/mine/separations",
        "/households/{household_id}/mine/self-checks",
        "/households/{household_id}/mine",
        "/households/{household_id}/mine/ladder",
        "/households/{household_id}/mine/urges",
    } <= owner


def _link(cast, name="Grandma Ana"):
    link, _ = CaregiverLink.create(household=cast.household, name=name, created_by=cast.parent)
    return link


@pytest.fixture
def world(cast):
    """Maya away with Ana caring (with a photo), and a planned one with a link caring."""
    link = _link(cast)
    away = make_separation(cast, private={"fear": FEAR_MARKER, "worry_before": 7})
    photo = make_checkin(away, photo=True, all_good=True)
    linked = make_separation(
        cast,
        leaver=cast.partner,
        link=link,
        status=Separation.Status.AWAY,
        starts_at=timezone.now() - timedelta(minutes=5),
    )
    take(cast.parent, Check.GAD7, GAD7_HIGH)
    make_urge(away, strength_before=9, outcome="passed")
    return {"away": away, "linked": linked, "link": link, "photo": photo}


def household_paths(h: int, s: int, c: int) -> list[str]:
    return [
        f"{API}/households/{h}",
        f"{API}/households/{h}/children",
        f"{API}/households/{h}/people",
        f"{API}/households/{h}/care-sheets",
        f"{API}/households/{h}/notifications",
        f"{API}/households/{h}/separations",
        f"{API}/households/{h}/separations/{s}",
        f"{API}/households/{h}/separations/{s}/agreed",
        f"{API}/households/{h}/separations/{s}/checkins",
        f"{API}/households/{h}/checkins/{c}/photo",
        f"{API}/households/{h}/mine",
        f"{API}/households/{h}/mine/separations",
        f"{API}/households/{h}/mine/self-checks",
        f"{API}/households/{h}/mine/ladder",
        f"{API}/households/{h}/mine/urges",
        f"{API}/households/{h}/ladders",
    ]


def test_household_a_token_never_reads_b(cast, world):
    outsider = api_client(cast.outsider)
    h, s, c = cast.household.pk, world["away"].pk, world["photo"].pk
    for path in household_paths(h, s, c):
        response = outsider.get(path)
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "not_found"
    # …nor its objects under the outsider's own household id.
    for path in household_paths(cast.other_household.pk, s, c)[6:10]:
        assert outsider.get(path).status_code == 404, path
    listed = outsider.get(f"{API}/households").json()
    assert [h["name"] for h in listed] == ["The Lindqvists"]


def test_a_household_id_of_digits_int_cannot_read_is_nobodys(cast):
    """Found by Schemathesis: "²" is a digit to isdigit(), and int() refused it with a 500."""
    response = api_client(cast.parent).get(f"{API}/households/%C2%B2/separations")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_household_a_token_never_writes_b(cast, world):
    outsider = api_client(cast.outsider)
    s = world["away"].pk
    base = f"{API}/households/{cast.household.pk}/separations"
    for path in (f"{base}/{s}/end", f"{base}/{s}/cancel", f"{base}/{s}/start"):
        assert outsider.post(path).status_code == 404
    response = outsider.post(f"{base}/{s}/checkins", {"all_good": "true"})
    assert response.status_code == 404
    assert CheckIn.objects.count() == 1


def test_the_partner_never_reads_the_other_parents_owner_data(cast, world):
    partner = api_client(cast.partner)
    h = cast.household.pk
    for path in (f"{API}/households/{h}/mine", f"{API}/households/{h}/mine/separations"):
        body = partner.get(path).content.decode()
        assert FEAR_MARKER not in body
    notes = partner.get(f"{API}/households/{h}/mine/separations").json()
    assert notes["count"] == 1  # Sam's own (the link-cared one), not Maya's
    assert notes["items"][0]["separation_id"] == world["linked"].pk
    assert partner.get(f"{API}/households/{h}/mine/self-checks").json()["count"] == 0
    assert partner.get(f"{API}/households/{h}/mine/urges").json()["count"] == 0
    # The household's data, which the partner may read, carries none of it.
    for path in household_paths(h, world["away"].pk, world["photo"].pk)[:9]:
        assert FEAR_MARKER not in partner.get(path).content.decode(), path
    mine = api_client(cast.parent)
    assert FEAR_MARKER in mine.get(f"{API}/households/{h}/mine/separations").content.decode()
    assert mine.get(f"{API}/households/{h}/mine/self-checks").json()["items"][0]["score"] == 17
    urges = mine.get(f"{API}/households/{h}/mine/urges").json()["items"]
    assert [(u["strength_before"], u["outcome"]) for u in urges] == [(9, "passed")]


def test_a_caregiver_token_reads_and_posts_only_where_it_cares(cast, world):
    ana = api_client(cast.caregiver)
    h = cast.household.pk
    base = f"{API}/households/{h}/separations"
    listed = ana.get(base).json()
    assert [s["id"] for s in listed["items"]] == [world["away"].pk]
    assert ana.get(f"{base}/{world['linked'].pk}").status_code == 404
    assert (
        ana.post(f"{base}/{world['linked'].pk}/checkins", {"all_good": "true"}).status_code == 404
    )
    assert ana.post(f"{base}/{world['away'].pk}/checkins", {"all_good": "true"}).status_code == 201
    # Parents' operations are not for caregivers.
    assert ana.get(f"{API}/households/{h}/people").status_code == 404
    assert ana.post(f"{base}/{world['away'].pk}/cancel").status_code == 404
    assert ana.post(base, {}, content_type="application/json").status_code == 404


def test_a_caregiver_link_token_posts_only_to_its_own_separations(cast, world):
    link = world["link"]
    other_link = _link(cast, "Sitter Lou")
    client = api_client(link=link)
    h = cast.household.pk
    base = f"{API}/households/{h}/separations"
    assert [s["id"] for s in client.get(base).json()["items"]] == [world["linked"].pk]
    response = client.post(f"{base}/{world['linked'].pk}/checkins", {"message": "All calm"})
    assert response.status_code == 201
    assert response.json()["author_name"] == "Grandma Ana"
    assert CheckIn.objects.get(pk=response.json()["id"]).posted_by_link == link
    assert (
        client.post(f"{base}/{world['away'].pk}/checkins", {"all_good": "true"}).status_code == 404
    )
    lou = api_client(link=other_link)
    assert lou.get(f"{base}/{world['linked'].pk}").status_code == 404
    assert lou.post(f"{base}/{world['linked'].pk}/checkins", {"all_good": "1"}).status_code == 404
    # A link is never an owner, and sees no parents' pages.
    for path in (f"{API}/households/{h}/mine", f"{API}/households/{h}/people"):
        assert client.get(path).status_code == 404


def test_a_parent_who_is_not_the_carer_cannot_post_as_one(cast, world):
    response = api_client(cast.partner).post(
        f"{API}/households/{cast.household.pk}/separations/{world['away'].pk}/checkins",
        {"all_good": "true"},
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_the_carer"


def test_a_read_only_token_cannot_write(cast, world):
    reader = api_client(cast.parent, write=False)
    h = cast.household.pk
    base = f"{API}/households/{h}/separations"
    assert reader.get(base).status_code == 200
    for response in (
        reader.post(f"{base}/{world['away'].pk}/end"),
        reader.post(base, {}, content_type="application/json"),
    ):
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "read_only_token"
    caregiver = api_client(cast.caregiver, write=False)
    response = caregiver.post(f"{base}/{world['away'].pk}/checkins", {"all_good": "true"})
    assert response.status_code == 403
    assert Separation.objects.get(pk=world["away"].pk).is_away
    assert CheckIn.objects.count() == 1


def test_a_revoked_token_gets_401(cast, world):
    raw = token_for(cast.parent)
    client = bearer(raw)
    assert client.get(f"{API}/households").status_code == 200
    ApiToken.objects.update(revoked_at=timezone.now())
    response = client.get(f"{API}/households")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_token_whose_link_was_withdrawn_gets_401(cast, world):
    client = api_client(link=world["link"])
    assert client.get(f"{API}/households/{cast.household.pk}").status_code == 200
    CaregiverLink.objects.filter(pk=world["link"].pk).update(revoked_at=timezone.now())
    assert client.get(f"{API}/households/{cast.household.pk}").status_code == 401


def test_a_token_of_someone_who_left_is_gone(cast, world):
    client = api_client(cast.caregiver)
    cast.caregiver.delete()
    assert client.get(f"{API}/households").status_code == 401


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer nonsense", "Basic YWJjOmRlZg==", "Bearer " + "x" * 500]
)
def test_no_or_a_wrong_token_gets_401(db, header):
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=header) if header else Client()
    response = client.get(f"{API}/households")
    assert response.status_code == 401
    assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_the_session_acts_as_the_signed_in_member(cast, world):
    client = cast.client_for(cast.partner)
    h = cast.household.pk
    assert client.get(f"{API}/households/{h}/separations").json()["count"] == 2
    assert FEAR_MARKER not in client.get(f"{API}/households/{h}/mine").content.decode()
    assert cast.client_for(cast.outsider).get(f"{API}/households/{h}").status_code == 404


def test_a_browser_on_a_caregiver_link_acts_as_that_link(cast, world):
    from backsoon.households.tests.test_url_access import link_client

    client = link_client(cast)  # a new link, caring for nothing
    h = cast.household.pk
    assert client.get(f"{API}/households/{h}").json()["you"]["kind"] == "link"
    assert client.get(f"{API}/households/{h}/separations").json()["count"] == 0
    assert client.get(f"{API}/households/{cast.other_household.pk}").status_code == 404


def test_session_writes_need_the_csrf_token(cast, world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.parent.user)
    url = f"{API}/households/{cast.household.pk}/separations/{world['away'].pk}/end"
    response = client.post(url)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"
    client.get(f"/h/{cast.household.pk}/")  # a page with a form sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    assert client.post(url, HTTP_X_CSRFTOKEN=token).status_code == 200


def test_anonymous_gets_401_not_a_login_page(cast, world):
    from django.test import Client

    response = Client().post(f"{API}/households/{cast.household.pk}/separations")
    assert response.status_code == 401
