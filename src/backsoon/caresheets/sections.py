"""What the care sheet holds, as plain data, and pure functions over its content.

A sheet's content is a JSON document, ``{section: {field: value}}``. A value is text, a list
of lines, a list of rows (dicts of text) or a yes/no. Forms validate what goes in; the
functions here read it back defensively, so a hand-edited row can never break a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Kind(StrEnum):
    LINE = "line"  # one short line of text
    TEXT = "text"  # a paragraph or two
    LINES = "lines"  # a list, one item per line
    ROWS = "rows"  # a list of small records (contacts, medicines)
    CHECK = "check"  # yes or no


class SheetKind(StrEnum):
    CHILD = "child"
    HOUSEHOLD = "household"
    AGREEMENT = "agreement"


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    max_length: int
    required: bool = False
    phone: bool = False
    long: bool = False


@dataclass(frozen=True)
class Field:
    key: str
    label: Promise
    kind: Kind
    max_length: int = 150  # per line for LINES, per cell for ROWS
    max_items: int = 0  # LINES and ROWS
    help: Promise | str = ""
    placeholder: Promise | str = ""
    columns: tuple[Column, ...] = ()
    phone: bool = False
    ordered: bool = False  # the order matters (what to try first, who to call first)
    counter: bool = False  # a visible character counter helps (long free text)


@dataclass(frozen=True)
class Section:
    key: str
    title: Promise
    fields: tuple[Field, ...]
    intro: Promise | str = ""

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)


ONE_PER_LINE = _("One per line.")

CHILD_SECTIONS: tuple[Section, ...] = (
    Section(
        "feeding",
        _("Feeding"),
        (
            Field(
                "times",
                _("Times and amounts"),
                Kind.LINES,
                max_length=120,
                max_items=10,
                help=_("One per line, roughly. For example “about 11:00 — a 150 ml bottle”."),
            ),
            Field(
                "how",
                _("How they like it"),
                Kind.LINES,
                max_length=150,
                max_items=8,
                help=ONE_PER_LINE,
            ),
            Field(
                "burping", _("Burping"), Kind.LINES, max_length=150, max_items=5, help=ONE_PER_LINE
            ),
        ),
    ),
    Section(
        "sleep",
        _("Sleep"),
        (
            Field(
                "naps",
                _("Nap times"),
                Kind.LINES,
                max_length=100,
                max_items=6,
                help=_("One per line, for example “after lunch, about an hour”."),
            ),
            Field(
                "bedtime",
                _("Bedtime routine, step by step"),
                Kind.LINES,
                max_length=120,
                max_items=10,
                ordered=True,
                help=ONE_PER_LINE,
            ),
            Field(
                "where",
                _("Where they sleep"),
                Kind.LINE,
                max_length=150,
                placeholder=_("In the cot in our room"),
            ),
            Field(
                "comfort",
                _("Comfort object"),
                Kind.LINE,
                max_length=150,
                placeholder=_("The grey bunny, at every nap"),
            ),
        ),
    ),
    Section(
        "soothing",
        _("Soothing"),
        (
            Field(
                "steps",
                _("What works, in the order to try it"),
                Kind.LINES,
                max_length=150,
                max_items=10,
                ordered=True,
                help=_("One per line. Put first what usually works first."),
            ),
        ),
        intro=_("Every baby fusses sometimes. This is the list to work through, calmly."),
    ),
    Section(
        "medicines",
        _("Allergies and medicines"),
        (
            Field("none_known", _("No known allergies, and no regular medicines"), Kind.CHECK),
            Field(
                "items",
                _("One row for each allergy or medicine"),
                Kind.ROWS,
                max_items=8,
                columns=(
                    Column("name", _("Name"), 80, required=True),
                    Column("dose", _("Dose"), 60),
                    Column("when", _("When"), 120),
                    Column("what_to_do", _("What to do"), 300, long=True),
                ),
                help=_(
                    "For an allergy, write what to avoid and what to do if it happens. "
                    "Dose and when are for medicines."
                ),
            ),
        ),
    ),
    Section(
        "health",
        _("Health notes"),
        (
            Field(
                "notes",
                _("Anything else about their health"),
                Kind.TEXT,
                max_length=1000,
                counter=True,
                help=_("Only what the caregiver needs today. Two or three sentences is plenty."),
            ),
        ),
    ),
)

HOUSEHOLD_SECTIONS: tuple[Section, ...] = (
    Section(
        "contacts",
        _("Who to call"),
        (
            Field(
                "people",
                _("Other people to call"),
                Kind.ROWS,
                max_items=6,
                ordered=True,
                columns=(
                    Column("name", _("Name"), 60, required=True),
                    Column("relation", _("Who they are"), 60),
                    Column("phone", _("Phone"), 32, required=True, phone=True),
                ),
                help=_(
                    "In the order to call them, after the parents. A neighbour or a friend "
                    "nearby is a good one."
                ),
            ),
        ),
        intro=_(
            "The emergency number comes first on the sheet, then the parents (from their "
            "profiles), then the people you add here."
        ),
    ),
    Section(
        "doctor",
        _("Doctor and hospital"),
        (
            Field(
                "pediatrician_name", _("Pediatrician or family doctor"), Kind.LINE, max_length=80
            ),
            Field(
                "pediatrician_phone",
                _("Their phone number"),
                Kind.LINE,
                max_length=32,
                phone=True,
            ),
            Field("hospital_name", _("Nearest hospital"), Kind.LINE, max_length=100),
            Field("hospital_address", _("Hospital address"), Kind.TEXT, max_length=200),
            Field(
                "hospital_phone", _("Hospital phone number"), Kind.LINE, max_length=32, phone=True
            ),
        ),
    ),
    Section(
        "home",
        _("Home"),
        (
            Field(
                "address",
                _("The address to give emergency services"),
                Kind.TEXT,
                max_length=300,
                help=_("Add the floor, a door code, or anything that helps someone find you."),
            ),
            Field(
                "where_things_are",
                _("Where things are"),
                Kind.LINES,
                max_length=150,
                max_items=12,
                help=ONE_PER_LINE,
                placeholder=_(
                    "Nappies: changing table, top drawer\nFirst aid kit: bathroom cabinet"
                ),
            ),
        ),
    ),
)


def _agreement_list(key: str, title: Promise) -> Section:
    return Section(
        key,
        title,
        (
            Field(
                "items",
                title,
                Kind.LINES,
                max_length=200,
                max_items=10,
                help=_("One per line. Change the words until they sound like the two of you."),
            ),
        ),
    )


AGREEMENT_SECTIONS: tuple[Section, ...] = (
    _agreement_list("call_now", _("Call me right away if…")),
    _agreement_list("can_handle", _("You can handle it if…")),
    _agreement_list("worrying", _("Worrying but not urgent — call me")),
)

SECTIONS: dict[SheetKind, tuple[Section, ...]] = {
    SheetKind.CHILD: CHILD_SECTIONS,
    SheetKind.HOUSEHOLD: HOUSEHOLD_SECTIONS,
    SheetKind.AGREEMENT: AGREEMENT_SECTIONS,
}


def section(kind: SheetKind, key: str) -> Section | None:
    return next((s for s in SECTIONS[SheetKind(kind)] if s.key == key), None)


def _text(value: object, limit: int) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def _clean_field(field: Field, value: object):
    if field.kind is Kind.CHECK:
        return value is True
    if field.kind in (Kind.LINE, Kind.TEXT):
        return _text(value, field.max_length)
    if not isinstance(value, list):
        return []
    if field.kind is Kind.LINES:
        lines = (_text(v, field.max_length) for v in value)
        return [line for line in lines if line][: field.max_items]
    rows = []
    for row in value:
        if not isinstance(row, dict):
            continue
        cleaned = {c.key: _text(row.get(c.key), c.max_length) for c in field.columns}
        if any(cleaned.values()):
            rows.append(cleaned)
    return rows[: field.max_items]


def clean_section(spec: Section, data: object) -> dict:
    """A section's data with only known fields, right types and no empty values."""
    data = data if isinstance(data, dict) else {}
    cleaned = {f.key: _clean_field(f, data.get(f.key)) for f in spec.fields}
    return {key: value for key, value in cleaned.items() if value}


def clean_content(kind: SheetKind, content: object) -> dict:
    """A whole sheet's content, read defensively; empty sections are left out."""
    content = content if isinstance(content, dict) else {}
    cleaned = {s.key: clean_section(s, content.get(s.key)) for s in SECTIONS[SheetKind(kind)]}
    return {key: value for key, value in cleaned.items() if value}


def changes(kind: SheetKind, before: object, after: object) -> list[list[str]]:
    """The [section, field] pairs whose value differs, in the sheet's own order."""
    old, new = clean_content(kind, before), clean_content(kind, after)
    found = []
    for spec in SECTIONS[SheetKind(kind)]:
        for field in spec.fields:
            if old.get(spec.key, {}).get(field.key) != new.get(spec.key, {}).get(field.key):
                found.append([spec.key, field.key])
    return found


def changed_sections(kind: SheetKind, before: object, after: object) -> set[str]:
    return {section_key for section_key, _field in changes(kind, before, after)}


def size(content: object) -> int:
    """Roughly how much there is to read: characters of text, across every value."""
    total = 0
    stack = [content]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            total += len(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return total


# About two printed pages of text at the print stylesheet's size, for every sheet together.
LONG_SHEET_CHARACTERS = 4000


def is_long(contents: list[object]) -> bool:
    return sum(size(c) for c in contents) > LONG_SHEET_CHARACTERS
