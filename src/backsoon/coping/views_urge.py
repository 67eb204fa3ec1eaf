"""The urge to check, or to go home: wait with a grounding tool, then one of three endings.

All `owner`: an urge is the leaving parent's inner data, so every lookup filters by their
membership and anyone else, the partner too, gets 404.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from backsoon import notify
from backsoon.coping import content, flow, services
from backsoon.coping.forms import EndForm, UrgeForm
from backsoon.coping.models import Urge
from backsoon.households.access import Access, access
from backsoon.notify.events import Event
from backsoon.pwa import offline_ok
from backsoon.separations.caregiver import emergency_info
from backsoon.separations.views_away import carer_phone
from backsoon.separations.views_common import (
    SmsRedirect,
    household_time,
    own_separation,
    owner_membership,
)

URGE_RELATED = (
    "separation__household",
    "separation__carer_membership",
    "separation__carer_link",
)


@access(Access.OWNER)
def urge_new(request, household_id, separation_id):
    """ "I want to check" / "I want to go home": a new urge, or back to the one still open."""
    separation = own_separation(request, separation_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not separation.is_away:
        messages.info(request, _("This time apart is over — welcome back."))
        return redirect(
            "separations:detail", household_id=household_id, separation_id=separation.pk
        )
    kind = request.POST.get("kind")
    if kind not in Urge.Kind.values:
        kind = Urge.Kind.CHECK
    urge = services.start_urge(separation, request.subject.membership, kind, timezone.now())
    return redirect("coping:urge", household_id=household_id, urge_id=urge.pk)


def _ending_response(request, urge: Urge, ended: services.Ended):
    separation = urge.separation
    if ended.recorded and urge.outcome == flow.Outcome.MESSAGE:
        phone = carer_phone(separation)
        if phone:
            body = quote(_("How are things going?"))
            return SmsRedirect(f"sms:{phone}?body={body}")
    # Ended already (a second tap), or no number: the page says what happened.
    return redirect("coping:urge", household_id=separation.household_id, urge_id=urge.pk)


@access(Access.OWNER)
@household_time
@offline_ok
def urge(request, household_id, urge_id):
    owner = owner_membership(request)
    urge = get_object_or_404(
        Urge.objects.select_related(*URGE_RELATED),
        pk=urge_id,
        owner=owner,
        separation__household=request.household,
    )
    separation = urge.separation
    now = timezone.now()
    ends_by = services.ends_by(separation, now)
    state = urge.state(ends_by)
    offered = flow.offered_wait(now, ends_by)
    form = end_form = None
    if request.method == "POST":
        if state.phase is flow.Phase.OFFERED:
            form = UrgeForm(request.POST, choices=flow.wait_choices(now, ends_by), offered=offered)
            if form.is_valid():
                data = form.cleaned_data
                if data["action"] == "wait":
                    reachable = data["buzz"] and notify.reaches(owner, Event.BUZZ)
                    services.begin_wait(
                        urge, now, data["minutes"], data["buzz"], data["strength"], reachable
                    )
                    return redirect("coping:urge", household_id=household_id, urge_id=urge.pk)
                services.set_strength(urge, data["strength"])
                ended = services.end_urge(urge, now, data["action"])
                return _ending_response(request, urge, ended)
        elif state.phase is flow.Phase.WAITING:
            end_form = EndForm(request.POST)
            if end_form.is_valid():
                data = end_form.cleaned_data
                ended = services.end_urge(urge, now, data["action"], data["strength_after"])
                return _ending_response(request, urge, ended)
        else:
            return redirect("coping:urge", household_id=household_id, urge_id=urge.pk)
    if state.phase is flow.Phase.OFFERED and form is None:
        form = UrgeForm(choices=flow.wait_choices(now, ends_by), offered=offered)
    if state.phase is flow.Phase.WAITING and end_form is None:
        end_form = EndForm()
    context = _urge_context(request, urge, state, now)
    context |= {"form": form, "end_form": end_form, "offered": offered}
    return render(request, "coping/urge.html", context)


def _urge_context(request, urge: Urge, state: flow.UrgeState, now) -> dict:
    separation = urge.separation
    owner = urge.owner
    context = {
        "household": request.household,
        "urge": urge,
        "separation": separation,
        "state": state,
        "phase": state.phase.value,
        "is_over": flow.is_over(state, now),
        "carer_phone": carer_phone(separation),
        "call_now": emergency_info(request.household).call_now,
    }
    if state.phase is not flow.Phase.ENDED:
        context["aim"] = services.messages_aim(separation, owner)
        context["sent"] = services.counted_messages(separation, owner)
    if state.phase is flow.Phase.WAITING:
        kit = services.kit_of(owner)
        words = content.grounding()
        key = services.carer_key(separation)
        strengths = services.strengths_for(owner, key)
        missing = {"key": key, "name": separation.carer_name} if key and not strengths else None
        context |= {
            "kit": kit,
            "words": words,
            "real_lines": kit.lines() or list(words.real.lines),
            "strengths_list": [strengths] if strengths else [],
            "strengths_missing": missing,
            "buzzing": urge.buzz_at is not None or urge.buzzed_at is not None,
        }
    return context


@access(Access.OWNER)
@household_time
def urges(request, household_id):
    """Your urges, for you alone: when, what, how strong, how long you waited, how it went."""
    owner = owner_membership(request)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    found = list(
        Urge.objects.filter(owner=owner, separation__household=request.household)
        .select_related("separation")
        .order_by("-created_at", "-pk")[:200]
    )
    return render(request, "coping/urges.html", {"household": request.household, "urges": found})
