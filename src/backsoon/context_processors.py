"""Values every page needs: the help link, the plain-http hint, the household switcher."""

from __future__ import annotations

from functools import partial

from django.urls import reverse

from backsoon.households import services

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def site(request) -> dict:
    household = getattr(request, "household", None)
    help_url = reverse("wellbeing:help")
    if household is not None:
        help_url += f"?country={household.country}"
    # The raw header: get_host() raises for a host we don't serve, and the 400 page uses this too.
    host = request.META.get("HTTP_HOST", "").rsplit(":", 1)[0]
    return {
        "help_url": help_url,
        "plain_http_banner": not request.is_secure() and host not in LOCAL_HOSTS and bool(host),
        "current_household": household,
        "subject": getattr(request, "subject", None),
        # Called by a template only where it is shown (the login page's sign-up link).
        "signup_open": partial(services.signup_open, request),
    }
