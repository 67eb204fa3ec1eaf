"""Forms for planning: the plan, its agreed updates, the parent's own notes, the goodbye."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backsoon.households.services import zone
from backsoon.separations import schedule
from backsoon.separations.display import clock, length
from backsoon.separations.models import AgreedCheckIn, Separation
from backsoon.separations.services import Carer, PlanData, overlapping

LENGTHS = [5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 360, 480, 720]
# A start a moment ago is "now" (the form took a while to fill in).
PAST_GRACE = timedelta(minutes=5)
MAX_MINUTES = 24 * 60


def rating_choices(low: str, high: str, top: int = 10, step: int = 1) -> list[tuple[str, str]]:
    choices = [("", _("— skip —"))]
    for n in range(0, top + 1, step):
        text = str(n)
        if n == 0:
            text = f"{n} — {low}"
        elif n == top:
            text = f"{n} — {high}"
        choices.append((str(n), text))
    return choices


def optional_int(value):
    return None if value in ("", None) else int(value)


class PrivateFieldsMixin:
    """The leaving parent's own notes: shown only to them, stored as owner data."""

    private_fields = ("worry_before", "fear", "fear_likelihood", "messages_aim")

    def add_private_fields(self):
        self.fields["worry_before"] = forms.TypedChoiceField(
            label=_("How worried do you feel about it?"),
            choices=rating_choices(_("not at all"), _("very")),
            coerce=int,
            empty_value=None,
            required=False,
        )
        self.fields["fear"] = forms.CharField(
            label=_("What are you afraid will happen?"),
            max_length=300,
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("In a few words. Afterwards you can see whether it happened."),
        )
        self.fields["fear_likelihood"] = forms.TypedChoiceField(
            label=_("How likely does it feel?"),
            choices=[("", _("— skip —"))] + [(str(n), f"{n}%") for n in range(0, 101, 10)],
            coerce=int,
            empty_value=None,
            required=False,
        )
        self.fields["messages_aim"] = forms.IntegerField(
            label=_("Extra messages you'll aim for"),
            min_value=0,
            max_value=20,
            initial=1,
            help_text=_(
                "Beyond the agreed updates. An intention, not a rule — going over is fine."
            ),
        )

    def private_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.private_fields} | {
            "fear": self.cleaned_data.get("fear") or "",
            "messages_aim": self.cleaned_data.get("messages_aim") or 0,
        }


class PrivateForm(PrivateFieldsMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_private_fields()


class AgreedForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What"),
        choices=AgreedCheckIn.Kind.choices,
        initial=AgreedCheckIn.Kind.ALL_GOOD,
    )
    after = forms.IntegerField(
        label=gettext_lazy("After (minutes)"),
        min_value=1,
        max_value=MAX_MINUTES,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    at = forms.TimeField(
        label=gettext_lazy("Or at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    label = forms.CharField(
        label=gettext_lazy("Label"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("after lunch")}),
    )

    def clean(self):
        data = super().clean()
        after, at = data.get("after"), data.get("at")
        if not self.errors and (after is None) == (at is None):
            message = (
                _("Choose a time or a number of minutes, not both.")
                if after is not None
                else _("When should it come? A time, or minutes after you leave.")
            )
            self.add_error("after", message)
        return data

    def spec(self) -> schedule.AgreedSpec:
        data = self.cleaned_data
        return schedule.AgreedSpec(
            data["kind"],
            data.get("label", ""),
            clock=data.get("at"),
            offset_minutes=data.get("after"),
        )


AgreedFormSet = forms.formset_factory(AgreedForm, extra=2, max_num=8, validate_max=True)


def agreed_initial(separation: Separation) -> list[dict]:
    return [
        {"kind": a.kind, "label": a.label, "after": a.offset_minutes, "at": a.clock_time}
        for a in separation.agreed.all()
    ]


class PlanForm(PrivateFieldsMixin, forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What kind of time apart?"),
        choices=Separation.Kind.choices,
        initial=Separation.Kind.PRACTICE,
        widget=forms.RadioSelect,
        help_text=gettext_lazy("Both count: everyday time apart is practice too."),
    )
    carer = forms.ChoiceField(label=gettext_lazy("Who looks after them?"), widget=forms.RadioSelect)
    children = forms.MultipleChoiceField(
        label=gettext_lazy("Who stays home"), widget=forms.CheckboxSelectMultiple
    )
    starts_at = forms.DateTimeField(
        label=gettext_lazy("Starts"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    minutes = forms.TypedChoiceField(label=gettext_lazy("For how long?"), coerce=int)
    until = forms.TimeField(
        label=gettext_lazy("Or back by"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=gettext_lazy("If you'd rather give an end time."),
    )
    plan_note = forms.CharField(
        label=gettext_lazy("What you'll do with the time"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("a walk round the park")}),
    )
    no_agreed = forms.BooleanField(
        label=gettext_lazy("No agreed updates this time"), required=False
    )
    confirm_overlap = forms.BooleanField(label=gettext_lazy("Yes, plan it anyway"), required=False)

    def __init__(
        self,
        *args,
        household,
        leaver,
        carers: list[Carer],
        separation=None,
        with_private=True,
        steps=(),
        **kwargs,
    ):
        self.household, self.leaver, self.separation = household, leaver, separation
        self.steps_by_id = {str(s.pk): s for s in steps}
        self.carer_options = {c.value: c for c in carers}
        self.children_by_id = {str(c.pk): c for c in household.children.all()}
        self.overlaps: list[Separation] = []
        super().__init__(*args, **kwargs)
        self.fields["carer"].choices = [(c.value, c.name) for c in carers]
        self.fields["children"].choices = [(k, c.name) for k, c in self.children_by_id.items()]
        lengths = set(LENGTHS) | ({separation.planned_minutes} if separation else set())
        lengths |= {s.minutes for s in steps}
        self.fields["minutes"].choices = [(str(m), length(m)) for m in sorted(lengths)]
        self.agreed = AgreedFormSet(
            *args, prefix="agreed", initial=agreed_initial(separation) if separation else None
        )
        if with_private:
            self.add_private_fields()
        if steps:
            # The leaving parent's practice ladder (backsoon.practice): which step this is.
            self.fields["step"] = forms.ChoiceField(
                label=_("Which step on your ladder?"),
                choices=[("", _("Whichever fits its length"))]
                + [(key, step.name) for key, step in self.steps_by_id.items()],
                required=False,
                help_text=_(
                    "For a practice: it counts for the step its length reaches. "
                    "Everyday time apart counts on its own."
                ),
            )

    def clean_children(self):
        return [self.children_by_id[k] for k in self.cleaned_data["children"]]

    def clean_starts_at(self):
        start = self.cleaned_data["starts_at"]
        unchanged = self.separation is not None and start == self.separation.starts_at
        if not unchanged and start < timezone.now() - PAST_GRACE:
            raise forms.ValidationError(
                _("That time has already passed. Choose a time from now on."), code="past"
            )
        return start

    def clean(self):
        data = super().clean()
        start, minutes = data.get("starts_at"), data.get("minutes")
        if start is None or minutes is None:
            return data
        tz = zone(self.household)
        if data.get("until") is not None:
            back = schedule.clock_due(start + timedelta(minutes=1), data["until"], tz)
            minutes = round((back - start).total_seconds() / 60)
            data["minutes"] = minutes
        self._check_agreed(start, minutes, tz)
        children = data.get("children")
        if children and not data.get("confirm_overlap"):
            self.overlaps = overlapping(
                self.household, children, start, minutes, exclude=self.separation
            )
            if self.overlaps:
                self.add_error("confirm_overlap", _("Please confirm, or change the time."))
        return data

    def _check_agreed(self, start, minutes, tz) -> None:
        if not self.agreed.is_valid():
            return
        end = clock(schedule.planned_end(start, minutes), self.household)
        for form in self.agreed.forms:
            if not form.has_changed() or not form.cleaned_data:
                continue
            if not schedule.fits(start, minutes, form.spec(), tz):
                field = "at" if form.cleaned_data.get("at") else "after"
                form.add_error(
                    field,
                    _("This comes after you're back (around %(end)s). Pick something sooner.")
                    % {"end": end},
                )

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return self.agreed.is_valid() and valid

    def agreed_specs(self) -> list[schedule.AgreedSpec]:
        if self.cleaned_data.get("no_agreed"):
            return []
        specs = [f.spec() for f in self.agreed.forms if f.has_changed() and f.cleaned_data]
        return specs or schedule.default_agreement(self.cleaned_data["minutes"])

    def plan(self) -> PlanData:
        data = self.cleaned_data
        return PlanData(
            kind=data["kind"],
            carer=self.carer_options[data["carer"]],
            children=data["children"],
            starts_at=data["starts_at"],
            minutes=data["minutes"],
            plan_note=data["plan_note"],
            agreed=self.agreed_specs(),
            practice_step=self.practice_step()
            if data["kind"] == Separation.Kind.PRACTICE
            else None,
        )

    def practice_step(self):
        """The step chosen, else the ladder's step of exactly this length (a plain
        "30-minute practice" is the 30-minute step); None when no step has its length."""
        chosen = self.steps_by_id.get(self.cleaned_data.get("step") or "")
        if chosen is not None:
            return chosen
        minutes = self.cleaned_data["minutes"]
        steps = self.steps_by_id.values()
        return next((s for s in steps if s.kind == "away" and s.minutes == minutes), None)


class AgainForm(forms.Form):
    when = forms.TypedChoiceField(
        label=gettext_lazy("When?"),
        choices=[
            ("0", gettext_lazy("Now")),
            ("15", gettext_lazy("In 15 minutes")),
            ("30", gettext_lazy("In 30 minutes")),
            ("60", gettext_lazy("In an hour")),
        ],
        coerce=int,
        initial="0",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        # "Same as last time", or the next step on the practice ladder (its own button).
        self.steps_by_id = {str(s.pk): s for s in steps}
        self.fields["step"] = forms.ChoiceField(
            choices=[("", "")] + [(key, s.name) for key, s in self.steps_by_id.items()],
            required=False,
        )

    def chosen_step(self):
        return self.steps_by_id.get(self.cleaned_data.get("step") or "")


class RitualForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your goodbye"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Short, warm and the same each time. One or two lines is plenty."),
    )
