"""The REST API at /api/v1/: django-ninja, OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

from backsoon.api import errors
from backsoon.api.auth import SessionAuth, TokenAuth
from backsoon.api.routes import checkins, households, ladders, mine, separations
from backsoon.api.throttle import PerCallerThrottle

DESCRIPTION = """
Script Back Soon and connect it to other tools. Everything the app shows you, the API shows
you, and nothing more: it goes through the same permission layer as the web pages.

**Authentication.** A personal access token, made and revoked in the app (“Your data” on
the household's page), sent as `Authorization: Bearer bs_…`. A token acts as one person in
one household — your membership, or a caregiver link — and is read-only or read-write. The
signed-in browser works too; writes then need the `X-CSRFToken` header.

**Access classes**, as in the app: `household` (anyone in it; caregivers where it says so),
`parents`, and `owner` — only the person the data is about, never the partner.
Somewhere you may not look answers 404, as if it weren't there.

**Errors** always look like `{"error": {"code": "not_found", "message": "…", "fields": []}}`.

**Limits:** 120 requests a minute per token (or session), then 429 with `Retry-After`.

**Times** are RFC 3339 date-times with an offset; the API answers in UTC.
"""


class CspSwagger(DocsBase):
    """Swagger UI from our own static files, started by a script file: no CDN, no inline
    script, so it works under the app's Content-Security-Policy."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs) -> HttpResponse:
        settings = {
            "url": self.get_openapi_url(api, kwargs),
            "layout": "BaseLayout",
            "deepLinking": True,
            "validatorUrl": None,
            "persistAuthorization": False,
        }
        return render(
            request,
            "api/docs.html",
            {"api": api, "swagger_settings": settings},
        )


api = NinjaAPI(
    title="Back Soon API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    throttle=[PerCallerThrottle()],
    docs=CspSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("", households.router)
api.add_router("", separations.router)
api.add_router("", checkins.router)
api.add_router("", mine.router)
api.add_router("", ladders.router)
