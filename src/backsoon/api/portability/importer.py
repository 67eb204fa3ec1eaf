"""Loading a household export (`backsoon-household/2` or `/1`) here, as a new household.

Two ways in: the `import_household` command, run by whoever runs the server, matches people
to accounts by email and makes the accounts that are missing (their owners set a password
with "Forgot your password?"); the upload in the app makes only the uploader's own
membership, so nobody can create or claim someone else's account by uploading a file.
Everything is checked before it is written, and written in one transaction.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import time
from typing import IO

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backsoon.api.portability import document as doc
from backsoon.api.portability.reading import ZIP_ERRORS, ImportRefused, photo_bytes, read_document
from backsoon.caresheets.models import AgreementResponse, Revision, Sheet
from backsoon.coping.models import UrgentCall
from backsoon.households.models import (
    CaregiverLink,
    Child,
    Household,
    Membership,
    hash_token,
    new_token,
)
from backsoon.photos.processing import photo_name
from backsoon.practice.models import Ladder, LadderStep
from backsoon.separations.models import (
    AgreedCheckIn,
    CheckIn,
    GoodbyeRitual,
    PlanChange,
    Separation,
    Settling,
    ThankYou,
)


@dataclass
class Result:
    household: Household
    people: int = 0
    people_left_out: list[str] = field(default_factory=list)
    accounts_created: list[str] = field(default_factory=list)
    photos: int = 0
    photos_missing: int = 0


class _Ids:
    """A file's local ids to the rows made for them (None: known, but not brought in)."""

    def __init__(self, what: str) -> None:
        self.what, self.rows = what, {}

    def add(self, local: int, row) -> None:
        if local in self.rows:
            raise ImportRefused(_("household.json repeats an id."))
        self.rows[local] = row

    def __call__(self, local: int | None):
        if local is None:
            return None
        if local not in self.rows:
            raise ImportRefused(
                _("household.json points at a missing %(what)s.") % {"what": self.what}
            )
        return self.rows[local]


def _account(email: str, result: Result):
    user = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
    if user is not None:
        return user.user
    found = get_user_model().objects.filter(email__iexact=email).first()
    if found is not None:
        return found
    user = get_user_model().objects.create_user(
        username=get_adapter().generate_unique_username([email, "user"]), email=email
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    result.accounts_created.append(email)
    return user


def import_household(fileobj: IO[bytes], *, create_accounts: bool = False, uploader=None) -> Result:
    """Load an export as a new household. `uploader`: only they join (the upload in the app)."""
    if create_accounts == (uploader is not None):
        raise ValueError("either create accounts (the command) or join the uploader (the app)")
    try:
        archive = zipfile.ZipFile(fileobj)
    except ZIP_ERRORS as exc:
        raise ImportRefused(_("This file isn't a zip file.")) from exc
    with archive:
        document = read_document(archive)
        if uploader is not None and not any(
            p.role == "parent" and p.email and p.email.lower() == (uploader.email or "").lower()
            for p in document.people
        ):
            raise ImportRefused(
                _("This export doesn't list your email address as one of the parents.")
            )
        saved: list[str] = []
        try:
            with transaction.atomic():
                return _write(document, archive, saved, create_accounts, uploader)
        except DatabaseError as exc:
            _forget(saved)
            raise ImportRefused(
                _("household.json contradicts itself; nothing was imported.")
            ) from exc
        except BaseException:
            _forget(saved)
            raise


def _forget(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _write(document, archive, saved, create_accounts, uploader) -> Result:
    h = document.household
    household = Household.objects.create(
        name=h.name, time_zone=h.time_zone, country=h.country, created_at=h.created_at
    )
    result = Result(household=household)
    people, links, children, checkins = _Ids("person"), _Ids("link"), _Ids("child"), _Ids("update")
    steps = _Ids("ladder step")
    taken = set()
    for p in document.people:
        user = None
        if create_accounts and p.email:
            user = _account(p.email, result)
        elif uploader is not None and p.email.lower() == (uploader.email or "").lower():
            user = uploader if p.role == "parent" else None
        if user is None or user.pk in taken:
            people.add(p.id, None)
            result.people_left_out.append(p.name)
            continue
        taken.add(user.pk)
        people.add(
            p.id,
            Membership.objects.create(
                household=household,
                user=user,
                role=p.role,
                display_name=p.name,
                phone=p.phone,
                created_at=p.joined_at,
            ),
        )
        result.people += 1
    for k in document.links:
        token_hash, revoked_at = k.token_sha256, k.revoked_at
        if CaregiverLink.objects.filter(token_hash=token_hash).exists():
            # Imported twice into one server: this copy gets a link nobody holds.
            token_hash, revoked_at = hash_token(new_token()), revoked_at or timezone.now()
        links.add(
            k.id,
            CaregiverLink.objects.create(
                household=household,
                name=k.name,
                phone=k.phone,
                token_hash=token_hash,
                created_by=people(k.created_by),
                created_at=k.created_at,
                expires_at=k.expires_at,
                revoked_at=revoked_at,
                stopped_by_caregiver=k.stopped_by_caregiver,
                first_opened_at=k.first_opened_at,
            ),
        )
    for c in document.children:
        child = Child.objects.create(
            household=household, name=c.name, birth_date=c.birth_date, created_at=c.created_at
        )
        children.add(c.id, child)
        if c.goodbye is not None:
            GoodbyeRitual.objects.create(
                child=child, text=c.goodbye.text, updated_at=c.goodbye.updated_at
            )
    for s in document.care_sheets:
        _sheet(household, s, people, links, children)
    for ladder in document.ladders:
        _ladder(household, ladder, people, steps)
    refs = _Refs(people, links, children, checkins, steps)
    for s in document.separations:
        _separation(household, s, archive, saved, result, refs)
    return result


@dataclass(frozen=True)
class _Refs:
    people: _Ids
    links: _Ids
    children: _Ids
    checkins: _Ids
    steps: _Ids


def _ladder(household, ladder: doc.Ladder, people, steps) -> None:
    owner = people(ladder.parent)
    if owner is None:  # its parent wasn't brought in: the ladder was theirs alone to use
        for s in ladder.steps:
            steps.add(s.id, None)
        return
    if owner.role != "parent" or Ladder.objects.filter(owner=owner).exists():
        raise ImportRefused(_("A ladder in household.json belongs to no parent, or to two."))
    row = Ladder.objects.create(owner=owner, household=household, created_at=ladder.created_at)
    for position, s in enumerate(ladder.steps):
        steps.add(
            s.id,
            LadderStep.objects.create(
                ladder=row,
                position=position,
                name=s.name,
                minutes=s.minutes,
                kind=s.kind,
                idea=s.idea,
                in_between=s.in_between,
                created_at=s.created_at,
            ),
        )


def _sheet(household, s: doc.Sheet, people, links, children) -> None:
    child = children(s.child)
    if (s.kind == "child") != (child is not None):
        raise ImportRefused(_("A care sheet in household.json belongs to no child."))
    sheet = Sheet.objects.create(
        household=household,
        kind=s.kind,
        child=child,
        content=s.content,
        revision=s.revision,
        updated_at=s.updated_at,
        updated_by=people(s.updated_by),
        updated_by_name=s.updated_by_name,
    )
    Revision.objects.bulk_create(
        Revision(
            sheet=sheet,
            number=r.number,
            content=r.content,
            changes=r.changes,
            author=people(r.author),
            author_name=r.author_name,
            created_at=r.created_at,
        )
        for r in s.revisions
    )
    for a in s.answers:
        membership, link = people(a.person), links(a.link)
        if (membership is None) == (link is None) or not (a.confirmed or a.note):
            continue  # its person wasn't brought in (or it says nothing)
        AgreementResponse.objects.create(
            agreement=sheet,
            version=a.version,
            membership=membership,
            link=link,
            name=a.name,
            confirmed=a.confirmed,
            note=a.note,
            created_at=a.created_at,
        )


def _separation(household, s, archive, saved, result, refs: _Refs) -> None:
    people, links, children, checkins = refs.people, refs.links, refs.children, refs.checkins
    step = refs.steps(s.practice_step)
    if step is not None and (s.leaver is None or step.ladder.owner != people(s.leaver)):
        raise ImportRefused(_("A time apart in household.json is on another parent's ladder."))
    separation = Separation.objects.create(
        household=household,
        leaver=people(s.leaver),
        leaver_name=s.leaver_name,
        carer_membership=people(s.carer_person),
        carer_link=links(s.carer_link),
        carer_name=s.carer_name,
        kind=s.kind,
        status=s.status,
        starts_at=s.starts_at,
        planned_minutes=s.planned_minutes,
        plan_note=s.plan_note,
        left_at=s.left_at,
        back_at=s.back_at,
        created_at=s.created_at,
        practice_step=step,
        auto_end_at=s.auto_end_at,
        ended_by_itself=s.ended_by_itself,
    )
    separation.children.set([children(c) for c in s.children])
    for c in s.checkins:
        name, width, height = "", None, None
        if c.photo:
            data = photo_bytes(archive, c.photo)
            if data is None:
                result.photos_missing += 1
            else:
                name = default_storage.save(photo_name(), ContentFile(data))
                saved.append(name)
                width, height = c.photo_width, c.photo_height
                result.photos += 1
        checkins.add(
            c.id,
            CheckIn.objects.create(
                separation=separation,
                posted_by_membership=people(c.by_person),
                posted_by_link=links(c.by_link),
                author_name=c.author_name,
                idempotency_key=c.idempotency_key,
                all_good=c.all_good,
                settled_now=c.settled_now,
                state=c.state,
                message=c.message,
                ate_less=c.ate_less,
                looked_around=c.looked_around,
                settled=[
                    {
                        "child": getattr(children(a.child), "pk", None),
                        "name": a.name,
                        "after": a.after,
                    }
                    for a in c.settled
                ],
                photo=name,
                photo_width=width,
                photo_height=height,
                created_at=c.created_at,
            ),
        )
    for x in s.settlings:
        Settling.objects.create(
            separation=separation, child=children(x.child), after=x.after, updated_at=x.updated_at
        )
    for a in s.agreed:
        if (a.clock_time is None) == (a.offset_minutes is None):
            raise ImportRefused(_("An agreed update in household.json has no single time."))
        agreed = AgreedCheckIn.objects.create(
            separation=separation,
            kind=a.kind,
            label=a.label,
            clock_time=time.fromisoformat(a.clock_time) if a.clock_time else None,
            offset_minutes=a.offset_minutes,
            due_at=a.due_at,
            done_by=checkins(a.done_by),
            remind_at=a.remind_at,
            late_at=a.late_at,
            reminded_at=a.reminded_at,
            nudged_at=a.nudged_at,
            not_before=a.not_before,
        )
        if a.noted_late:
            Separation.objects.filter(pk=separation.pk).update(late_agreed=agreed)
    for u in s.urgent_calls:
        UrgentCall.objects.create(
            separation=separation,
            caller_membership=people(u.by_person),
            caller_link=links(u.by_link),
            caller_name=u.caller_name,
            parent_name=u.parent_name,
            key=u.key,
            created_at=u.created_at,
            mistake_at=u.mistake_at,
        )
    if s.thank_you is not None:
        ThankYou.objects.create(
            separation=separation,
            text=s.thank_you.text,
            author_name=s.thank_you.author_name,
            created_at=s.thank_you.created_at,
        )
    for ch in s.changes:
        PlanChange.objects.create(
            separation=separation,
            kind=ch.kind,
            by=people(ch.by),
            from_starts_at=ch.from_starts_at,
            to_starts_at=ch.to_starts_at,
            created_at=ch.created_at,
        )
