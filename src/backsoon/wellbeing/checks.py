"""Startup check: a broken crisis resources file stops `backsoon serve` instead of a 500."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error

from backsoon.wellbeing import resources


def check_crisis_resources(app_configs, **kwargs) -> list[Error]:
    override = settings.CRISIS_FILE or ""
    try:
        resources.load(override)
    except resources.CrisisFileError as exc:
        if override:
            hint = (
                "Fix the file BACKSOON_CRISIS_FILE points to (same format as the packaged "
                "crisis_resources.toml), or unset BACKSOON_CRISIS_FILE to use only the "
                "packaged list."
            )
        else:
            hint = "The packaged crisis_resources.toml is broken; please report this."
        return [
            Error(f"The crisis resources cannot be loaded: {exc}", hint=hint, id="wellbeing.E001")
        ]
    return []


def check_content(app_configs, **kwargs) -> list[Error]:
    """The packaged texts (self-checks, reflection, age guide, guides) load and validate."""
    from backsoon.wellbeing import ageguide, guides, reflection, selfchecks
    from backsoon.wellbeing.content import FALLBACK, ContentError
    from backsoon.wellbeing.scoring import Check

    try:
        for check in Check:
            selfchecks.questionnaire(check, FALLBACK)
        reflection.reflection(FALLBACK)
        ageguide.age_guide(FALLBACK)
        for key in guides.KEYS:
            guides.guide(key, FALLBACK)
    except ContentError as exc:
        return [
            Error(
                f"The wellbeing texts cannot be loaded: {exc}",
                hint="A packaged data file is broken; please report this.",
                id="wellbeing.E002",
            )
        ]
    return []
