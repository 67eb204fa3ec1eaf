"""The guides for each person (data/guides/<language>.toml): our own words, as data."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from backsoon.wellbeing import content

KEYS = ("leaving", "partner", "caregiver")


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...] = ()
    script: tuple[str, ...] = ()
    points: tuple[str, ...] = ()


@dataclass(frozen=True)
class Guide:
    key: str
    title: str
    intro: str
    sections: tuple[Section, ...]
    note: str


def guide(key: str, language: str | None = None) -> Guide:
    found, _data = content.load("guides", language)
    return _parse(found)[key]


@lru_cache(maxsize=8)
def _parse(language: str) -> dict[str, Guide]:
    _found, data = content.load("guides", language)
    where = f"data/guides/{language}.toml"
    note = content.text(data.get("note"), f"{where} note")
    guides = {}
    for key in KEYS:
        table = data.get(key)
        if not isinstance(table, dict):
            raise content.ContentError(f"{where}: [{key}] is missing.")
        sections = []
        for i, s in enumerate(table.get("sections") or []):
            at = f"{where} {key}.sections[{i}]"
            parts = {
                name: content.texts(s[name], f"{at}.{name}")
                for name in ("paragraphs", "script", "points")
                if name in s
            }
            if not parts:
                raise content.ContentError(f"{at}: needs paragraphs, script or points.")
            sections.append(Section(content.text(s.get("heading"), f"{at}.heading"), **parts))
        if not sections:
            raise content.ContentError(f"{where}: [{key}] needs [[{key}.sections]].")
        guides[key] = Guide(
            key=key,
            title=content.text(table.get("title"), f"{where} {key}.title"),
            intro=content.text(table.get("intro"), f"{where} {key}.intro"),
            sections=tuple(sections),
            note=note,
        )
    return guides
