"""The caregiver's urgent path: emergency number first, a confirmation, then the parent.

"Urgent — please call me" on the care panel is a POST that only shows the confirmation;
the second POST sends. The caregiver then sees whether it reached the parent, refreshed by a
small htmx poll or a "Check again" link, and can say it was pressed by mistake.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backsoon.coping import urgent
from backsoon.coping.models import UrgentCall
from backsoon.households.access import Access, access
from backsoon.notify.models import Notification
from backsoon.separations import services as separation_services
from backsoon.separations.caregiver import emergency_info
from backsoon.separations.models import Separation
from backsoon.separations.views_common import household_time
from backsoon.wellbeing.resources import emergency_number

STATUS_POLL_SECONDS = 4


def status_poll_seconds() -> int:
    return getattr(settings, "COPING_STATUS_POLL_SECONDS", STATUS_POLL_SECONDS)


def _caring(request, separation_id) -> Separation:
    """A separation this subject is the carer of; anyone else gets 404."""
    return get_object_or_404(
        Separation.objects.filter(separation_services.caring_for(request.subject)).select_related(
            "household", "leaver"
        ),
        pk=separation_id,
        household=request.household,
    )


def _call(request, call_id) -> UrgentCall:
    return get_object_or_404(
        UrgentCall.objects.select_related(
            "separation__leaver", "caller_membership", "caller_link"
        ).prefetch_related(
            *(f"{n}__deliveries__email" for n in ("notification", "mistake_notification"))
        ),
        pk=call_id,
        separation__household=request.household,
    )


def emergency_context(household) -> dict:
    return {
        "emergency_number": emergency_number(household.country),
        "call_now": emergency_info(household).call_now,
    }


@access(Access.HOUSEHOLD, caregivers=True)
@require_POST
@household_time
def urgent_call(request, household_id, separation_id):
    """First POST: the confirmation (emergency number first). Second POST: send it."""
    separation = _caring(request, separation_id)
    if not separation.is_away:
        messages.info(
            request,
            _("%(name)s is home already — you can call them directly.")
            % {"name": separation.leaver_name},
        )
        return redirect("separations:care_now", household_id=household_id)
    if request.POST.get("confirm") == "yes":
        key = request.POST.get("key", "")
        if not key or len(key) > 64 or "\x00" in key:  # PostgreSQL can't store a NUL
            return HttpResponseBadRequest()
        call = urgent.call_parent(separation, request.subject, key, timezone.now())
        return redirect("coping:urgent_status", household_id=household_id, call_id=call.pk)
    return render(
        request,
        "coping/urgent_confirm.html",
        {
            "household": request.household,
            "separation": separation,
            "key": separation_services.new_key(),
            **emergency_context(request.household),
        },
    )


def _status(call: UrgentCall) -> dict:
    first = urgent.outcome(call.notification)
    follow_up = urgent.outcome(call.mistake_notification) if call.mistake_at else None
    shown = follow_up or first
    return {
        "call": call,
        "outcome": first,
        "follow_up": follow_up,
        "settled": shown != Notification.Outcome.TRYING,
        "leaver_phone": call.separation.leaver.phone if call.separation.leaver else "",
        "poll_seconds": status_poll_seconds(),
    }


@access(Access.HOUSEHOLD, caregivers=True)
@household_time
def urgent_status(request, household_id, call_id):
    """Did it reach the parent? A parent opening this is shown their own view of the call."""
    call = _call(request, call_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    if not call.is_by(request.subject):
        if request.subject.is_parent:
            return redirect("coping:urgent_parent", household_id=household_id, call_id=call.pk)
        raise Http404
    context = {"household": request.household, **_status(call)}
    if request.headers.get("HX-Request"):
        return render(request, "coping/includes/urgent_status.html", context)
    return render(
        request, "coping/urgent_status.html", context | emergency_context(request.household)
    )


@access(Access.HOUSEHOLD, caregivers=True)
@require_POST
def urgent_mistake(request, household_id, call_id):
    call = _call(request, call_id)
    if not call.is_by(request.subject):
        raise Http404
    if urgent.pressed_by_mistake(call, timezone.now()):
        messages.success(
            request,
            _("We're letting %(name)s know all is fine.") % {"name": call.parent_name},
        )
    return redirect("coping:urgent_status", household_id=household_id, call_id=call.pk)


@access(Access.PARENTS)
@household_time
def urgent_parent(request, household_id, call_id):
    """The parents' view of an urgent call: who asked, when, and one tap to call back."""
    call = _call(request, call_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    return render(
        request,
        "coping/urgent_parent.html",
        {"household": request.household, "call": call, "separation": call.separation},
    )
