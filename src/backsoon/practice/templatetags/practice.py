from __future__ import annotations

from django import template

from backsoon.practice import evidence, words

register = template.Library()


@register.inclusion_tag("practice/includes/dashboard_entry.html", takes_context=True)
def practice_entry(context):
    """The dashboard's line to the practice ladder, with the viewer's own next step.

    The dashboard is shared by both parents: the next step is worked out only from the
    viewer's own ladder and ratings, and only for a parent.
    """
    request = context["request"]
    subject = request.subject
    headline = ""
    if subject.is_parent:
        suggestion = evidence.suggestion_for(subject.membership)
        headline = words.headline(suggestion) if suggestion else ""
    return {"household": request.household, "subject": subject, "headline": headline}
