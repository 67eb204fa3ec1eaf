"""Helpers shared by the separation views: scoped lookups and the household's clock."""

from __future__ import annotations

import functools

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone

from backsoon.households.services import zone
from backsoon.separations.models import Separation


def household_time(view):
    """Forms read and templates show times in the household's zone, for this request only."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        with timezone.override(zone(request.household)):
            return view(request, *args, **kwargs)

    return wrapped


def separation_for(request, separation_id: int, queryset=None) -> Separation:
    """A separation of this household, or 404 (ids from elsewhere reveal nothing)."""
    queryset = queryset if queryset is not None else Separation.objects.all()
    return get_object_or_404(queryset, pk=separation_id, household=request.household)


def owner_membership(request):
    """Owner pages are about a leaving parent's own data: anyone else gets 404."""
    if not request.subject.is_parent:
        raise Http404
    return request.subject.membership


def own_separation(request, separation_id: int, queryset=None) -> Separation:
    """One the subject is the leaving parent of; anyone else, the partner too, gets 404."""
    membership = owner_membership(request)
    queryset = queryset if queryset is not None else Separation.objects.all()
    return get_object_or_404(
        queryset, pk=separation_id, household=request.household, leaver=membership
    )


class SmsRedirect(HttpResponseRedirect):
    """A redirect into the phone's messaging app."""

    allowed_schemes = ["sms"]


def present(updates, separation) -> list:
    """What an update's card needs beyond its own fields."""
    for update in updates:
        agreed = getattr(update, "agreed", None)
        update.agreed_label = agreed.label if agreed else ""
        update.agreed_due = agreed.due_at if agreed else None
        update.after_return = bool(separation.back_at and update.created_at > separation.back_at)
    return updates
