"""The one permission layer every view goes through.

Each view declares an access class with `@access(...)`; the URL test reads the declaration
and fails for any view without one. Household views take `household_id` from the URL, work
out the request's *subject* (an account's membership, or a caregiver link) and give
404 — never 403 — to anyone who is not allowed, so another household's ids reveal nothing.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from backsoon.households.models import CaregiverLink, Household, Membership, Role
from backsoon.prepared import Prepared

LINKS_SESSION_KEY = "backsoon_links"
# For a page the service worker may be serving: "storage" would unregister it mid-navigation
# and abort the page, so the worker clears its own caches when it sees the 410.
CLEAR_OFFLINE_COPIES = '"cache"'
LAST_USED_PRECISION_SECONDS = 300


class Access(StrEnum):
    PUBLIC = "public"  # anyone, signed in or not
    ACCOUNT = "account"  # any signed-in person; no household in the URL
    HOUSEHOLD = "household"  # any member (caregivers only where the view says so)
    PARENTS = "parents"  # the household's parents
    OWNER = "owner"  # only the person the data is about; views filter by request.subject


# Views we do not write (allauth's) declare their class here, by module prefix.
THIRD_PARTY_ACCESS = {
    "allauth.": Access.PUBLIC,
    "django.views.static": Access.PUBLIC,
    "django.contrib.staticfiles": Access.PUBLIC,
}


@dataclass(frozen=True)
class Subject:
    """Who is acting in this household: an account's membership, or a caregiver link."""

    household: Household
    membership: Membership | None = None
    link: CaregiverLink | None = None

    @property
    def is_parent(self) -> bool:
        return self.membership is not None and self.membership.role == Role.PARENT

    @property
    def is_caregiver(self) -> bool:
        return not self.is_parent

    @property
    def is_link(self) -> bool:
        return self.link is not None

    @property
    def display_name(self) -> str:
        return self.membership.display_name if self.membership else self.link.name

    @property
    def phone(self) -> str:
        return self.membership.phone if self.membership else self.link.phone


def resolve_subject(request, household_id: int) -> Subject | None:
    membership = _membership_with_its_user(request, household_id)
    if membership is not None:
        return Subject(household=membership.household, membership=membership)
    user = request.user
    if user.is_authenticated:
        membership = (
            Membership.objects.select_related("household")
            .filter(household_id=household_id, user=user)
            .first()
        )
        if membership is not None:
            return Subject(household=membership.household, membership=membership)
    return _link_subject(request, household_id)


# Asked on every page and every poll: built and compiled once per database connection.
# (household, user) is unique, so there is at most one row.
MEMBERSHIP_WITH_USER = Prepared(
    lambda household_id, user_id: (
        Membership.objects.select_related("household", "user")
        .filter(household_id=household_id, user_id=user_id)
        .order_by()
    ),
    "household_id",
    "user_id",
)


def _membership_with_its_user(request, household_id: int) -> Membership | None:
    """The signed-in person's membership, household and account in one query.

    Django would read the account on its own first (one query more on every page and poll).
    This checks the session exactly as `django.contrib.auth.get_user` does — the backend,
    an active account, the password hash the session was made with — and hands the account
    to `request.user`. Anything else (not a member here, a session to refresh or to flush)
    takes Django's own path.
    """
    if hasattr(request, "_cached_user") or not hasattr(request, "session"):
        return None
    session = request.session
    backend_path = session.get(BACKEND_SESSION_KEY)
    session_hash = session.get(HASH_SESSION_KEY)
    raw_id = session.get(SESSION_KEY)
    if not (backend_path in settings.AUTHENTICATION_BACKENDS and session_hash and raw_id):
        return None
    backend = load_backend(backend_path)
    if type(backend).get_user is not ModelBackend.get_user:
        return None
    try:
        user_id = int(raw_id)
    except (TypeError, ValueError):
        return None
    found = MEMBERSHIP_WITH_USER.objects(household_id=household_id, user_id=user_id)
    if not found:
        return None
    membership = found[0]
    user = membership.user
    if not backend.user_can_authenticate(user):
        return None
    if not constant_time_compare(session_hash, user.get_session_auth_hash()):
        return None
    request._cached_user = user
    return membership


def remember_link(request, link: CaregiverLink) -> None:
    links = dict(request.session.get(LINKS_SESSION_KEY, {}))
    links[str(link.household_id)] = link.pk
    request.session[LINKS_SESSION_KEY] = links


def forget_link(request, household_id: int) -> None:
    links = dict(request.session.get(LINKS_SESSION_KEY, {}))
    if links.pop(str(household_id), None) is not None:
        request.session[LINKS_SESSION_KEY] = links


def _link_subject(request, household_id: int) -> Subject | None:
    link_id = request.session.get(LINKS_SESSION_KEY, {}).get(str(household_id))
    if link_id is None:
        return None
    now = timezone.now()
    link = (
        CaregiverLink.objects.usable(now)
        .select_related("household")
        .filter(pk=link_id, household_id=household_id)
        .first()
    )
    if link is None:
        # Revoked or expired: forget it, and have the browser drop its offline copy.
        forget_link(request, household_id)
        request.dead_link = True
        return None
    if (
        link.last_used_at is None
        or (now - link.last_used_at).total_seconds() > LAST_USED_PRECISION_SECONDS
    ):
        CaregiverLink.objects.filter(pk=link.pk).update(last_used_at=now)
    return Subject(household=link.household, link=link)


def link_gone_response(request, stopped: bool = False):
    state = "stopped" if stopped else "revoked"
    response = render(request, "households/link_invalid.html", {"state": state}, status=410)
    response["Clear-Site-Data"] = CLEAR_OFFLINE_COPIES
    return response


def access(level: Access, *, caregivers: bool = False, links: bool | None = None):
    """Declare a view's access class and enforce it.

    caregivers: for `household` views, whether caregivers may see it (parents always may).
    links: whether a caregiver *link* may (defaults to `caregivers`); views about an
    account's own membership say links=False.
    """
    level = Access(level)
    links = caregivers if links is None else links

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if level is Access.PUBLIC:
                return view(request, *args, **kwargs)
            if level is Access.ACCOUNT:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                return view(request, *args, **kwargs)
            subject = resolve_subject(request, kwargs["household_id"])
            if subject is None:
                if getattr(request, "dead_link", False):
                    return link_gone_response(request)
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise Http404
            if subject.is_link and not (links and level is Access.HOUSEHOLD):
                raise Http404
            if level is Access.HOUSEHOLD and not caregivers and not subject.is_parent:
                raise Http404
            if level is Access.PARENTS and not subject.is_parent:
                raise Http404
            request.subject = subject
            request.household = subject.household
            # Times on the page are shown in the household's time zone.
            timezone.activate(_zone(subject.household))
            try:
                return view(request, *args, **kwargs)
            finally:
                timezone.deactivate()

        wrapped.access = level
        wrapped.allow_caregivers = caregivers or level is Access.PUBLIC
        wrapped.allow_links = links or level is Access.PUBLIC
        return wrapped

    return decorator


def _zone(household: Household):
    from backsoon.households.services import zone

    return zone(household)


def declared_access(view) -> Access | None:
    """The access class a resolved view declares (used by the URL test)."""
    declared = getattr(view, "access", None)
    if declared is not None:
        return Access(declared)
    view_class = getattr(view, "view_class", None) or getattr(view, "cls", None)
    module = (view_class or view).__module__
    for prefix, level in THIRD_PARTY_ACCESS.items():
        if module.startswith(prefix):
            return level
    return None
