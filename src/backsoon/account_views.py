"""Account settings of our own, beside allauth's: logging out everywhere."""

from __future__ import annotations

from allauth.usersessions.adapter import get_adapter as get_usersessions_adapter
from allauth.usersessions.models import UserSession
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backsoon.households.access import Access, access


@access(Access.ACCOUNT)
@require_POST
def logout_everywhere(request):
    """End every session of this person: other phones and browsers, and this one."""
    get_usersessions_adapter().end_sessions(UserSession.objects.filter(user=request.user))
    logout(request)
    messages.success(
        request, _("You're logged out everywhere. Log in again on the devices you use.")
    )
    response = redirect("account_login")
    response["Clear-Site-Data"] = '"cache", "storage"'
    return response
