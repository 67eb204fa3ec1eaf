"""The URL test: every URL pattern declares an access class, and outsiders get nothing.

It walks the whole URL configuration, so every later view is covered automatically. A view
with a new URL keyword needs a value in `url_kwargs` below; the test says so.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from backsoon.households.access import Access, declared_access
from backsoon.households.models import CaregiverLink, Invitation, Membership


@dataclass(frozen=True)
class Route:
    name: str
    view: object
    kwargs: tuple[str, ...]

    @property
    def access(self) -> Access | None:
        return declared_access(self.view)


def iter_routes(resolver: URLResolver | None = None, namespace: str = "") -> Iterator[Route]:
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            yield from iter_routes(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern):
            keys = tuple(getattr(pattern.pattern, "converters", {}).keys()) or tuple(
                pattern.pattern.regex.groupindex
            )
            yield Route(
                f"{namespace}{pattern.name}" if pattern.name else "", pattern.callback, keys
            )


ROUTES = list(iter_routes())
GUARDED = [r for r in ROUTES if r.access in (Access.HOUSEHOLD, Access.PARENTS, Access.OWNER)]


def app_url_values() -> list:
    """Each app may give values for its own URL keywords: `<app>.tests.factories.url_values`."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("backsoon."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.factories")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.tests.factories":
                raise
            continue
        found.append(module.url_values)
    return found


def all_url_values(cast) -> dict:
    """A value for every URL keyword any route has, from the cast's first household."""
    invitation, _ = Invitation.create(
        household=cast.household, invited_by=cast.parent, role="caregiver", display_name="Pat"
    )
    link, _ = CaregiverLink.create(
        household=cast.household, name="Sitter Lou", created_by=cast.parent
    )
    values = {
        "link_id": link.pk,
        "household_id": cast.household.pk,
        "child_id": cast.child.pk,
        "member_id": cast.caregiver.pk,
        "invitation_id": invitation.pk,
        "section": "feeding",
    }
    for factory in app_url_values():
        values |= factory(cast)
    return values


def url_kwargs(cast, route: Route, household_id: int | None = None) -> dict:
    """Values for a route's URL keywords, taken from the cast's first household."""
    values = all_url_values(cast)
    missing = [k for k in route.kwargs if k not in values]
    assert not missing, (
        f"The URL test needs a value for {missing} (route {route.name}): return it from "
        "url_values(cast) in that app's tests/factories.py."
    )
    kwargs = {k: values[k] for k in route.kwargs}
    if household_id is not None:
        kwargs["household_id"] = household_id
    return kwargs


def test_every_view_declares_an_access_class():
    undeclared = [r.name or repr(r.view) for r in ROUTES if r.access is None]
    assert not undeclared, f"Views without a declared access class: {undeclared}"


def test_household_views_take_the_household_from_the_url():
    for route in GUARDED:
        assert "household_id" in route.kwargs, (
            f"{route.name} is household-scoped but has no household_id"
        )


def test_the_guarded_set_is_not_empty():
    names = {r.name for r in GUARDED}
    assert {"households:dashboard", "households:members", "households:child_edit"} <= names


@pytest.mark.parametrize("route", GUARDED, ids=lambda r: r.name)
def test_anonymous_gets_the_login_page_and_changes_nothing(cast, route):
    url = reverse(route.name, kwargs=url_kwargs(cast, route))
    client = cast.client_for(None)
    before = Membership.objects.count()
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302, (route.name, response.status_code)
        assert response["Location"].startswith(reverse("account_login"))
    assert Membership.objects.count() == before


@pytest.mark.parametrize("route", GUARDED, ids=lambda r: r.name)
def test_outsider_gets_404_for_another_household(cast, route):
    client = cast.client_for(cast.outsider)
    url = reverse(route.name, kwargs=url_kwargs(cast, route))
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert cast.household.memberships.count() == 3
    assert cast.household.children.count() == 1


@pytest.mark.parametrize("route", [r for r in GUARDED if len(r.kwargs) > 1], ids=lambda r: r.name)
def test_objects_from_another_household_give_404_inside_your_own(cast, route):
    """The outsider puts our child/member ids under their own household id."""
    client = cast.client_for(cast.outsider)
    url = reverse(route.name, kwargs=url_kwargs(cast, route, household_id=cast.other_household.pk))
    assert client.get(url).status_code in (404, 405)  # 405: a POST-only view, nothing looked up
    assert client.post(url).status_code == 404
    assert cast.household.memberships.count() == 3
    assert cast.household.children.count() == 1


@pytest.mark.parametrize(
    "route",
    [
        r
        for r in GUARDED
        if r.access is Access.PARENTS or not getattr(r.view, "allow_caregivers", False)
    ],
    ids=lambda r: r.name,
)
def test_caregiver_gets_404_on_parent_views(cast, route):
    client = cast.client_for(cast.caregiver)
    url = reverse(route.name, kwargs=url_kwargs(cast, route))
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("route", GUARDED, ids=lambda r: r.name)
def test_a_parent_of_the_household_is_let_in(cast, route):
    client = cast.client_for(cast.parent)
    response = client.get(reverse(route.name, kwargs=url_kwargs(cast, route)))
    assert response.status_code in (200, 302, 405), (route.name, response.status_code)


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r.access is Access.ACCOUNT], ids=lambda r: r.name
)
def test_account_views_need_a_login(db, client, route):
    response = client.get(reverse(route.name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def link_client(cast):
    """A browser that opened a caregiver link for the cast's household."""
    from django.test import Client

    _, token = CaregiverLink.create(
        household=cast.household, name="Grandma Ana", created_by=cast.parent
    )
    client = Client()
    assert client.post(reverse("households:link_open", args=[token])).status_code == 302
    return client


@pytest.mark.parametrize(
    "route", [r for r in GUARDED if not r.view.allow_links], ids=lambda r: r.name
)
def test_a_caregiver_link_reaches_no_other_page(cast, route):
    client = link_client(cast)
    url = reverse(route.name, kwargs=url_kwargs(cast, route))
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("route", GUARDED, ids=lambda r: r.name)
def test_a_revoked_link_gets_nothing_and_clears_the_offline_copy(cast, route):
    client = link_client(cast)
    CaregiverLink.objects.update(revoked_at=timezone.now())
    url = reverse(route.name, kwargs=url_kwargs(cast, route))
    response = client.get(url)
    assert response.status_code == 410
    assert response["Clear-Site-Data"] == '"cache"'
    assert client.post(url).status_code in (302, 404)  # the link is forgotten: now anonymous


@pytest.mark.parametrize("route", [r for r in GUARDED if r.view.allow_links], ids=lambda r: r.name)
def test_a_link_is_for_its_own_household_only(cast, route):
    client = link_client(cast)
    url = reverse(route.name, kwargs=url_kwargs(cast, route, household_id=cast.other_household.pk))
    response = client.get(url)
    assert response.status_code in (302, 404)
    assert "Nils" not in response.content.decode()
