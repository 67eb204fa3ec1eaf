"""Suggestions and hints for filling in the care sheet, from `data/suggestions.toml`.

The file is read once and validated against the sheet's fields, so a typo fails loudly at
the first use (and in the tests), never as a half-rendered page. Strings are English in the
file and translated when shown.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files

from django.utils.translation import gettext

from backsoon.caresheets.sections import SECTIONS, Kind

FILE_NAME = "suggestions.toml"


class SuggestionsError(Exception):
    """The suggestions file is wrong; the message says where."""


@dataclass(frozen=True)
class Suggestions:
    hints: dict[str, str]
    suggest: dict[str, tuple[str, ...]] = field(default_factory=dict)
    prefill: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _list_fields() -> dict[str, int]:
    """ "section.field" → the longest line allowed, for every list field."""
    return {
        f"{s.key}.{f.key}": f.max_length
        for sections in SECTIONS.values()
        for s in sections
        for f in s.fields
        if f.kind is Kind.LINES
    }


def parse(text: str) -> Suggestions:
    data = tomllib.loads(text)
    hints = data.get("hints", {})
    if set(hints) != {"brief", "long"} or not all(isinstance(v, str) for v in hints.values()):
        raise SuggestionsError(f"{FILE_NAME}: [hints] needs the texts `brief` and `long`.")
    known = _list_fields()
    suggest: dict[str, tuple[str, ...]] = {}
    prefill: dict[str, tuple[str, ...]] = {}
    for key, table in data.get("fields", {}).items():
        if key not in known:
            raise SuggestionsError(f"{FILE_NAME}: [fields.{key!r}] is not a list on the sheet.")
        for name, values in table.items():
            target = {"suggest": suggest, "prefill": prefill}.get(name)
            if target is None:
                raise SuggestionsError(f"{FILE_NAME}: {key}.{name}: use `suggest` or `prefill`.")
            if not isinstance(values, list) or not all(
                isinstance(v, str) and v.strip() for v in values
            ):
                raise SuggestionsError(f"{FILE_NAME}: {key}.{name} must be a list of texts.")
            too_long = [v for v in values if len(v) > known[key]]
            if too_long:
                raise SuggestionsError(
                    f"{FILE_NAME}: {key}.{name}: {too_long[0]!r} is longer than "
                    f"{known[key]} characters."
                )
            target[key] = tuple(v.strip() for v in values)
    unknown = set(data) - {"hints", "fields"}
    if unknown:
        raise SuggestionsError(f"{FILE_NAME}: unknown table(s) {sorted(unknown)}.")
    return Suggestions(hints=hints, suggest=suggest, prefill=prefill)


@lru_cache(maxsize=1)
def load() -> Suggestions:
    text = files("backsoon.caresheets").joinpath("data", FILE_NAME).read_text(encoding="utf-8")
    return parse(text)


def hint(name: str) -> str:
    return gettext(load().hints[name])


def suggested(section_key: str, field_key: str) -> list[str]:
    return [gettext(s) for s in load().suggest.get(f"{section_key}.{field_key}", ())]


def prefilled(section_key: str, field_key: str) -> list[str]:
    return [gettext(s) for s in load().prefill.get(f"{section_key}.{field_key}", ())]
