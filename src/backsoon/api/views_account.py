"""Account-wide data pages: your own data to download, an import, deleting your account."""

from __future__ import annotations

import json

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backsoon.api.forms import DeleteAccountForm, ImportForm, PersonalImportForm
from backsoon.api.portability import personal
from backsoon.api.portability.deletion import delete_account, plan_account_deletion
from backsoon.api.portability.importer import ImportRefused, import_household
from backsoon.api.portability.personal_import import import_personal
from backsoon.households.access import Access, access
from backsoon.households.models import Membership


@access(Access.ACCOUNT)
def overview(request):
    memberships = list(
        Membership.objects.filter(user=request.user).select_related("household").order_by("pk")
    )
    return render(request, "api/account_data.html", {"memberships": memberships})


@access(Access.ACCOUNT)
def personal_data(request):
    """Everything kept about you alone, in every household you are in (JSON)."""
    body = json.dumps(
        personal.document_for_user(request.user),
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        indent=1,
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="backsoon-my-data-{day}.json"'
    response["Cache-Control"] = "no-store"
    return response


@access(Access.ACCOUNT)
def import_upload(request):
    """Load a household export into this server as a new household, with you as its parent."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = import_household(form.cleaned_data["file"], uploader=request.user)
        except ImportRefused as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(
                request,
                _("%(household)s is here, with its history and photos.")
                % {"household": result.household.name},
            )
            if result.people_left_out:
                messages.info(
                    request,
                    ngettext(
                        "Invite %(names)s again: they join with their own account.",
                        "Invite %(names)s again: each joins with their own account.",
                        len(result.people_left_out),
                    )
                    % {"names": ", ".join(result.people_left_out)},
                )
            return redirect("households:dashboard", household_id=result.household.pk)
    return render(request, "api/import.html", {"form": form})


@access(Access.ACCOUNT)
def personal_import(request):
    """Your own data from another server, into the households you are in here."""
    form = PersonalImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = import_personal(form.cleaned_data["file"], request.user)
        except ImportRefused as exc:
            form.add_error("file", str(exc))
        else:
            if result.households:
                messages.success(
                    request,
                    _("Your own notes are here, in %(households)s.")
                    % {"households": ", ".join(result.households)},
                )
            if result.not_here:
                messages.info(
                    request,
                    _("Not loaded, as you aren't in a household of that name here: %(names)s.")
                    % {"names": ", ".join(result.not_here)},
                )
            if result.left_out:
                messages.info(
                    request,
                    ngettext(
                        "%(n)d note was about something that isn't on this server, and was "
                        "left out.",
                        "%(n)d notes were about things that aren't on this server, and were "
                        "left out.",
                        result.left_out,
                    )
                    % {"n": result.left_out},
                )
            return redirect("api_pages:account")
    return render(request, "api/personal_import.html", {"form": form})


@access(Access.ACCOUNT)
@reauthentication_required(allow_get=True)
def account_delete(request):
    """After a clear warning and the password again: the account and its inner data go."""
    plan = plan_account_deletion(request.user)
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        delete_account(user)
        messages.success(request, _("Your account and everything kept about you are deleted."))
        return redirect("home")
    return render(request, "api/account_delete.html", {"plan": plan, "form": form})
