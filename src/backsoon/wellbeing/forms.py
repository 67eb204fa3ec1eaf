from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from backsoon.wellbeing.models import CardDismissal, Reminder
from backsoon.wellbeing.redflags import Rule
from backsoon.wellbeing.reflection import Reflection
from backsoon.wellbeing.selfchecks import Questionnaire

ANSWER_REQUIRED = _("Please choose one answer here.")


class SelfCheckForm(forms.Form):
    """One required set of radio buttons per item, labelled with the item's exact text."""

    def __init__(self, questionnaire: Questionnaire, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        for number, item in enumerate(questionnaire.items, start=1):
            self.fields[f"item_{number}"] = forms.TypedChoiceField(
                label=f"{number}. {item}",
                choices=questionnaire.choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": ANSWER_REQUIRED, "invalid_choice": ANSWER_REQUIRED},
            )

    def answers(self) -> list[int]:
        return [self.cleaned_data[f"item_{n}"] for n in range(1, len(self.fields) + 1)]


class ReminderForm(forms.Form):
    every_weeks = forms.TypedChoiceField(
        label=_("A gentle reminder to check in with yourself"),
        choices=[("", _("No reminder")), *Reminder.Every.choices],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "It only ever says “A moment for you?” — never what it is about, so it is fine "
            "on a lock screen."
        ),
    )


class DismissForm(forms.Form):
    rule = forms.ChoiceField(choices=[(r.value, r.value) for r in Rule])
    key = forms.CharField(max_length=32, required=False)
    choice = forms.ChoiceField(choices=CardDismissal.Choice.choices)


class ReflectionForm(forms.Form):
    """Yes or no, all optional; the two emergency questions come last."""

    def __init__(self, reflection: Reflection, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("yes", reflection.texts["yes"]), ("no", reflection.texts["no"])]
        asks = [(q.key, q.ask) for q in reflection.questions]
        asks += [("harm", reflection.harm["harm_ask"])]
        asks += [("psychosis", reflection.harm["psychosis_ask"])]
        for key, ask in asks:
            self.fields[key] = forms.ChoiceField(
                label=ask, choices=choices, required=False, widget=forms.RadioSelect
            )

    def said_yes(self) -> set[str]:
        return {key for key, value in self.cleaned_data.items() if value == "yes"}
