"""The leaving parent's own pages (`owner`): their notes before, the reunion, their messages.

Every lookup here goes through `own_separation`, which filters by the subject's membership:
the partner, a caregiver or anyone else gets 404 (DOMAIN.md, "Inner data belongs to its person").
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from backsoon.households.access import Access, access
from backsoon.households.services import zone
from backsoon.separations import display, schedule, services, thanks
from backsoon.separations.forms import PrivateForm
from backsoon.separations.forms_care import ReunionForm
from backsoon.separations.models import Separation, SeparationPrivate, SettledAfter
from backsoon.separations.views_away import carer_phone
from backsoon.separations.views_common import (
    SmsRedirect,
    household_time,
    own_separation,
    owner_membership,
)

QUICK = {SettledAfter.UNDER_5, SettledAfter.FROM_5_TO_15}
PRIVATE_FIELDS = ["feel", "worry_worst", "worry_after", "fear_outcome", "early_reason"]


def private_of(separation: Separation, owner) -> SeparationPrivate:
    private, _created = SeparationPrivate.objects.get_or_create(separation=separation, owner=owner)
    return private


def suggested_thanks(separation: Separation, checkins) -> str:
    household = separation.household
    tz = zone(household)
    posts = [
        thanks.Posted(
            at=c.created_at.astimezone(tz),
            state=c.state,
            all_good=c.all_good,
            photo=bool(c.photo),
            settled_quickly=any(s.get("after") in QUICK for s in c.settled),
            settled_now=c.settled_now,
        )
        for c in checkins
        if not (separation.back_at and c.created_at > separation.back_at)
    ]
    names = [child.name for child in separation.children.all()]
    return thanks.suggest(
        separation.carer_name, names, posts, lambda at: display.clock(at, household)
    )


@access(Access.OWNER)
@household_time
def reunion(request, household_id, separation_id):
    """One screen, all optional: worry, what happened to the fear, a specific thank-you."""
    separation = own_separation(
        request, separation_id, Separation.objects.select_related("household", "thank_you")
    )
    if not separation.is_back:
        return redirect(
            "separations:detail", household_id=household_id, separation_id=separation.pk
        )
    private = private_of(separation, request.subject.membership)
    early = bool(
        separation.left_at
        and schedule.ended_early(separation.left_at, separation.back_at, separation.planned_minutes)
    )
    existing = getattr(separation, "thank_you", None)
    checkins = list(separation.checkins.all())
    initial = {name: getattr(private, name) for name in PRIVATE_FIELDS}
    initial["thank_you"] = existing.text if existing else suggested_thanks(separation, checkins)
    form = ReunionForm(
        request.POST or None, initial=initial, asks_fear=bool(private.fear), asks_early=early
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        for name in PRIVATE_FIELDS:
            if name in data:
                setattr(private, name, data[name] if data[name] is not None else None)
        private.rated_at = timezone.now()
        private.save()
        if data["thank_you"].strip():
            services.thank(separation, data["thank_you"].strip(), request.subject.display_name)
            messages.success(
                request,
                _("Saved. %(name)s will see your thank-you on their page.")
                % {"name": separation.carer_name},
            )
        else:
            messages.success(request, _("Saved."))
        return redirect("households:dashboard", household_id=household_id)
    return render(
        request,
        "separations/reunion.html",
        {
            "household": request.household,
            "separation": separation,
            "private": private,
            "form": form,
            "early": early,
            "updates": len(checkins),
        },
    )


@access(Access.OWNER)
@household_time
def before(request, household_id, separation_id):
    """Your worry and fear about a planned separation: set while planning, never at the door."""
    separation = own_separation(request, separation_id)
    if not separation.is_planned:
        return redirect("separations:mine", household_id=household_id)
    private = private_of(separation, request.subject.membership)
    initial = {name: getattr(private, name) for name in PrivateForm.private_fields}
    form = PrivateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        for name, value in form.private_data().items():
            setattr(private, name, value)
        private.save()
        messages.success(request, _("Saved, just for you."))
        return redirect(
            "separations:detail", household_id=household_id, separation_id=separation.pk
        )
    return render(
        request,
        "separations/before.html",
        {"household": request.household, "separation": separation, "form": form},
    )


@access(Access.OWNER)
def message(request, household_id, separation_id):
    """The parent chose to send their one message: record it, then open their messaging app."""
    separation = own_separation(
        request, separation_id, Separation.objects.select_related("carer_membership", "carer_link")
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if separation.is_away:
        services.record_message(separation, request.subject.membership, timezone.now())
    body = quote(_("How are things going?"))
    return SmsRedirect(f"sms:{carer_phone(separation)}?body={body}")


@access(Access.OWNER)
@household_time
def mine(request, household_id):
    """Your own notes across separations: worry before, at worst, after; fear and reality."""
    me = owner_membership(request)
    separations = list(
        Separation.objects.filter(
            household=request.household, leaver=me, status=Separation.Status.BACK
        )
        .filter(private__owner=me)
        .select_related("private")
        .annotate(
            # A message after a missed agreed update never counts against the aim (DOMAIN.md).
            sent=Count(
                "parent_messages",
                filter=Q(parent_messages__owner=me, parent_messages__after_missed_update=False),
            )
        )
        .order_by("-left_at")[:100]
    )
    return render(
        request,
        "separations/mine.html",
        {"household": request.household, "separations": separations},
    )
