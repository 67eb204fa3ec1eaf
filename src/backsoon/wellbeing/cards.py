"""Help cards for one person: the facts from the database, the rules (redflags.py), the words.

Everything here is computed for one membership and shown only to them (`owner`). The baby's
card reads household data (how the children settled), so each parent gets their own copy
with their own dismissals; the self-check and plans cards read only the person's own data.
A handful of queries, however much data there is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import CharField, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backsoon.caresheets.display import Phone, phone
from backsoon.caresheets.models import Sheet
from backsoon.caresheets.services import find_sheet
from backsoon.households.models import Membership
from backsoon.separations.models import PlanChange, Separation, SeparationPrivate, Settling
from backsoon.wellbeing import redflags
from backsoon.wellbeing.models import CardDismissal, SelfCheckResult
from backsoon.wellbeing.redflags import Finding, Rule


def settlings(owner: Membership, now: datetime) -> list[redflags.Settled]:
    """Slow settlings on finished separations of the household, recent enough to count."""
    rows = (
        Settling.objects.filter(
            separation__household_id=owner.household_id,
            separation__status=Separation.Status.BACK,
            after__in=redflags.SLOW_ANSWERS,
        )
        .annotate(at=Coalesce(F("separation__left_at"), F("separation__starts_at")))
        .filter(at__gt=now - redflags.SETTLING_LOOKBACK)
        .values_list("child_id", "child__name", "at", "after")
    )
    return [redflags.Settled(*row) for row in rows]


def scores(owner: Membership, now: datetime) -> list[redflags.Scored]:
    rows = SelfCheckResult.objects.filter(
        owner=owner, taken_at__gt=now - redflags.SCORES_VALID_FOR
    ).values_list("kind", "score", "taken_at")
    return [redflags.Scored(*row) for row in rows]


def own_times(owner: Membership, now: datetime) -> tuple[list[redflags.Plan], list[redflags.Rated]]:
    """The person's own recent times apart, in one query (owner data), as two rules see them:

    - plans in PLANS_LOOKBACK: called off by themselves, or gone ahead;
    - finished practices in HARD_LOOKBACK that they rated manageable or hard.
    """
    plans_since = now - redflags.PLANS_LOOKBACK
    hard_since = now - redflags.HARD_LOOKBACK
    called_off = (
        PlanChange.objects.filter(
            separation=OuterRef("pk"),
            kind=PlanChange.Kind.CANCELLED,
            by=owner,
            created_at__gt=plans_since,
        )
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    rows = (
        Separation.objects.filter(leaver=owner)
        .annotate(called_off_at=Subquery(called_off))
        .filter(Q(left_at__gt=min(plans_since, hard_since)) | Q(called_off_at__isnull=False))
        .values_list(
            "left_at", "kind", "status", "called_off_at", "private__owner", "private__feel"
        )
    )
    plans: list[redflags.Plan] = []
    rated: list[redflags.Rated] = []
    rated_feel = (SeparationPrivate.Feel.MANAGEABLE, SeparationPrivate.Feel.HARD)
    for left_at, kind, status, called_off_at, private_owner, feel in rows:
        if called_off_at is not None:
            plans.append(redflags.Plan(called_off_at, True))
        if left_at is None:
            continue
        if left_at > plans_since:
            plans.append(redflags.Plan(left_at, False))
        if (
            left_at > hard_since
            and kind == Separation.Kind.PRACTICE
            and status == Separation.Status.BACK
            and private_owner == owner.pk
            and feel in rated_feel
        ):
            rated.append(redflags.Rated(left_at, feel == SeparationPrivate.Feel.HARD))
    return plans, rated


def findings_for(
    owner: Membership, now: datetime, scored: list[redflags.Scored] | None = None
) -> list[Finding]:
    found = list(redflags.slow_settling(settlings(owner, now), now))
    planned, rated = own_times(owner, now)
    if scored is None:
        scored = scores(owner, now)
    for finding in (
        redflags.high_scores(scored, now),
        redflags.cancelled_plans(planned, now),
        redflags.hard_practice(rated, now),
    ):
        if finding is not None:
            found.append(finding)
    return found


def dismissals(owner: Membership) -> list[redflags.Dismissed]:
    rows = CardDismissal.objects.filter(owner=owner).values_list(
        "rule", "key", "choice", "hidden_until"
    )
    return [redflags.Dismissed(*row) for row in rows]


def scores_and_dismissals(
    owner: Membership, now: datetime
) -> tuple[list[redflags.Scored], list[redflags.Dismissed]]:
    """`scores` and `dismissals` in one query (a UNION ALL; both are the person's own)."""
    columns = ("u_tag", "u_a", "u_b", "u_c", "u_n", "u_at")
    text = CharField()
    scored = (
        SelfCheckResult.objects.filter(owner=owner, taken_at__gt=now - redflags.SCORES_VALID_FOR)
        .annotate(
            u_tag=Value("s", output_field=text),
            u_a=F("kind"),
            u_b=Value("", output_field=text),
            u_c=Value("", output_field=text),
            u_n=F("score"),
            u_at=F("taken_at"),
        )
        .values_list(*columns)
        .order_by()
    )
    dismissed = (
        CardDismissal.objects.filter(owner=owner)
        .annotate(
            u_tag=Value("d", output_field=text),
            u_a=F("rule"),
            u_b=F("key"),
            u_c=F("choice"),
            u_n=Value(0, output_field=IntegerField()),
            u_at=F("hidden_until"),
        )
        .values_list(*columns)
        .order_by()
    )
    found_scores, found_dismissals = [], []
    for tag, a, b, c, n, at in scored.union(dismissed, all=True):
        if tag == "s":
            found_scores.append(redflags.Scored(a, n, at))
        else:
            found_dismissals.append(redflags.Dismissed(a, b, c, at))
    return found_scores, found_dismissals


def showing(owner: Membership, now: datetime | None = None) -> list[Finding]:
    """The person's findings that are not dismissed: what their cards are made of."""
    now = now or timezone.now()
    scored, dismissed = scores_and_dismissals(owner, now)
    found = findings_for(owner, now, scored)
    if not found:
        return []
    return redflags.showing(found, dismissed, now)


def dismiss(owner: Membership, rule: str, key: str, choice: str) -> bool:
    """Keep the person's answer with the evidence as it stands now; False if the card is gone."""
    now = timezone.now()
    finding = next(
        (f for f in findings_for(owner, now) if f.rule.value == rule and f.key == key), None
    )
    if finding is None:
        return False
    CardDismissal.objects.create(
        owner=owner,
        rule=rule,
        key=key,
        choice=choice,
        evidence_start=finding.evidence.start,
        evidence_until=finding.evidence.until,
        hidden_until=redflags.hidden_until(finding, redflags.Choice(choice), now),
        created_at=now,
    )
    return True


@dataclass
class Card:
    finding: Finding
    title: str
    says: list[str]
    todo: list[str]
    source: str
    links: list[tuple[str, str]] = field(default_factory=list)
    call: Phone | None = None
    call_label: str = ""

    @property
    def rule(self) -> str:
        return self.finding.rule.value

    @property
    def key(self) -> str:
        return self.finding.key


def cards_for(owner: Membership, now: datetime | None = None) -> list[Card]:
    found = showing(owner, now)
    household = owner.household
    h = household.pk
    doctor = {}
    if any(f.rule is Rule.SLOW_SETTLING for f in found):
        sheet = find_sheet(household, Sheet.Kind.HOUSEHOLD)
        doctor = (sheet.content if sheet else {}).get("doctor", {}) or {}
    words = {
        Rule.SLOW_SETTLING: lambda f: _baby_card(f, doctor, household.country, h),
        Rule.HIGH_SCORES: lambda f: _scores_card(f, h, _help_link(household.country)),
        Rule.CANCELLED_PLANS: lambda f: _plans_card(f, h, _help_link(household.country)),
        Rule.HARD_PRACTICE: lambda f: _hard_card(f, owner, _help_link(household.country)),
    }
    return [words[f.rule](f) for f in found]


def _help_link(country: str) -> tuple[str, str]:
    return (
        _("Crisis and support lines"),
        f"{reverse('wellbeing:help')}?{urlencode({'country': country})}",
    )


def _baby_card(finding: Finding, doctor: dict, country: str, h: int) -> Card:
    d = finding.details
    says = [
        ngettext(
            "%(name)s took over 30 minutes to settle %(times)d time in the last %(days)d days. "
            "That's worth mentioning to your pediatrician.",
            "%(name)s took over 30 minutes to settle %(times)d times in the last %(days)d days. "
            "That's worth mentioning to your pediatrician.",
            d["times"],
        )
        % d,
        _(
            "It doesn't mean anything is wrong, or that anyone did anything wrong. Some babies "
            "find goodbyes harder for a while, and a pediatrician can help you work out why and "
            "what might help. If things have been stressful at home or for you, that's worth "
            "saying too."
        ),
    ]
    number = phone(doctor.get("pediatrician_phone", ""), country)
    name = doctor.get("pediatrician_name", "")
    card = Card(
        finding=finding,
        title=_("Worth a word with %(name)s's pediatrician") % {"name": d["name"]},
        says=says,
        todo=[],
        source=_(
            "Why you're seeing this: pediatrician Dr. D. Ganjian suggests talking to the "
            "pediatrician when a baby can't be calmed within 30 minutes, again and again for "
            "more than a week (“Does My Baby Miss Me When I'm Away?”, 2024)."
        ),
    )
    if number is not None and number.href:
        card.call = number
        card.call_label = (
            _("Call %(name)s: %(number)s") % {"name": name, "number": number.shown}
            if name
            else _("Call the pediatrician: %(number)s") % {"number": number.shown}
        )
    else:
        card.todo.append(
            _("Your pediatrician's number isn't on the care sheet yet: adding it keeps it handy.")
        )
        card.links.append((_("Add it to the care sheet"), reverse("caresheets:edit", args=[h])))
    return card


def _scores_card(finding: Finding, h: int, help_link: tuple[str, str]) -> Card:
    parts = []
    if "gad7" in finding.details:
        parts.append(_("your GAD-7 was %(score)d") % {"score": finding.details["gad7"]})
    if "phq9" in finding.details:
        parts.append(_("your PHQ-9 was %(score)d") % {"score": finding.details["phq9"]})
    scored = _(" and ").join(parts)
    return Card(
        finding=finding,
        title=_("Someone to talk to"),
        says=[
            _("Recently %(scored)s. From 10 up, it's worth talking to a doctor or a therapist.")
            % {"scored": scored},
            _(
                "Anxiety and low mood around a baby are common, and they respond well to help — "
                "often talking therapy such as CBT, sometimes medication. Asking is a strong "
                "thing to do, not a weak one."
            ),
        ],
        todo=[
            _(
                "Your family doctor, midwife or health visitor is a good first step: you could "
                "show them your results. Support lines are there to talk things through too."
            )
        ],
        links=[
            help_link,
            (_("Your results over time"), reverse("wellbeing:history", args=[h])),
        ],
        source=_(
            "Why you're seeing this: the authors of the GAD-7 (Spitzer et al. 2006) and the "
            "PHQ-9 (Kroenke et al. 2001) take a score of 10 or more as the point to look further."
        ),
    )


def _plans_card(finding: Finding, h: int, help_link: tuple[str, str]) -> Card:
    times = finding.details["times"]
    return Card(
        finding=finding,
        title=_("When leaving keeps feeling too hard"),
        says=[
            ngettext(
                "You've called off %(times)d of your plans to go out in the last 4 weeks.",
                "You've called off %(times)d of your plans to go out in the last 4 weeks.",
                times,
            )
            % {"times": times},
            _(
                "Plans change, and that's fine. But if worry is what keeps stopping you — from "
                "practising, or from work or appointments — a therapist or a support group can "
                "help you find a way through. You don't have to push through it alone."
            ),
        ],
        todo=[_("Your doctor can point you to a therapist; a support line can help you start.")],
        links=[
            (_("How is it going? A short reflection"), reverse("wellbeing:reflection", args=[h])),
            help_link,
        ],
        source=_(
            "Why you're seeing this: avoiding time away is one of the common signs of "
            "separation anxiety in parents, and when it stops you leaving, help is worth "
            "having. The threshold (3 of your own plans called off in 4 weeks, at least half of "
            "those you made) is our own rule of thumb, not a test."
        ),
    )


def _hard_card(finding: Finding, owner: Membership, help_link: tuple[str, str]) -> Card:
    d = finding.details
    ladder = reverse(
        "practice:ladder", kwargs={"household_id": owner.household_id, "parent_id": owner.pk}
    )
    return Card(
        finding=finding,
        title=_("When practising stays hard"),
        says=[
            ngettext(
                "%(hard)d of the %(rated)d practices you rated in the last %(weeks)d week "
                "felt hard.",
                "%(hard)d of the %(rated)d practices you rated in the last %(weeks)d weeks "
                "felt hard.",
                d["weeks"],
            )
            % d,
            _(
                "You kept going, and that takes courage. Steps usually start to feel more "
                "manageable with practice; when they stay hard for this long, a therapist can "
                "help — talking therapy such as CBT often works well for this kind of worry. "
                "You don't have to push through it alone."
            ),
        ],
        todo=[
            _(
                "Your doctor can point you to a therapist, and a support line can help you "
                "start. Meanwhile, a smaller step on your ladder is still a real step."
            )
        ],
        links=[(_("Your practice ladder"), ladder), help_link],
        source=_(
            "Why you're seeing this: practice steps are meant to become manageable over time "
            "(Craske et al. 2008 and 2014), and when they keep feeling hard for weeks on end, "
            "support is worth having. The threshold (most of your rated practices hard, over "
            "6 weeks or more) is our own rule of thumb, not a test."
        ),
    )
