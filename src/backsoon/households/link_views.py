"""Caregiver links: a parent shares access with someone who has no account."""

from __future__ import annotations

from datetime import datetime, time

import segno
from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from backsoon.households import ratelimit, services
from backsoon.households.access import (
    CLEAR_OFFLINE_COPIES,
    Access,
    access,
    forget_link,
    link_gone_response,
    remember_link,
)
from backsoon.households.forms import normalise_phone
from backsoon.households.models import CaregiverLink, hash_token
from backsoon.notify.models import Channel


class CaregiverLinkForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Their name"),
        max_length=60,
        help_text=gettext_lazy("As you'd greet them, for example “Grandma Ana”."),
    )
    phone = forms.CharField(
        label=gettext_lazy("Their phone number"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        help_text=gettext_lazy("Optional. For sending the link by text message."),
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Stops working after"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Optional. Leave empty to keep it until you withdraw it."),
    )

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.household = household

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"], self.household.country)

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day and day < timezone.localdate(timezone=services.zone(self.household)):
            raise forms.ValidationError(_("That date has already passed."), code="past")
        return day


def _end_of_day(day, household) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=services.zone(household))


@access(Access.PARENTS)
def links(request, household_id):
    household = request.household
    form = CaregiverLinkForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid() and not ratelimit.share_allowed(request):
        form.add_error(None, ratelimit.SHARE_LIMIT_MESSAGE)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        link, token = CaregiverLink.create(
            household=household,
            name=data["name"],
            phone=data["phone"],
            created_by=request.subject.membership,
            expires_at=_end_of_day(data["expires_on"], household) if data["expires_on"] else None,
        )
        url = request.build_absolute_uri(reverse("households:link_open", args=[token]))
        text = _("Hello %(name)s, here is the care sheet for our little one: %(url)s") % {
            "name": link.name,
            "url": url,
        }
        sms_to = link.phone
        return render(
            request,
            "households/link_share.html",
            {
                "household": household,
                "link": link,
                "url": url,
                "sms_href": f"sms:{sms_to}?" + urlencode({"body": text}),
                "qr_data_uri": segno.make(url, error="m").svg_data_uri(scale=5, border=2),
            },
        )
    now = timezone.now()
    all_links = list(household.caregiver_links.all())
    return render(
        request,
        "households/links.html",
        {
            "household": household,
            "form": form,
            "active": [link for link in all_links if link.state(now) == "active"],
            "ended": [link for link in all_links if link.state(now) != "active"][:20],
        },
    )


@access(Access.PARENTS)
@require_POST
def link_revoke(request, household_id, link_id):
    link = get_object_or_404(CaregiverLink, pk=link_id, household=request.household)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        messages.success(
            request, _("The link for %(name)s has stopped working.") % {"name": link.name}
        )
    return redirect("households:links", household_id=household_id)


def _find_link(token: str) -> CaregiverLink | None:
    if not token or len(token) > 100:
        return None
    return (
        CaregiverLink.objects.select_related("household", "created_by")
        .filter(token_hash=hash_token(token))
        .first()
    )


@access(Access.PUBLIC)
def link_open(request, token):
    """Opening takes one tap (a POST), so link previews and mail scanners change nothing."""
    if ratelimit.token_guesses_exceeded(request):
        return ratelimit.too_many(request)
    link = _find_link(token)
    if link is None:
        ratelimit.record_token_miss(request)
    if link is None or link.state() != "active":
        state = "unknown" if link is None else link.state()
        if link is not None:
            forget_link(request, link.household_id)
        response = render(
            request,
            "households/link_invalid.html",
            {"state": state},
            status=404 if link is None else 410,
        )
        response["Clear-Site-Data"] = CLEAR_OFFLINE_COPIES
        return response
    if request.method == "POST":
        if request.POST.get("action") == "stop":
            link.revoked_at = timezone.now()
            link.stopped_by_caregiver = True
            link.save(update_fields=["revoked_at", "stopped_by_caregiver"])
            forget_link(request, link.household_id)
            return link_gone_response(request, stopped=True)
        now = timezone.now()
        CaregiverLink.objects.filter(pk=link.pk, first_opened_at__isnull=True).update(
            first_opened_at=now
        )
        CaregiverLink.objects.filter(pk=link.pk).update(last_used_at=now)
        request.session.cycle_key()
        remember_link(request, link)
        return redirect("caresheets:care", household_id=link.household_id)
    return render(
        request,
        "households/link_open.html",
        {
            "link": link,
            "first_time": link.first_opened_at is None,
            "channels": _reminders_of(link),
        },
    )


@access(Access.HOUSEHOLD, caregivers=True)
def link_about(request, household_id):
    """What is kept about the person on this link, and a way to stop it."""
    link = request.subject.link
    if request.method == "POST" and link is not None and request.POST.get("action") == "stop":
        link.revoked_at = timezone.now()
        link.stopped_by_caregiver = True
        link.save(update_fields=["revoked_at", "stopped_by_caregiver"])
        forget_link(request, household_id)
        return link_gone_response(request, stopped=True)
    return render(
        request,
        "households/link_about.html",
        {"household": request.household, "link": link, "channels": _reminders_of(link)},
    )


def _reminders_of(link) -> list:
    """Where this link's reminders go (a parent may have added an email or SMS for it):
    part of what is kept about the person, so the page says so instead of "nothing"."""
    if link is None:
        return []
    return list(Channel.objects.filter(link=link, enabled=True).only("kind", "label"))
