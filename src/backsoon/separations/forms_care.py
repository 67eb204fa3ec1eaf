"""The caregiver's update form and the parent's reunion form."""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backsoon.separations.forms import rating_choices
from backsoon.separations.models import BabyState, SeparationPrivate, SettledAfter

PHOTO_TYPES = "image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif"


class CheckInForm(forms.Form):
    key = forms.CharField(max_length=64, widget=forms.HiddenInput)
    state = forms.ChoiceField(
        label=gettext_lazy("How are they?"),
        choices=BabyState.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=gettext_lazy("A few words"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    ate_less = forms.BooleanField(label=gettext_lazy("Ate less than usual"), required=False)
    looked_around = forms.BooleanField(
        label=gettext_lazy("Looked around for their parent"), required=False
    )
    photo = forms.FileField(
        label=gettext_lazy("A photo"),
        required=False,
        widget=forms.FileInput(
            attrs={
                "accept": PHOTO_TYPES,
                "data-resize-photo": "",
                "data-photo-working": gettext_lazy("Getting the photo ready…"),
                "data-photo-ready": gettext_lazy("Photo ready"),
            }
        ),
        help_text=gettext_lazy("Up to 20 MB. We remove the location and other hidden details."),
    )

    def __init__(self, *args, children=(), ask_settled=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.children = list(children) if ask_settled else []
        for child in self.children:
            self.fields[f"settled_{child.pk}"] = forms.ChoiceField(
                label=_("%(name)s settled after…") % {"name": child.name},
                choices=SettledAfter.choices,
                required=False,
                widget=forms.RadioSelect,
            )

    def settled_fields(self):
        return [self[f"settled_{child.pk}"] for child in self.children]

    def clean_photo(self):
        from backsoon.photos.processing import MAX_UPLOAD_BYTES, PhotoError, process_photo

        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("This photo is %(size)s; the most we can take is %(limit)s. Try a smaller one.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_UPLOAD_BYTES)},
                code="too_big",
            )
        try:
            return process_photo(upload)
        except PhotoError as exc:
            raise forms.ValidationError(str(exc), code="photo") from exc

    def settled(self) -> dict:
        answers = {}
        for child in self.children:
            value = self.cleaned_data.get(f"settled_{child.pk}")
            if value:
                answers[child] = value
        return answers


class ReunionForm(forms.Form):
    # For the practice ladder's next-step suggestion (backsoon.practice); never a score.
    feel = forms.ChoiceField(
        label=gettext_lazy("How did it feel, all in all?"),
        choices=SeparationPrivate.Feel.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    worry_worst = forms.TypedChoiceField(
        label=gettext_lazy("Your worry at its worst while away"),
        choices=rating_choices(gettext_lazy("none"), gettext_lazy("the most")),
        coerce=int,
        empty_value=None,
        required=False,
    )
    worry_after = forms.TypedChoiceField(
        label=gettext_lazy("Your worry now"),
        choices=rating_choices(gettext_lazy("none"), gettext_lazy("the most")),
        coerce=int,
        empty_value=None,
        required=False,
    )
    fear_outcome = forms.ChoiceField(
        label=gettext_lazy("Did it happen?"),
        choices=SeparationPrivate.Outcome.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    early_reason = forms.CharField(
        label=gettext_lazy("What brought you back sooner?"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Only if you'd like to note it. Coming back early is part of practising."
        ),
    )
    thank_you = forms.CharField(
        label=gettext_lazy("Your thank-you"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, asks_fear: bool, asks_early: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not asks_fear:
            del self.fields["fear_outcome"]
        if not asks_early:
            del self.fields["early_reason"]
