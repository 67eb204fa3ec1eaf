"""Notification settings: a subject's own channels, and a parent's for a caregiver link."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backsoon.households.access import Access, access
from backsoon.households.models import CaregiverLink
from backsoon.notify import events
from backsoon.notify.devices import device_label, parse_subscription
from backsoon.notify.forms import AppriseChannelForm, EmailChannelForm, EventsForm, QuietHoursForm
from backsoon.notify.models import Channel, QuietHours
from backsoon.notify.sending import send_test
from backsoon.notify.subjects import Whom, whom


@access(Access.HOUSEHOLD, caregivers=True)
def notifications(request, household_id):
    return _channels_page(request, whom(request.subject))


@access(Access.PARENTS)
def link_reminders(request, household_id, link_id):
    link = get_object_or_404(
        CaregiverLink.objects.usable(), pk=link_id, household=request.household
    )
    return _channels_page(request, Whom(request.household, None, link))


def _channels_page(request, owner: Whom):
    for_link_by_parent = owner.link is not None and request.subject.link is None
    # Apprise can reach into any network the server can: only accounts may add it.
    apprise_allowed = request.subject.membership is not None
    posted = request.POST.get("form") if request.method == "POST" else None
    email_form = EmailChannelForm(request.POST if posted == "email" else None, prefix="email")
    apprise_form = AppriseChannelForm(
        request.POST if posted == "apprise" and apprise_allowed else None, prefix="apprise"
    )
    quiet = QuietHours.objects.filter(owner.q()).first()
    quiet_form = QuietHoursForm(
        request.POST if posted == "quiet" else None,
        prefix="quiet",
        initial={"start": quiet.start, "end": quiet.end} if quiet else None,
    )
    added_by = request.subject.membership
    if posted == "email" and email_form.is_valid():
        address = email_form.cleaned_data["address"]
        _add_channel(owner, Channel.Kind.EMAIL, {"address": address}, address, added_by)
        messages.success(request, _("Added. Send a test to check it arrives."))
        return redirect(request.path)
    if posted == "apprise" and apprise_form.is_valid():
        data = apprise_form.cleaned_data
        _add_channel(owner, Channel.Kind.APPRISE, {"url": data["url"]}, data["label"], added_by)
        messages.success(request, _("Added. Send a test to check it arrives."))
        return redirect(request.path)
    if posted == "quiet" and quiet_form.is_valid():
        QuietHours.objects.update_or_create(
            **owner.fields(),
            defaults={
                "start": quiet_form.cleaned_data["start"],
                "end": quiet_form.cleaned_data["end"],
            },
        )
        messages.success(request, _("Quiet hours saved."))
        return redirect(request.path)
    if posted and posted not in ("email", "apprise", "quiet"):
        return HttpResponseBadRequest()
    channels = list(
        Channel.objects.filter(owner.q()).select_related("added_by").order_by("created_at", "pk")
    )
    cards = [
        (
            channel,
            EventsForm(
                prefix=f"channel-{channel.pk}",
                initial={"events": channel.events},
                is_parent=owner.is_parent,
            ),
            events.summary(channel.events, owner.is_parent),
        )
        for channel in channels
    ]
    links = []
    if request.subject.is_parent and owner.membership is not None:
        links = list(request.household.caregiver_links.usable())
    return render(
        request,
        "notify/notifications.html",
        {
            "household": request.household,
            "owner": owner,
            "for_link_by_parent": for_link_by_parent,
            "cards": cards,
            "email_form": email_form,
            "apprise_form": apprise_form if apprise_allowed else None,
            "quiet_form": quiet_form,
            "quiet": quiet if quiet and quiet.is_set else None,
            "links": links,
            "push_key": settings.VAPID_PUBLIC_KEY if not for_link_by_parent else "",
            "time_zone": request.household.time_zone,
        },
    )


def _add_channel(owner: Whom, kind: str, config: dict, label: str, added_by) -> Channel:
    for channel in Channel.objects.filter(owner.q(), kind=kind):
        if channel.config == config:
            return _turn_on(channel, label)
    return Channel.objects.create(
        **owner.fields(),
        kind=kind,
        config=config,
        label=label,
        events=events.defaults(owner.is_parent),
        added_by=added_by,
    )


def _turn_on(channel: Channel, label: str) -> Channel:
    channel.enabled = True
    channel.disabled_reason = ""
    channel.disabled_at = None
    channel.label = label
    channel.save(update_fields=["enabled", "disabled_reason", "disabled_at", "label"])
    return channel


@access(Access.HOUSEHOLD, caregivers=True)
@require_POST
def push_subscribe(request, household_id):
    """This device's PushSubscription, posted by notify/push.js."""
    try:
        data = json.loads(request.body or b"null")
    except ValueError:
        data = None
    config = parse_subscription(data)
    if config is None:
        return JsonResponse(
            {"error": _("This browser's notification address couldn't be used.")}, status=400
        )
    owner = whom(request.subject)
    label = device_label(request.headers.get("User-Agent", ""))
    for channel in Channel.objects.filter(owner.q(), kind=Channel.Kind.WEBPUSH):
        if channel.config.get("endpoint") == config["endpoint"]:
            channel.config = config
            channel.save(update_fields=["config"])
            _turn_on(channel, label)
            return JsonResponse({"channel": channel.pk})
    channel = Channel.objects.create(
        **owner.fields(),
        kind=Channel.Kind.WEBPUSH,
        config=config,
        label=label,
        events=events.defaults(owner.is_parent),
        added_by=request.subject.membership,
    )
    return JsonResponse({"channel": channel.pk}, status=201)


def _manageable(request) -> Q:
    """A subject's own channels; a parent's also include the household's caregiver links'."""
    subject = request.subject
    mine = Q(membership=subject.membership) if subject.membership else Q(link=subject.link)
    if subject.is_parent:
        mine |= Q(link__household=request.household)
    return mine


def _channel_or_404(request, channel_id) -> Channel:
    return get_object_or_404(
        Channel.objects.select_related("membership__household", "link__household"),
        _manageable(request),
        pk=channel_id,
    )


def _back_to(request, channel: Channel) -> str:
    if channel.link_id and request.subject.link is None:
        page = reverse("notify:link_reminders", args=[request.household.pk, channel.link_id])
    else:
        page = reverse("notify:settings", args=[request.household.pk])
    return f"{page}#channel-{channel.pk}"


@access(Access.HOUSEHOLD, caregivers=True)
@require_POST
def channel_action(request, household_id, channel_id):
    channel = _channel_or_404(request, channel_id)
    action = request.POST.get("action")
    if action == "events":
        is_parent = channel.membership is not None and channel.membership.is_parent
        form = EventsForm(request.POST, prefix=f"channel-{channel.pk}", is_parent=is_parent)
        if not form.is_valid():
            return HttpResponseBadRequest()
        channel.events = form.cleaned_data["events"]
        channel.save(update_fields=["events"])
        messages.success(request, _("Saved."))
    elif action == "test" and channel.enabled:
        send_test(channel)
    elif action == "remove":
        page = _back_to(request, channel).split("#")[0]
        channel.delete()
        messages.success(request, _("Removed. Nothing more will be sent there."))
        return redirect(page)
    else:
        return HttpResponseBadRequest()
    return redirect(_back_to(request, channel))


@access(Access.HOUSEHOLD, caregivers=True)
def channel_test_status(request, household_id, channel_id):
    """The result of the last test, polled by htmx: 204 while the worker is still on it."""
    channel = _channel_or_404(request, channel_id)  # first: another's id is a 404 either way
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    if request.headers.get("HX-Request") and channel.test_pending:
        return HttpResponse(status=204)
    return render(
        request,
        "notify/_test_status.html",
        {"channel": channel, "household": request.household},
    )
