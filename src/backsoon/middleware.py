"""Middleware that keeps failures calm: a database busy, restarting or full, and an expired
htmx session."""

from __future__ import annotations

import errno

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render, resolve_url
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 5


class DatabaseBusyMiddleware:
    """A database that is busy, restarting or out of room answers 503 with a clear message
    and a retry hint, never a 500: nothing was saved, and trying again is safe."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        message = _problem(exception)
        if message is None:
            return None
        if request.path.startswith("/api/"):
            body = {"error": {"code": "unavailable", "message": message, "fields": []}}
            response = JsonResponse(body, status=503)
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        try:
            response = render(request, "503.html", {"message": message}, status=503)
        except Exception:  # the page itself needs the database that just went away
            response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


DISK_FULL = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}


def _problem(exc: BaseException) -> str | None:
    if isinstance(exc, OSError) and exc.errno in DISK_FULL:
        return _full()
    if not isinstance(exc, OperationalError | InterfaceError):
        return None
    text = str(exc).lower()
    if "database is locked" in text or "database is busy" in text:
        return _("Back Soon is busy for a moment. Please try again in a few seconds.")
    if "disk is full" in text or "disk i/o error" in text:
        return _full()
    if connection.vendor == "postgresql":
        # The connection broke (a restart, a network blip): the next request reconnects.
        return _("Back Soon lost its database for a moment. Please try again in a few seconds.")
    return None


def _full() -> str:
    return _(
        "Back Soon's disk is full, so this was not saved. Please try again later, and tell "
        "whoever runs Back Soon."
    )


class HtmxLoginRedirectMiddleware:
    """An htmx request whose session expired gets HX-Redirect, not a login page swapped in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.headers.get("HX-Request") and response.status_code in (301, 302):
            location = response.get("Location", "")
            if location.startswith(resolve_url(settings.LOGIN_URL)):
                redirect = HttpResponse(status=204)
                redirect["HX-Redirect"] = location
                return redirect
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, minus the work for answers with no document to protect.

    A 204 (the away page's "nothing new", every 20 s per open page) or a 304 has no body
    for a browser to run, so no policy is built for it; everything else gets the policy.
    """

    def process_response(self, request, response):
        if response.status_code in (204, 304):
            return response
        return super().process_response(request, response)
