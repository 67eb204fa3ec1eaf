"""The self-checks (GAD-7, PHQ-9), their results and history, and the reminder: all `owner`."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from backsoon.households.access import Access, access
from backsoon.wellbeing import chart, scoring, services
from backsoon.wellbeing.forms import ReminderForm, SelfCheckForm
from backsoon.wellbeing.models import SelfCheckResult
from backsoon.wellbeing.owner import lines_for, own_membership
from backsoon.wellbeing.selfchecks import questionnaire


@access(Access.OWNER)
@never_cache
def take(request, household_id, check):
    owner = own_membership(request)
    kind = scoring.Check(check)
    text = questionnaire(kind)
    form = SelfCheckForm(text, request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.record(owner, kind, form.answers(), text.language)
        return redirect("wellbeing:result", household_id=household_id, result_id=result.pk)
    return render(
        request,
        "wellbeing/selfcheck.html",
        {
            "form": form,
            "questionnaire": text,
            "max_score": scoring.max_score(kind),
            # PHQ-9 item 9: the answer that shows crisis help at once (crisis.js).
            "crisis_field": f"item_{scoring.CRISIS_ITEM}" if kind is scoring.Check.PHQ9 else "",
            "country": lines_for(request),
        },
    )


@access(Access.OWNER)
@never_cache
def result(request, household_id, result_id):
    owner = own_membership(request)
    found = get_object_or_404(SelfCheckResult, pk=result_id, owner=owner)
    if found.needs_crisis_help:
        # Before any score: crisis help, and nothing else to read first.
        return render(
            request, "wellbeing/crisis.html", {"country": lines_for(request), "reason": "selfcheck"}
        )
    band = scoring.band(found.check_kind, found.score)
    return render(
        request,
        "wellbeing/result.html",
        {
            "result": found,
            "questionnaire": questionnaire(found.check_kind, found.language),
            "band": band,
            "max_score": scoring.max_score(found.check_kind),
            "look_further": scoring.suggests_looking_further(found.score),
            "country": lines_for(request),
        },
    )


@access(Access.OWNER)
@never_cache
def history(request, household_id):
    owner = own_membership(request)
    results = list(SelfCheckResult.objects.filter(owner=owner))
    series = []
    for kind in scoring.Check:
        mine = [r for r in results if r.kind == kind]
        if mine:
            series.append(
                {
                    "kind": kind.value,
                    "name": SelfCheckResult.Kind(kind.value).label,
                    "results": [(r, scoring.band(kind, r.score)) for r in mine],
                    "chart": chart.score_chart(
                        [(r.taken_at, r.score) for r in reversed(mine)],
                        scoring.max_score(kind),
                        [b.low for b in scoring.BANDS[kind][1:]],
                    ),
                }
            )
    return render(request, "wellbeing/history.html", {"series": series})


@access(Access.OWNER)
def delete_results(request, household_id):
    owner = own_membership(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.delete_results(owner)
    messages.success(request, _("Your self-check results are deleted."))
    return redirect("wellbeing:for_you", household_id=household_id)


@access(Access.OWNER)
@never_cache
def reminder(request, household_id):
    owner = own_membership(request)
    current = services.reminder_of(owner)
    form = ReminderForm(
        request.POST or None, initial={"every_weeks": current.every_weeks if current else None}
    )
    if request.method == "POST" and form.is_valid():
        every = form.cleaned_data["every_weeks"]
        services.set_reminder(owner, every)
        messages.success(
            request,
            _("Saved. We'll ask gently, now and then.") if every else _("Saved. No reminders."),
        )
        return redirect("wellbeing:for_you", household_id=household_id)
    return render(request, "wellbeing/reminder.html", {"form": form})
