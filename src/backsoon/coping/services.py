"""Urges, waits and the grounding kit: the flow's states written to the database.

Every write is a conditional UPDATE on the state it expects, so a double tap, a second tab
or the worker racing a request changes a row once (STYLE.md, items 2 and 6).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q

from backsoon.coping import flow
from backsoon.coping.models import CarerStrengths, GroundingKit, Urge
from backsoon.households.models import Membership
from backsoon.separations import services as separation_services
from backsoon.separations.models import ParentMessage, Separation, SeparationPrivate


def ends_by(separation: Separation, now: datetime) -> datetime:
    """The end a wait is capped at: the planned end while away, and now once it is over."""
    return separation.expected_back if separation.is_away else now


def open_urge(separation: Separation, owner: Membership) -> Urge | None:
    return Urge.objects.filter(separation=separation, owner=owner, ended_at__isnull=True).first()


def start_urge(separation: Separation, owner: Membership, kind: str, now: datetime) -> Urge:
    """A new urge, or the one still open for this time apart (coming back resumes it)."""
    existing = open_urge(separation, owner)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Urge.objects.create(
                separation=separation, owner=owner, kind=kind, created_at=now
            )
    except IntegrityError:
        # The same tap, sent twice at once: the other request made it.
        return open_urge(separation, owner) or Urge.objects.filter(
            separation=separation, owner=owner
        ).latest("created_at")


def begin_wait(
    urge: Urge,
    now: datetime,
    minutes: int,
    buzz: bool,
    strength: int | None,
    reachable: bool,
) -> flow.UrgeState:
    """Start the wait. `reachable`: a channel will carry the buzz; if not, only the open page
    buzzes, so no due time is written for the worker."""
    state = urge.state(ends_by(urge.separation, now))
    new = flow.begin(state, now, minutes, buzz)
    if new is state:
        return state
    Urge.objects.filter(pk=urge.pk, started_at__isnull=True, ended_at__isnull=True).update(
        started_at=new.started_at,
        wait_minutes=new.wait_minutes,
        buzz=new.buzz,
        buzz_at=new.buzz_at if reachable else None,
        strength_before=strength if strength is not None else urge.strength_before,
    )
    urge.refresh_from_db()
    return urge.state(ends_by(urge.separation, now))


def set_strength(urge: Urge, strength: int | None) -> None:
    if strength is not None and urge.ended_at is None:
        Urge.objects.filter(pk=urge.pk).update(strength_before=strength)
        urge.strength_before = strength


@dataclass(frozen=True)
class Ended:
    recorded: bool  # False: it had ended already, nothing changed
    message: ParentMessage | None = None
    more_than_planned: bool = False


def counted_messages(separation: Separation, owner: Membership) -> int:
    """Messages that count towards the aim: never one sent after a missed agreed update."""
    return ParentMessage.objects.filter(
        separation=separation, owner=owner, after_missed_update=False
    ).count()


def messages_aim(separation: Separation, owner: Membership) -> int:
    private = SeparationPrivate.objects.filter(separation=separation, owner=owner).first()
    return private.messages_aim if private is not None else 1


def end_urge(urge: Urge, now: datetime, outcome: str, strength_after: int | None = None) -> Ended:
    """Record the ending exactly once; "send my one message" records that message too."""
    separation = urge.separation
    state = urge.state(ends_by(separation, now))
    new = flow.end(state, now, outcome)
    if new is state:
        return Ended(recorded=False)
    with transaction.atomic():
        changed = Urge.objects.filter(pk=urge.pk, ended_at__isnull=True).update(
            ended_at=new.ended_at,
            outcome=new.outcome,
            waited_seconds=new.waited_seconds,
            buzz_at=None,
            strength_after=strength_after,
        )
        if not changed:
            return Ended(recorded=False)
        message, more = None, False
        if new.outcome == flow.Outcome.MESSAGE and separation.is_away:
            message = separation_services.record_message(separation, urge.owner, now)
            more = not message.after_missed_update and flow.beyond_aim(
                counted_messages(separation, urge.owner), messages_aim(separation, urge.owner)
            )
            Urge.objects.filter(pk=urge.pk).update(message=message, more_than_planned=more)
    urge.refresh_from_db()
    return Ended(recorded=True, message=message, more_than_planned=more)


def kit_of(owner: Membership) -> GroundingKit:
    """The parent's kit, or an unsaved one with the defaults (nothing is written on a read)."""
    return GroundingKit.objects.filter(owner=owner).first() or GroundingKit(owner=owner)


def carer_key(separation: Separation) -> str:
    if separation.carer_membership_id:
        return f"m{separation.carer_membership_id}"
    if separation.carer_link_id:
        return f"l{separation.carer_link_id}"
    return ""


def strengths_for(owner: Membership, key: str) -> CarerStrengths | None:
    if not key:
        return None
    return CarerStrengths.objects.filter(owner=owner, carer_key=key).first()


def current_of(separations: list[Separation], owner: Membership) -> Separation | None:
    """As `current_separation`, from the household's away and planned ones already read."""
    mine = [s for s in separations if s.leaver_id == owner.pk]
    away = [s for s in mine if s.status == Separation.Status.AWAY]
    planned = [s for s in mine if s.status == Separation.Status.PLANNED]
    order = lambda s: (s.starts_at, s.pk)  # noqa: E731
    return min(away, key=order, default=None) or min(planned, key=order, default=None)


def current_separation(owner: Membership) -> Separation | None:
    """The parent's time apart now, or the next one planned: whose strengths to offer."""
    return (
        Separation.objects.filter(leaver=owner)
        .filter(Q(status=Separation.Status.AWAY) | Q(status=Separation.Status.PLANNED))
        .order_by("-status", "starts_at", "pk")  # "away" sorts before "planned"
        .first()
    )
