from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from backsoon.households.access import Access, access
from backsoon.wellbeing.resources import countries, resources_for

COUNTRY_PARAM = re.compile(r"[A-Za-z]{2}")


@access(Access.PUBLIC)
def help_now(request: HttpRequest) -> HttpResponse:
    """Crisis lines first, then support lines, for ?country=XX or the server's default."""
    raw = request.GET.get("country", "").strip()
    code = raw.upper() if COUNTRY_PARAM.fullmatch(raw) else settings.DEFAULT_COUNTRY
    return render(
        request,
        "wellbeing/help.html",
        {"country": resources_for(code), "countries": countries()},
    )
