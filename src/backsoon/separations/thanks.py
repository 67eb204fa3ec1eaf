"""A specific thank-you, suggested from what the caregiver posted (DOMAIN.md, practice 13)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Posted:
    """What a suggestion may draw on from one update."""

    at: datetime
    state: str = ""
    all_good: bool = False
    photo: bool = False
    settled_quickly: bool = False
    settled_now: bool = False


def _first(posts: list[Posted], test: Callable[[Posted], bool]) -> Posted | None:
    return next((p for p in sorted(posts, key=lambda p: p.at) if test(p)), None)


def suggest(carer: str, child_names: list[str], posts: list[Posted], clock) -> str:
    """One short sentence naming something the caregiver did; `clock` formats a time."""
    values = {"carer": carer, "who": _(" and ").join(child_names) or _("the baby")}
    nap = _first(posts, lambda p: p.state == "sleeping")
    if nap is not None:
        values["time"] = clock(nap.at)
        text = _("Thank you, %(carer)s — you got %(who)s down for a nap at %(time)s.")
    elif _first(posts, lambda p: p.settled_now):
        text = _("Thank you, %(carer)s — you stayed with %(who)s until they settled.")
    elif _first(posts, lambda p: p.settled_quickly):
        text = _("Thank you, %(carer)s — you helped %(who)s settle so quickly.")
    elif _first(posts, lambda p: p.state == "playing"):
        text = _("Thank you, %(carer)s — %(who)s clearly had fun playing with you.")
    elif _first(posts, lambda p: p.photo):
        text = _("Thank you, %(carer)s — I loved the photo of %(who)s.")
    elif posts:
        text = _("Thank you, %(carer)s — your updates let me enjoy my time.")
    else:
        text = _("Thank you, %(carer)s, for looking after %(who)s.")
    return text % values
