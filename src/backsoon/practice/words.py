"""The suggestion in plain words. Each sentence says only what the rule used (rule.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backsoon.practice.rule import Action, Kind, Step, Suggestion, Variation, Vary, Why
from backsoon.separations.display import length


def step_label(step: Step) -> str:
    """A step as a sentence names it: "30 minutes", or “A walk round the park”."""
    if step.name.strip().lower() == length(step.minutes).lower():
        return step.name
    return _("“%(name)s”") % {"name": step.name}


def names(people: tuple[str, ...]) -> str:
    if len(people) <= 1:
        return "".join(people)
    return _("%(first)s and %(last)s") % {"first": ", ".join(people[:-1]), "last": people[-1]}


def join(*sentences: str) -> str:
    return " ".join(sentences)


def _how_it_went(s: Suggestion) -> str:
    """The first half of a "two good times" reason, true to how they were rated."""
    current = step_label(s.current)
    if s.beyond:
        # Everyday time apart (or a longer step) counted too: say what it has in common.
        at_least = length(s.current.minutes)
        if s.manageable == 2:
            opening = _("Your last two times away for %(length)s or more felt manageable") % {
                "length": at_least
            }
        else:
            opening = _("You've been away for %(length)s or more twice") % {"length": at_least}
    elif s.manageable == 2:
        opening = _("Your last two times at %(step)s felt manageable") % {"step": current}
    else:
        opening = _("You've done %(step)s twice") % {"step": current}
    if s.fear == "no":
        return _("%(opening)s, and what you feared didn't happen.") % {"opening": opening}
    if s.fear == "handled":
        return _("%(opening)s, and what you feared was handled.") % {"opening": opening}
    return _("%(opening)s.") % {"opening": opening}


def reason(s: Suggestion) -> str:
    """Why this suggestion, in a sentence or two."""
    step = step_label(s.step)
    current = step_label(s.current) if s.current else ""
    if s.why is Why.FIRST:
        if s.step.kind == Kind.TRIAL:
            return _(
                "A gentle first step: someone else cares for your baby while you stay in the "
                "house and let them."
            )
        return _("Start small: %(step)s away is a real step.") % {"step": step}
    if s.why is Why.TWO_GOOD:
        return join(_how_it_went(s), _("Ready to try %(step)s?") % {"step": step})
    if s.why is Why.SETTLING:
        slow = ngettext(
            "%(names)s took more than 30 minutes to settle.",
            "%(names)s took more than 30 minutes to settle.",
            len(s.settling),
        ) % {"names": names(s.settling)}
        choose = _("You know them best: another go at %(current)s, or on to %(step)s?") % {
            "current": current,
            "step": step,
        }
        return join(_how_it_went(s), slow, choose)
    if s.why is Why.TOP:
        return join(
            _how_it_went(s),
            _("That's the top of your ladder. Add a step whenever you like, or keep it going."),
        )
    if s.why is Why.EARLY:
        return _(
            "You came back sooner last time, and that's part of practising. Another go at "
            "%(step)s when you're ready?"
        ) % {"step": step}
    if s.why is Why.EARLY_TWICE:
        if s.action is Action.IN_BETWEEN:
            return _(
                "You came back sooner the last two times at %(step)s. A step in between may "
                "help: %(length)s."
            ) % {"step": current, "length": length(s.minutes)}
        return _(
            "You came back sooner the last two times at %(step)s. That's all right: try it "
            "again when you're ready."
        ) % {"step": current}
    if s.why is Why.HARD and s.beyond:
        return _(
            "Your last time away for %(length)s or more felt hard. Going again is how it gets "
            "easier. Another go at %(step)s?"
        ) % {"length": length(s.current.minutes), "step": step}
    if s.why is Why.HARD:
        return _(
            "Last time at %(step)s felt hard. Going again is how it gets easier. Another go at "
            "%(step)s?"
        ) % {"step": step}
    if s.why is Why.FEAR_HAPPENED:
        return _(
            "Last time, what you feared did happen. Another go at %(step)s lets you see how "
            "it goes next time."
        ) % {"step": step}
    # ONE_MORE: one good time at the step so far.
    if s.beyond:
        at_least = length(s.current.minutes)
        if s.manageable:
            opening = _("Your last time away for %(length)s or more felt manageable.") % {
                "length": at_least
            }
        else:
            opening = _("You've been away for %(length)s or more once.") % {"length": at_least}
        if s.at_top:
            return join(opening, _("One more time at %(step)s?") % {"step": step})
        return join(
            opening, _("One more time at %(step)s, then on to the next step.") % {"step": step}
        )
    if s.manageable:
        opening = _("Last time at %(step)s felt manageable.") % {"step": step}
    else:
        opening = _("You've done %(step)s once.") % {"step": step}
    if s.at_top:
        return join(opening, _("One more time there? It's the top of your ladder."))
    return join(opening, _("One more time there, then on to the next step."))


def variation(s: Suggestion) -> str:
    v: Variation | None = s.variation
    if v is None or s.current is None:
        return ""
    step = step_label(s.current)
    if v.kind is Vary.CARER:
        return _("To make it hold, try %(step)s with %(name)s caring some time.") % {
            "step": step,
            "name": v.carer_name,
        }
    if v.kind is Vary.TIME:
        return _("To make it hold, try %(step)s at another time of day.") % {"step": step}
    return _("To make it hold, try %(step)s around bedtime some time.") % {"step": step}


def headline(s: Suggestion) -> str:
    """The short line for the dashboard and the plan pages: what, not why."""
    if s.action is Action.IN_BETWEEN:
        return _("A step in between: %(length)s") % {"length": length(s.minutes)}
    if s.action is Action.DECIDE:
        return _("%(current)s again, or %(step)s — you choose") % {
            "current": step_label(s.current),
            "step": step_label(s.step),
        }
    if s.action is Action.MOVE_UP:
        return _("Ready for %(step)s?") % {"step": step_label(s.step)}
    if s.action is Action.TOP:
        return _("The top of your ladder: %(step)s") % {"step": s.step.name}
    if s.action is Action.START:
        return _("A first step: %(step)s") % {"step": s.step.name}
    return _("Another go at %(step)s") % {"step": step_label(s.step)}
