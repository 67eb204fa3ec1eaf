"""What to expect at a child's age (data/age_guide/<language>.toml), every fact with its source.

`for_age` is pure: given the guide and an age in whole months, it sorts the topics into
around now, coming up and earlier, and picks the goodbye tips for that age.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from backsoon.wellbeing import content

COMING_WITHIN = 4  # months ahead that count as "coming up"


@dataclass(frozen=True)
class Fact:
    text: str
    sources: tuple[str, ...]  # the sources' names, as shown


@dataclass(frozen=True)
class Topic:
    key: str
    title: str
    from_month: int
    to_month: int
    range: str
    facts: tuple[Fact, ...]
    advice: str = ""
    self_check: bool = False


@dataclass(frozen=True)
class Tips:
    from_month: int
    to_month: int
    items: tuple[str, ...]


@dataclass(frozen=True)
class AgeGuide:
    disclaimer: str
    topics: tuple[Topic, ...]
    tips: tuple[Tips, ...]


@dataclass(frozen=True)
class ForAge:
    months: int
    now: tuple[Topic, ...]
    coming: tuple[Topic, ...]
    earlier: tuple[Topic, ...]
    tips: tuple[str, ...]
    beyond: bool  # older than the guide covers


def for_age(guide: AgeGuide, months: int) -> ForAge:
    now = tuple(t for t in guide.topics if t.from_month <= months <= t.to_month)
    coming = tuple(t for t in guide.topics if months < t.from_month <= months + COMING_WITHIN)
    earlier = tuple(t for t in guide.topics if t.to_month < months)
    last = max(guide.tips, key=lambda t: t.to_month)
    tips = next((t for t in guide.tips if t.from_month <= months <= t.to_month), last)
    return ForAge(months, now, coming, earlier, tips.items, months > last.to_month)


def age_guide(language: str | None = None) -> AgeGuide:
    found, _data = content.load("age_guide", language)
    return _parse(found)


def _month(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 72:
        raise content.ContentError(f"{where} must be a whole number of months, 0 to 72.")
    return value


@lru_cache(maxsize=8)
def _parse(language: str) -> AgeGuide:
    _found, data = content.load("age_guide", language)
    where = f"data/age_guide/{language}.toml"
    sources = data.get("sources")
    if not isinstance(sources, dict) or not sources:
        raise content.ContentError(f"{where}: [sources] is missing.")
    names = {key: content.text(value, f"{where} sources.{key}") for key, value in sources.items()}
    topics = []
    for i, table in enumerate(data.get("topics") or []):
        at = f"{where} topics[{i}]"
        facts = []
        for j, fact in enumerate(table.get("facts") or []):
            keys = content.texts(fact.get("sources"), f"{at}.facts[{j}].sources")
            unknown = [k for k in keys if k not in names]
            if unknown:
                raise content.ContentError(f"{at}.facts[{j}]: unknown source(s) {unknown}.")
            facts.append(
                Fact(
                    content.text(fact.get("text"), f"{at}.facts[{j}].text"),
                    tuple(names[k] for k in keys),
                )
            )
        if not facts:
            raise content.ContentError(f"{at}: a topic needs at least one sourced fact.")
        start, end = (
            _month(table.get("from_month"), f"{at}.from_month"),
            _month(table.get("to_month"), f"{at}.to_month"),
        )
        if start > end:
            raise content.ContentError(f"{at}: from_month is after to_month.")
        topics.append(
            Topic(
                key=content.text(table.get("key"), f"{at}.key"),
                title=content.text(table.get("title"), f"{at}.title"),
                from_month=start,
                to_month=end,
                range=content.text(table.get("range"), f"{at}.range"),
                facts=tuple(facts),
                advice=content.text(table["advice"], f"{at}.advice") if "advice" in table else "",
                self_check=bool(table.get("self_check", False)),
            )
        )
    tips = tuple(
        Tips(
            _month(t.get("from_month"), f"{where} tips[{i}].from_month"),
            _month(t.get("to_month"), f"{where} tips[{i}].to_month"),
            content.texts(t.get("items"), f"{where} tips[{i}].items"),
        )
        for i, t in enumerate(data.get("tips") or [])
    )
    if not topics or not tips:
        raise content.ContentError(f"{where}: needs [[topics]] and [[tips]].")
    return AgeGuide(
        content.text(data.get("disclaimer"), f"{where} disclaimer"), tuple(topics), tips
    )
