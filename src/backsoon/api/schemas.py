"""What the API sends and accepts. Every date-time is aware (RFC 3339, UTC on the way out)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from ninja import Schema
from ninja.params import functions as params
from pydantic import AwareDatetime, BeforeValidator, Field

from backsoon.separations.models import AgreedCheckIn, BabyState, Separation, SettledAfter

HHMM = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
MAX_ID = 2**53  # beyond any row, within every database's integer, and exact in JavaScript

RFC3339 = re.compile(r"^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d(:\d\d(\.\d{1,9})?)?([Zz]|[+-]\d\d:\d\d)$")


def _rfc3339(value):
    """Only an RFC 3339 date-time with its offset: not a bare number, not a naive time."""
    if isinstance(value, str) and RFC3339.match(value):
        return value
    if isinstance(value, str | int | float):
        raise ValueError("an RFC 3339 date-time with an offset, e.g. 2026-05-01T09:00:00Z")
    return value


DateTimeIn = Annotated[AwareDatetime, BeforeValidator(_rfc3339)]
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
    label: str = Field("", max_length=60)
    after_minutes: int | None = Field(None, ge=1, le=1440, description="Minutes after leaving.")
    at: str | None = Field(None, pattern=HHMM, description="Or a clock time, HH:MM local.")


class PrivateIn(Schema):
    """Your own notes on the plan: owner data, only ever shown to you."""

    worry_before: int | None = Field(None, ge=0, le=10)
    fear: str = Field("", max_length=300)
    fear_likelihood: int | None = Field(None, ge=0, le=100)
    messages_aim: int = Field(1, ge=0, le=20)


class PlanIn(Schema):
    kind: SeparationKind = "practice"
    carer_member_id: int | None = Field(None, ge=1, description="Who stays: a member…")
    carer_link_id: int | None = Field(None, ge=1, description="…or a caregiver link.")
    children: list[int] = Field(min_length=1, max_length=20)
    starts_at: DateTimeIn = Field(description="Not in the past (5 minutes of grace).")
    minutes: int = Field(ge=1, le=1440)
    plan_note: str = Field("", max_length=200)
    agreed: list[AgreedIn] | None = Field(
        None,
        max_length=8,
        description="The agreed updates; omit for the calm default, [] for none.",
    )
    allow_overlap: bool = Field(False, description="Plan it even if it overlaps another.")
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


def as_hhmm(value) -> str | None:
    return value.strftime("%H:%M") if value is not None else None
