"""Forms: a ladder step, the trial run at home, the in-between step, the weekly note."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backsoon.practice.models import MAX_STEP_MINUTES, LadderStep
from backsoon.separations.display import length
from backsoon.separations.models import SeparationPrivate

TRIAL_LENGTHS = [10, 15, 20, 30, 45, 60, 90, 120]


class StepForm(forms.ModelForm):
    minutes = forms.IntegerField(
        label=gettext_lazy("How long, in minutes"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=gettext_lazy("For example 45, or 240 for four hours."),
        error_messages={
            "required": gettext_lazy("How many minutes? For example 45."),
            "invalid": gettext_lazy("A whole number of minutes, like 45."),
        },
    )

    class Meta:
        model = LadderStep
        fields = ["name", "minutes", "kind", "idea"]
        widgets = {
            "kind": forms.RadioSelect,
            "idea": forms.TextInput(attrs={"placeholder": gettext_lazy("a walk round the park")}),
        }
        help_texts = {"name": gettext_lazy("What you call it, like “1 hour” or “Gym class”.")}
        error_messages = {"name": {"required": gettext_lazy("Give the step a name.")}}

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the step a name."), code="blank")
        return name

    def clean_minutes(self):
        minutes = self.cleaned_data["minutes"]
        if minutes < 1:
            raise forms.ValidationError(_("A step is at least a minute long."), code="short")
        if minutes > MAX_STEP_MINUTES:
            raise forms.ValidationError(
                _("Up to %(most)s for one step.") % {"most": length(MAX_STEP_MINUTES)},
                code="long",
            )
        return minutes


class TrialForm(forms.Form):
    """A trial run at home, noted afterwards: they cared, you stayed in the house."""

    carer = forms.ChoiceField(label=gettext_lazy("Who cared?"), widget=forms.RadioSelect)
    minutes = forms.TypedChoiceField(
        label=gettext_lazy("How long was it meant to be?"),
        coerce=int,
        choices=[(str(m), length(m)) for m in TRIAL_LENGTHS],
        initial="30",
    )
    stepped_in = forms.TypedChoiceField(
        label=gettext_lazy("Did you step in before the end?"),
        choices=[("0", gettext_lazy("No")), ("1", gettext_lazy("Yes"))],
        coerce=lambda v: v == "1",
        initial="0",
        widget=forms.RadioSelect,
    )
    stepped_in_after = forms.IntegerField(
        label=gettext_lazy("After about how many minutes?"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=gettext_lazy("Only if you stepped in. Stepping in is part of practising too."),
    )
    feel = forms.ChoiceField(
        label=gettext_lazy("How did it feel?"),
        choices=SeparationPrivate.Feel.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    thank_you = forms.CharField(
        label=gettext_lazy("One thing they did well"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Optional. They see it as your thank-you."),
    )

    def __init__(self, *args, carers, **kwargs):
        super().__init__(*args, **kwargs)
        self.carer_options = {c.value: c for c in carers}
        self.fields["carer"].choices = [(c.value, c.name) for c in carers]

    def clean(self):
        data = super().clean()
        minutes, after = data.get("minutes"), data.get("stepped_in_after")
        if data.get("stepped_in") and minutes is not None:
            if after is None:
                self.add_error("stepped_in_after", _("About how many minutes in? A guess is fine."))
            elif after >= minutes:
                self.add_error(
                    "stepped_in_after",
                    _("That's the whole trial run. Choose fewer than %(n)d minutes.")
                    % {"n": minutes},
                )
        return data

    def minutes_stayed_out(self) -> int:
        data = self.cleaned_data
        return data["stepped_in_after"] if data["stepped_in"] else data["minutes"]


class InBetweenForm(forms.Form):
    step = forms.IntegerField(widget=forms.HiddenInput)
    minutes = forms.IntegerField(min_value=1, max_value=MAX_STEP_MINUTES, widget=forms.HiddenInput)


class WeeklyForm(forms.Form):
    on = forms.TypedChoiceField(
        choices=[("1", "on"), ("0", "off")], coerce=lambda v: v == "1", widget=forms.HiddenInput
    )
