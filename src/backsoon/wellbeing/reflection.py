"""The "How is it going?" reflection (data/reflection/<language>.toml): not a validated test.

Nothing is scored and nothing is stored. Two answers are emergencies — thoughts of harming
oneself or the baby, and signs of postpartum psychosis — and lead straight to crisis help.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from backsoon.wellbeing import content

CRISIS_FIELDS = ("harm", "psychosis")


@dataclass(frozen=True)
class Question:
    key: str
    ask: str
    if_yes: str


@dataclass(frozen=True)
class Reflection:
    texts: dict[str, str]
    questions: tuple[Question, ...]
    harm: dict[str, str]


TEXTS = ("title", "intro", "not_a_test", "private", "yes", "no", "none_yes", "some_yes")
HARM = ("title", "coming_to", "harming", "psychosis", "harm_ask", "psychosis_ask")


def reflection(language: str | None = None) -> Reflection:
    found, _data = content.load("reflection", language)
    return _parse(found)


@lru_cache(maxsize=8)
def _parse(language: str) -> Reflection:
    _found, data = content.load("reflection", language)
    where = f"data/reflection/{language}.toml"
    texts = {
        name: content.text(data.get(name), f"{where} {name}") for name in (*TEXTS, "where_help")
    }
    table = data.get("harm")
    if not isinstance(table, dict):
        raise content.ContentError(f"{where}: [harm] is missing.")
    harm = {name: content.text(table.get(name), f"{where} harm.{name}") for name in HARM}
    entries = data.get("questions")
    if not isinstance(entries, list) or not entries:
        raise content.ContentError(f"{where}: needs [[questions]].")
    questions = tuple(
        Question(
            key=content.text(q.get("key"), f"{where} questions[{i}].key"),
            ask=content.text(q.get("ask"), f"{where} questions[{i}].ask"),
            if_yes=content.text(q.get("if_yes"), f"{where} questions[{i}].if_yes"),
        )
        for i, q in enumerate(entries)
    )
    return Reflection(texts=texts, questions=questions, harm=harm)
