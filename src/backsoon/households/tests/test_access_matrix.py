"""The authorisation matrix: every URL and every API operation against every subject.

Subjects: anonymous, Maya (the parent whose data the world holds), Sam (her partner), Ana (a
caregiver with an account), a caregiver link, a revoked link, and Olle (an outsider). Each
cell's expected outcome is worked out from the view's declared access class (`expect_web`,
`expect_api`), never from what the view happens to answer; the few cells where a view
narrows its class further are listed in NARROWER with the reason.

Also: a subject refused a POST changes nothing (every row of every table compared); an id
from another household gives 404 inside your own, photos and exports included; and Maya's
own data (fears, reasons, grounding words, strengths) never reaches anyone else's answer.

One world is built per module inside a transaction that is rolled back at the end; each test
runs in its own savepoint on top of it, so the matrix stays fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import import_module

import pytest
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backsoon.api.api import api
from backsoon.api.tests.factories import API, token_for
from backsoon.coping.tests.factories import (
    FRIEND_MARKER,
    REAL_MARKER,
    STRENGTHS_MARKER,
    make_kit,
    make_strengths,
)
from backsoon.households.access import LINKS_SESSION_KEY, Access
from backsoon.households.models import CaregiverLink, Membership, Role
from backsoon.households.tests.test_url_access import ROUTES, Route, all_url_values
from backsoon.separations.models import SeparationPrivate
from backsoon.separations.tests.factories import FEAR_MARKER, REASON_MARKER
from backsoon.testing.fixtures import Cast, make_cast, make_user

SUBJECTS = ("anonymous", "parent", "partner", "caregiver", "link", "revoked", "outsider")
OWNER_MARKERS = (FEAR_MARKER, REASON_MARKER, REAL_MARKER, FRIEND_MARKER, STRENGTHS_MARKER)

# Outcomes: IN (let in: 200/204/302 elsewhere/405 for a POST-only view), NOT_FOUND, LOGIN (a
# redirect to the login page), GONE (410, "this link was stopped"), UNAUTHORISED (API 401).
IN, NOT_FOUND, LOGIN, GONE, UNAUTHORISED = "in", "404", "login", "410", "401"

# URL keywords that are not an object belonging to someone (so an owner page with only these
# is the subject's own page, not Maya's).
NOT_OWNED = {"household_id", "section", "carer"}


def expect_web(route: Route, subject: str) -> str:
    """A web page's outcome for a subject, from its access class alone."""
    level, caregivers, links = route.access, route.view.allow_caregivers, route.view.allow_links
    if subject == "anonymous":
        return LOGIN
    if subject == "outsider":
        return NOT_FOUND
    if subject == "revoked":
        return GONE
    if subject == "link":
        return IN if links and level is Access.HOUSEHOLD else NOT_FOUND
    if subject == "parent":
        return IN
    if level is Access.OWNER:
        # Owner pages are a parent's own: Sam has his (never Maya's objects), Ana has none.
        own_page = set(route.kwargs) <= NOT_OWNED
        return IN if subject == "partner" and own_page else NOT_FOUND
    if subject == "caregiver":
        return IN if level is Access.HOUSEHOLD and caregivers else NOT_FOUND
    return IN  # the partner: a parent of the household


# Where a view narrows its class by the object in the URL, and why. (route, subject): outcome.
NARROWER = {
    # A ladder step is its parent's: the partner sees Maya's ladder but cannot edit it.
    ("practice:step_edit", "partner"): NOT_FOUND,
    # A photo is for the parents and whoever cared that time (Ana, not this link).
    ("separations:photo", "link"): NOT_FOUND,
    # The urgent call was Ana's (her account); a link sees only the calls it made.
    ("coping:urgent_status", "link"): NOT_FOUND,
    # A notification channel is its owner's (Maya's); nobody else sees its test result.
    ("notify:test_status", "partner"): NOT_FOUND,
    ("notify:test_status", "caregiver"): NOT_FOUND,
    ("notify:test_status", "link"): NOT_FOUND,
}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    view: object

    @property
    def name(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(re.findall(r"{(\w+)}", self.path))


OPERATIONS = [
    Operation(method, path, op.view_func)
    for _prefix, router in api._routers
    for path, path_view in router.path_operations.items()
    for op in path_view.operations
    for method in op.methods
]


def expect_api(operation: Operation, subject: str) -> str:
    level = operation.view.api_access
    caregivers, links = operation.view.allow_caregivers, operation.view.allow_links
    if subject in ("anonymous", "revoked"):
        return UNAUTHORISED  # no token, or one whose link was withdrawn
    if level is Access.ACCOUNT:
        return IN
    if subject == "outsider":
        return NOT_FOUND
    if subject == "link":
        return IN if links and level is Access.HOUSEHOLD else NOT_FOUND
    if subject == "caregiver":
        if level is Access.OWNER:
            return NOT_FOUND if set(operation.params) - NOT_OWNED else IN
        return IN if level is Access.HOUSEHOLD and caregivers else NOT_FOUND
    if level is Access.OWNER and subject == "partner":
        return NOT_FOUND if set(operation.params) - NOT_OWNED else IN
    return IN


API_NARROWER = {
    # A caregiver sees only the separations they care for; the world's is Ana's, not the link's.
    **{
        (f"GET /households/{{household_id}}/separations/{{separation_id}}{tail}", "link"): NOT_FOUND
        for tail in ("", "/agreed", "/checkins")
    },
    ("GET /households/{household_id}/checkins/{checkin_id}/photo", "link"): NOT_FOUND,
    # A ladder is a leaving parent's; a caregiver's account has none.
    ("GET /households/{household_id}/mine/ladder", "caregiver"): NOT_FOUND,
}


# --- the world ------------------------------------------------------------------------------


@dataclass
class World:
    cast: Cast
    values: dict  # URL values for objects of Maya's household
    foreign: dict  # the same keywords, for objects of the other household
    link: CaregiverLink
    revoked: CaregiverLink
    tokens: dict


def build_world() -> World:
    cast = make_cast()
    # The other household gets a whole cast of its own, for its objects' ids.
    other = cast.other_household
    mirror = Cast(
        household=other,
        child=cast.other_child,
        parent=cast.outsider,
        partner=Membership.objects.create(
            household=other, user=make_user("pia@example.org"), role=Role.PARENT, display_name="Pia"
        ),
        caregiver=Membership.objects.create(
            household=other,
            user=make_user("karl@example.org"),
            role=Role.CAREGIVER,
            display_name="Karl",
        ),
        other_household=cast.household,
        other_child=cast.child,
        outsider=cast.parent,
    )
    values = all_url_values(cast)
    foreign = all_url_values(mirror)
    # Maya's own words, everywhere they can be.
    make_kit(cast.parent)
    make_strengths(cast.parent, cast.caregiver)
    SeparationPrivate.objects.filter(owner=cast.parent).update(
        fear=FEAR_MARKER, early_reason=REASON_MARKER
    )
    link, _ = CaregiverLink.create(
        household=cast.household, name="Grandma Ana", created_by=cast.parent
    )
    revoked, _ = CaregiverLink.create(
        household=cast.household, name="Old link", created_by=cast.parent
    )
    tokens = {
        "parent": token_for(cast.parent),
        "partner": token_for(cast.partner),
        "caregiver": token_for(cast.caregiver),
        "link": token_for(link=link),
        "revoked": token_for(link=revoked),
        "outsider": token_for(cast.outsider),
    }
    CaregiverLink.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    return World(cast, values, foreign, link, revoked, tokens)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def w(world, db):
    return world


def web_client(w: World, subject: str) -> Client:
    """A browser for the subject, made afresh (a request may change its session)."""
    client = Client()
    membership = {
        "parent": w.cast.parent,
        "partner": w.cast.partner,
        "caregiver": w.cast.caregiver,
        "outsider": w.cast.outsider,
    }.get(subject)
    if membership is not None:
        client.force_login(membership.user)
    elif subject in ("link", "revoked"):
        link = w.link if subject == "link" else w.revoked
        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session[LINKS_SESSION_KEY] = {str(w.cast.household.pk): link.pk}
        session.create()
        client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


def api_client(w: World, subject: str) -> Client:
    if subject == "anonymous":
        return Client()
    return Client(HTTP_AUTHORIZATION=f"Bearer {w.tokens[subject]}")


def snapshot() -> dict:
    """Every row of every table of ours (times a read stamps left out)."""
    rows = {}
    for model in apps.get_models():
        if not model.__module__.startswith("backsoon."):
            continue
        fields = [
            f.attname for f in model._meta.concrete_fields if f.attname not in ("last_used_at",)
        ]
        rows[model._meta.label] = list(model.objects.order_by("pk").values_list(*fields))
    return rows


def outcome(response) -> str:
    status = response.status_code
    if status == 302 and response["Location"].startswith(reverse("account_login")):
        return LOGIN
    if status in (200, 201, 204, 302, 405):
        return IN
    if status in (400, 403, 409, 422) and response.get("Content-Type", "").startswith(
        "application/json"
    ):
        return IN  # an API operation that let us in and then refused the (empty) request
    return str(status)


def leaked(response) -> list[str]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode(errors="replace")
    return [m for m in OWNER_MARKERS if m in text]


# --- web pages ------------------------------------------------------------------------------

GUARDED = [r for r in ROUTES if r.access in (Access.HOUSEHOLD, Access.PARENTS, Access.OWNER)]


def kwargs_for(route: Route, values: dict) -> dict:
    missing = [k for k in route.kwargs if k not in values]
    assert not missing, f"{route.name} needs url_values for {missing}"
    return {k: values[k] for k in route.kwargs}


@pytest.mark.parametrize("route", GUARDED, ids=lambda r: r.name)
def test_every_subject_gets_what_the_access_class_says(w, route):
    url = reverse(route.name, kwargs=kwargs_for(route, w.values))
    wrong = []
    refused = []
    for subject in SUBJECTS:
        expected = NARROWER.get((route.name, subject), expect_web(route, subject))
        response = web_client(w, subject).get(url)
        got = outcome(response)
        if got != expected:
            wrong.append(f"{subject}: GET {got}, expected {expected}")
        if subject != "parent" and leaked(response):
            wrong.append(f"{subject}: GET shows Maya's {leaked(response)}")
        if expected != IN:
            refused.append((subject, expected))
    before = snapshot()
    for subject, expected in refused:
        response = web_client(w, subject).post(url, {"name": "x", "text": "x"})
        # 405: a GET-only view refuses any POST before it looks at who is asking.
        if outcome(response) != expected and response.status_code != 405:
            wrong.append(f"{subject}: POST {outcome(response)}, expected {expected}")
    if snapshot() != before:
        wrong.append(f"a refused POST changed something ({[s for s, _ in refused]})")
    assert not wrong, f"{route.name} ({route.access}):\n  " + "\n  ".join(wrong)


OBJECT_ROUTES = [r for r in GUARDED if set(r.kwargs) - {"household_id", "section"}]


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=lambda r: r.name)
def test_another_households_ids_give_404_inside_your_own(w, route):
    """Maya, in her own household, with the Lindqvists' objects' ids."""
    kwargs = kwargs_for(route, w.foreign) | {"household_id": w.cast.household.pk}
    url = reverse(route.name, kwargs=kwargs)
    client = web_client(w, "parent")
    response = client.get(url)
    assert response.status_code in (404, 405), response.status_code  # 405: POST-only
    before = snapshot()
    assert client.post(url, {"name": "x"}).status_code == 404
    assert snapshot() == before


def test_the_photo_and_export_views_are_in_the_matrix():
    names = {r.name for r in GUARDED}
    assert {"separations:photo", "api_pages:export"} <= names
    assert "separations:photo" in {r.name for r in OBJECT_ROUTES}


def test_maya_sees_her_own_markers_somewhere(w):
    """Otherwise the leak checks above would prove nothing."""
    client = web_client(w, "parent")
    h = w.cast.household.pk
    seen = set()
    for name, kwargs in (
        ("separations:mine", {}),
        ("coping:kit", {}),
        ("coping:strengths_edit", {"carer": w.values["carer"]}),
        ("practice:progress", {"parent_id": w.cast.parent.pk}),
    ):
        body = client.get(reverse(name, kwargs={"household_id": h, **kwargs})).content
        seen |= {m for m in OWNER_MARKERS if m in body.decode()}
    assert seen == set(OWNER_MARKERS)


# --- the API --------------------------------------------------------------------------------


def api_path(operation: Operation, values: dict) -> str:
    path = operation.path
    for name in operation.params:
        value = values["parent_id" if name == "parent_id" else name]
        path = path.replace(f"{{{name}}}", str(value))
    return API + path


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda o: o.name)
def test_every_api_subject_gets_what_the_access_class_says(w, operation):
    path = api_path(operation, w.values)
    wrong = []
    before = snapshot() if operation.method != "GET" else None
    for subject in SUBJECTS:
        expected = API_NARROWER.get((operation.name, subject), expect_api(operation, subject))
        client = api_client(w, subject)
        if operation.method == "GET":
            response = client.get(path)
        else:
            if expected == IN:
                continue  # a write that is let in is tested by its own module
            response = client.post(path, {}, content_type="application/json")
        got = outcome(response)
        if got != expected:
            wrong.append(f"{subject}: {got}, expected {expected}")
        if expected != IN and response.status_code in (401, 404):
            assert response.json()["error"]["code"] in ("not_found", "unauthorized"), subject
        if subject != "parent" and leaked(response):
            wrong.append(f"{subject}: shows Maya's {leaked(response)}")
    if before is not None and snapshot() != before:
        wrong.append("a refused write changed something")
    assert not wrong, f"{operation.name} ({operation.view.api_access}):\n  " + "\n  ".join(wrong)


API_OBJECT_OPERATIONS = [o for o in OPERATIONS if set(o.params) - {"household_id"}]


@pytest.mark.parametrize("operation", API_OBJECT_OPERATIONS, ids=lambda o: o.name)
def test_another_households_ids_give_404_in_the_api(w, operation):
    path = api_path(operation, w.foreign | {"household_id": w.cast.household.pk})
    client = api_client(w, "parent")
    before = snapshot()
    if operation.method == "GET":
        response = client.get(path)
    else:
        response = client.post(path, {}, content_type="application/json")
    assert response.status_code == 404, (path, response.status_code)
    assert snapshot() == before


def test_the_api_photo_operation_is_in_the_matrix():
    assert "GET /households/{household_id}/checkins/{checkin_id}/photo" in {
        o.name for o in API_OBJECT_OPERATIONS
    }
