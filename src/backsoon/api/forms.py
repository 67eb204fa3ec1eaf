"""Forms for the "Your data" pages: a new API token, the account deletion, an import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backsoon.households.access import Subject

MAX_IMPORT_BYTES = 2 * 1024 * 1024 * 1024


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("What it's for"),
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Home Assistant")}),
    )
    access = forms.ChoiceField(
        label=gettext_lazy("It may"),
        choices=[
            ("read", gettext_lazy("Read only")),
            ("write", gettext_lazy("Read and make changes")),
        ],
        initial="read",
        widget=forms.RadioSelect,
    )
    acts_as = forms.ChoiceField(label=gettext_lazy("It acts as"), widget=forms.RadioSelect)

    def __init__(self, *args, subject: Subject, links=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.links = {f"link:{link.pk}": link for link in links}
        choices = [("me", _("You (%(name)s)") % {"name": subject.display_name})]
        choices += [
            (key, _("%(name)s's caregiver link") % {"name": link.name})
            for key, link in self.links.items()
        ]
        self.fields["acts_as"].choices = choices
        self.fields["acts_as"].initial = "me"
        if len(choices) == 1:
            self.fields["acts_as"].widget = forms.HiddenInput()

    def link(self):
        return self.links.get(self.cleaned_data["acts_as"])


class DeleteAccountForm(forms.Form):
    understood = forms.BooleanField(
        label=gettext_lazy("I understand this can't be undone."), required=True
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("The export (.zip)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("This file is too large."), code="too_big")
        return upload


class PersonalImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Your own data (the .json file you downloaded)"),
        help_text=gettext_lazy("After the household itself has come to this server."),
    )
