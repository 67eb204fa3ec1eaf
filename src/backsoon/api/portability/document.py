"""The household export's JSON document, `backsoon-household/1`, as typed models.

The exporter builds these and the importer validates an upload against them, so a file from
anywhere is checked field by field (types, choices, lengths) before anything is written.
Ids (`id`, and every reference to one) are numbers local to the file: 1, 2, 3… per list, in
the order things were made. Nobody's inner data (`owner`) is in it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

SCHEMA = "backsoon-household/2"
# Version 2 adds the ladders, urgent calls and the worker's due times; a version 1 file is
# a version 2 file without them, so both are read.
READABLE = ("backsoon-household/1", SCHEMA)
HEX64 = r"^[0-9a-f]{64}$"
PHOTO_PATH = r"^photos/[0-9a-f]{64}\.jpg$"
CLOCK = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"

Role = Literal["parent", "caregiver"]
Settled = Literal["under_5", "5_15", "15_30", "over_30", "not_yet"]
BIG = 10**9  # far beyond any real value; keeps every number inside the database's integers
Ref = Annotated[int, Field(ge=1, le=BIG)] | None
Id = Annotated[int, Field(ge=1, le=BIG)]


def storable(value: datetime) -> bool:
    """An aware time both databases keep, give back and show in any time zone: years 2 to
    9998 in UTC. (PostgreSQL would keep year 10000 or 1 BC, and every later read would fail.)"""
    try:
        return 2 <= value.astimezone(UTC).year <= 9998
    except OverflowError:
        return False


def _storable(value: datetime) -> datetime:
    if not storable(value):
        raise ValueError("a time outside the years 2 to 9998")
    return value


When = Annotated[AwareDatetime, AfterValidator(_storable)]


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Household(Item):
    name: str = Field(max_length=80)
    time_zone: str = Field(max_length=64)
    country: str = Field(max_length=2)
    created_at: When


class Person(Item):
    id: Id
    role: Role
    name: str = Field(max_length=60)
    phone: str = Field("", max_length=32)
    email: str = Field("", max_length=254, description="Their account's address, to match it.")
    joined_at: When


class Link(Item):
    id: Id
    name: str = Field(max_length=60)
    phone: str = Field("", max_length=32)
    token_sha256: str = Field(pattern=HEX64, description="Lets the same link work after a move.")
    created_by: Ref = None
    created_at: When
    expires_at: When | None = None
    revoked_at: When | None = None
    stopped_by_caregiver: bool = False
    first_opened_at: When | None = None


class Goodbye(Item):
    text: str = Field(max_length=300)
    updated_at: When


class Child(Item):
    id: Id
    name: str = Field(max_length=60)
    birth_date: date
    created_at: When
    goodbye: Goodbye | None = None


class Revision(Item):
    number: int = Field(ge=1, le=BIG)
    content: dict[str, Any]
    changes: list[Any] = Field(default_factory=list)
    author: Ref = None
    author_name: str = Field(max_length=60)
    created_at: When


class AgreementAnswer(Item):
    version: int = Field(ge=0, le=BIG)
    person: Ref = None
    link: Ref = None
    name: str = Field(max_length=60)
    confirmed: bool = False
    note: str = Field("", max_length=5000)
    created_at: When


class Sheet(Item):
    kind: Literal["child", "household", "agreement"]
    child: Ref = None
    content: dict[str, Any]
    revision: int = Field(ge=0, le=BIG)
    updated_at: When | None = None
    updated_by: Ref = None
    updated_by_name: str = Field("", max_length=60)
    revisions: list[Revision] = Field(default_factory=list)
    answers: list[AgreementAnswer] = Field(default_factory=list)


class Agreed(Item):
    kind: Literal["all_good", "photo"]
    label: str = Field("", max_length=60)
    clock_time: str | None = Field(None, pattern=CLOCK)
    offset_minutes: int | None = Field(None, ge=0, le=BIG)
    due_at: When
    done_by: Ref = Field(None, description="The check-in that met it.")
    remind_at: When | None = Field(None, description="When the caregiver is reminded.")
    late_at: When | None = Field(None, description="When a gentle nudge goes, if late.")
    reminded_at: When | None = None
    nudged_at: When | None = None
    not_before: When | None = Field(None, description="Held back until (quiet hours).")
    noted_late: bool = Field(False, description="The first one that ran late, as the app said.")


class SettledAnswer(Item):
    child: Ref = None
    name: str = ""
    after: str = ""


class CheckIn(Item):
    id: Id
    by_person: Ref = None
    by_link: Ref = None
    author_name: str = Field(max_length=60)
    idempotency_key: str = Field(max_length=64)
    all_good: bool = False
    settled_now: bool = False
    state: Literal["", "content", "playing", "sleeping", "fussy", "crying"] = ""
    message: str = Field("", max_length=500)
    ate_less: bool = False
    looked_around: bool = False
    settled: list[SettledAnswer] = Field(default_factory=list)
    photo: str | None = Field(None, pattern=PHOTO_PATH, description="The file in this zip.")
    photo_width: int | None = Field(None, ge=1, le=BIG)
    photo_height: int | None = Field(None, ge=1, le=BIG)
    created_at: When


class Settling(Item):
    child: Id
    after: Settled
    updated_at: When


class ThankYou(Item):
    text: str = Field(max_length=500)
    author_name: str = Field(max_length=60)
    created_at: When


class PlanChange(Item):
    kind: Literal["postponed", "earlier", "cancelled"]
    by: Ref = None
    from_starts_at: When
    to_starts_at: When | None = None
    created_at: When


class UrgentCall(Item):
    """The caregiver asked the parent to call, urgently (household data)."""

    by_person: Ref = None
    by_link: Ref = None
    caller_name: str = Field(max_length=60)
    parent_name: str = Field(max_length=60)
    key: str = Field(max_length=64, description="Makes a repeated press count once.")
    created_at: When
    mistake_at: When | None = Field(None, description="Called off as a mistake.")


class Separation(Item):
    id: Id
    kind: Literal["practice", "everyday"]
    status: Literal["planned", "away", "back", "cancelled"]
    leaver: Ref = None
    leaver_name: str = Field(max_length=60)
    carer_person: Ref = None
    carer_link: Ref = None
    carer_name: str = Field(max_length=60)
    children: list[Id] = Field(default_factory=list)
    starts_at: When
    planned_minutes: int = Field(ge=0, le=BIG)
    plan_note: str = Field("", max_length=200)
    left_at: When | None = None
    back_at: When | None = None
    created_at: When
    practice_step: Ref = Field(None, description="The step on the leaver's ladder.")
    auto_end_at: When | None = Field(
        None, description="When a forgotten “I'm back” ends it by itself."
    )
    ended_by_itself: bool = False
    agreed: list[Agreed] = Field(default_factory=list)
    checkins: list[CheckIn] = Field(default_factory=list)
    urgent_calls: list[UrgentCall] = Field(default_factory=list)
    settlings: list[Settling] = Field(default_factory=list)
    thank_you: ThankYou | None = None
    changes: list[PlanChange] = Field(default_factory=list)


class Step(Item):
    id: Id
    name: str = Field(max_length=60)
    minutes: int = Field(ge=1, le=24 * 60)
    kind: Literal["trial", "away", "bedtime"] = "away"
    idea: str = Field("", max_length=120)
    in_between: bool = False
    created_at: When


class Ladder(Item):
    """A parent's practice ladder, its steps in order (household data: both parents see it)."""

    parent: Id
    created_at: When
    steps: list[Step] = Field(default_factory=list)


class Document(Item):
    schema_: Literal[READABLE] = Field(SCHEMA, alias="schema")
    exported_at: When
    household: Household
    people: list[Person] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    children: list[Child] = Field(default_factory=list)
    care_sheets: list[Sheet] = Field(default_factory=list)
    ladders: list[Ladder] = Field(default_factory=list)
    separations: list[Separation] = Field(default_factory=list)
    not_included: list[str] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
