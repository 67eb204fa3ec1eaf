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
