"""The next-step suggestion: a pure function over the ladder and the evidence. No ORM.

Sources: Craske MG et al. (2008). Optimizing inhibitory learning during exposure therapy.
Behav Res Ther 46(1):5–27. Craske MG et al. (2014). Maximizing exposure therapy: an
inhibitory learning approach. Behav Res Ther 58:10–23. DOMAIN.md, practice 1 ("start small,
step up"). From them: what counts is what was feared set beside what happened, not how
fast the worry dropped (the worry level is never a gate); varying the practice (another
caregiver, another time of day) helps the learning hold.

The rule looks at the *current* step: the highest step on the ladder practised in the two
weeks up to the latest practice (so a quick short practice between longer ones doesn't
send the suggestion back down), and at the last two times there:

1. Came back early the last two times there → an in-between step, half the gap to the
   longest shorter step below (or to nothing); if no whole length fits, repeat.
2. Came back early last time there → repeat it. Came back early from anything else last
   time → repeat that step (or the current one), or, if that was the second early return
   in a row at that step, an in-between step below it as in 1. Never move up right after
   an early return.
3. Rated it "hard" last time → repeat.
4. The last two times there both went well → move up one step. "Went well" means: completed
   (not early), not rated hard, and what was feared did not happen or was handled. "Partly"
   counts as handled: the parent stayed, the caregiver coped, and it was smaller than the
   fear. A skipped rating never holds anything back: no "how did it feel" counts like
   "manageable", an unanswered "did it happen" like "no" (the reason then says less).
   Going over the messages one aimed for makes a practice "mixed", never failed: it counts.
   - If the baby took more than 30 minutes to settle either time, the parent decides
     (both options are offered); quicker settling never counts against anything, and
     "not settled yet" counts only after more than 30 minutes away (`slow_to_settle`).
   - At the top of the ladder there is nothing to move up to.
5. Otherwise (what was feared happened, or only one good time so far) → repeat.

A variation (another caregiver, another time of day, bedtime) is offered beside the
suggestion once the last two times at the step felt manageable (not early, not "hard").

Evidence: a practice counts for its own step. An everyday separation (work, an
appointment), or a practice not on the ladder, counts for every daytime step at or below the
time actually spent away, as a completed time there — never for a trial run at home or a
bedtime step. A practice not on the ladder also says where the parent is: it stands at the
longest daytime step it reached (`placed_at`), as if planned for it. Everyday time apart
never moves the current step: it is evidence, not practice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from backsoon.separations.schedule import EARLY_SHARE

# How far back the current step is looked for, from the latest practice.
RECENT = timedelta(days=14)


class Kind(StrEnum):
    TRIAL = "trial"
    AWAY = "away"
    BEDTIME = "bedtime"


class Feel(StrEnum):
    MANAGEABLE = "manageable"
    HARD = "hard"


class Happened(StrEnum):
    NO = "no"
    PARTLY = "partly"
    YES = "yes"


class Action(StrEnum):
    START = "start"
    REPEAT = "repeat"
    MOVE_UP = "move_up"
    IN_BETWEEN = "in_between"
    DECIDE = "decide"  # the baby's settling: the parent chooses between repeat and move up
    TOP = "top"


class Why(StrEnum):
    FIRST = "first"
    TWO_GOOD = "two_good"
    SETTLING = "settling"
    TOP = "top"
    EARLY = "early"
    EARLY_TWICE = "early_twice"
    HARD = "hard"
    FEAR_HAPPENED = "fear_happened"
    ONE_MORE = "one_more"


class Vary(StrEnum):
    CARER = "carer"
    TIME = "time"
    BEDTIME = "bedtime"


@dataclass(frozen=True)
class Step:
    id: int
    name: str
    minutes: int
    kind: str = Kind.AWAY
    in_between: bool = False


SETTLING_MINUTES = 30


def slow_to_settle(after: str, seconds_away: float) -> bool:
    """Whether the caregiver's answer means more than 30 minutes to settle: "more than 30",
    or "not settled yet" once the parent was away longer than that (after a shorter time
    apart, "not yet" says nothing about 30 minutes)."""
    return after == "over_30" or (after == "not_yet" and seconds_away > SETTLING_MINUTES * 60)


def tolerance_seconds(minutes: int) -> float:
    """How much sooner still counts as the whole time (mirrors schedule.ended_early)."""
    return max(60.0, minutes * 60 * EARLY_SHARE)


def reaches(seconds_away: float, minutes: int) -> bool:
    """Whether time away of this length counts as the whole of a `minutes` step."""
    return seconds_away >= minutes * 60 - tolerance_seconds(minutes)


@dataclass(frozen=True)
class Fact:
    """One finished time apart of the parent, as the rule sees it."""

    at: datetime
    seconds_away: float
    planned_minutes: int
    step_id: int | None = None
    everyday: bool = False
    feel: str = ""  # Feel value, or "" when skipped
    fear: bool = False  # a fear was written down before leaving
    happened: str = ""  # Happened value, or "" when not answered
    slow_settling: tuple[str, ...] = ()  # children who took more than 30 minutes
    messages: int = 0
    aim: int | None = None
    carer: str = ""
    carer_name: str = ""
    hour: int = 12  # the local hour it started

    @property
    def early(self) -> bool:
        return not reaches(self.seconds_away, self.planned_minutes)

    @property
    def mixed(self) -> bool:
        """More messages than aimed for: "mixed", never failed (DOMAIN.md)."""
        return self.aim is not None and self.messages > self.aim


def counts_for(step: Step, fact: Fact, on_ladder: Iterable[int]) -> bool:
    """Whether a time apart is evidence for this step (see the module's docstring)."""
    if fact.step_id is not None and fact.step_id in set(on_ladder):
        return fact.step_id == step.id
    return step.kind == Kind.AWAY and reaches(fact.seconds_away, step.minutes)


def placed_at(fact: Fact, ladder: Sequence[Step]) -> Step | None:
    """The step a practice stands at: its own, else (a practice with no step on the ladder)
    the longest daytime step its time away reached. None for everyday time apart."""
    for step in ladder:
        if step.id == fact.step_id:
            return step
    if fact.everyday:
        return None
    reached = [s for s in ladder if s.kind == Kind.AWAY and reaches(fact.seconds_away, s.minutes)]
    return max(reached, key=lambda s: s.minutes, default=None)


@dataclass(frozen=True)
class Variation:
    kind: Vary
    carer_name: str = ""


@dataclass(frozen=True)
class Suggestion:
    action: Action
    why: Why
    step: Step  # what to do next; for IN_BETWEEN the step it goes below; for DECIDE the step up
    current: Step | None  # the step the evidence is about
    minutes: int  # the suggested length (the in-between one for IN_BETWEEN)
    below: Step | None = None  # IN_BETWEEN: the shorter step it sits above, if any
    manageable: int = 0  # of the two times the reason speaks of, how many felt manageable
    fear: str = ""  # "no": it didn't happen; "handled": partly, handled; "": nothing to say
    settling: tuple[str, ...] = ()  # DECIDE: who took more than 30 minutes
    times: int = 0  # how many times at the step the reason speaks of
    # Some of those times were not this step itself (everyday time apart, or a practice not
    # on the ladder): the reason then says "away for … or more", not "at …".
    beyond: bool = False
    at_top: bool = False  # the step is the top of the ladder: there is no "next step" to name
    variation: Variation | None = None

    @property
    def moves_up(self) -> bool:
        return self.action is Action.MOVE_UP

    @property
    def options(self) -> tuple[Step, ...]:
        """What the parent chooses between (DECIDE: stay, or the step up)."""
        if self.action is Action.DECIDE and self.current is not None:
            return (self.current, self.step)
        return (self.step,)


def _early_here(fact: Fact, step: Step) -> bool:
    # Evidence from outside the step (an everyday time apart) counts only at lengths it
    # reached, so it is never an early return *at* the step.
    return fact.step_id == step.id and fact.early


def _felt_fine(fact: Fact, step: Step) -> bool:
    return not _early_here(fact, step) and fact.feel != Feel.HARD


def _went_well(fact: Fact, step: Step) -> bool:
    return _felt_fine(fact, step) and fact.happened != Happened.YES


def _nice(minutes: float) -> int:
    unit = 1 if minutes < 10 else 5 if minutes < 60 else 15 if minutes < 180 else 30
    return int(minutes / unit + 0.5) * unit


def in_between(ladder: Sequence[Step], step: Step) -> tuple[int, Step | None] | None:
    """Half the gap between the longest shorter step below `step` (or nothing) and it.

    None when it cannot be a whole, nicely rounded length strictly in between, and for a
    trial run at home (it is not about time away).
    """
    if step.kind == Kind.TRIAL:
        return None
    index = ladder.index(step)
    shorter = [s for s in ladder[:index] if s.kind != Kind.TRIAL and s.minutes < step.minutes]
    below = max(shorter, key=lambda s: s.minutes, default=None)
    low = below.minutes if below else 0
    value = _nice(low + (step.minutes - low) / 2)
    if low < value < step.minutes:
        return value, below
    return None


def _part_of_day(hour: int) -> str:
    return "morning" if hour < 12 else "afternoon" if hour < 17 else "evening"


def variation_for(
    step: Step, recent: Sequence[Fact], carers: Sequence[tuple[str, str]]
) -> Variation | None:
    """What to vary next at a step that felt manageable: who, when, or bedtime."""
    used = {f.carer for f in recent}
    others = [name for key, name in carers if key not in used]
    if len(used) == 1 and others:
        return Variation(Vary.CARER, others[0])
    if len({_part_of_day(f.hour) for f in recent}) == 1:
        return Variation(Vary.TIME)
    if step.kind == Kind.AWAY and not any(_part_of_day(f.hour) == "evening" for f in recent):
        return Variation(Vary.BEDTIME)
    return None


def _fear_summary(facts: Sequence[Fact]) -> str:
    """What may truthfully be said about the fears of these (good) times."""
    feared = [f for f in facts if f.fear]
    if not feared or any(f.happened not in (Happened.NO, Happened.PARTLY) for f in feared):
        return ""
    return "no" if all(f.happened == Happened.NO for f in feared) else "handled"


def suggest(
    ladder: Sequence[Step], facts: Iterable[Fact], carers: Sequence[tuple[str, str]] = ()
) -> Suggestion | None:
    """The next step to suggest; None for an empty ladder.

    ladder: the steps in ladder order. facts: the parent's finished times apart, any order.
    carers: (key, name) of everyone who could care, for the "another caregiver" variation.
    """
    if not ladder:
        return None
    ladder = list(ladder)
    ids = {s.id for s in ladder}
    facts = sorted(facts, key=lambda f: f.at, reverse=True)
    practised = [(f, step) for f in facts if (step := placed_at(f, ladder)) is not None]
    if not practised:
        return Suggestion(Action.START, Why.FIRST, ladder[0], None, ladder[0].minutes)

    position = {s.id: i for i, s in enumerate(ladder)}
    latest = practised[0][0].at
    index = max(position[step.id] for f, step in practised if latest - f.at <= RECENT)
    current = ladder[index]
    above = ladder[index + 1] if index + 1 < len(ladder) else None
    here = [f for f in facts if counts_for(current, f, ids)]
    last, recent = here[0], here[:2]

    def repeat(why: Why, **extra) -> Suggestion:
        return Suggestion(Action.REPEAT, why, current, current, current.minutes, **extra)

    variation = None
    if len(recent) == 2 and all(_felt_fine(f, current) for f in recent):
        variation = variation_for(current, recent, carers)

    def early_twice(step: Step) -> Suggestion | None:
        twice = [f for f in facts if counts_for(step, f, ids)][:2]
        if len(twice) < 2 or not all(_early_here(f, step) for f in twice):
            return None
        found = in_between(ladder, step)
        if found is None:
            return Suggestion(Action.REPEAT, Why.EARLY_TWICE, step, step, step.minutes, times=2)
        minutes, below = found
        return Suggestion(
            Action.IN_BETWEEN, Why.EARLY_TWICE, step, step, minutes, below=below, times=2
        )

    if found := early_twice(current):
        return found
    if _early_here(last, current):
        return repeat(Why.EARLY, times=1)
    if facts[0].early:
        there = ladder[position[facts[0].step_id]] if facts[0].step_id in ids else current
        if found := early_twice(there):
            return found
        return Suggestion(Action.REPEAT, Why.EARLY, there, there, there.minutes, times=1)
    if last.feel == Feel.HARD:
        return repeat(Why.HARD, times=1, beyond=last.step_id != current.id)
    if len(recent) == 2 and all(_went_well(f, current) for f in recent):
        said = {
            "manageable": sum(f.feel == Feel.MANAGEABLE for f in recent),
            "fear": _fear_summary(recent),
            "times": 2,
            "variation": variation,
            "beyond": any(f.step_id != current.id for f in recent),
        }
        if above is None:
            return Suggestion(Action.TOP, Why.TOP, current, current, current.minutes, **said)
        slow = tuple(dict.fromkeys(name for f in recent for name in f.slow_settling))
        if slow:
            return Suggestion(
                Action.DECIDE, Why.SETTLING, above, current, above.minutes, settling=slow, **said
            )
        return Suggestion(Action.MOVE_UP, Why.TWO_GOOD, above, current, above.minutes, **said)
    if last.happened == Happened.YES and last.fear:
        return repeat(Why.FEAR_HAPPENED, times=1, variation=variation)
    return repeat(
        Why.ONE_MORE,
        times=1,
        at_top=above is None,
        beyond=last.step_id != current.id,
        manageable=int(last.feel == Feel.MANAGEABLE),
        fear=_fear_summary([last]),
        variation=variation,
    )
