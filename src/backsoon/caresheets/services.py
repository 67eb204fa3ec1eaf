"""Saving sheets with their revisions, "what changed since you last looked", and the
agreement's answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from backsoon.caresheets import sections
from backsoon.caresheets.models import AgreementResponse, LastSeen, Revision, Sheet
from backsoon.households.access import Subject
from backsoon.households.models import CaregiverLink, Child, Household, Membership, Role


def subject_fields(subject: Subject) -> dict:
    """The keyword arguments that store or find a row against this subject."""
    if subject.membership is not None:
        return {"membership": subject.membership, "link": None}
    return {"membership": None, "link": subject.link}


@dataclass
class Sheets:
    """A household's sheets, fetched in one query; missing ones simply aren't written yet."""

    children: dict[int, Sheet] = field(default_factory=dict)
    household: Sheet | None = None
    agreement: Sheet | None = None

    @property
    def all(self) -> list[Sheet]:
        return [
            s for s in (*self.children.values(), self.household, self.agreement) if s is not None
        ]

    @property
    def updated_at(self) -> datetime | None:
        return max((s.updated_at for s in self.all if s.updated_at), default=None)


def sheets_of(household: Household) -> Sheets:
    found = Sheets()
    for sheet in Sheet.objects.filter(household=household):
        if sheet.kind == Sheet.Kind.CHILD:
            found.children[sheet.child_id] = sheet
        elif sheet.kind == Sheet.Kind.HOUSEHOLD:
            found.household = sheet
        else:
            found.agreement = sheet
    return found


def sheet_for(household: Household, kind: str, child: Child | None = None) -> Sheet:
    """The sheet, created empty the first time; safe when two requests race to create it."""
    if kind == Sheet.Kind.CHILD:
        sheet, _created = Sheet.objects.get_or_create(
            child=child, defaults={"household": household, "kind": kind}
        )
    else:
        sheet, _created = Sheet.objects.get_or_create(household=household, kind=kind)
    return sheet


def find_sheet(household: Household, kind: str, child: Child | None = None) -> Sheet | None:
    if kind == Sheet.Kind.CHILD:
        return Sheet.objects.filter(child=child).first()
    return Sheet.objects.filter(household=household, kind=kind).first()


def content_at(sheet: Sheet | None, number: int) -> dict:
    """The sheet's content as revision `number` left it (0: before anything was written)."""
    if sheet is None or number <= 0:
        return {}
    if number == sheet.revision:
        return sheet.content
    revision = Revision.objects.filter(sheet=sheet, number=number).only("content").first()
    return revision.content if revision else {}


def save(sheet: Sheet, updates: dict[str, dict], author: Membership) -> Revision | None:
    """Replace some sections of a sheet and keep a revision; None when nothing changed."""
    with transaction.atomic():
        sheet = Sheet.objects.select_for_update().get(pk=sheet.pk)
        before = sections.clean_content(sheet.kind, sheet.content)
        after = sections.clean_content(sheet.kind, {**before, **updates})
        changed = sections.changes(sheet.kind, before, after)
        if not changed:
            return None
        now = timezone.now()
        sheet.content = after
        sheet.revision += 1
        sheet.updated_at = now
        sheet.updated_by = author
        sheet.updated_by_name = author.display_name
        sheet.save(
            update_fields=["content", "revision", "updated_at", "updated_by", "updated_by_name"]
        )
        revision = Revision.objects.create(
            sheet=sheet,
            number=sheet.revision,
            content=after,
            changes=changed,
            author=author,
            author_name=author.display_name,
            created_at=now,
        )
        _author_has_seen(author, sheet)
    return revision


def _author_has_seen(author: Membership, sheet: Sheet) -> None:
    # Your own edit is not news to you, unless you had missed an earlier one.
    seen = LastSeen.objects.filter(membership=author).first()
    if seen is None:
        return
    key = str(sheet.pk)
    if _as_number(seen.revisions.get(key)) == sheet.revision - 1:
        seen.revisions = {**seen.revisions, key: sheet.revision}
        seen.save(update_fields=["revisions"])


def _as_number(value: object) -> int:
    return value if isinstance(value, int) and value >= 0 else 0


def look(subject: Subject, sheets: list[Sheet]) -> dict[int, set[str]]:
    """The sections changed in each sheet since this subject last looked; then remember this look.

    The first look marks nothing: everything is new, so nothing is "changed".
    """
    seen = LastSeen.objects.filter(**subject_fields(subject)).first()
    marks: dict[int, set[str]] = {}
    if seen is not None:
        revisions = seen.revisions if isinstance(seen.revisions, dict) else {}
        stale = {
            sheet.pk: _as_number(revisions.get(str(sheet.pk)))
            for sheet in sheets
            if _as_number(revisions.get(str(sheet.pk))) < sheet.revision
        }
        earlier = Q()
        for pk, number in stale.items():
            if number > 0:
                earlier |= Q(sheet_id=pk, number=number)
        old = {}
        if earlier:
            old = {
                r.sheet_id: r.content
                for r in Revision.objects.filter(earlier).only("sheet_id", "content")
            }
        for sheet in sheets:
            if sheet.pk in stale:
                marks[sheet.pk] = sections.changed_sections(
                    sheet.kind, old.get(sheet.pk, {}), sheet.content
                )
    current = {str(sheet.pk): sheet.revision for sheet in sheets}
    if seen is None:
        try:
            with transaction.atomic():
                LastSeen.objects.create(**subject_fields(subject), revisions=current)
        except IntegrityError:
            pass  # the same person, in another tab, a moment ago
    elif seen.revisions != current:
        LastSeen.objects.filter(pk=seen.pk).update(revisions=current, seen_at=timezone.now())
    return marks


def respond(
    subject: Subject, agreement: Sheet, *, confirmed: bool, note: str, version: int | None = None
) -> AgreementResponse:
    """A confirmation is always of the current version; a note may be about the one they read."""
    return AgreementResponse.objects.create(
        agreement=agreement,
        version=agreement.revision if confirmed or version is None else version,
        name=subject.display_name,
        confirmed=confirmed,
        note=note,
        **subject_fields(subject),
    )


def last_confirmation(subject: Subject, agreement: Sheet | None) -> AgreementResponse | None:
    if agreement is None:
        return None
    return (
        AgreementResponse.objects.filter(
            agreement=agreement, confirmed=True, **subject_fields(subject)
        )
        .order_by("-created_at", "-pk")
        .first()
    )


@dataclass
class Reader:
    """Someone who looks after the baby, and where they stand with the agreement."""

    name: str
    on_link: bool
    confirmed: AgreementResponse | None = None
    current_version: int = 0

    @property
    def confirmed_current(self) -> bool:
        return self.confirmed is not None and self.confirmed.version == self.current_version


@dataclass
class AgreementStatus:
    readers: list[Reader]
    notes: list[AgreementResponse]


NOTES_SHOWN = 20


def agreement_status(household: Household, agreement: Sheet | None) -> AgreementStatus:
    """For the parents: who has confirmed which version, and the notes caregivers left."""
    caregivers = list(household.memberships.filter(role=Role.CAREGIVER))
    links = list(CaregiverLink.objects.usable().filter(household=household))
    responses = []
    if agreement is not None:
        responses = list(agreement.responses.order_by("-created_at", "-pk")[:200])
    current = agreement.revision if agreement else 0
    latest: dict[tuple[str, int], AgreementResponse] = {}
    for response in responses:
        if response.confirmed:
            key = (
                ("m", response.membership_id) if response.membership_id else ("l", response.link_id)
            )
            latest.setdefault(key, response)
    readers = [
        Reader(m.display_name, False, latest.get(("m", m.pk)), current) for m in caregivers
    ] + [Reader(link.name, True, latest.get(("l", link.pk)), current) for link in links]
    return AgreementStatus(readers=readers, notes=[r for r in responses if r.note][:NOTES_SHOWN])
