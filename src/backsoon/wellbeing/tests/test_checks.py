from __future__ import annotations

from django.core import checks

from backsoon.wellbeing.checks import check_crisis_resources
from backsoon.wellbeing.tests.test_resources import entry


def crisis_errors() -> list:
    return [m for m in checks.run_checks() if m.id == "wellbeing.E001"]


def test_the_packaged_data_passes_the_check(settings):
    settings.CRISIS_FILE = ""
    assert check_crisis_resources(None) == []
    assert crisis_errors() == []


def test_a_good_override_passes_the_check(crisis_file):
    crisis_file(entry("GB", "Local perinatal team"))
    assert crisis_errors() == []


def test_a_broken_override_is_a_startup_error(crisis_file):
    path = crisis_file(entry("GB", "Local perinatal team", kind="helpful"))
    [error] = crisis_errors()  # registered, so `backsoon serve` stops on it
    assert error.level == checks.ERROR
    assert str(path) in error.msg
    assert "'Local perinatal team'" in error.msg
    assert "kind must be" in error.msg
    assert "BACKSOON_CRISIS_FILE" in error.hint


def test_a_missing_override_is_a_startup_error(settings, tmp_path):
    settings.CRISIS_FILE = str(tmp_path / "nope.toml")
    [error] = check_crisis_resources(None)
    assert error.id == "wellbeing.E001"
    assert "cannot be read" in error.msg


def test_the_packaged_texts_pass_their_check():
    from backsoon.wellbeing.checks import check_content

    assert check_content(None) == []
    assert not [m for m in checks.run_checks() if m.id == "wellbeing.E002"]


def test_a_broken_text_file_is_a_startup_error(monkeypatch):
    from backsoon.wellbeing import content, guides
    from backsoon.wellbeing.checks import check_content

    real = content._read

    def broken(kind: str, language: str):
        return {"note": "Information only."} if kind == "guides" else real(kind, language)

    guides._parse.cache_clear()
    monkeypatch.setattr(content, "_read", broken)
    try:
        [error] = check_content(None)
        assert error.id == "wellbeing.E002"
        assert "data/guides/en.toml: [leaving] is missing" in error.msg
    finally:
        guides._parse.cache_clear()
