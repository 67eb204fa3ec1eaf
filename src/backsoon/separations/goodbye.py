"""The goodbye card's words: pure functions over a child's age (DOMAIN.md, practice 8)."""

from __future__ import annotations

from django.utils.translation import gettext as _

# From about 9 months a baby notices a parent slipping away (DOMAIN.md, the baby's side).
NO_SNEAKING_FROM_MONTHS = 9


def default_ritual(name: str) -> str:
    return _(
        "A hug and a kiss for %(name)s, a smile, “See you soon!” — the same way every time."
    ) % {"name": name}


def age_tip(name: str, months: int) -> str:
    if months >= NO_SNEAKING_FROM_MONTHS:
        return _(
            "Say goodbye to %(name)s, then go. Slipping out unseen feels kinder, but a short "
            "goodbye teaches that you leave and come back."
        ) % {"name": name}
    return _(
        "%(name)s takes cues from your face and voice. Keep it short and warm — it is a habit "
        "you are both learning."
    ) % {"name": name}
