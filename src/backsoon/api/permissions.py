"""The web's access classes, applied to each API operation.

Every operation declares one with `@api_access(...)` (a test checks that none is missing).
The check runs with authentication (auth.py, `Guarded`), before the request's parameters and
body are read: someone who may not be here learns nothing from a 422.

Household operations take `household_id` from the path, find the caller's subject there,
and answer 404 — never 403 — to anyone who may not see it, as the web does. 403 is kept
for "you can see this but not do that": a read-only token writing, a partner pressing the
leaving parent's "I'm back".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.operation import Operation
from ninja.utils import contribute_operation_callback

from backsoon.api.auth import SAFE_METHODS, Caller, SessionAuth, TokenAuth
from backsoon.api.errors import forbidden, not_found
from backsoon.households.access import Access


@dataclass(frozen=True)
class Rule:
    level: Access
    caregivers: bool
    links: bool

    def enforce(self, request: HttpRequest, caller: Caller) -> None:
        if request.method not in SAFE_METHODS and not caller.can_write:
            raise forbidden("read_only_token", _("This token can only read."))
        if self.level in (Access.PUBLIC, Access.ACCOUNT):
            return
        household_id = _household_id(request)
        subject = caller.subject(request, household_id) if household_id else None
        if subject is None:
            raise not_found()
        if subject.is_link and not (self.links and self.level is Access.HOUSEHOLD):
            raise not_found()
        if self.level is Access.HOUSEHOLD and not self.caregivers and not subject.is_parent:
            raise not_found()
        if self.level is Access.PARENTS and not subject.is_parent:
            raise not_found()
        request.subject = subject
        request.household = subject.household


def _household_id(request: HttpRequest) -> int | None:
    """From the path, before ninja has read it: a bad one is simply nobody's household."""
    value = str(request.resolver_match.kwargs.get("household_id", ""))
    # isdecimal, not isdigit: "²" is a digit int() refuses (it was a 500)
    return int(value) if value.isdecimal() and 0 < len(value) <= 15 else None


def _guard(rule: Rule, operation: Operation) -> None:
    operation.auth_param = [TokenAuth(rule), SessionAuth(rule)]
    operation._set_auth(operation.auth_param)


def api_access(level: Access, *, caregivers: bool = False, links: bool | None = None):
    """Declare and enforce an operation's access class (see households/access.py).

    caregivers: for `household` operations, whether caregivers may call it (parents always
    may). links: whether a caregiver link may (defaults to `caregivers`). Operations then
    find the subject on `request.subject` and the household on `request.household`.
    """
    rule = Rule(Access(level), caregivers, caregivers if links is None else links)

    def decorator(view):
        view.api_access = rule.level
        view.allow_caregivers = rule.caregivers
        view.allow_links = rule.links
        contribute_operation_callback(view, partial(_guard, rule))
        return view

    return decorator
