"""The installable app: manifest, service worker and offline page, served from the site root.

The service worker's precache list comes from the static files manifest, so it names the
hashed files of this release; both files are served with Cache-Control: no-cache.
"""

from __future__ import annotations

import hashlib
import json
from functools import wraps

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from backsoon.households.access import Access, access

OFFLINE_HEADER = "X-Backsoon-Offline"
PRECACHE = [
    "backsoon/css/app.css",
    "backsoon/js/app.js",
    "vendor/htmx/htmx-2.0.11.min.js",
    "backsoon/icons/icon-192.png",
    # The caregiver's page: an update posted on a bad connection waits in the outbox, so
    # these must be at hand before the first visit while the worker is active.
    "separations/separations.css",
    "coping/coping.css",
    "backsoon/js/outbox.js",
    "backsoon/js/photo-resize.js",
]


def offline_ok(view):
    """Mark a page the service worker may keep for reading without a network."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            response[OFFLINE_HEADER] = "1"
            response["Cache-Control"] = "private, no-cache"
        return response

    return wrapped


@access(Access.PUBLIC)
@require_GET
@cache_control(no_cache=True)
def manifest(request):
    data = {
        "name": "Back Soon",
        "short_name": "Back Soon",
        "description": _("Practise leaving your baby with someone you trust, a little at a time."),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f6f4ef",
        "theme_color": "#2f6f73",
        "icons": [
            {"src": static("backsoon/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("backsoon/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("backsoon/icons/maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")


@access(Access.PUBLIC)
@require_GET
@cache_control(no_cache=True)
def service_worker(request):
    precache = [static(path) for path in PRECACHE]
    # A new hashed name of any precached file is a new cache: nothing old lingers.
    version = hashlib.sha256("\n".join(precache).encode()).hexdigest()[:12] if _hashed() else "dev"
    body = render_to_string(
        "sw.js",
        {
            "version": json.dumps(version),
            "precache": json.dumps([*precache, "/offline/"]),
            "offline_header": json.dumps(OFFLINE_HEADER),
            "push_defaults": json.dumps(
                {
                    "title": "Back Soon",
                    "body": _("A new update"),
                    "icon": static("backsoon/icons/icon-192.png"),
                }
            ),
        },
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


def _hashed() -> bool:
    return hasattr(staticfiles_storage, "stored_name") and not settings.DEBUG


@access(Access.PUBLIC)
@require_GET
def offline(request):
    return render(request, "offline.html")


@access(Access.PUBLIC)
@require_GET
@cache_control(max_age=86400)
def favicon(request):
    return HttpResponseRedirect(static("backsoon/icons/icon-32.png"))


class ClearSiteDataOnLogoutMiddleware:
    """Logging out clears what this browser kept offline (STYLE.md: service worker pitfalls)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only a POST can log out: reading request.user on every request would cost the
        # account query the permission layer otherwise folds into the membership's.
        was_signed_in = (
            request.method == "POST" and hasattr(request, "user") and request.user.is_authenticated
        )
        response = self.get_response(request)
        if (
            request.method == "POST"
            and was_signed_in
            and request.resolver_match is not None
            and request.resolver_match.url_name == "account_logout"
        ):
            response["Clear-Site-Data"] = '"cache", "storage"'
        return response
