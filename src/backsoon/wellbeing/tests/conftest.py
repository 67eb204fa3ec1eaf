from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from backsoon.wellbeing import resources


@pytest.fixture(autouse=True)
def _fresh_crisis_cache():
    resources.clear_cache()
    yield
    resources.clear_cache()


@pytest.fixture
def crisis_file(settings, tmp_path) -> Callable[[str], Path]:
    """Write a deployment's crisis file and point settings.CRISIS_FILE at it."""

    def write(text: str) -> Path:
        path = tmp_path / "crisis.toml"
        path.write_text(text, encoding="utf-8")
        settings.CRISIS_FILE = str(path)
        resources.clear_cache()
        return path

    return write
