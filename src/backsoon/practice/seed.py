"""Demo households with a believable history, for demos, screenshots and benchmarks.

Each household has two parents (the one who practises, and a partner), a baby, a caregiver
link for a grandmother, a filled-in care sheet and emergency agreement, and a practice
ladder climbed week by week. The steps are chosen by the real next-step rule from the
history so far, and outcomes get calmer with practice, so the charts mean something:
worry eases, early returns thin out, the baby settles sooner, and fears mostly don't
come true. Everything is made with bulk inserts; deterministic for a given `seed`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from backsoon.caresheets import services as caresheets
from backsoon.caresheets.models import Sheet
from backsoon.households.models import CaregiverLink, Child, Household, Membership, Role
from backsoon.households.services import zone
from backsoon.practice import ladder as ladders
from backsoon.practice import rule
from backsoon.practice.models import LadderStep
from backsoon.separations.models import (
    CheckIn,
    ParentMessage,
    Separation,
    SeparationPrivate,
    SettledAfter,
    Settling,
    ThankYou,
)

DEMO_DOMAIN = "demo.backsoon.example"
DEMO_PASSWORD = "back-soon-demo"  # noqa: S105 (demo accounts, printed for the person seeding)
FEARS = [
    ("She'll cry the whole time", 70),
    ("She won't take the bottle", 60),
    ("Nobody will manage to get her down for her nap", 50),
    ("Something will happen and I won't be there", 40),
]
THANKS = [
    "Thank you — you got her down for her nap so calmly.",
    "Thanks for the photo from the park, it made my afternoon.",
    "Thank you for the bouncing she likes. She was so content when I got back.",
]
EVERYDAY_MINUTES = [45, 60, 90, 120, 180, 240, 480]
PAIRS = [("Maya", "Sam"), ("Priya", "Tom"), ("Alex", "Jordan"), ("Lena", "Chris")]
ZONES = [("Europe/London", "GB"), ("America/New_York", "US"), ("Europe/Berlin", "DE")]


@dataclass
class Seeded:
    household: Household
    parent_email: str
    partner_email: str
    separations: int = 0
    steps: list[str] = field(default_factory=list)


def _user(email: str, password: str):
    user = get_user_model().objects.create_user(
        username=email.split("@")[0], email=email, password=password
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _next_number() -> int:
    taken = Household.objects.filter(name__startswith="Demo household ").values_list(
        "name", flat=True
    )
    numbers = [int(n.rsplit(" ", 1)[1]) for n in taken if n.rsplit(" ", 1)[1].isdigit()]
    return max(numbers, default=0) + 1


def seed(
    households: int = 1,
    weeks: int = 12,
    *,
    per_week: int = 4,
    seed: int = 1,
    password: str = DEMO_PASSWORD,
    now: datetime | None = None,
) -> list[Seeded]:
    """Create `households` demo households with `weeks` weeks of history each."""
    now = now or timezone.now()
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    made = []
    first = _next_number()
    for n in range(first, first + households):
        with transaction.atomic():
            made.append(_household(n, weeks, per_week, rng, password, now))
    return made


def _household(n: int, weeks: int, per_week: int, rng, password: str, now: datetime) -> Seeded:
    leaver_name, partner_name = PAIRS[(n - 1) % len(PAIRS)]
    tz_name, country = ZONES[(n - 1) % len(ZONES)]
    household = Household.objects.create(
        name=f"Demo household {n}", time_zone=tz_name, country=country
    )
    emails = [f"{name.lower()}.{n}@{DEMO_DOMAIN}" for name in (leaver_name, partner_name)]
    leaver, partner = (
        Membership.objects.create(
            household=household,
            user=_user(email, password),
            role=Role.PARENT,
            display_name=name,
            phone=f"+44 7700 900{n % 1000:03d}",
        )
        for email, name in zip(emails, (leaver_name, partner_name), strict=True)
    )
    link, _token = CaregiverLink.create(
        household=household, name="Grandma Ana", phone="+44 7700 900999", created_by=leaver
    )
    baby = Child.objects.create(
        household=household,
        name="Bea",
        birth_date=(now - timedelta(days=240 + weeks * 7)).date(),
    )
    _care_sheet(household, baby, leaver)
    steps = ladders.steps_of(ladders.ensure_ladder(leaver))
    count = _history(household, leaver, partner, link, baby, steps, weeks, per_week, rng, now)
    return Seeded(
        household,
        emails[0],
        emails[1],
        count,
        [s.name for s in ladders.steps_of(ladders.ladder_of(leaver))],
    )


def _care_sheet(household: Household, baby: Child, author: Membership) -> None:
    caresheets.save(
        caresheets.sheet_for(household, Sheet.Kind.CHILD, baby),
        {
            "feeding": {
                "times": ["7:00 bottle", "11:30 lunch", "15:00 bottle", "18:30 bottle"],
                "how": ["Warm the milk in a jug of hot water, not the microwave"],
                "burping": ["Over the shoulder after each bottle"],
            },
            "sleep": {
                "naps": ["About 9:30, for an hour", "About 13:30, for up to two hours"],
                "bedtime": ["Bath, story, bottle, bed by 19:00"],
                "where": "In her cot, on her back",
                "comfort": "Bunny, the grey one",
            },
            "soothing": {"steps": ["Bunny", "Rocking and shushing", "A walk round the garden"]},
            "medicines": {"none_known": True},
        },
        author,
    )
    caresheets.save(
        caresheets.sheet_for(household, Sheet.Kind.HOUSEHOLD),
        {
            "contacts": {
                "people": [
                    {"name": author.display_name, "relation": "Parent", "phone": author.phone}
                ]
            },
            "home": {"address": "12 Example Road", "where_things_are": ["Nappies: top drawer"]},
        },
        author,
    )
    caresheets.save(
        caresheets.sheet_for(household, Sheet.Kind.AGREEMENT),
        {
            "call_now": {"items": ["A fever, or she seems unwell", "Any fall or bump to the head"]},
            "can_handle": {"items": ["Crying when I leave", "A short nap, or a skipped one"]},
        },
        author,
    )


def _weighted(rng, options: list[tuple[str, float]]) -> str:
    return rng.choices([o for o, _w in options], weights=[w for _o, w in options])[0]


def _history(household, leaver, partner, link, baby, steps, weeks, per_week, rng, now) -> int:
    tz = zone(household)
    today = now.astimezone(tz).date()
    first_day = today - timedelta(days=weeks * 7)
    days: list[tuple[date, str]] = []
    for week in range(weeks):
        monday = first_day + timedelta(days=week * 7)
        for offset in sorted(rng.sample(range(7), min(per_week, 7))):
            days.append((monday + timedelta(days=offset), Separation.Kind.PRACTICE))
        if week >= 3:
            days.append((monday + timedelta(days=rng.randrange(5)), Separation.Kind.EVERYDAY))
    days = [(d, k) for d, k in days if d < today]
    days.sort()

    facts: list[rule.Fact] = []
    times_at: dict[int, int] = {}
    rows: list[dict] = []
    carers = [(f"m{partner.pk}", partner.display_name), (f"l{link.pk}", link.name)]
    for i, (day, kind) in enumerate(days):
        progress = i / max(len(days) - 1, 1)
        if kind == Separation.Kind.PRACTICE:
            plain = [ladders.as_rule_step(s) for s in steps]
            suggestion = rule.suggest(plain, facts, carers)
            if suggestion.action is rule.Action.IN_BETWEEN:
                above = next(s for s in steps if s.pk == suggestion.step.id)
                ladders.add_in_between(above.ladder, above, suggestion.minutes)
                steps = ladders.steps_of(above.ladder)
                step = next(s for s in steps if s.minutes == suggestion.minutes and s.in_between)
            else:
                chosen = rng.choice(suggestion.options)
                step = next(s for s in steps if s.pk == chosen.id)
            if step.minutes > 120 and rng.random() < 0.7:
                # Long steps are for some weekends; on other days, a shorter one again.
                step = rng.choice([s for s in steps if s.kind == "away" and s.minutes <= 120])
            minutes, step_id = step.minutes, step.pk
        else:
            # Everyday time apart grows too: appointments first, a working day later on.
            step, step_id = None, None
            minutes = rng.choice([m for m in EVERYDAY_MINUTES if m <= 90 + 420 * progress])
        done_before = times_at.get(step_id, 0) if step_id else 3
        bedtime = step is not None and step.kind == LadderStep.Kind.BEDTIME
        hour = rng.choice([18, 19]) if bedtime else rng.randrange(9, 17)
        start = datetime.combine(day, time(hour, rng.choice([0, 15, 30, 45])), tzinfo=tz)
        early = rng.random() < 0.3 * 0.75**done_before * (1 - 0.5 * progress)
        away = round(minutes * rng.uniform(0.25, 0.7)) if early else minutes + rng.randrange(0, 6)
        hard = (early and rng.random() < 0.6) or rng.random() < 0.45 * 0.75**done_before
        feel = "" if rng.random() < 0.1 else ("hard" if hard else "manageable")
        fear_text, likely = rng.choice(FEARS) if rng.random() < 0.75 - 0.35 * progress else ("", 0)
        happened = ""
        if fear_text:
            likely = max(10, round(likely - 30 * progress + rng.randrange(-10, 11), -1))
            happened = _weighted(rng, [("no", 0.72), ("partly", 0.16), ("yes", 0.04), ("", 0.08)])
        worry = max(1, min(10, round(8 - 4.5 * progress + rng.uniform(-1.5, 1.5))))
        settled = _weighted(
            rng,
            [
                (SettledAfter.UNDER_5, 0.35 + 0.3 * progress),
                (SettledAfter.FROM_5_TO_15, 0.35),
                (SettledAfter.FROM_15_TO_30, 0.2 - 0.1 * progress),
                (SettledAfter.OVER_30, 0.05),
                (SettledAfter.NOT_YET, 0.02),
            ],
        )
        by_link = rng.random() < 0.3
        carer_key = carers[1] if by_link else carers[0]
        sent = _weighted(rng, [(0, 0.5), (1, 0.35), (2, 0.15)])
        if step_id:
            times_at[step_id] = done_before + 1
        facts.append(
            rule.Fact(
                at=start,
                seconds_away=away * 60,
                planned_minutes=minutes,
                step_id=step_id,
                everyday=kind == Separation.Kind.EVERYDAY,
                feel=feel,
                fear=bool(fear_text),
                happened=happened,
                slow_settling=("Bea",) if rule.slow_to_settle(settled, away * 60) else (),
                messages=sent,
                aim=1,
                carer=carer_key[0],
                hour=hour,
            )
        )
        rows.append(
            {
                "kind": kind,
                "step_id": step_id,
                "minutes": minutes,
                "start": start,
                "away": away,
                "by_link": by_link,
                "private": {
                    "feel": feel,
                    "fear": fear_text,
                    "fear_likelihood": likely if fear_text else None,
                    "fear_outcome": happened,
                    "worry_before": worry if rng.random() < 0.9 else None,
                    "worry_worst": min(10, worry + rng.randrange(0, 3)),
                    "worry_after": max(0, worry - rng.randrange(2, 5)),
                    "early_reason": "I couldn't stop thinking about her" if early else "",
                    "messages_aim": 1,
                },
                "settled": settled,
                "sent": sent,
                "thanks": rng.random() < 0.5,
                # Fewer urges with practice, and more of them pass while waiting.
                "urges": _weighted(
                    rng, [(0, 0.25 + 0.4 * progress), (1, 0.45), (2, 0.3 - 0.25 * progress)]
                ),
                "outcome": _weighted(
                    rng,
                    [
                        ("passed", 0.4 + 0.4 * progress),
                        ("carried_on", 0.3 - 0.15 * progress),
                        ("message", 0.3 - 0.25 * progress),
                    ],
                ),
            }
        )
    _store(household, leaver, partner, link, baby, rows)
    return len(rows)


def _store(household, leaver, partner, link, baby, rows) -> None:
    separations = Separation.objects.bulk_create(
        Separation(
            household=household,
            leaver=leaver,
            leaver_name=leaver.display_name,
            carer_membership=None if r["by_link"] else partner,
            carer_link=link if r["by_link"] else None,
            carer_name=link.name if r["by_link"] else partner.display_name,
            kind=r["kind"],
            status=Separation.Status.BACK,
            starts_at=r["start"],
            planned_minutes=r["minutes"],
            plan_note="" if r["kind"] == Separation.Kind.PRACTICE else "Work",
            left_at=r["start"],
            back_at=r["start"] + timedelta(minutes=r["away"]),
            created_at=r["start"] - timedelta(hours=2),
            practice_step_id=r["step_id"],
        )
        for r in rows
    )
    through = Separation.children.through
    through.objects.bulk_create(through(separation_id=s.pk, child_id=baby.pk) for s in separations)
    SeparationPrivate.objects.bulk_create(
        SeparationPrivate(
            separation=s,
            owner=leaver,
            rated_at=s.back_at + timedelta(minutes=10),
            **r["private"],
        )
        for s, r in zip(separations, rows, strict=True)
    )
    checkins, settlings, thanks, messages = [], [], [], []
    for s, r in zip(separations, rows, strict=True):
        carer = {
            "posted_by_membership": None if r["by_link"] else partner,
            "posted_by_link": link if r["by_link"] else None,
            "author_name": s.carer_name,
        }
        checkins.append(
            CheckIn(
                separation=s,
                idempotency_key=f"seed-{s.pk}-1",
                all_good=True,
                state="content",
                settled=[{"child": baby.pk, "name": baby.name, "after": r["settled"]}],
                created_at=s.left_at + timedelta(minutes=min(20, r["away"] // 2)),
                **carer,
            )
        )
        settlings.append(
            Settling(separation=s, child=baby, after=r["settled"], updated_at=s.left_at)
        )
        if r["thanks"]:
            thanks.append(
                ThankYou(
                    separation=s,
                    text=THANKS[s.pk % len(THANKS)],
                    author_name=leaver.display_name,
                    created_at=s.back_at,
                )
            )
        messages.extend(
            ParentMessage(
                separation=s, owner=leaver, sent_at=s.left_at + timedelta(minutes=5 + 10 * k)
            )
            for k in range(r["sent"])
        )
    CheckIn.objects.bulk_create(checkins)
    Settling.objects.bulk_create(settlings)
    ThankYou.objects.bulk_create(thanks)
    ParentMessage.objects.bulk_create(messages)
    _urges(leaver, separations, rows)


def _urges(leaver, separations, rows) -> None:
    if not apps.is_installed("backsoon.coping"):
        return
    urge = apps.get_model("coping", "Urge")
    made = []
    for s, r in zip(separations, rows, strict=True):
        for k in range(r["urges"]):
            at = s.left_at + timedelta(minutes=3 + 7 * k)
            if at >= s.back_at:
                break
            outcome = r["outcome"]
            made.append(
                urge(
                    separation=s,
                    owner=leaver,
                    kind="check",
                    created_at=at,
                    started_at=at,
                    wait_minutes=20,
                    ended_at=at + timedelta(minutes=6),
                    outcome=outcome,
                    waited_seconds=360,
                )
            )
    urge.objects.bulk_create(made)
