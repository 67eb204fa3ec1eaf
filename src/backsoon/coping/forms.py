"""Forms for the urge flow and the grounding kit. Every field is optional where it can be."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backsoon.coping import flow
from backsoon.coping.models import GroundingKit
from backsoon.separations.display import length
from backsoon.separations.forms import rating_choices

PHONE = re.compile(r"^\+?[0-9 ()./-]{3,30}$")
ACTIONS = ("wait", *flow.Outcome)


def strength_field(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=rating_choices(_("barely there"), _("very strong")),
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Choose a number from 0 to 10, or skip it.")},
    )


class UrgeForm(forms.Form):
    """The offer: how strong (optional), how long to wait, and "buzz me at the end"."""

    strength = forms.Field()  # replaced in __init__ (the labels are translated per request)
    minutes = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect)
    buzz = forms.BooleanField(
        label=gettext_lazy("Put the phone away — buzz me at the end"), required=False
    )
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])

    def __init__(self, *args, choices: list[int], offered: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strength"] = strength_field(_("How strong is the urge right now?"))
        self.fields["minutes"].label = _("How long will you wait?")
        self.fields["minutes"].choices = [(str(m), length(m)) for m in choices]
        # Needed only to wait (clean() asks for it then); an ending can come without it.
        self.fields["minutes"].required = False
        self.fields["minutes"].error_messages["invalid_choice"] = _(
            "Choose one of the lengths shown — they fit the time you have left."
        )
        self.fields["action"].error_messages["required"] = _("Please choose a button.")
        self.fields["action"].error_messages["invalid_choice"] = _("Please choose a button.")
        if offered and not self.is_bound:
            self.initial.setdefault("minutes", str(offered))

    def clean(self):
        data = super().clean()
        if (
            data.get("action") == "wait"
            and not data.get("minutes")
            and "minutes" not in self.errors
        ):
            self.add_error("minutes", _("Choose how long you'd like to wait."))
        return data


class EndForm(forms.Form):
    """The three endings, at any moment, with an optional "how strong is it now?"."""

    strength_after = forms.Field()
    action = forms.ChoiceField(choices=[(o, o) for o in flow.Outcome])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strength_after"] = strength_field(_("How strong is it now?"))
        self.fields["action"].error_messages["invalid_choice"] = _("Please choose a button.")
        self.fields["action"].error_messages["required"] = _("Please choose a button.")


def seconds_choices(low: int, high: int) -> list[tuple[str, str]]:
    return [(str(n), str(n)) for n in range(low, high + 1)]


class KitForm(forms.ModelForm):
    """The parent's own sentences, a friend to text, and the breathing pace."""

    class Meta:
        model = GroundingKit
        fields = [
            "real_lines",
            "friend_name",
            "friend_phone",
            "breath_in",
            "breath_hold",
            "breath_out",
            "breath_rest",
            "vibrate",
        ]
        widgets = {"real_lines": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pace = {
            "breath_in": (_("Breathe in, seconds"), 2),
            "breath_hold": (_("Hold, seconds"), 0),
            "breath_out": (_("Breathe out, seconds"), 2),
            "breath_rest": (_("Hold again, seconds"), 0),
        }
        for name, (label, low) in pace.items():
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                choices=seconds_choices(low, 8),
                coerce=int,
                error_messages={
                    "invalid_choice": _("Choose from %(low)s to 8 seconds.") % {"low": low}
                },
            )
        self.fields["breath_rest"].help_text = _(
            "The fourth side of the box, after breathing out. 0 leaves it out."
        )
        self.fields["vibrate"].label = _("A short buzz at each change, on phones that can")
        self.fields["real_lines"].help_text = _("One sentence per line.")
        self.fields["friend_name"].label = _("A friend you can text")
        self.fields["friend_phone"].help_text = _("With the country code if they're abroad.")
        self.fields["friend_phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})

    def clean_real_lines(self):
        lines = [line.strip() for line in self.cleaned_data["real_lines"].splitlines()]
        lines = [line for line in lines if line]
        if any(len(line) > 200 for line in lines):
            raise ValidationError(_("Please keep each sentence under 200 characters."))
        if len(lines) > 12:
            raise ValidationError(_("Up to 12 sentences — a few you believe work best."))
        return "\n".join(lines)

    def clean_friend_phone(self):
        phone = self.cleaned_data["friend_phone"].strip()
        if phone and not PHONE.match(phone):
            raise ValidationError(_("That doesn't look like a phone number."))
        return phone

    def clean(self):
        data = super().clean()
        if data.get("friend_phone") and not data.get("friend_name", "").strip():
            self.add_error("friend_name", _("Who is it? Their name helps you find them fast."))
        return data


class StrengthsForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("What they're good at"),
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("One thing per line."),
        error_messages={"required": gettext_lazy("Write at least one thing they're good at.")},
    )
