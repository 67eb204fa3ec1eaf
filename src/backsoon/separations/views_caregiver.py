"""The caregiver posts: "All good" in one tap, or a photo, a few words, how the baby is.

Plain POST forms with a redirect after, so they work without JavaScript and survive a
reload; each form carries a fresh idempotency key, so a retried post never duplicates.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backsoon.households.access import Access, access
from backsoon.separations import services
from backsoon.separations.caregiver import care_panel_context
from backsoon.separations.forms_care import CheckInForm
from backsoon.separations.models import Separation, Settling
from backsoon.separations.views_common import household_time


def _next_url(request, household_id) -> str:
    target = request.POST.get("next", "")
    # A path of ours, printable (a line break would be a broken Location header, and a bare
    # word would be looked up as a view name): anything else goes to the caregiver's page.
    if (
        target.startswith("/")
        and target.isprintable()
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return reverse("separations:care_now", kwargs={"household_id": household_id})


def _caring(request, separation_id) -> Separation:
    """A separation this subject is the carer of; any other caregiver gets 404."""
    return get_object_or_404(
        Separation.objects.filter(services.caring_for(request.subject)).select_related("household"),
        pk=separation_id,
        household=request.household,
    )


@access(Access.HOUSEHOLD, caregivers=True)
@household_time
def care_now(request, household_id):
    return render(
        request,
        "separations/care_now.html",
        {"household": request.household, **care_panel_context(request)},
    )


def _not_open(request, separation: Separation, household_id):
    """Posting when it is over (or not started): thanked, never told off."""
    if separation.is_planned:
        messages.info(
            request,
            _("Not started yet — you can post once %(name)s has left.")
            % {"name": separation.leaver_name},
        )
    else:
        messages.info(
            request,
            _("%(name)s is home already. Thank you all the same!")
            % {"name": separation.leaver_name},
        )
    return redirect(_next_url(request, household_id))


@access(Access.HOUSEHOLD, caregivers=True)
@require_POST
@household_time
def care_post(request, household_id, separation_id):
    separation = _caring(request, separation_id)
    now = timezone.now()
    if not services.can_post(separation, now):
        return _not_open(request, separation, household_id)
    asks = separation.is_away and not Settling.objects.filter(separation=separation).exists()
    form = CheckInForm(
        request.POST,
        request.FILES,
        children=separation.children.all(),
        ask_settled=asks,
        auto_id=f"care{separation.pk}_%s",
    )
    if not form.is_valid():
        context = care_panel_context(request, form=form, form_for=separation.pk)
        return render(
            request, "separations/care_now.html", {"household": request.household, **context}
        )
    data = form.cleaned_data
    post = services.Post(
        all_good=request.POST.get("action") == "all_good",
        state=data["state"],
        message=data["message"].strip(),
        ate_less=data["ate_less"],
        looked_around=data["looked_around"],
        settled=form.settled(),
        photo=data["photo"],
    )
    services.post_checkin(separation, request.subject, data["key"], post, now)
    messages.success(request, _("Sent. %(name)s will see it.") % {"name": separation.leaver_name})
    return redirect(_next_url(request, household_id))


@access(Access.HOUSEHOLD, caregivers=True)
@require_POST
def care_settled(request, household_id, separation_id):
    """ "Settled now", one tap after a "not settled yet"."""
    separation = _caring(request, separation_id)
    now = timezone.now()
    key = request.POST.get("key", "")
    if not key or len(key) > 64 or "\x00" in key:  # PostgreSQL can't store a NUL
        return HttpResponseBadRequest()
    if not services.can_post(separation, now):
        return _not_open(request, separation, household_id)
    services.settle_now(separation, request.subject, key, now)
    messages.success(
        request,
        _("Thank you — %(name)s will be glad to hear it.") % {"name": separation.leaver_name},
    )
    return redirect(_next_url(request, household_id))
