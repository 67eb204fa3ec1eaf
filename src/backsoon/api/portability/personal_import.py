"""Loading your own data (`backsoon-personal/2`) on another server, after the household came.

Only the person the file is about can load it: the file names their account's address, and
the rows become that signed-in person's own. Each household in the file goes into the
household of the same name that person is in here; its rows find their separations by when
they were planned to start and were made (the household import keeps both), children by
name and birthday, caregivers by name. A row that points at something not found here is
left out and counted. Every row is checked by its model's own validation, and all is written
in one transaction: if you have your own notes in one of the households already, nothing is
loaded, so loading twice never doubles anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from graphlib import TopologicalSorter
from typing import IO

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from backsoon.api.portability.document import storable
from backsoon.api.portability.personal import SCHEMA, owner_models
from backsoon.api.portability.reading import ImportRefused, loads, null_at
from backsoon.households.models import Membership
from backsoon.separations.models import Separation

MAX_BYTES = 64 * 1024 * 1024


@dataclass
class PersonalResult:
    households: list[str] = field(default_factory=list)
    not_here: list[str] = field(default_factory=list)  # households you aren't in here
    rows: int = 0
    left_out: int = 0  # rows pointing at something this server doesn't have


def _ordered() -> list[type[models.Model]]:
    """Owner models, each after those it points at (an urge after its message)."""
    kinds = owner_models()
    graph = {
        m: {f.related_model for f in m._meta.concrete_fields if f.related_model in kinds} - {m}
        for m in kinds
    }
    return list(TopologicalSorter(graph).static_order())


def _one_each(model) -> bool:
    """One row per person (a setting): loading replaces the one made here already."""
    owner = model._meta.get_field("owner")
    return owner.one_to_one or owner.unique


def read(fileobj: IO[bytes], user) -> dict:
    data = fileobj.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportRefused(_("This file is too large to be your own data."))
    try:
        document = loads(data)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise ImportRefused(_("This file could not be read as JSON.")) from exc
    if not isinstance(document, dict) or document.get("schema") != SCHEMA:
        raise ImportRefused(
            _("This isn't a download of your own data in the format this server reads (%(s)s).")
            % {"s": SCHEMA}
        )
    email = str((document.get("account") or {}).get("email", ""))
    if not email or email.lower() != (user.email or "").lower():
        raise ImportRefused(_("This file is someone else's: it names another account."))
    if not isinstance(document.get("households"), list):
        raise ImportRefused(_("This file lists no households."))
    where = null_at(document)
    if where is not None:  # PostgreSQL can't store it: refused on every database alike
        raise ImportRefused(
            _("A value in this file can't be used (at %(where)s): it holds a null character.")
            % {"where": where}
        )
    return document


def import_personal(fileobj: IO[bytes], user) -> PersonalResult:
    document = read(fileobj, user)
    result = PersonalResult()
    mine = list(Membership.objects.filter(user=user).select_related("household"))
    try:
        with transaction.atomic():
            for entry in document["households"]:
                if not isinstance(entry, dict) or not isinstance(entry.get("data"), dict):
                    raise ImportRefused(_("A household in this file has no data."))
                name = str(entry.get("household", ""))
                here = [m for m in mine if m.household.name == name]
                if len(here) != 1:
                    result.not_here.append(name)
                    continue
                _load(entry, here[0], result)
                result.households.append(name)
    except (IntegrityError, DataError) as exc:
        raise ImportRefused(
            _("Some of this doesn't fit with what is here; nothing was loaded.")
        ) from exc
    return result


class _Finder:
    """Ids in the file to what they are here (see `personal.refs`)."""

    def __init__(self, refs: dict, membership: Membership) -> None:
        household = membership.household
        by_time = {
            (s.starts_at, s.created_at): s.pk
            for s in Separation.objects.filter(household=household).only(
                "pk", "starts_at", "created_at"
            )
        }
        self.separations = {}
        for old, ref in _dict(refs.get("separations")).items():
            key = (_when(_dict(ref).get("starts_at")), _when(_dict(ref).get("created_at")))
            if key in by_time:
                self.separations[old] = by_time[key]
        children = {(c.name, c.birth_date): c.pk for c in household.children.all()}
        self.children = {}
        for old, ref in _dict(refs.get("children")).items():
            key = (_dict(ref).get("name"), _day(_dict(ref).get("birth_date")))
            if key in children:
                self.children[old] = children[key]
        people = {m.display_name: f"m{m.pk}" for m in household.memberships.all()}
        people.update({k.name: f"l{k.pk}" for k in household.caregiver_links.all()})
        self.people = {
            old: people[name] for old, name in _dict(refs.get("people")).items() if name in people
        }
        self.rows: dict[type, dict] = {}

    def strings(self, model, values: dict) -> bool:
        """Ids kept in text: a caregiver's key ("m12"), a card's child ("child-3")."""
        if "carer_key" in values:
            values["carer_key"] = self.people.get(str(values["carer_key"]))
            if values["carer_key"] is None:
                return False
        key = values.get("key")
        if isinstance(key, str) and key.startswith("child-"):
            child = self.children.get(key.removeprefix("child-"))
            if child is None:
                return False
            values["key"] = f"child-{child}"
        return True


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _when(value):
    """A time in `refs`, or None if it isn't one (a 30 February finds nothing)."""
    try:
        return parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _day(value):
    try:
        return parse_date(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _load(entry: dict, me: Membership, result: PersonalResult) -> None:
    find = _Finder(_dict(entry.get("refs")), me)
    data = entry["data"]
    kinds = _ordered()
    already = [m for m in kinds if not _one_each(m) and m.objects.filter(owner=me).exists()]
    if already:
        raise ImportRefused(
            _("You have your own notes in %(household)s already; nothing was loaded there.")
            % {"household": me.household.name}
        )
    known = {m._meta.label_lower for m in kinds}
    for label, rows in data.items():
        if label not in known and isinstance(rows, list):
            result.left_out += len(rows)  # a kind of note this server doesn't keep
    for model in kinds:
        rows = data.get(model._meta.label_lower, [])
        if not isinstance(rows, list):
            raise ImportRefused(_("This file has a list that isn't one."))
        if rows and _one_each(model):
            model.objects.filter(owner=me).delete()
        found = find.rows.setdefault(model, {})
        for row in rows:
            obj = _row(model, _dict(row), me, find)
            if obj is None:
                result.left_out += 1
                continue
            found[str(_dict(row).get("id", _dict(row).get(f"{model._meta.pk.name}_id")))] = obj.pk
            result.rows += 1


def _row(model, row: dict, me: Membership, find: _Finder):
    values = {}
    for f in model._meta.concrete_fields:
        if f.name == "owner":
            continue
        key = f.attname if f.is_relation else f.name
        if key not in row:
            continue
        value = row[key]
        if f.is_relation:
            if value is None:
                values[f.attname] = None
                continue
            known = (
                find.separations
                if f.related_model is Separation
                else find.rows.get(f.related_model)
            )
            if known is None or str(value) not in known:
                return None  # what it points at isn't here
            values[f.attname] = known[str(value)]
        elif not f.primary_key:
            values[f.name] = value
    if not find.strings(model, values):
        return None
    obj = model(owner=me, **values)
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
        _times_storable(obj)
    except ValidationError as exc:
        raise ImportRefused(
            _("A value in this file can't be used (%(what)s): %(problem)s")
            % {"what": model._meta.verbose_name, "problem": "; ".join(exc.messages)}
        ) from exc
    except TypeError as exc:  # a number where a time should be, say
        raise ImportRefused(
            _("A value in this file can't be used (%(what)s): %(problem)s")
            % {"what": model._meta.verbose_name, "problem": _("it is the wrong kind of value.")}
        ) from exc
    obj.save(force_insert=True)
    return obj


def _times_storable(obj) -> None:
    """Times with their zone, in reach of both databases (full_clean takes 9999-12-31 at
    -01:00, which PostgreSQL keeps as year 10000 and can then never read back)."""
    for f in obj._meta.concrete_fields:
        if isinstance(f, models.DateTimeField):
            value = getattr(obj, f.attname)
            if value is not None and (timezone.is_naive(value) or not storable(value)):
                raise ValidationError({f.name: _("This time is out of range.")})
