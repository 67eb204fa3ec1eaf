"""One edit page of the care sheet, validated as a whole: a form for the simple fields and a
formset for each list of rows. Views only ask whether it is valid and what it cleaned to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django import forms

from backsoon.caresheets.forms import RowFormSet, SheetForm, field_name, row_formset
from backsoon.caresheets.sections import Field, Kind, Section


@dataclass
class Item:
    """One field as the page shows it: a form field, or a formset of rows."""

    spec: Field
    field: forms.BoundField | None = None
    chips: forms.BoundField | None = None
    rows: RowFormSet | None = None


@dataclass
class Block:
    section: Section
    items: list[Item] = field(default_factory=list)


class SheetEditor:
    """Everything one edit page submits, validated together."""

    def __init__(
        self,
        sections: Sequence[Section],
        *,
        content: dict,
        country: str,
        based_on: int,
        data=None,
        prefill: bool = False,
    ):
        self.sections = sections
        self.form = SheetForm(
            data,
            sections=sections,
            content=content,
            country=country,
            based_on=based_on,
            prefill=prefill,
        )
        self.formsets: dict[str, RowFormSet] = {}
        for section in sections:
            saved = content.get(section.key, {})
            for spec in section.fields:
                if spec.kind is Kind.ROWS:
                    name = field_name(section, spec)
                    self.formsets[name] = row_formset(
                        spec, name, data=data, rows=saved.get(spec.key, []), country=country
                    )

    def is_valid(self) -> bool:
        results = [self.form.is_valid()] + [fs.is_valid() for fs in self.formsets.values()]
        return all(results)

    @property
    def based_on(self) -> int | None:
        return self.form.cleaned_data.get("based_on")

    def cleaned_sections(self) -> dict[str, dict]:
        """{section: {field: value}} for the sections on this page, after is_valid()."""
        result: dict[str, dict] = {}
        for section in self.sections:
            values = {}
            for spec in section.fields:
                name = field_name(section, spec)
                if spec.kind is Kind.ROWS:
                    values[spec.key] = self.formsets[name].rows()
                else:
                    values[spec.key] = self.form.cleaned_data.get(name)
            result[section.key] = values
        return result

    def blocks(self) -> list[Block]:
        blocks = []
        for section in self.sections:
            block = Block(section)
            for spec in section.fields:
                name = field_name(section, spec)
                if spec.kind is Kind.ROWS:
                    block.items.append(Item(spec, rows=self.formsets[name]))
                else:
                    chips = self.form.suggestion_fields.get(name)
                    block.items.append(
                        Item(spec, field=self.form[name], chips=self.form[chips] if chips else None)
                    )
            blocks.append(block)
        return blocks


def move_row_up(data, prefix: str, index: int, columns: Sequence[str]):
    """The POSTed data with row `index` of a formset swapped with the row above it."""
    data = data.copy()
    if index < 1:
        return data
    for key in (*columns, "DELETE"):
        upper, lower = f"{prefix}-{index - 1}-{key}", f"{prefix}-{index}-{key}"
        above, below = data.getlist(upper), data.getlist(lower)
        data.setlist(upper, below)
        data.setlist(lower, above)
    return data
