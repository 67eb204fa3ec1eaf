"""Forms for the care sheet: one page edits one or more sections of a sheet.

Simple fields live in one Django form; each list of rows (contacts, medicines) is a formset.
Everything validates on the server: a length limit on every field (also as a `maxlength`
attribute), phone numbers through `normalise_phone` with the household's country, and
malformed or tampered rows answered with a message next to the field, never an error page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django import forms
from django.forms.formsets import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from backsoon.caresheets import display, suggestions
from backsoon.caresheets.sections import Field, Kind, Section
from backsoon.households.forms import normalise_phone

BULLET = re.compile(r"^\s*[-•*·]\s+")
NOTE_MAX_LENGTH = 500


def _one_newline(value: str) -> str:
    # Browsers send \r\n; count a line break as one character, as `maxlength` does.
    return value.replace("\r\n", "\n").replace("\r", "\n")


class TextField(forms.CharField):
    """A paragraph of plain text."""

    widget = forms.Textarea

    def to_python(self, value):
        return super().to_python(_one_newline(value) if isinstance(value, str) else value)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "rows": "4"}


class LinesField(forms.CharField):
    """A list, typed one item per line; cleans to a list of strings."""

    widget = forms.Textarea

    def __init__(self, *, max_items: int, max_line: int, **kwargs):
        self.max_items = max_items
        self.max_line = max_line
        super().__init__(required=False, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["maxlength"] = str(self.max_items * (self.max_line + 1))
        attrs["rows"] = str(min(max(self.max_items // 2, 4), 8))
        return attrs

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value):
        if isinstance(value, list | tuple):
            value = "\n".join(str(v) for v in value)
        return super().to_python(_one_newline(value) if isinstance(value, str) else value)

    def clean(self, value) -> list[str]:
        text = super().clean(value)
        lines = [BULLET.sub("", line).strip() for line in text.split("\n")]
        lines = [line for line in lines if line]
        errors = [
            forms.ValidationError(
                _("Line %(number)s is a bit long (%(length)s characters; up to %(limit)s fit)."),
                params={"number": number, "length": len(line), "limit": self.max_line},
                code="line_too_long",
            )
            for number, line in enumerate(lines, start=1)
            if len(line) > self.max_line
        ]
        if len(lines) > self.max_items:
            errors.append(self.too_many(len(lines)))
        if errors:
            raise forms.ValidationError(errors)
        return lines

    def too_many(self, count: int) -> forms.ValidationError:
        return forms.ValidationError(
            _(
                "That's %(count)s lines; this list holds up to %(limit)s. "
                "The most useful ones are enough."
            ),
            params={"count": count, "limit": self.max_items},
            code="too_many_lines",
        )


class SuggestionsField(forms.MultipleChoiceField):
    """One-tap additions to a list. Unknown values are ignored rather than refused."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, offered: list[str], known: list[str], **kwargs):
        super().__init__(required=False, choices=[(s, s) for s in offered], **kwargs)
        self.known = {s.casefold(): s for s in known}

    def clean(self, value) -> list[str]:
        value = value if isinstance(value, list | tuple) else []
        chosen = [
            self.known[v.casefold()]
            for v in value
            if isinstance(v, str) and v.casefold() in self.known
        ]
        return list(dict.fromkeys(chosen))


def _dialable(e164: str, country: str) -> str:
    """A stored number the way people type it at home, for editing."""
    shown = display.phone(e164, country)
    return shown.shown if shown else e164


def field_name(section: Section, spec: Field) -> str:
    return f"{section.key}-{spec.key}"


def _simple_field(spec: Field) -> forms.Field:
    attrs = {"placeholder": spec.placeholder} if spec.placeholder else {}
    common = {"label": spec.label, "help_text": spec.help}
    if spec.kind is Kind.CHECK:
        return forms.BooleanField(required=False, **common)
    if spec.kind is Kind.LINES:
        return LinesField(
            max_items=spec.max_items,
            max_line=spec.max_length,
            widget=forms.Textarea(attrs),
            **common,
        )
    if spec.kind is Kind.TEXT:
        if spec.counter:
            attrs["data-counter"] = ""
        return TextField(
            max_length=spec.max_length, required=False, widget=forms.Textarea(attrs), **common
        )
    if spec.phone:
        attrs.update({"type": "tel", "autocomplete": "off"})
    return forms.CharField(
        max_length=spec.max_length, required=False, widget=forms.TextInput(attrs), **common
    )


class SheetForm(forms.Form):
    # The revision the page was opened at, to notice someone else's save in between.
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(
        self,
        data=None,
        *,
        sections: Sequence[Section],
        content: dict,
        country: str,
        based_on: int,
        prefill: bool = False,
    ):
        self.sections = sections
        self.country = country
        initial: dict = {"based_on": based_on}
        super().__init__(data, initial=initial)
        self.suggestion_fields: dict[str, str] = {}
        for section in sections:
            saved = content.get(section.key, {})
            for spec in section.fields:
                if spec.kind is Kind.ROWS:
                    continue
                name = field_name(section, spec)
                self.fields[name] = _simple_field(spec)
                value = saved.get(spec.key)
                if value is None and prefill and spec.kind is Kind.LINES:
                    value = suggestions.prefilled(section.key, spec.key)
                if spec.phone and value:
                    value = _dialable(value, country)
                if value is not None:
                    self.initial[name] = value
                offered_all = (
                    suggestions.suggested(section.key, spec.key) if spec.kind is Kind.LINES else []
                )
                if offered_all:
                    present = {v.casefold() for v in saved.get(spec.key, [])}
                    self.fields[f"{name}-add"] = SuggestionsField(
                        offered=[s for s in offered_all if s.casefold() not in present],
                        known=offered_all,
                        label=_("Tap to add"),
                    )
                    self.suggestion_fields[name] = f"{name}-add"

    def clean(self):
        cleaned = super().clean()
        for section in self.sections:
            for spec in section.fields:
                name = field_name(section, spec)
                if name not in cleaned:
                    continue
                if spec.phone:
                    try:
                        cleaned[name] = normalise_phone(cleaned[name], self.country)
                    except forms.ValidationError as error:
                        self.add_error(name, error)
                adding = self.suggestion_fields.get(name)
                if adding and cleaned.get(adding):
                    present = {line.casefold() for line in cleaned[name]}
                    merged = cleaned[name] + [
                        s for s in cleaned[adding] if s.casefold() not in present
                    ]
                    if len(merged) > spec.max_items:
                        self.add_error(name, self.fields[name].too_many(len(merged)))
                    else:
                        cleaned[name] = merged
        return cleaned


class RowForm(forms.Form):
    """One row of a list (a contact, a medicine). A row left empty is simply skipped."""

    columns: tuple = ()

    def __init__(self, *args, country: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.country = country

    def clean(self):
        cleaned = super().clean()
        values = [cleaned.get(c.key) for c in self.columns]
        if cleaned.get("DELETE") or not any(values):
            return cleaned
        for column in self.columns:
            value = cleaned.get(column.key)
            if column.key in self.errors:
                continue
            if column.required and not value:
                self.add_error(
                    column.key,
                    forms.ValidationError(
                        _("Please fill this in too, or clear the row."), code="required_in_row"
                    ),
                )
            elif column.phone and value:
                try:
                    cleaned[column.key] = normalise_phone(value, self.country)
                except forms.ValidationError as error:
                    self.add_error(column.key, error)
        return cleaned

    def row(self) -> dict | None:
        data = getattr(self, "cleaned_data", {})
        if data.get("DELETE"):
            return None
        row = {c.key: data.get(c.key, "") for c in self.columns}
        return row if any(row.values()) else None


class RowFormSet(BaseFormSet):
    def rows(self) -> list[dict]:
        return [row for form in self.forms if (row := form.row()) is not None]


def row_formset(spec: Field, prefix: str, *, data, rows: list[dict], country: str) -> RowFormSet:
    fields = {}
    for column in spec.columns:
        attrs = {"type": "tel", "autocomplete": "off"} if column.phone else {}
        widget = forms.Textarea(attrs | {"rows": "2"}) if column.long else forms.TextInput(attrs)
        field_class = TextField if column.long else forms.CharField
        fields[column.key] = field_class(
            label=column.label, max_length=column.max_length, required=False, widget=widget
        )
    form_class = type("RowForm", (RowForm,), {**fields, "columns": spec.columns})
    formset_class = formset_factory(
        form_class,
        formset=RowFormSet,
        extra=3 if not rows else 2,
        max_num=spec.max_items,
        validate_max=True,
        absolute_max=spec.max_items + 4,
        can_delete=True,
    )
    phones = [c.key for c in spec.columns if c.phone]
    rows = [row | {key: _dialable(row.get(key, ""), country) for key in phones} for row in rows]
    formset = formset_class(
        data, initial=rows or None, prefix=prefix, form_kwargs={"country": country}
    )
    return formset


class AgreementResponseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = TextField(
        label=_("A question or a note for the parents"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        help_text=_("The parents see it next to your name."),
    )
    action = forms.ChoiceField(choices=[("confirm", "confirm"), ("note", "note")], required=False)

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("action") == "note"
            and not cleaned.get("note")
            and "note" not in self.errors
        ):
            self.add_error(
                "note",
                forms.ValidationError(
                    _(
                        "Write your question or note first. Or, if you're comfortable, "
                        "tap “I've read this”."
                    ),
                    code="empty_note",
                ),
            )
        return cleaned

    @property
    def confirms(self) -> bool:
        return self.cleaned_data.get("action") != "note"
