"""The ladder: seeing it (both parents), changing it (its own parent), and how it works.

A ladder is household data. The next-step suggestion and how often a step felt manageable
come from the parent's own ratings, so they are worked out only when the parent looks at
their own ladder — never for the partner.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backsoon.households.access import Access, access
from backsoon.households.models import Membership, Role
from backsoon.practice import evidence, words
from backsoon.practice import ladder as ladders
from backsoon.practice.forms import InBetweenForm, StepForm
from backsoon.practice.models import LadderStep
from backsoon.practice.rule import Action
from backsoon.separations.models import Separation
from backsoon.separations.views_common import household_time


def parent_of(request, parent_id: int) -> Membership:
    return get_object_or_404(
        Membership, pk=parent_id, household=request.household, role=Role.PARENT
    )


def own_step(request, step_id: int) -> LadderStep:
    """A step on the subject's own ladder; anyone else's, the partner's too, is 404."""
    return get_object_or_404(
        LadderStep.objects.select_related("ladder"),
        pk=step_id,
        ladder__owner=request.subject.membership,
    )


def ladder_url(membership: Membership) -> str:
    return reverse(
        "practice:ladder",
        kwargs={"household_id": membership.household_id, "parent_id": membership.pk},
    )


@access(Access.PARENTS)
def home(request, household_id):
    return redirect(ladder_url(request.subject.membership))


@access(Access.PARENTS)
@household_time
def ladder(request, household_id, parent_id):
    parent = parent_of(request, parent_id)
    me = request.subject.membership
    own = parent.pk == me.pk
    found = ladders.ensure_ladder(parent) if own else ladders.ladder_of(parent)
    steps = ladders.steps_of(found)
    counts = evidence.step_counts(parent, steps, with_feel=own)
    suggestion = evidence.suggestion_for(parent, steps) if own else None
    current = suggestion.current.id if suggestion and suggestion.current else None
    suggested = {s.id for s in suggestion.options} if suggestion else set()
    if suggestion and suggestion.action is Action.IN_BETWEEN:
        suggested = set()
    rows = [
        {
            "step": step,
            "times": counts.get(step.pk, {}).get("times", 0),
            "manageable": counts.get(step.pk, {}).get("manageable", 0),
            "current": step.pk == current,
            "suggested": step.pk in suggested,
        }
        for step in steps
    ]
    coming = list(
        Separation.objects.filter(
            household=request.household, leaver=parent, status=Separation.Status.PLANNED
        )
        .select_related("practice_step")
        .order_by("starts_at", "pk")[:5]
    )
    others = [
        m
        for m in request.household.memberships.filter(role=Role.PARENT).order_by("created_at")
        if m.pk != parent.pk
    ]
    context = {
        "household": request.household,
        "parent": parent,
        "own": own,
        "rows": rows,
        "coming": coming,
        "others": others,
        "editing": own and request.GET.get("edit") == "1",
    }
    if suggestion is not None:
        context["suggestion"] = {
            "s": suggestion,
            "headline": words.headline(suggestion),
            "reason": words.reason(suggestion),
            "variation": words.variation(suggestion),
            "in_between": InBetweenForm(
                initial={"step": suggestion.step.id, "minutes": suggestion.minutes}
            )
            if suggestion.action is Action.IN_BETWEEN
            else None,
        }
    return render(request, "practice/ladder.html", context)


def _step_page(request, form, step=None):
    return render(
        request,
        "practice/step_form.html",
        {"household": request.household, "form": form, "step": step},
    )


@access(Access.PARENTS)
def step_add(request, household_id):
    me = request.subject.membership
    form = StepForm(request.POST or None, initial={"kind": LadderStep.Kind.AWAY})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ladders.add_step(
            ladders.ensure_ladder(me),
            name=data["name"],
            minutes=data["minutes"],
            kind=data["kind"],
            idea=data["idea"],
        )
        messages.success(request, _("Added to your ladder."))
        return redirect(ladder_url(me) + "?edit=1")
    return _step_page(request, form)


@access(Access.PARENTS)
def step_edit(request, household_id, step_id):
    step = own_step(request, step_id)
    form = StepForm(request.POST or None, instance=step)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect(ladder_url(request.subject.membership) + "?edit=1")
    return _step_page(request, form, step)


@access(Access.PARENTS)
@require_POST
def step_remove(request, household_id, step_id):
    step = own_step(request, step_id)
    ladders.remove_step(step)
    messages.success(
        request,
        _("Removed “%(name)s”. Time apart you spent on it still counts.") % {"name": step.name},
    )
    return redirect(ladder_url(request.subject.membership) + "?edit=1")


@access(Access.PARENTS)
@require_POST
def step_move(request, household_id, step_id):
    step = own_step(request, step_id)
    ladders.move_step(step, up=request.POST.get("direction") != "down")
    return redirect(ladder_url(request.subject.membership) + f"?edit=1#step-{step.pk}")


@access(Access.PARENTS)
@require_POST
def in_between(request, household_id):
    """Add the suggested in-between step below the current one, then plan it."""
    me = request.subject.membership
    form = InBetweenForm(request.POST)
    if not form.is_valid():
        raise Http404
    above = get_object_or_404(LadderStep, pk=form.cleaned_data["step"], ladder__owner=me)
    try:
        step = ladders.add_in_between(above.ladder, above, form.cleaned_data["minutes"])
    except ladders.NoRoom:
        messages.info(request, _("Your ladder has changed since; here it is as it is now."))
        return redirect(ladder_url(me))
    messages.success(request, _("Added %(name)s to your ladder.") % {"name": step.name})
    return redirect(reverse("separations:plan", args=[household_id]) + f"?step={step.pk}")


@access(Access.PARENTS)
def how(request, household_id):
    """How the next-step suggestion works, in plain words, with its sources."""
    return render(request, "practice/how.html", {"household": request.household})
