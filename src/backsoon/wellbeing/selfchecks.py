"""The self-check texts (data/selfchecks/<language>.toml), read once and checked on load."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from backsoon.wellbeing import content
from backsoon.wellbeing.scoring import HIGHEST, ITEMS, LOWEST, Check

OPTION_COUNT = HIGHEST - LOWEST + 1


@dataclass(frozen=True)
class Questionnaire:
    check: Check
    name: str
    stem: str
    options: tuple[str, ...]  # "Not at all" (0) … "Nearly every day" (3)
    items: tuple[str, ...]
    citation: str
    notice: str
    language: str

    @property
    def choices(self) -> list[tuple[int, str]]:
        return list(enumerate(self.options, start=LOWEST))


def questionnaire(check: Check | str, language: str | None = None) -> Questionnaire:
    found, _data = content.load("selfchecks", language)
    return _parse(found, Check(check))


@lru_cache(maxsize=16)
def _parse(language: str, check: Check) -> Questionnaire:
    _found, data = content.load("selfchecks", language)
    where = f"data/selfchecks/{language}.toml"
    options = content.texts(data.get("options"), f"{where} options")
    if len(options) != OPTION_COUNT:
        raise content.ContentError(f"{where}: options must list {OPTION_COUNT} answers.")
    table = data.get(check.value)
    if not isinstance(table, dict):
        raise content.ContentError(f"{where}: [{check.value}] is missing.")
    items = content.texts(table.get("items"), f"{where} {check.value}.items")
    if len(items) != ITEMS[check]:
        raise content.ContentError(
            f"{where}: {check.value} must have exactly {ITEMS[check]} items, not {len(items)}."
        )
    return Questionnaire(
        check=check,
        name=content.text(table.get("name"), f"{where} {check.value}.name"),
        stem=content.text(table.get("stem"), f"{where} {check.value}.stem"),
        options=options,
        items=items,
        citation=content.text(table.get("citation"), f"{where} {check.value}.citation"),
        notice=content.text(table.get("notice"), f"{where} {check.value}.notice"),
        language=language,
    )
