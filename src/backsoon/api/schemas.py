"""What the API sends and accepts. Every date-time is aware (RFC 3339, UTC on the way out)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from ninja import Schema
from ninja.params import functions as params
from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field

from backsoon.practice.models import LadderStep
from backsoon.practice.rule import Action, Vary, Why
from backsoon.separations.models import AgreedCheckIn, BabyState, Separation, SettledAfter

HHMM = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
MAX_ID = 2**53  # beyond any row, within every database's integer, and exact in JavaScript

RFC3339 = re.compile(r"^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d(:\d\d(\.\d{1,9})?)?([Zz]|[+-]\d\d:\d\d)$")


def _rfc3339(value):
    """Only an RFC 3339 date-time with its offset: not a bare number, not a naive time."""
    if isinstance(value, str) and RFC3339.match(value):
        return value
    if isinstance(value, str | int | float):
        raise ValueError(
            "an RFC 3339 date-time with an offset, e.g. 2026-05-01T09:00:00Z "
            "(in a URL, write + as %2B)"
        )
    return value


def _no_null(value: str) -> str:
    """Text as the web forms take it: a NUL character is refused (PostgreSQL can't store it)."""
    if "\x00" in value:
        raise ValueError("must not contain a null character (U+0000)")
    return value


DateTimeIn = Annotated[AwareDatetime, BeforeValidator(_rfc3339)]
Text = Annotated[str, AfterValidator(_no_null)]
ObjectId = Annotated[int, params.Path(ge=1, le=MAX_ID)]
Limit = Annotated[int, params.Query(20, ge=1, le=100, description="At most this many.")]
Offset = Annotated[int, params.Query(0, ge=0, le=100_000, description="Skip this many.")]

SeparationKind = Literal[tuple(Separation.Kind.values)]
SeparationStatus = Literal[tuple(Separation.Status.values)]
AgreedKind = Literal[tuple(AgreedCheckIn.Kind.values)]
State = Literal[tuple(BabyState.values)]
Settled = Literal[tuple(SettledAfter.values)]


class You(Schema):
    kind: Literal["member", "link"] = Field(description="An account's membership, or a link.")
    role: Literal["parent", "caregiver"]
    name: str


class HouseholdOut(Schema):
    id: int
    name: str
    time_zone: str = Field(description="IANA zone; clock times in plans are in this zone.")
    country: str
    created_at: AwareDatetime
    you: You


class ChildOut(Schema):
    id: int
    name: str
    birth_date: date
    age_months: int


class PersonOut(Schema):
    id: int
    kind: Literal["member", "link"]
    name: str
    role: Literal["parent", "caregiver"]
    can_care: bool = Field(description="Can be chosen as the carer of a new plan.")


class CareSheetOut(Schema):
    id: int
    kind: Literal["child", "household", "agreement"]
    child_id: int | None
    revision: int = Field(description="The number of the latest revision; 0 if never written.")
    updated_at: AwareDatetime | None
    updated_by_name: str
    content: dict[str, Any] = Field(description="Sections by key, as the care sheet shows them.")


class PersonRef(Schema):
    kind: Literal["member", "link"] | None = Field(description="null once they are gone.")
    id: int | None
    name: str


class AgreedOut(Schema):
    id: int
    kind: AgreedKind
    label: str
    clock_time: str | None = Field(description="HH:MM in the household's zone, or null.")
    offset_minutes: int | None
    due_at: AwareDatetime
    done_by_checkin_id: int | None


class ThankYouOut(Schema):
    text: str
    author_name: str
    created_at: AwareDatetime


class SeparationOut(Schema):
    id: int
    kind: SeparationKind
    status: SeparationStatus
    starts_at: AwareDatetime
    planned_minutes: int
    expected_back: AwareDatetime
    left_at: AwareDatetime | None
    back_at: AwareDatetime | None
    plan_note: str
    practice_step_id: int | None = Field(
        description="The step on the leaving parent's ladder this is for, if any."
    )
    leaver: PersonRef
    carer: PersonRef
    children: list[int]
    agreed: list[AgreedOut]
    thank_you: ThankYouOut | None
    created_at: AwareDatetime


class SeparationPage(Schema):
    items: list[SeparationOut]
    count: int
    limit: int
    offset: int


class SettledOut(Schema):
    child_id: int | None
    name: str
    after: str = Field(description="under_5, 5_15, 15_30, over_30 or not_yet.")


class PhotoOut(Schema):
    url: str
    width: int | None
    height: int | None


class CheckInOut(Schema):
    id: int
    separation_id: int
    author_name: str
    all_good: bool
    settled_now: bool
    state: State | Literal[""]
    message: str
    ate_less: bool
    looked_around: bool
    settled: list[SettledOut]
    photo: PhotoOut | None
    agreed_id: int | None = Field(description="The agreed update this one counted as.")
    created_at: AwareDatetime


class CheckInPage(Schema):
    items: list[CheckInOut]
    count: int
    limit: int
    offset: int


class AgreedIn(Schema):
    kind: AgreedKind = "all_good"
    label: Text = Field("", max_length=60)
    after_minutes: int | None = Field(None, ge=1, le=1440, description="Minutes after leaving.")
    at: str | None = Field(None, pattern=HHMM, description="Or a clock time, HH:MM local.")


class PrivateIn(Schema):
    """Your own notes on the plan: owner data, only ever shown to you."""

    worry_before: int | None = Field(None, ge=0, le=10)
    fear: Text = Field("", max_length=300)
    fear_likelihood: int | None = Field(None, ge=0, le=100)
    messages_aim: int = Field(1, ge=0, le=20)


class PlanIn(Schema):
    kind: SeparationKind = "practice"
    carer_member_id: int | None = Field(None, ge=1, description="Who stays: a member…")
    carer_link_id: int | None = Field(None, ge=1, description="…or a caregiver link.")
    children: list[int] = Field(min_length=1, max_length=20)
    starts_at: DateTimeIn = Field(description="Not in the past (5 minutes of grace).")
    minutes: int = Field(ge=1, le=1440)
    plan_note: Text = Field("", max_length=200)
    agreed: list[AgreedIn] | None = Field(
        None,
        max_length=8,
        description="The agreed updates; omit for the calm default, [] for none.",
    )
    allow_overlap: bool = Field(False, description="Plan it even if it overlaps another.")
    practice_step_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="A step on your own ladder (GET …/mine/ladder)."
    )
    private: PrivateIn | None = None


class SeparationNotesOut(Schema):
    """Your own notes about one of your separations (owner data)."""

    separation_id: int
    starts_at: AwareDatetime
    status: SeparationStatus
    worry_before: int | None
    fear: str
    fear_likelihood: int | None
    messages_aim: int
    worry_worst: int | None
    worry_after: int | None
    fear_outcome: str
    early_reason: str
    feel: Literal["manageable", "hard", ""] = Field(description="How it felt; empty: skipped.")
    rated_at: AwareDatetime | None
    messages_sent: list[AwareDatetime]
    messages_counted: int = Field(
        description="Messages that count toward your aim (not those after a missed update)."
    )


class NotesPage(Schema):
    items: list[SeparationNotesOut]
    count: int
    limit: int
    offset: int


class UrgeOut(Schema):
    """An urge to check, or to go home, and what you did with it (owner data)."""

    id: int
    separation_id: int
    kind: Literal["check", "home"]
    created_at: AwareDatetime
    strength_before: int | None = Field(description="0–10, as you rated it.")
    strength_after: int | None
    wait_minutes: int | None = Field(description="How long you chose to wait with it.")
    waited_minutes: int | None = Field(description="How long you actually waited.")
    outcome: Literal["passed", "carried_on", "message", ""] = Field(
        description="It passed; still there, carried on; sent a message. Empty: still open."
    )
    more_than_planned: bool = Field(description="A message beyond the one you aimed for.")
    ended_at: AwareDatetime | None


class UrgePage(Schema):
    items: list[UrgeOut]
    count: int
    limit: int
    offset: int


class SelfCheckOut(Schema):
    id: int
    kind: Literal["gad7", "phq9"]
    answers: list[int]
    score: int
    language: str
    taken_at: AwareDatetime


class SelfCheckPage(Schema):
    items: list[SelfCheckOut]
    count: int
    limit: int
    offset: int


class ChannelOut(Schema):
    id: int
    kind: Literal["webpush", "email", "apprise"]
    label: str
    events: list[str]
    enabled: bool
    disabled_reason: str
    last_test_ok: bool | None
    created_at: AwareDatetime


class QuietHoursOut(Schema):
    start: str | None = Field(description="HH:MM in the household's zone.")
    end: str | None


class NotificationsOut(Schema):
    channels: list[ChannelOut]
    quiet_hours: QuietHoursOut | None


StepKind = Literal[tuple(LadderStep.Kind.values)]


class StepOut(Schema):
    id: int
    position: int = Field(description="0 at the bottom of the ladder.")
    name: str
    minutes: int
    kind: StepKind = Field(description="trial: a trial run at home; away; bedtime.")
    idea: str
    in_between: bool = Field(description="Added from an in-between suggestion.")
    times: int = Field(
        description="Finished times apart that count for it: the practices on it and, for a "
        "time-away step, any other time away at least as long."
    )


class ParentRef(Schema):
    id: int
    name: str


class LadderOut(Schema):
    """A parent's practice ladder: household data, both parents see it."""

    parent: ParentRef
    created_at: AwareDatetime | None = Field(description="null: not opened yet, no steps.")
    steps: list[StepOut]


class OwnStepOut(StepOut):
    manageable: int = Field(description="Of those times, how many you rated manageable.")
    current: bool = Field(description="The step the suggestion looks at.")
    suggested: bool = Field(description="A step the suggestion proposes (or offers to choose).")


class SuggestionOut(Schema):
    """The next-step suggestion, from your own ratings: only ever shown to you."""

    action: Literal[tuple(a.value for a in Action)] = Field(
        description="start, repeat, move_up, in_between (add a shorter step below), decide "
        "(you choose: repeat or move up), top."
    )
    why: Literal[tuple(w.value for w in Why)]
    step_id: int = Field(description="What to do next; for in_between, the step it goes below.")
    current_step_id: int | None
    minutes: int = Field(description="The suggested length (the new one, for in_between).")
    below_step_id: int | None = Field(description="in_between: the shorter step it goes above.")
    options: list[int] = Field(description="The step ids to choose between.")
    headline: str
    reason: str = Field(description="Why, in a sentence or two, from what the rule used.")
    variation: str = Field(description="What to vary to make it hold; empty for nothing.")
    variation_kind: Literal[tuple(v.value for v in Vary)] | None


class MyLadderOut(Schema):
    """Your own ladder, with how the steps felt to you and the next-step suggestion."""

    parent: ParentRef
    created_at: AwareDatetime
    steps: list[OwnStepOut]
    suggestion: SuggestionOut | None = Field(description="null for an empty ladder.")


def as_hhmm(value) -> str | None:
    return value.strftime("%H:%M") if value is not None else None
