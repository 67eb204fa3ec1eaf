"""Who is calling: a personal access token (one subject) or the browser's session.

A token is a fixed subject: its membership or caregiver link, in its one household. The
session goes through the same `resolve_subject` as the web pages, so an account acts as its
membership in the household named in the URL, and a browser that opened a caregiver link
acts as that link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from backsoon.api import tokens
from backsoon.api.models import ApiToken
from backsoon.households.access import LINKS_SESSION_KEY, Subject, resolve_subject
from backsoon.households.models import CaregiverLink, Membership

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Caller:
    token: ApiToken | None = None
    session: bool = False

    @property
    def can_write(self) -> bool:
        return self.token.can_write if self.token is not None else True

    @property
    def rate_key(self) -> str:
        return f"t{self.token.pk}" if self.token is not None else ""

    def subject(self, request: HttpRequest, household_id: int) -> Subject | None:
        if self.token is None:
            return resolve_subject(request, household_id)
        token = self.token
        if token.household_id != household_id:
            return None
        if token.membership is not None:
            return Subject(household=token.household, membership=token.membership)
        return Subject(household=token.household, link=token.link)

    def subjects(self, request: HttpRequest) -> list[Subject]:
        """Every household this caller can act in."""
        if self.token is not None:
            found = self.subject(request, self.token.household_id)
            return [found] if found else []
        found = []
        if request.user.is_authenticated:
            found += [
                Subject(household=m.household, membership=m)
                for m in Membership.objects.filter(user=request.user)
                .select_related("household")
                .order_by("household__name", "pk")
            ]
        mine = {s.household.pk for s in found}
        link_ids = [
            pk
            for household_id, pk in request.session.get(LINKS_SESSION_KEY, {}).items()
            if int(household_id) not in mine
        ]
        found += [
            Subject(household=link.household, link=link)
            for link in CaregiverLink.objects.usable()
            .filter(pk__in=link_ids)
            .select_related("household")
            .order_by("household__name", "pk")
        ]
        return found


class Guarded:
    """Authentication that also applies the operation's access rule (permissions.py), so it
    is decided before the parameters and body are read: a refusal raises, and is answered
    in the error shape."""

    def __init__(self, rule=None) -> None:
        self.rule = rule
        super().__init__()

    def admit(self, request: HttpRequest, caller: Caller) -> Caller:
        if self.rule is not None:
            self.rule.enforce(request, caller)
        return caller


class TokenAuth(Guarded, HttpBearer):
    """`Authorization: Bearer bs_…` — a personal access token made in the app's settings."""

    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        found = tokens.find_token(token.strip())
        if found is None:
            return None
        return self.admit(request, Caller(token=found))


class SessionAuth(Guarded, APIKeyCookie):
    """The signed-in browser (or one that opened a caregiver link); writes need the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self, rule=None) -> None:
        super().__init__(rule)
        self.csrf = False  # checked below, once the session is known to be signed in

    def _get_key(self, request: HttpRequest) -> str | None:
        if request.headers.get("Authorization"):
            return None  # a request that names a token is judged by that token alone
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key is None:
            return None
        signed_in = request.user.is_authenticated
        if not signed_in and not request.session.get(LINKS_SESSION_KEY):
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed")
        return self.admit(request, Caller(session=True))
