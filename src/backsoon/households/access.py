"""The one permission layer every view goes through.

Each view declares an access class with `@access(...)`; the URL test reads the declaration
and fails for any view without one. Household views take `household_id` from the URL, work
out the request's *subject* (a membership now; a caregiver link once links exist) and give
404 — never 403 — to anyone who is not allowed, so another household's ids reveal nothing.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from backsoon.households.models import Household, Membership, Role


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
    """Who is acting in this household: an account's membership (or, later, a link)."""

    household: Household
    membership: Membership | None = None

    @property
    def is_parent(self) -> bool:
        return self.membership is not None and self.membership.role == Role.PARENT

    @property
    def is_caregiver(self) -> bool:
        return not self.is_parent

    @property
    def display_name(self) -> str:
        return self.membership.display_name if self.membership else ""


def resolve_subject(request, household_id: int) -> Subject | None:
    user = request.user
    if not user.is_authenticated:
        return None
    membership = (
        Membership.objects.select_related("household")
        .filter(household_id=household_id, user=user)
        .first()
    )
    if membership is None:
        return None
    return Subject(household=membership.household, membership=membership)


def access(level: Access, *, caregivers: bool = False):
    """Declare a view's access class and enforce it.

    caregivers: for `household` views, whether caregivers may see it (parents always may).
    """
    level = Access(level)

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
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise Http404
            if level is Access.HOUSEHOLD and not caregivers and not subject.is_parent:
                raise Http404
            if level is Access.PARENTS and not subject.is_parent:
                raise Http404
            request.subject = subject
            request.household = subject.household
            return view(request, *args, **kwargs)

        wrapped.access = level
        wrapped.allow_caregivers = caregivers or level is Access.PUBLIC
        return wrapped

    return decorator


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
