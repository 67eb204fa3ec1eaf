"""The household export: one zip with `household.json`, the photos and two CSV files.

It holds the household's shared data only: the plan, the care sheet, the caregiver's updates
and thank-yous (DOMAIN.md). Nobody's `owner` data — ratings, fears, urges, self-checks — is
read here at all; each person downloads their own (personal.py).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from typing import IO

from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.utils import timezone

from backsoon.api.portability import document as doc
from backsoon.api.portability import spreadsheets
from backsoon.caresheets.models import AgreementResponse, Revision, Sheet
from backsoon.coping.models import UrgentCall
from backsoon.households.models import Household
from backsoon.households.services import zone
from backsoon.practice.models import Ladder, LadderStep
from backsoon.separations.models import CheckIn, Separation

NOT_INCLUDED = [
    "Everyone's own notes, ratings, urges and self-checks: each person downloads their own.",
    "Invitations, API tokens and passwords.",
    "Calendar feed addresses: each is a secret; make a new one on the new server.",
    "Notification channels and quiet hours: set them up again on the new server.",
    "The notifications themselves, and who has seen which version of the care sheet.",
]

README = """Back Soon: the household's data
===============================

household.json   everything, in the documented schema "backsoon-household/2"
separations.csv  one row per time apart, for spreadsheets
checkins.csv     one row per update the caregiver posted
photos/          the photos, named by their SHA-256

Ids in these files count 1, 2, 3… within each list; they are not the server's ids.
Times are RFC 3339: UTC in household.json, the household's own time zone in the CSV files.
This file holds each account's email address, so an import can match people to accounts.
Nobody's private notes, ratings or self-checks are in it.

Load it into another Back Soon server with:  backsoon manage import_household FILE
"""


class _Refs:
    """Local ids, 1, 2, 3… in the order rows were made."""

    def __init__(self, pks) -> None:
        self.ids = {pk: n for n, pk in enumerate(pks, start=1)}

    def __call__(self, pk):
        return self.ids.get(pk)


def _sha256(name: str) -> str | None:
    digest = hashlib.sha256()
    try:
        with default_storage.open(name, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 16), b""):
                digest.update(chunk)
    except (FileNotFoundError, OSError):
        return None
    return digest.hexdigest()


def build(household: Household) -> tuple[doc.Document, dict[str, str]]:
    """The document, and the photos to add: {path in the zip: storage name}."""
    people_rows = list(household.memberships.select_related("user").order_by("pk"))
    links_rows = list(household.caregiver_links.order_by("pk"))
    children_rows = list(household.children.select_related("goodbye_ritual").order_by("pk"))
    person, link, child = (
        _Refs(r.pk for r in people_rows),
        _Refs(r.pk for r in links_rows),
        _Refs(r.pk for r in children_rows),
    )
    people = [
        doc.Person(
            id=person(m.pk),
            role=m.role,
            name=m.display_name,
            phone=m.phone,
            email=m.user.email,
            joined_at=m.created_at,
        )
        for m in people_rows
    ]
    links = [
        doc.Link(
            id=link(k.pk),
            name=k.name,
            phone=k.phone,
            token_sha256=k.token_hash,
            created_by=person(k.created_by_id),
            created_at=k.created_at,
            expires_at=k.expires_at,
            revoked_at=k.revoked_at,
            stopped_by_caregiver=k.stopped_by_caregiver,
            first_opened_at=k.first_opened_at,
        )
        for k in links_rows
    ]
    children = []
    for c in children_rows:
        ritual = getattr(c, "goodbye_ritual", None)
        children.append(
            doc.Child(
                id=child(c.pk),
                name=c.name,
                birth_date=c.birth_date,
                created_at=c.created_at,
                goodbye=doc.Goodbye(text=ritual.text, updated_at=ritual.updated_at)
                if ritual
                else None,
            )
        )
    sheets = _sheets(household, person, link, child)
    ladders, step = _ladders(household, person)
    separations, photos = _separations(household, person, link, child, step)
    document = doc.Document(
        exported_at=timezone.now(),
        household=doc.Household(
            name=household.name,
            time_zone=household.time_zone,
            country=household.country,
            created_at=household.created_at,
        ),
        people=people,
        links=links,
        children=children,
        care_sheets=sheets,
        ladders=ladders,
        separations=separations,
        not_included=NOT_INCLUDED,
    )
    return document, photos


def _sheets(household, person, link, child) -> list[doc.Sheet]:
    found = []
    queryset = (
        Sheet.objects.filter(household=household)
        .prefetch_related(
            Prefetch("revisions", queryset=Revision.objects.order_by("number", "pk")),
            Prefetch("responses", queryset=AgreementResponse.objects.order_by("created_at", "pk")),
        )
        .order_by("pk")
    )
    for s in queryset:
        found.append(
            doc.Sheet(
                kind=s.kind,
                child=child(s.child_id),
                content=s.content if isinstance(s.content, dict) else {},
                revision=s.revision,
                updated_at=s.updated_at,
                updated_by=person(s.updated_by_id),
                updated_by_name=s.updated_by_name,
                revisions=[
                    doc.Revision(
                        number=r.number,
                        content=r.content if isinstance(r.content, dict) else {},
                        changes=r.changes if isinstance(r.changes, list) else [],
                        author=person(r.author_id),
                        author_name=r.author_name,
                        created_at=r.created_at,
                    )
                    for r in s.revisions.all()
                ],
                answers=[
                    doc.AgreementAnswer(
                        version=a.version,
                        person=person(a.membership_id),
                        link=link(a.link_id),
                        name=a.name,
                        confirmed=a.confirmed,
                        note=a.note,
                        created_at=a.created_at,
                    )
                    for a in s.responses.all()
                ],
            )
        )
    return found


def _ladders(household, person) -> tuple[list[doc.Ladder], _Refs]:
    """The parents' ladders (household data), and the local ids of their steps."""
    rows = list(
        Ladder.objects.filter(owner__household=household)
        .prefetch_related(Prefetch("steps", queryset=LadderStep.objects.order_by("position", "pk")))
        .order_by("pk")
    )
    step = _Refs(s.pk for ladder in rows for s in ladder.steps.all())
    found = [
        doc.Ladder(
            parent=person(ladder.owner_id),
            created_at=ladder.created_at,
            steps=[
                doc.Step(
                    id=step(s.pk),
                    name=s.name,
                    minutes=s.minutes,
                    kind=s.kind,
                    idea=s.idea,
                    in_between=s.in_between,
                    created_at=s.created_at,
                )
                for s in ladder.steps.all()
            ],
        )
        for ladder in rows
    ]
    return found, step


def _urgent_calls(separation, person, link) -> list[doc.UrgentCall]:
    return [
        doc.UrgentCall(
            by_person=person(u.caller_membership_id),
            by_link=link(u.caller_link_id),
            caller_name=u.caller_name,
            parent_name=u.parent_name,
            key=u.key,
            created_at=u.created_at,
            mistake_at=u.mistake_at,
        )
        for u in separation.urgent_calls.all()
    ]


def _separations(
    household, person, link, child, step
) -> tuple[list[doc.Separation], dict[str, str]]:
    rows = list(
        Separation.objects.filter(household=household)
        .select_related("thank_you")
        .prefetch_related(
            "children",
            "agreed",
            "settlings",
            "changes",
            Prefetch("checkins", queryset=CheckIn.objects.order_by("pk")),
            Prefetch("urgent_calls", queryset=UrgentCall.objects.order_by("created_at", "pk")),
        )
        .order_by("pk")
    )
    # Numbered in the document's order, which an import keeps: a round trip gives the same ids.
    checkin = _Refs(c.pk for s in rows for c in s.checkins.all())
    photos: dict[str, str] = {}
    found = []
    for s in rows:
        thanks = getattr(s, "thank_you", None)
        updates = []
        for c in s.checkins.all():
            path = None
            if c.photo:
                digest = _sha256(c.photo.name)
                if digest:
                    path = f"photos/{digest}.jpg"
                    photos[path] = c.photo.name
            updates.append(
                doc.CheckIn(
                    id=checkin(c.pk),
                    by_person=person(c.posted_by_membership_id),
                    by_link=link(c.posted_by_link_id),
                    author_name=c.author_name,
                    idempotency_key=c.idempotency_key,
                    all_good=c.all_good,
                    settled_now=c.settled_now,
                    state=c.state,
                    message=c.message,
                    ate_less=c.ate_less,
                    looked_around=c.looked_around,
                    settled=[
                        doc.SettledAnswer(
                            child=child(a.get("child")),
                            name=str(a.get("name", "")),
                            after=str(a.get("after", "")),
                        )
                        for a in (c.settled if isinstance(c.settled, list) else [])
                        if isinstance(a, dict)
                    ],
                    photo=path,
                    photo_width=c.photo_width if path else None,
                    photo_height=c.photo_height if path else None,
                    created_at=c.created_at,
                )
            )
        found.append(
            doc.Separation(
                id=len(found) + 1,
                kind=s.kind,
                status=s.status,
                leaver=person(s.leaver_id),
                leaver_name=s.leaver_name,
                carer_person=person(s.carer_membership_id),
                carer_link=link(s.carer_link_id),
                carer_name=s.carer_name,
                children=sorted(child(c.pk) for c in s.children.all()),
                starts_at=s.starts_at,
                planned_minutes=s.planned_minutes,
                plan_note=s.plan_note,
                left_at=s.left_at,
                back_at=s.back_at,
                created_at=s.created_at,
                practice_step=step(s.practice_step_id),
                auto_end_at=s.auto_end_at,
                ended_by_itself=s.ended_by_itself,
                agreed=[
                    doc.Agreed(
                        kind=a.kind,
                        label=a.label,
                        clock_time=a.clock_time.strftime("%H:%M:%S") if a.clock_time else None,
                        offset_minutes=a.offset_minutes,
                        due_at=a.due_at,
                        done_by=checkin(a.done_by_id),
                        remind_at=a.remind_at,
                        late_at=a.late_at,
                        reminded_at=a.reminded_at,
                        nudged_at=a.nudged_at,
                        not_before=a.not_before,
                        noted_late=a.pk == s.late_agreed_id,
                    )
                    for a in sorted(s.agreed.all(), key=lambda a: (a.due_at, a.pk))
                ],
                checkins=updates,
                urgent_calls=_urgent_calls(s, person, link),
                settlings=[
                    doc.Settling(child=child(x.child_id), after=x.after, updated_at=x.updated_at)
                    for x in sorted(s.settlings.all(), key=lambda x: x.pk)
                ],
                thank_you=doc.ThankYou(
                    text=thanks.text, author_name=thanks.author_name, created_at=thanks.created_at
                )
                if thanks
                else None,
                changes=[
                    doc.PlanChange(
                        kind=ch.kind,
                        by=person(ch.by_id),
                        from_starts_at=ch.from_starts_at,
                        to_starts_at=ch.to_starts_at,
                        created_at=ch.created_at,
                    )
                    for ch in sorted(s.changes.all(), key=lambda ch: ch.pk)
                ],
            )
        )
    return found, photos


def as_json(document: doc.Document) -> str:
    return json.dumps(document.model_dump(mode="json", by_alias=True), ensure_ascii=False, indent=1)


def write_zip(household: Household, out: IO[bytes]) -> doc.Document:
    document, photos = build(household)
    tz = zone(household)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README)
        archive.writestr("household.json", as_json(document))
        archive.writestr("separations.csv", spreadsheets.separations_csv(document, tz))
        archive.writestr("checkins.csv", spreadsheets.checkins_csv(document, tz))
        for path, name in sorted(photos.items()):
            try:
                # A ZipInfo's default is to store: a JPEG is compressed already.
                info = zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0))
                with default_storage.open(name, "rb") as handle, archive.open(info, "w") as target:
                    for chunk in iter(lambda h=handle: h.read(1 << 16), b""):
                        target.write(chunk)
            except (FileNotFoundError, OSError):
                continue
    return document
