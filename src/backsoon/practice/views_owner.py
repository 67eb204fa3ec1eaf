"""The parent's own practice pages (`owner`): progress, the weekly note, the trial run.

The parent is in the URL, so the partner's attempt at these pages is a plain 404 — as is a
caregiver's, an outsider's, and a caregiver link's.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from backsoon import notify
from backsoon.households.access import Access, access
from backsoon.practice import display, weekly
from backsoon.practice import ladder as ladders
from backsoon.practice.forms import TrialForm, WeeklyForm
from backsoon.practice.progress import progress_for
from backsoon.separations import services as separation_services
from backsoon.separations.models import Separation, SeparationPrivate, ThankYou
from backsoon.separations.views_common import household_time


def own_parent(request, parent_id: int | None = None):
    """The subject themselves, a parent; anyone else gets 404."""
    me = request.subject.membership
    if not request.subject.is_parent or (parent_id is not None and parent_id != me.pk):
        raise Http404
    return me


@access(Access.OWNER)
@never_cache
@household_time
def progress(request, household_id, parent_id):
    me = own_parent(request, parent_id)
    figures = progress_for(me)
    return render(
        request,
        "practice/progress.html",
        {"household": request.household, "parent": me, **display.progress_context(figures)},
    )


@access(Access.OWNER)
@never_cache
@household_time
def week(request, household_id, parent_id):
    """This week in a few lines, and the weekly note on or off."""
    me = own_parent(request, parent_id)
    if request.method == "POST":
        form = WeeklyForm(request.POST)
        if form.is_valid():
            on = form.cleaned_data["on"]
            weekly.turn(me, on)
            messages.success(
                request,
                _("On. It comes on Sunday evenings, through your notifications.")
                if on
                else _("Off. No weekly note."),
            )
        return redirect("practice:week", household_id=household_id, parent_id=me.pk)
    note = weekly.note_of(me)
    return render(
        request,
        "practice/week.html",
        {
            "household": request.household,
            "parent": me,
            "lines": weekly.lines(weekly.week_for(me, timezone.now())),
            "note": note,
            "reachable": notify.reaches(me, "weekly"),
        },
    )


@access(Access.OWNER)
@household_time
def trial(request, household_id):
    """A trial run at home: the card to keep open, and noting how it went afterwards."""
    me = own_parent(request)
    household = request.household
    carers = separation_services.carers(household, me)
    step = next((s for s in ladders.steps_of(ladders.ensure_ladder(me)) if s.is_trial), None)
    form = TrialForm(
        request.POST or None,
        carers=carers,
        initial={"carer": carers[0].value if carers else "", "minutes": str(ladders.TRIAL_MINUTES)},
    )
    ready = bool(carers) and household.children.exists()
    if request.method == "POST" and ready and form.is_valid():
        _record_trial(me, form, step)
        messages.success(request, _("Noted. Every trial run is practice for both of you."))
        return redirect("practice:ladder", household_id=household_id, parent_id=me.pk)
    return render(
        request,
        "practice/trial.html",
        {"household": household, "form": form, "ready": ready, "parent": me},
    )


def _record_trial(me, form: TrialForm, step) -> Separation:
    data = form.cleaned_data
    now = timezone.now()
    start = now - timedelta(minutes=data["minutes"])
    plan = separation_services.PlanData(
        kind=Separation.Kind.PRACTICE,
        carer=form.carer_options[data["carer"]],
        children=list(me.household.children.all()),
        starts_at=start,
        minutes=data["minutes"],
        plan_note=_("Trial run at home"),
        agreed=[],
        practice_step=step,
    )
    with transaction.atomic():
        separation = separation_services.create_plan(me.household, me, plan, {"messages_aim": 0})
        Separation.objects.filter(pk=separation.pk).update(
            status=Separation.Status.BACK,
            left_at=start,
            back_at=start + timedelta(minutes=form.minutes_stayed_out()),
        )
        SeparationPrivate.objects.filter(separation=separation).update(
            feel=data["feel"], rated_at=now
        )
        if data["thank_you"].strip():
            ThankYou.objects.create(
                separation=separation,
                text=data["thank_you"].strip(),
                author_name=me.display_name,
            )
    return separation
