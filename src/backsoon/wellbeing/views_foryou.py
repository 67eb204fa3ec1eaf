"""The "For you" page: a parent's own corner, with their help cards (owner)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Max
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from backsoon.households.access import Access, access
from backsoon.wellbeing import cards, services
from backsoon.wellbeing.forms import DismissForm, ReflectionForm
from backsoon.wellbeing.models import CardDismissal, SelfCheckResult
from backsoon.wellbeing.owner import lines_for, own_membership
from backsoon.wellbeing.reflection import CRISIS_FIELDS
from backsoon.wellbeing.reflection import reflection as reflection_text


@access(Access.OWNER)
@never_cache
def for_you(request, household_id):
    owner = own_membership(request)
    last_taken = dict(
        SelfCheckResult.objects.filter(owner=owner)
        .order_by()
        .values("kind")
        .annotate(last=Max("taken_at"))
        .values_list("kind", "last")
    )
    return render(
        request,
        "wellbeing/for_you.html",
        {
            "cards": cards.cards_for(owner),
            "last_gad7": last_taken.get("gad7"),
            "last_phq9": last_taken.get("phq9"),
            "reminder": services.reminder_of(owner),
            "children": list(request.household.children.all()),
        },
    )


@access(Access.OWNER)
def dismiss(request, household_id):
    """ "I already have support" (for good) or "Not now" on one of the person's own cards."""
    owner = own_membership(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = DismissForm(request.POST)
    if form.is_valid() and cards.dismiss(owner, **form.cleaned_data):
        if form.cleaned_data["choice"] == CardDismissal.Choice.HAVE_SUPPORT:
            messages.success(request, _("Good to hear you have support. We won't show that again."))
        else:
            messages.success(request, _("All right. It's here if you want it later."))
    return redirect("wellbeing:for_you", household_id=household_id)


@access(Access.OWNER)
@never_cache
def reflection(request, household_id):
    """ "How is it going?": answers are looked at once and never stored."""
    own_membership(request)
    text = reflection_text()
    form = ReflectionForm(text, request.POST or None)
    if request.method == "POST" and form.is_valid():
        said = form.said_yes()
        crisis = next((key for key in CRISIS_FIELDS if key in said), None)
        if crisis:
            return render(
                request, "wellbeing/crisis.html", {"country": lines_for(request), "reason": crisis}
            )
        return render(
            request,
            "wellbeing/reflection_result.html",
            {
                "reflection": text,
                "answered": [q for q in text.questions if q.key in said],
                "country": lines_for(request),
            },
        )
    return render(
        request,
        "wellbeing/reflection.html",
        {
            "reflection": text,
            "form": form,
            "country": lines_for(request),
            "crisis_fields": " ".join(CRISIS_FIELDS),
        },
    )
