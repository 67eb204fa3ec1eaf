"""Middleware that keeps failures calm: a busy database and an expired htmx session."""

from __future__ import annotations

from django.conf import settings
from django.db import OperationalError
from django.http import HttpResponse
from django.shortcuts import render, resolve_url
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 5


class DatabaseBusyMiddleware:
    """A write lock held too long answers 503 with a retry hint, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError) and _is_busy(exception):
            response = render(
                request,
                "503.html",
                {
                    "message": _(
                        "Back Soon is busy for a moment. Please try again in a few seconds."
                    )
                },
                status=503,
            )
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        return None


def _is_busy(exc: OperationalError) -> bool:
    text = str(exc).lower()
    return "database is locked" in text or "database is busy" in text


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
