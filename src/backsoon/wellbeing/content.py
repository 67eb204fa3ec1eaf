"""Content files in the package, one folder per kind, one file per language.

Prose is translated as whole documents: `data/<kind>/<language>.toml`, falling back from
"pt-br" to "pt" to English. A translator copies `en.toml` and translates the values; the keys
and structure stay. The self-checks are the exception to "translate freely": a language file
there must hold a published, validated translation (see data/selfchecks/en.toml).
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib.resources import files

from django.utils.translation import get_language

FALLBACK = "en"


class ContentError(Exception):
    """A packaged content file is wrong; the message names the file and the entry."""


def candidates(language: str | None) -> list[str]:
    language = (language or FALLBACK).lower().replace("_", "-")
    found = [language]
    if "-" in language:
        found.append(language.split("-", 1)[0])
    if FALLBACK not in found:
        found.append(FALLBACK)
    return found


@lru_cache(maxsize=32)
def _read(kind: str, language: str) -> dict | None:
    path = files("backsoon.wellbeing").joinpath("data", kind, f"{language}.toml")
    if not path.is_file():
        return None
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"data/{kind}/{language}.toml: not valid TOML ({exc}).") from None


def load(kind: str, language: str | None = None) -> tuple[str, dict]:
    """(the language found, the file's data) for the current or given language."""
    for candidate in candidates(language if language is not None else get_language()):
        data = _read(kind, candidate)
        if data is not None:
            return candidate, data
    raise ContentError(f"data/{kind}/{FALLBACK}.toml is missing from the package.")


def text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{where} must be text in quotes, and not empty.")
    return value.strip()


def texts(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ContentError(f"{where} must be a list of texts.")
    return tuple(text(v, f"{where}[{i}]") for i, v in enumerate(value))
