"""The grounding words as data: `data/grounding/<language>.toml`, validated on load.

One file per language with English as the fallback, the way the wellbeing guides work;
a translator copies `en.toml` and translates the values.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from django.utils.translation import get_language

from backsoon.wellbeing.content import ContentError, candidates, text, texts


@dataclass(frozen=True)
class Section:
    title: str
    intro: str = ""
    lines: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Grounding:
    breathing: Section
    real: Section
    present: Section
    strengths: Section
    reframes: Section
    friend: Section
    compassion: Section
    friend_message: str
    breathing_repeat: str


def _section(data: dict, key: str, lines_key: str | None, where: str) -> Section:
    part = data.get(key)
    if not isinstance(part, dict):
        raise ContentError(f"{where}: [{key}] is missing.")
    return Section(
        title=text(part.get("title"), f"{where} [{key}].title"),
        intro=text(part["intro"], f"{where} [{key}].intro") if "intro" in part else "",
        lines=texts(part.get(lines_key), f"{where} [{key}].{lines_key}") if lines_key else (),
        note=text(part["note"], f"{where} [{key}].note") if "note" in part else "",
    )


def parse(data: dict, where: str) -> Grounding:
    return Grounding(
        breathing=_section(data, "breathing", None, where),
        real=_section(data, "real", "defaults", where),
        present=_section(data, "present", "steps", where),
        strengths=_section(data, "strengths", "defaults", where),
        reframes=_section(data, "reframes", "lines", where),
        friend=_section(data, "friend", None, where),
        compassion=_section(data, "compassion", "lines", where),
        friend_message=text(data.get("friend", {}).get("message"), f"{where} [friend].message"),
        breathing_repeat=text(
            data.get("breathing", {}).get("repeat"), f"{where} [breathing].repeat"
        ),
    )


@lru_cache(maxsize=16)
def _load(language: str) -> Grounding | None:
    path = files("backsoon.coping").joinpath("data", "grounding", f"{language}.toml")
    if not path.is_file():
        return None
    where = f"coping/data/grounding/{language}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"{where}: not valid TOML ({exc}).") from None
    return parse(data, where)


def grounding(language: str | None = None) -> Grounding:
    """The grounding words in the current (or given) language, falling back to English."""
    for candidate in candidates(language if language is not None else get_language()):
        found = _load(candidate)
        if found is not None:
            return found
    raise ContentError("coping/data/grounding/en.toml is missing from the package.")
