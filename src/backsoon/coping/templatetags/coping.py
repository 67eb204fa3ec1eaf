from __future__ import annotations

import re

from django import template

from backsoon.coping import services
from backsoon.households import dashboard
from backsoon.wellbeing.resources import emergency_number

register = template.Library()


@register.filter
def dial(phone: str) -> str:
    """A phone number as a tel:/sms: link wants it: digits and a leading +."""
    return re.sub(r"[^0-9+]", "", phone or "")


@register.simple_tag
def emergency_number_for(household) -> str:
    """The national emergency number, or "" for a country we have not sourced."""
    return emergency_number(household.country) or ""


@register.inclusion_tag("coping/includes/dashboard_entry.html", takes_context=True)
def coping_entry(context):
    """The dashboard's grounding link (one line in the shared dashboard template).

    Worked out only from the viewer's own membership: the partner never sees what the
    other parent wrote, or whether they wrote anything.
    """
    request = context["request"]
    subject = request.subject
    entry = {"household": request.household, "subject": subject, "prompt": None}
    if not subject.is_parent:
        return entry
    # Read with the dashboard's other entries (households/dashboard.py), in one query.
    current = services.current_of(dashboard.times(request).current, subject.membership)
    if current is not None and current.is_planned:
        key = services.carer_key(current)
        if key and not current.has_strengths:
            entry["prompt"] = {"key": key, "name": current.carer_name}
    return entry
