from __future__ import annotations

import json
import zoneinfo
from datetime import date
from functools import lru_cache
from pathlib import Path

import phonenumbers
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from backsoon.households.models import Child, Household, Membership, Role

MAX_CHILD_AGE_YEARS = 6


@lru_cache(maxsize=1)
def country_choices() -> list[tuple[str, str]]:
    # ISO 3166-1 names, from Debian's iso-codes (via pycountry).
    data = json.loads((Path(__file__).parent / "countries.json").read_text(encoding="utf-8"))
    return list(data.items())


@lru_cache(maxsize=1)
def time_zone_choices() -> list[tuple[str, str]]:
    zones = sorted(
        z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith("Etc/")
    )
    return [(z, z.replace("_", " ")) for z in [*zones, "UTC"]]


def normalise_phone(raw: str, country: str) -> str:
    """A phone number in E.164 form, or a ValidationError that says what to type."""
    raw = raw.strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, country)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise forms.ValidationError(
            _(
                "This doesn't look like a phone number. "
                "Type it as you would dial it, for example %(example)s."
            ),
            params={"example": _example_number(country)},
            code="phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _example_number(country: str) -> str:
    example = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.MOBILE)
    if example is None:
        return "+1 555 123 4567"
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)


class HouseholdForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    country = forms.ChoiceField(
        label=_("Country"),
        choices=country_choices,
        help_text=_("Used for emergency numbers and help lines."),
    )

    class Meta:
        model = Household
        fields = ["name", "time_zone", "country"]
        help_texts = {"name": _("For example “The Okafors” or “Home”.")}


DEFAULT_ZONES = {"US": "America/New_York", "GB": "Europe/London"}


class NewHouseholdForm(HouseholdForm):
    display_name = forms.CharField(
        label=_("Your name"),
        max_length=60,
        help_text=_("How your partner and caregivers will see you, for example “Maya”."),
    )
    field_order = ["display_name", "name", "country", "time_zone"]

    def __init__(self, *args, country: str, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"] |= {"country": country, "time_zone": DEFAULT_ZONES.get(country, "UTC")}
        super().__init__(*args, **kwargs)
        # The phone's own time zone is preselected by app.js where it runs.
        self.fields["time_zone"].widget.attrs["data-guess-time-zone"] = "1"


class ChildForm(forms.ModelForm):
    class Meta:
        model = Child
        fields = ["name", "birth_date"]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"name": _("A first name or a nickname is enough.")}

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["birth_date"].widget.attrs["max"] = today.isoformat()

    def clean_birth_date(self) -> date:
        born = self.cleaned_data["birth_date"]
        if born > self.today:
            raise forms.ValidationError(
                _(
                    "That date is in the future. "
                    "If the baby isn't born yet, come back once they are."
                ),
                code="future",
            )
        try:
            limit = self.today.replace(year=self.today.year - MAX_CHILD_AGE_YEARS)
        except ValueError:  # 29 February
            limit = self.today.replace(year=self.today.year - MAX_CHILD_AGE_YEARS, day=28)
        if born < limit:
            raise forms.ValidationError(
                _("Back Soon is made for babies and young children up to %(years)s years old."),
                params={"years": MAX_CHILD_AGE_YEARS},
                code="too_old",
            )
        return born


class InvitationForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Invite them as"),
        choices=[
            (Role.PARENT, _("A parent — shares the household with you")),
            (
                Role.CAREGIVER,
                _("A caregiver — a grandparent, sitter or friend who looks after the baby"),
            ),
        ],
        widget=forms.RadioSelect,
        initial=Role.PARENT,
    )
    display_name = forms.CharField(label=_("Their name"), max_length=60)
    email = forms.EmailField(
        label=_("Their email"),
        required=False,
        help_text=_("Optional. You can also share the link by text message or QR code."),
    )

    def __init__(self, *args, household: Household, inviter, **kwargs):
        super().__init__(*args, **kwargs)
        self.household = household
        self.inviter = inviter

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if not email:
            return ""
        if email == (self.inviter.email or "").lower():
            raise forms.ValidationError(_("That's your own email address."), code="self")
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user and Membership.objects.filter(household=self.household, user=user).exists():
            raise forms.ValidationError(
                _("%(email)s is already a member of this household."),
                params={"email": email},
                code="member",
            )
        return email


class MemberProfileForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["display_name", "phone"]
        help_texts = {
            "phone": _("Optional. Used for the “call” and “text” buttons others see."),
        }
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})}

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"], self.instance.household.country)
