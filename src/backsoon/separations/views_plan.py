"""Planning: a new plan, "same as last time", the plan page with its goodbye card, leaving."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backsoon.households.access import Access, access
from backsoon.households.models import Child
from backsoon.households.services import zone
from backsoon.practice import hooks as practice_hooks
from backsoon.separations import goodbye, schedule, services
from backsoon.separations.forms import AgainForm, PlanForm, RitualForm
from backsoon.separations.models import GoodbyeRitual, Separation
from backsoon.separations.views_common import (
    household_time,
    own_separation,
    present,
    separation_for,
)


def _children_months(household, children):
    today = timezone.localdate(timezone=zone(household))
    return [(child, child.age_in_months(today)) for child in children]


def goodbye_lines(household, children) -> list[dict]:
    lines = []
    for child, months in _children_months(household, children):
        ritual = getattr(child, "goodbye_ritual", None)
        lines.append(
            {
                "child": child,
                "ritual": ritual.text if ritual else goodbye.default_ritual(child.name),
                "tip": goodbye.age_tip(child.name, months),
            }
        )
    return lines


def has_tested_channel(membership) -> bool:
    """Whether updates can reach this parent outside the app (a channel that passed its test)."""
    from backsoon.notify.models import Channel

    return Channel.objects.filter(membership=membership, enabled=True, last_test_ok=True).exists()


@access(Access.PARENTS)
@household_time
def plan(request, household_id):
    household, leaver = request.household, request.subject.membership
    carers = services.carers(household, leaver)
    if not household.children.exists() or not carers:
        return render(
            request, "separations/plan_not_ready.html", {"household": household, "carers": carers}
        )
    initial = {
        "starts_at": schedule.rounded_up(timezone.now()),
        "minutes": "30",
        "children": [str(c.pk) for c in household.children.all()],
        "carer": carers[0].value,
    }
    steps = practice_hooks.plan_steps(leaver)
    step = practice_hooks.preselected(leaver, steps, request.GET.get("step"))
    if step is not None:
        initial |= {"step": str(step.pk), "minutes": str(step.minutes)}
    form = PlanForm(
        request.POST or None,
        initial=initial,
        household=household,
        leaver=leaver,
        carers=carers,
        steps=steps,
    )
    if request.method == "POST" and form.is_valid():
        separation = services.create_plan(household, leaver, form.plan(), form.private_data())
        messages.success(request, _("Planned. When it's time, this page has your goodbye."))
        return redirect(
            "separations:detail", household_id=household_id, separation_id=separation.pk
        )
    return render(request, "separations/plan_form.html", {"household": household, "form": form})


@access(Access.PARENTS)
@household_time
def edit(request, household_id, separation_id):
    separation = separation_for(request, separation_id)
    if not separation.is_planned:
        return redirect(
            "separations:detail", household_id=household_id, separation_id=separation.pk
        )
    household = request.household
    leaver = separation.leaver or request.subject.membership
    carers = services.carers(household, leaver)
    current = services.carer_of(separation)
    if current is not None and current.value not in {c.value for c in carers}:
        carers.append(current)
    initial = {
        "kind": separation.kind,
        "carer": current.value if current else "",
        "children": [str(c.pk) for c in separation.children.all()],
        "starts_at": separation.starts_at,
        "minutes": str(separation.planned_minutes),
        "plan_note": separation.plan_note,
        "no_agreed": not separation.agreed.exists(),
        "step": str(separation.practice_step_id or ""),
    }
    form = PlanForm(
        request.POST or None,
        initial=initial,
        household=household,
        leaver=leaver,
        carers=carers,
        separation=separation,
        with_private=False,
        steps=practice_hooks.plan_steps(separation.leaver),
    )
    if request.method == "POST" and form.is_valid():
        services.update_plan(separation, form.plan(), by=request.subject.membership)
        messages.success(request, _("Plan saved."))
        return redirect(
            "separations:detail", household_id=household_id, separation_id=separation.pk
        )
    return render(
        request,
        "separations/plan_form.html",
        {"household": household, "form": form, "separation": separation},
    )


@access(Access.PARENTS)
@household_time
def again(request, household_id):
    """ "Same as last time": the last plan's carer, children, length and agreement, from now."""
    household, leaver = request.household, request.subject.membership
    last = services.last_plan(household, leaver)
    if last is None or services.still_available(last) is None:
        return redirect("separations:plan", household_id=household_id)
    offer = practice_hooks.again_offer(leaver, last)
    form = AgainForm(request.POST or None, steps=[offer.step] if offer else ())
    if request.method == "POST" and form.is_valid():
        start = schedule.rounded_up(timezone.now(), 1) + timedelta(
            minutes=form.cleaned_data["when"]
        )
        separation = services.plan_again(last, leaver, start, step=form.chosen_step())
        if separation is None:
            return redirect("separations:plan", household_id=household_id)
        return redirect(
            "separations:detail", household_id=household_id, separation_id=separation.pk
        )
    return render(
        request,
        "separations/again.html",
        {"household": household, "last": last, "form": form, "next_step": offer},
    )


@access(Access.PARENTS)
@household_time
def detail(request, household_id, separation_id):
    queryset = Separation.objects.select_related("thank_you").prefetch_related(
        "agreed", "children__goodbye_ritual"
    )
    separation = separation_for(request, separation_id, queryset)
    if separation.is_away:
        return redirect("separations:away", household_id=household_id, separation_id=separation.pk)
    is_leaver = separation.leaver_id == request.subject.membership.pk
    children = list(separation.children.all())
    context = {
        "household": request.household,
        "separation": separation,
        "is_leaver": is_leaver,
        "children": children,
        "agreed": list(separation.agreed.all()),
    }
    if separation.is_planned and is_leaver:
        context["goodbye"] = goodbye_lines(request.household, children)
        context["no_channel"] = not has_tested_channel(request.subject.membership)
    if not separation.is_planned:
        context["checkins"] = present(
            list(separation.checkins.select_related("agreed")), separation
        )
    return render(request, "separations/detail.html", context)


@access(Access.PARENTS)
@require_POST
def cancel(request, household_id, separation_id):
    separation = separation_for(request, separation_id)
    if services.cancel(separation, by=request.subject.membership):
        messages.success(request, _("Cancelled. That's all right — plans change."))
    return redirect("households:dashboard", household_id=household_id)


@access(Access.PARENTS)
@require_POST
def leave(request, household_id, separation_id):
    """ "Leaving now": the clock starts. Only the parent who leaves can tap it."""
    separation = own_separation(request, separation_id)
    try:
        services.leave_now(separation, timezone.now())
    except services.AlreadyAway:
        messages.info(
            request, _("You're already away on another plan. Tap “I'm back” there first.")
        )
        return redirect(
            "separations:detail", household_id=household_id, separation_id=separation.pk
        )
    return redirect("separations:away", household_id=household_id, separation_id=separation.pk)


@access(Access.PARENTS)
def ritual(request, household_id, child_id):
    child = get_object_or_404(Child, pk=child_id, household=request.household)
    current = GoodbyeRitual.objects.filter(child=child).first()
    initial = {"text": current.text if current else goodbye.default_ritual(child.name)}
    form = RitualForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        GoodbyeRitual.objects.update_or_create(
            child=child, defaults={"text": form.cleaned_data["text"], "updated_at": timezone.now()}
        )
        messages.success(request, _("Saved. It shows on the goodbye card."))
        back = request.POST.get("back", "")
        if (
            back.isdecimal()  # isdigit takes "²", which int() refuses
            and Separation.objects.filter(pk=back, household=request.household).exists()
        ):
            return redirect(
                "separations:detail", household_id=household_id, separation_id=int(back)
            )
        return redirect("households:dashboard", household_id=household_id)
    return render(
        request,
        "separations/ritual_form.html",
        {
            "household": request.household,
            "child": child,
            "form": form,
            "back": request.GET.get("back", ""),
        },
    )
