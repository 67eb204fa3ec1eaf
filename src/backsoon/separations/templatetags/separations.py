from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from backsoon.households import dashboard
from backsoon.households.services import zone
from backsoon.separations import display
from backsoon.separations.models import Separation
from backsoon.separations.services import caring_for, still_available

register = template.Library()


def _household(context):
    request = context.get("request")
    return context.get("household") or getattr(request, "household", None)


@register.simple_tag(takes_context=True)
def clock(context, value):
    """A time on the household's clock: "15:30" (or "3:30 PM"), never seconds."""
    return display.clock(value, _household(context))


@register.simple_tag(takes_context=True)
def when(context, value):
    """The time today, or the day and time on another day."""
    household = _household(context)
    return display.day_and_clock(value, household, timezone.localdate(timezone=zone(household)))


@register.filter
def child_names(children) -> str:
    """ "Bea", "Bea and Theo", "Ada, Bea and Theo"."""
    return get_text_list([child.name for child in children], _("and"))


@register.filter
def duration(minutes):
    return display.length(minutes) if minutes is not None else ""


@register.inclusion_tag("separations/includes/dashboard_entry.html", takes_context=True)
def separations_entry(context):
    """The dashboard's "Time apart" section (one line in the dashboard template)."""
    request = context["request"]
    subject, household = request.subject, request.household
    if not subject.is_parent:
        caring = Separation.objects.filter(caring_for(subject)).filter(
            household=household, status=Separation.Status.AWAY
        )
        return {
            "request": request,
            "household": household,
            "subject": subject,
            "caring": caring.exists(),
        }
    shared = dashboard.times(request)
    current, last = shared.current, shared.last
    return {
        "request": request,
        "household": household,
        "subject": subject,
        "away": [s for s in current if s.is_away],
        "planned": [s for s in current if s.is_planned],
        "last": last if last is not None and still_available(last) else None,
    }
