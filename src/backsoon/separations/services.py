"""Separation operations shared by the views (and later the API and the worker)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Value

from backsoon.households.models import CaregiverLink, Child, Household, Membership
from backsoon.households.services import zone
from backsoon.notify.events import Event
from backsoon.notify.models import Notification
from backsoon.separations import schedule, tell
from backsoon.separations.models import (
    AgreedCheckIn,
    CheckIn,
    ParentMessage,
    PlanChange,
    Separation,
    SeparationPrivate,
    SettledAfter,
    Settling,
    ThankYou,
)
from backsoon.separations.work import refresh_due_times


def new_key() -> str:
    """A fresh idempotency key for one rendered form."""
    return secrets.token_urlsafe(16)


@dataclass(frozen=True)
class Carer:
    membership: Membership | None = None
    link: CaregiverLink | None = None

    @property
    def name(self) -> str:
        return self.membership.display_name if self.membership else self.link.name

    @property
    def value(self) -> str:
        return f"m{self.membership.pk}" if self.membership else f"l{self.link.pk}"


def carers(household: Household, leaver: Membership) -> list[Carer]:
    """Who can stay with the children: the other members, and the working caregiver links."""
    members = [Carer(membership=m) for m in household.memberships.exclude(pk=leaver.pk)]
    links = [Carer(link=link) for link in household.caregiver_links.usable()]
    return members + links


def carer_names(household_id: int, leaver: Membership) -> list[tuple[str, str]]:
    """`carers` as (value, name) pairs, in the same order, read in one query (a UNION)."""
    columns = ("c_kind", "c_id", "c_name", "c_role", "c_at")
    members = (
        Membership.objects.filter(household_id=household_id)
        .exclude(pk=leaver.pk)
        .annotate(
            c_kind=Value("m"),
            c_id=F("pk"),
            c_name=F("display_name"),
            c_role=F("role"),
            c_at=F("created_at"),
        )
        .values_list(*columns)
        .order_by()
    )
    links = (
        CaregiverLink.objects.usable()
        .filter(household_id=household_id)
        .annotate(
            c_kind=Value("l"),
            c_id=F("pk"),
            c_name=F("name"),
            c_role=F("name"),
            c_at=F("created_at"),
        )
        .values_list(*columns)
        .order_by()
    )
    rows = list(members.union(links, all=True))
    # As each model orders itself: members by role then joining; links by name then id.
    rows.sort(key=lambda r: (r[0] != "m", r[3], r[4], r[1]) if r[0] == "m" else (True, r[3], r[1]))
    return [(f"{kind}{pk}", name) for kind, pk, name, _role, _at in rows]


def carer_of(separation: Separation) -> Carer | None:
    if separation.carer_membership_id:
        return Carer(membership=separation.carer_membership)
    if separation.carer_link_id:
        return Carer(link=separation.carer_link)
    return None


def place_agreed(separation: Separation, specs: list[schedule.AgreedSpec]) -> None:
    """Replace the agreed updates, each placed in time from the separation's start."""
    tz = zone(separation.household)
    separation.agreed.all().delete()
    AgreedCheckIn.objects.bulk_create(
        AgreedCheckIn(
            separation=separation,
            kind=spec.kind,
            label=spec.label,
            clock_time=spec.clock,
            offset_minutes=spec.offset_minutes,
            due_at=schedule.due_at(separation.start, spec, tz),
        )
        for spec in specs
    )
    refresh_due_times(separation.pk)


def overlapping(household: Household, children, start: datetime, minutes: int, exclude=None):
    """Planned or live separations of any of these children that overlap the given time."""
    end = schedule.planned_end(start, minutes)
    found = []
    candidates = (
        Separation.objects.filter(household=household, children__in=children)
        .filter(status__in=[Separation.Status.PLANNED, Separation.Status.AWAY])
        .exclude(pk=getattr(exclude, "pk", None))
        .distinct()
    )
    for other in candidates:
        if other.start < end and start < other.expected_back:
            found.append(other)
    return found


@dataclass
class PlanData:
    kind: str
    carer: Carer
    children: list[Child]
    starts_at: datetime
    minutes: int
    plan_note: str
    agreed: list[schedule.AgreedSpec]
    practice_step: object = None  # a practice.LadderStep of the leaving parent, or None


def create_plan(
    household: Household, leaver: Membership, plan: PlanData, private: dict | None = None
) -> Separation:
    with transaction.atomic():
        separation = Separation.objects.create(
            household=household,
            leaver=leaver,
            leaver_name=leaver.display_name,
            carer_membership=plan.carer.membership,
            carer_link=plan.carer.link,
            carer_name=plan.carer.name,
            kind=plan.kind,
            starts_at=plan.starts_at,
            planned_minutes=plan.minutes,
            plan_note=plan.plan_note,
            practice_step=plan.practice_step,
        )
        separation.children.set(plan.children)
        place_agreed(separation, plan.agreed)
        SeparationPrivate.objects.create(separation=separation, owner=leaver, **(private or {}))
    return separation


def update_plan(separation: Separation, plan: PlanData, by: Membership) -> None:
    with transaction.atomic():
        if plan.starts_at != separation.starts_at:
            later = plan.starts_at > separation.starts_at
            PlanChange.objects.create(
                separation=separation,
                kind=PlanChange.Kind.POSTPONED if later else PlanChange.Kind.MOVED_EARLIER,
                by=by,
                from_starts_at=separation.starts_at,
                to_starts_at=plan.starts_at,
            )
        separation.kind = plan.kind
        separation.carer_membership = plan.carer.membership
        separation.carer_link = plan.carer.link
        separation.carer_name = plan.carer.name
        separation.starts_at = plan.starts_at
        separation.planned_minutes = plan.minutes
        separation.plan_note = plan.plan_note
        separation.practice_step = plan.practice_step
        separation.save()
        separation.children.set(plan.children)
        place_agreed(separation, plan.agreed)


def cancel(separation: Separation, by: Membership) -> bool:
    with transaction.atomic():
        changed = Separation.objects.filter(
            pk=separation.pk, status=Separation.Status.PLANNED
        ).update(status=Separation.Status.CANCELLED)
        if changed:
            PlanChange.objects.create(
                separation=separation,
                kind=PlanChange.Kind.CANCELLED,
                by=by,
                from_starts_at=separation.starts_at,
            )
    return bool(changed)


def last_plan(household: Household, leaver: Membership) -> Separation | None:
    """The plan "same as last time" copies: this parent's latest that was not called off,
    with its children and agreed updates. (The dashboard reads it in households/dashboard.py.)
    """
    return (
        Separation.objects.filter(household=household, leaver=leaver)
        .exclude(status=Separation.Status.CANCELLED)
        .select_related("carer_membership", "carer_link")
        .prefetch_related("children", "agreed")
        .order_by("-created_at", "-pk")
        .first()
    )


def still_available(separation: Separation) -> Carer | None:
    """The last carer, if they can still be chosen (a link may have been withdrawn)."""
    carer = carer_of(separation)
    if carer is None:
        return None
    if carer.link is not None and carer.link.state() != "active":
        return None
    return carer


def plan_again(
    last: Separation, leaver: Membership, starts_at: datetime, step=None
) -> Separation | None:
    """The last plan again from `starts_at`; with a ladder `step`, at that step's length."""
    carer = still_available(last)
    children = list(last.children.all())
    if carer is None or not children:
        return None
    private = SeparationPrivate.objects.filter(separation=last, owner=leaver).first()
    plan = PlanData(
        kind=Separation.Kind.PRACTICE if step else last.kind,
        carer=carer,
        children=children,
        starts_at=starts_at,
        minutes=step.minutes if step else last.planned_minutes,
        plan_note=last.plan_note,
        agreed=[a.spec() for a in last.agreed.all()],
        practice_step=step or last.practice_step,
    )
    tz = zone(last.household)
    plan.agreed = [s for s in plan.agreed if schedule.fits(starts_at, plan.minutes, s, tz)]
    aim = {"messages_aim": private.messages_aim} if private else {}
    return create_plan(last.household, leaver, plan, aim)


class AlreadyAway(Exception):
    """This parent is away already: one separation at a time."""


def leave_now(separation: Separation, now: datetime) -> bool:
    """Start the clock. Offsets count from now; a clock time that no longer fits is dropped."""
    tz = zone(separation.household)
    try:
        with transaction.atomic():
            changed = Separation.objects.filter(
                pk=separation.pk, status=Separation.Status.PLANNED
            ).update(status=Separation.Status.AWAY, left_at=now)
            if not changed:
                return False
            separation.refresh_from_db()
            end = separation.expected_back
            for agreed in separation.agreed.all():
                due = schedule.due_at(now, agreed.spec(), tz)
                if due > end:
                    # "13:00" on a plan that started late: it cannot happen today.
                    agreed.delete()
                elif due != agreed.due_at:
                    agreed.due_at = due
                    agreed.save(update_fields=["due_at"])
            refresh_due_times(separation.pk)
    except IntegrityError as exc:
        raise AlreadyAway from exc
    return True


def come_back(separation: Separation, now: datetime) -> bool:
    with transaction.atomic():
        changed = Separation.objects.filter(pk=separation.pk, status=Separation.Status.AWAY).update(
            status=Separation.Status.BACK, back_at=now
        )
        if changed:
            refresh_due_times(separation.pk)  # reminders and nudges stop
    return bool(changed)


def can_post(separation: Separation, now: datetime) -> bool:
    """Away, or back for a little while: a late update is still welcome."""
    if separation.is_away:
        return True
    return bool(
        separation.is_back
        and separation.back_at
        and now - separation.back_at <= schedule.AFTER_RETURN_GRACE
    )


def _open_agreed(separation: Separation) -> list[schedule.OpenAgreed]:
    return [
        schedule.OpenAgreed(a.pk, a.kind, a.due_at)
        for a in separation.agreed.filter(done_by__isnull=True)
    ]


@dataclass
class Post:
    all_good: bool = False
    state: str = ""
    message: str = ""
    ate_less: bool = False
    looked_around: bool = False
    settled: dict | None = None  # {child: SettledAfter value}
    photo: object = None  # a ProcessedPhoto
    settled_now: bool = False


def post_checkin(separation: Separation, subject, key: str, post: Post, now: datetime) -> CheckIn:
    """Store one update. The same key again returns the first one: a retry never duplicates."""
    existing = CheckIn.objects.filter(separation=separation, idempotency_key=key).first()
    if existing is not None:
        return existing
    photo_name = ""
    if post.photo is not None:
        from backsoon.photos.processing import photo_name as new_photo_name

        name = new_photo_name()
        try:
            photo_name = default_storage.save(name, ContentFile(post.photo.content))
        except OSError:
            default_storage.delete(name)  # half written (the disk is full): no photo at all
            raise
    settled = post.settled or {}
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(
                separation=separation,
                posted_by_membership=subject.membership,
                posted_by_link=subject.link,
                author_name=subject.display_name,
                idempotency_key=key,
                all_good=post.all_good,
                settled_now=post.settled_now,
                state=post.state,
                message=post.message,
                ate_less=post.ate_less,
                looked_around=post.looked_around,
                settled=[{"child": c.pk, "name": c.name, "after": v} for c, v in settled.items()],
                photo=photo_name,
                photo_width=post.photo.width if post.photo else None,
                photo_height=post.photo.height if post.photo else None,
                created_at=now,
            )
            for child, after in settled.items():
                Settling.objects.update_or_create(
                    separation=separation, child=child, defaults={"after": after, "updated_at": now}
                )
            if separation.is_away:
                match = schedule.match_agreed(_open_agreed(separation), now, bool(photo_name))
                if match is not None:
                    AgreedCheckIn.objects.filter(pk=match, done_by__isnull=True).update(
                        done_by=checkin
                    )
                    refresh_due_times(separation.pk, [match])
            tell.posted(separation, subject.membership.pk if subject.membership else None)
    except IntegrityError:
        # The same form, sent twice at once: the other request stored it.
        if photo_name:
            default_storage.delete(photo_name)
        return CheckIn.objects.get(separation=separation, idempotency_key=key)
    except Exception:
        # The database refused (full, gone): no photo file may outlive its missing row.
        if photo_name:
            default_storage.delete(photo_name)
        raise
    return checkin


def unsettled_children(separation: Separation) -> list[Child]:
    return [
        s.child
        for s in Settling.objects.filter(
            separation=separation, after=SettledAfter.NOT_YET
        ).select_related("child")
    ]


def settle_now(separation: Separation, subject, key: str, now: datetime) -> CheckIn:
    """The one-tap follow-up after "not settled yet": the range counts from the goodbye."""
    start = separation.left_at or now
    after = schedule.settling_range((now - start).total_seconds() / 60)
    children = unsettled_children(separation)
    return post_checkin(
        separation,
        subject,
        key,
        Post(settled_now=True, state="content", settled=dict.fromkeys(children, after)),
        now,
    )


def record_message(separation: Separation, owner: Membership, now: datetime) -> ParentMessage:
    overdue = separation.agreed.filter(done_by__isnull=True, due_at__lt=now).exists()
    return ParentMessage.objects.create(
        separation=separation, owner=owner, sent_at=now, after_missed_update=overdue
    )


def caring_for(subject):
    """The separations this subject stays with the children for."""
    if subject.link is not None:
        return Q(carer_link=subject.link)
    return Q(carer_membership=subject.membership)


def thank(separation: Separation, text: str, author_name: str) -> ThankYou:
    """Keep the thank-you; the caregiver is told the first time (an edit isn't news)."""
    with transaction.atomic():
        thank_you, created = ThankYou.objects.update_or_create(
            separation=separation, defaults={"text": text, "author_name": author_name}
        )
        if created:
            tell.thanks(separation)
    return thank_you


def urgent_calls_since(separation: Separation, membership: Membership, after_id: int = 0):
    """The caregiver's urgent calls to this parent since the separation started, newest first.

    The call itself is a notification (`notify.send(parent, Event.URGENT, …, urgent=True)`);
    this is how the away page and its poll find it, with no field of its own.
    """
    return Notification.objects.filter(
        urgent_calls_q(separation.start), membership=membership, pk__gt=after_id
    ).order_by("-pk")


def urgent_calls_q(since) -> Q:
    """`since` may be a datetime or an `OuterRef("left_at")` in a subquery."""
    # The follow-up "pressed by mistake, all is fine" is the latest word on a call too.
    return Q(kind__in=[Event.URGENT, Event.ALL_CLEAR], urgent=True, created_at__gte=since)
