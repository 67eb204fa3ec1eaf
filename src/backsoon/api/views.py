"""The "Your data" pages: the household export, personal access tokens for the API."""

from __future__ import annotations

import tempfile

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.db.models import Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backsoon.api import tokens
from backsoon.api.forms import TokenForm
from backsoon.api.models import ApiToken
from backsoon.api.portability.export import write_zip
from backsoon.households.access import Access, access

SPOOL_BYTES = 16 * 1024 * 1024  # a bigger export goes to a temporary file, not memory


@access(Access.HOUSEHOLD, caregivers=True, links=False)
def data(request, household_id):
    return render(request, "api/data.html", {"household": request.household})


@access(Access.PARENTS)
def export(request, household_id):
    """The household's data as a zip: household.json, the photos, and two CSV files.

    A POST (the button on the "Your data" page): making it is real work, so no link
    prefetcher or page on another site can start it.
    """
    if request.method != "POST":
        return redirect("api_pages:data", household_id=household_id)
    household = request.household
    # FileResponse closes it once sent.
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    write_zip(household, out)
    out.seek(0)
    day = timezone.localdate().isoformat()
    name = f"backsoon-{slugify(household.name) or 'household'}-{day}.zip"
    response = FileResponse(out, as_attachment=True, filename=name, content_type="application/zip")
    response["Cache-Control"] = "no-store"
    return response


def _manageable(request):
    """Your own tokens here, and (for parents) those of the household's caregiver links."""
    subject = request.subject
    mine = Q(membership=subject.membership)
    if subject.is_parent:
        mine |= Q(link__isnull=False)
    return ApiToken.objects.filter(mine, household=request.household)


def _form(request, data=None) -> TokenForm:
    links = request.household.caregiver_links.usable() if request.subject.is_parent else []
    return TokenForm(data, subject=request.subject, links=links)


@access(Access.HOUSEHOLD, caregivers=True, links=False)
def api_tokens(request, household_id):
    active = list(
        _manageable(request).active().select_related("membership", "link").order_by("-created_at")
    )
    return render(
        request,
        "api/tokens.html",
        {"household": request.household, "tokens": active, "form": _form(request)},
    )


@access(Access.HOUSEHOLD, caregivers=True, links=False)
@require_POST
@reauthentication_required
def token_new(request, household_id):
    """Made after the password is asked again; shown once, never stored."""
    form = _form(request, request.POST)
    if not form.is_valid():
        active = list(_manageable(request).active().select_related("membership", "link"))
        return render(
            request,
            "api/tokens.html",
            {"household": request.household, "tokens": active, "form": form},
            status=400,
        )
    link = form.link()
    token, raw = tokens.create_token(
        name=form.cleaned_data["name"],
        can_write=form.cleaned_data["access"] == "write",
        created_by=request.subject.membership,
        membership=None if link else request.subject.membership,
        link=link,
    )
    response = render(
        request,
        "api/token_created.html",
        {"household": request.household, "token": token, "raw": raw},
    )
    response["Cache-Control"] = "no-store"
    return response


@access(Access.HOUSEHOLD, caregivers=True, links=False)
@require_POST
def token_revoke(request, household_id, token_id):
    # Someone else's token is a plain 404, before any password is asked for.
    token = get_object_or_404(_manageable(request), pk=token_id)
    return _revoke(request, household_id, token)


@reauthentication_required
def _revoke(request, household_id, token):
    """After the password again, as for making one: the request resumes once it is given."""
    if tokens.revoke(token):
        messages.success(request, _("“%(name)s” no longer works.") % {"name": token.name})
    return redirect("api_pages:tokens", household_id=household_id)
