"""Your private calendar feed: make it (the URL is shown once), replace it, or stop it."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from backsoon.households.access import Access, access
from backsoon.households.models import Membership
from backsoon.separations import calendar, feeds
from backsoon.separations.models import Separation

FEED_DAYS_BACK = 7  # a time apart stays in the calendar for a week after it
FEED_MAX = 500
READ_PRECISION = timedelta(minutes=5)


@access(Access.HOUSEHOLD, caregivers=True, links=False)
def calendar_page(request, household_id):
    membership = request.subject.membership
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            _feed, token = feeds.new_feed(membership)
            url = request.build_absolute_uri(reverse("separations:calendar_feed", args=[token]))
            response = render(
                request,
                "separations/calendar.html",
                {"household": request.household, "feed_url": url, "webcal_url": _webcal(url)},
            )
            response["Cache-Control"] = "no-store"  # the URL is shown once, never kept
            return response
        if action == "stop":
            if feeds.revoke(membership):
                messages.success(request, _("Stopped. That address shows nothing any more."))
            return redirect("separations:calendar", household_id=household_id)
        return HttpResponseBadRequest()
    return render(
        request,
        "separations/calendar.html",
        {"household": request.household, "feed": feeds.live_feed(membership)},
    )


def _webcal(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("webcal", *parts[1:]))


@access(Access.PUBLIC)
def calendar_feed(request, token):
    """The feed itself. Calendar apps can't log in: the token is the access."""
    feed = feeds.find_feed(token)
    if feed is None:
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    now = timezone.now()
    if feed.last_read_at is None or now - feed.last_read_at > READ_PRECISION:
        feeds.CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=now)
    membership = feed.membership
    body = calendar.build(
        _aparts(request, membership, now),
        name=_("Back Soon — %(household)s") % {"household": membership.household.name},
        host=request.get_host().split(":")[0] or "backsoon",
        now=now,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Disposition"] = 'inline; filename="back-soon.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


def _aparts(request, membership: Membership, now) -> list[calendar.Apart]:
    """This household's times apart; a caregiver's only those they stay for."""
    separations = Separation.objects.filter(
        household_id=membership.household_id, starts_at__gte=now - timedelta(days=FEED_DAYS_BACK)
    ).prefetch_related("children", "agreed")
    if not membership.is_parent:
        separations = separations.filter(carer_membership=membership)
    found = []
    for separation in separations.order_by("starts_at", "pk")[:FEED_MAX]:
        page = (
            reverse("separations:detail", args=[membership.household_id, separation.pk])
            if membership.is_parent
            else reverse("separations:care_now", args=[membership.household_id])
        )
        found.append(
            calendar.Apart(
                id=separation.pk,
                leaver=separation.leaver_name,
                carer=separation.carer_name,
                children=[child.name for child in separation.children.all()],
                start=separation.start,
                minutes=separation.planned_minutes,
                cancelled=separation.status == Separation.Status.CANCELLED,
                agreed=[
                    calendar.Agreed(a.pk, a.kind, a.label, a.due_at)
                    for a in separation.agreed.all()
                ],
                url=request.build_absolute_uri(page),
            )
        )
    return found
