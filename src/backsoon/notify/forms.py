from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backsoon.notify import events


class EmailChannelForm(forms.Form):
    address = forms.EmailField(
        label=gettext_lazy("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class AppriseChannelForm(forms.Form):
    url = forms.CharField(
        label=gettext_lazy("Apprise address"),
        max_length=2000,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}
        ),
        help_text=gettext_lazy(
            "It may contain a password or token. Back Soon keeps it to send messages and "
            "shows only a shortened form."
        ),
    )

    def clean_url(self) -> str:
        from backsoon.notify.channels.apprise import describe  # Apprise is slow to load

        url = self.cleaned_data["url"].strip()
        label = describe(url)
        if label is None:
            raise forms.ValidationError(
                _(
                    "Apprise doesn't recognise this address. Check it against the examples "
                    "below; it should be just one address."
                ),
                code="apprise",
            )
        self.cleaned_data["label"] = label
        return url


class QuietHoursForm(forms.Form):
    start = forms.TimeField(
        label=gettext_lazy("Quiet from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    end = forms.TimeField(
        label=gettext_lazy("Until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if (start is None) != (end is None):
            raise forms.ValidationError(
                _("Give both times, or leave both empty for no quiet hours."), code="half"
            )
        if start is not None and start == end:
            raise forms.ValidationError(
                _("The two times are the same; choose when quiet hours end."), code="same"
            )
        return data


class EventsForm(forms.Form):
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Send here"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, is_parent: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = [
            (event.value, event.label) for event in events.choosable(is_parent)
        ]
