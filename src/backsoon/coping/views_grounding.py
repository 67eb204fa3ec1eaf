"""Grounding tools, any time and offline once loaded, and the parent's own words for them.

All `owner`: the sentences, the friend's number and what a parent wrote about a caregiver
are theirs alone (the partner gets their own kit, never this one).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from backsoon.coping import content, services
from backsoon.coping.forms import KitForm, StrengthsForm
from backsoon.coping.models import CarerStrengths
from backsoon.households.access import Access, access
from backsoon.pwa import offline_ok
from backsoon.separations import services as separation_services
from backsoon.separations.views_common import household_time, owner_membership


def _next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and target.isprintable()  # a line break would make a broken Location header
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return fallback


@access(Access.OWNER)
@household_time
@offline_ok
def grounding(request, household_id):
    owner = owner_membership(request)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    words = content.grounding()
    kit = services.kit_of(owner)
    current = services.current_separation(owner)
    key = services.carer_key(current) if current else ""
    strengths = list(CarerStrengths.objects.filter(owner=owner))
    # Whoever is caring now (or next) comes first.
    strengths.sort(key=lambda s: s.carer_key != key)
    open_urge = services.open_urge(current, owner) if current and current.is_away else None
    return render(
        request,
        "coping/grounding.html",
        {
            "household": request.household,
            "words": words,
            "kit": kit,
            "real_lines": kit.lines() or list(words.real.lines),
            "strengths_list": strengths,
            "current": current,
            "strengths_missing": {"key": key, "name": current.carer_name}
            if key and not any(s.carer_key == key for s in strengths)
            else None,
            "open_urge": open_urge,
        },
    )


@access(Access.OWNER)
@household_time
def kit(request, household_id):
    """Your sentences, a friend to text, and the breathing pace."""
    owner = owner_membership(request)
    kit = services.kit_of(owner)
    words = content.grounding()
    initial = {} if kit.real_lines else {"real_lines": "\n".join(words.real.lines)}
    form = KitForm(request.POST or None, instance=kit, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.owner = owner
        saved.updated_at = timezone.now()
        saved.save()
        messages.success(request, _("Saved, just for you."))
        return redirect(_next(request, f"/h/{household_id}/grounding/"))
    return render(
        request,
        "coping/kit.html",
        {"household": request.household, "form": form, "next": _next(request, "")},
    )


def _carers(request, owner) -> dict[str, str]:
    """Who this parent can leave the baby with: {"m12": "Sam", "l5": "Grandma Ana"}."""
    return {c.value: c.name for c in separation_services.carers(request.household, owner)}


@access(Access.OWNER)
@household_time
def strengths(request, household_id):
    """What each caregiver is good at, written while you feel steady."""
    owner = owner_membership(request)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    carers = _carers(request, owner)
    saved = {s.carer_key: s for s in CarerStrengths.objects.filter(owner=owner)}
    rows = [(key, name, saved.get(key)) for key, name in carers.items()]
    return render(
        request,
        "coping/strengths.html",
        {"household": request.household, "rows": rows, "words": content.grounding()},
    )


@access(Access.OWNER)
@household_time
def strengths_edit(request, household_id, carer):
    owner = owner_membership(request)
    carers = _carers(request, owner)
    if carer not in carers:
        raise Http404
    name = carers[carer]
    saved = services.strengths_for(owner, carer)
    words = content.grounding()
    initial = {"text": saved.text if saved else "\n".join(words.strengths.lines)}
    form = StrengthsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        text = "\n".join(
            line.strip() for line in form.cleaned_data["text"].splitlines() if line.strip()
        )
        CarerStrengths.objects.update_or_create(
            owner=owner,
            carer_key=carer,
            defaults={"carer_name": name, "text": text, "updated_at": timezone.now()},
        )
        messages.success(
            request, _("Saved. It'll be here whenever %(name)s is caring.") % {"name": name}
        )
        return redirect(_next(request, f"/h/{household_id}/grounding/strengths/"))
    return render(
        request,
        "coping/strengths_edit.html",
        {
            "household": request.household,
            "form": form,
            "name": name,
            "words": words,
            "saved": saved,
            "next": _next(request, ""),
        },
    )
