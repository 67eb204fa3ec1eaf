from __future__ import annotations

from django import template

from backsoon.wellbeing import cards

register = template.Library()


@register.inclusion_tag("wellbeing/includes/dashboard_entry.html", takes_context=True)
def wellbeing_entry(context):
    """The dashboard's wellbeing links (one line in the shared dashboard template).

    The dashboard is shared by both parents: the quiet "a note for you" is worked out only
    from the viewer's own membership, and only for a parent, so nobody sees another's.
    """
    request = context["request"]
    subject = request.subject
    return {
        "household": request.household,
        "subject": subject,
        "notice": subject.is_parent and bool(cards.showing(subject.membership)),
        "children": [child for child, _months in context.get("children", [])],
    }
