"""The care sheet as people read it: phone numbers to tap, sections with their values."""

from __future__ import annotations

from dataclasses import dataclass, field

import phonenumbers

from backsoon.caresheets import sections
from backsoon.caresheets.sections import Field, Section


@dataclass(frozen=True)
class Phone:
    shown: str
    href: str


def phone(raw: str, country: str) -> Phone | None:
    """A number to show and to dial; shown nationally when it is in the household's country."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        number = phonenumbers.parse(raw, country or None)
    except phonenumbers.NumberParseException:
        digits = "".join(ch for ch in raw if ch.isdigit() or ch == "+")
        return Phone(raw, f"tel:{digits}") if digits else Phone(raw, "")
    same_country = phonenumbers.region_code_for_number(number) == country
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if same_country
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return Phone(phonenumbers.format_number(number, style), f"tel:{e164}")


def emergency(number: str | None) -> Phone | None:
    return Phone(number, f"tel:{number}") if number else None


@dataclass(frozen=True)
class Contact:
    name: str
    relation: str
    phone: Phone | None


@dataclass
class Value:
    spec: Field
    value: object

    @property
    def rows(self) -> list[list[tuple[str, str]]]:
        """For a list of rows: each row's (label, text) pairs, empty cells left out."""
        if not isinstance(self.value, list):
            return []
        return [
            [(column.label, row[column.key]) for column in self.spec.columns if row.get(column.key)]
            for row in self.value
            if isinstance(row, dict)
        ]


@dataclass
class SectionView:
    spec: Section
    values: list[Value] = field(default_factory=list)
    changed: bool = False
    anchor: str = ""

    @property
    def data(self) -> dict:
        """Values by field name, for templates that lay a section out by hand."""
        return {v.spec.key: v.value for v in self.values}


def section_views(
    kind: str, content: object, changed: set[str], anchor_prefix: str
) -> list[SectionView]:
    """Every section of a sheet, in order, with its non-empty values and its "changed" mark."""
    content = sections.clean_content(kind, content)
    views = []
    for spec in sections.SECTIONS[sections.SheetKind(kind)]:
        data = content.get(spec.key, {})
        views.append(
            SectionView(
                spec=spec,
                values=[Value(f, data[f.key]) for f in spec.fields if f.key in data],
                changed=spec.key in changed,
                anchor=f"{anchor_prefix}{spec.key}",
            )
        )
    return views


def contacts(content: object, country: str) -> list[Contact]:
    people = sections.clean_content("household", content).get("contacts", {}).get("people", [])
    return [
        Contact(p.get("name", ""), p.get("relation", ""), phone(p.get("phone", ""), country))
        for p in people
    ]
