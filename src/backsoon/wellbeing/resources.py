"""Crisis and support lines per country: the packaged list plus a deployment's own file.

The packaged file is `data/crisis_resources.toml`. A deployment may point the setting
CRISIS_FILE (env BACKSOON_CRISIS_FILE) at a file in the same format, merged per country:

- an entry whose `name` matches one of ours (ignoring case) replaces it in place;
- an entry with a new `name` is added;
- `replace = true` on a country drops our whole list for it and uses only the file's;
- `name` and `emergency_number` on a country we already list replace ours; a new country
  must give both.

Everything is validated on load and a mistake raises CrisisFileError naming the file and
the entry. Parsed data is cached per override path, so requests never read a file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext

PACKAGED_NAME = "crisis_resources.toml"

COUNTRY_CODE = re.compile(r"[A-Z]{2}")
# E.164 (+ and up to 15 digits) or a short code such as 988, 999 or 116123.
DIALABLE = re.compile(r"\+[1-9][0-9]{6,14}|[0-9]{2,6}")

REQUIRED_FIELDS = ("kind", "name", "number", "hours", "description", "last_verified", "source")
OPTIONAL_FIELDS = ("tel", "sms")
TEXT_FIELDS = ("name", "number", "hours", "description", "source")
COUNTRY_FIELDS = ("name", "emergency_number", "replace", "resources")


class CrisisFileError(Exception):
    """A crisis resources file is wrong; the message names the file, the entry and the fix."""


class Kind(StrEnum):
    CRISIS = "crisis"  # answers 24/7, for urgent danger
    SUPPORT = "support"  # helpful, but not for emergencies


@dataclass(frozen=True)
class Resource:
    kind: Kind
    name: str
    number: str
    hours: str
    description: str
    last_verified: date | None
    source: str
    tel: str = ""
    sms: str = ""

    @property
    def is_crisis(self) -> bool:
        return self.kind is Kind.CRISIS


@dataclass(frozen=True)
class CountryResources:
    code: str
    name: str
    emergency_number: str | None
    resources: tuple[Resource, ...] = field(default=())
    # False for a country we have no checked numbers for: only the generic entry is shown.
    known: bool = True

    @property
    def crisis(self) -> tuple[Resource, ...]:
        return tuple(r for r in self.resources if r.kind is Kind.CRISIS)

    @property
    def support(self) -> tuple[Resource, ...]:
        return tuple(r for r in self.resources if r.kind is Kind.SUPPORT)


def parse(text: str, label: str) -> dict[str, dict]:
    """Parse and validate one file's text into {code: {"name", "emergency_number",
    "replace", "resources"}}, with only the keys the file gives. `label` names the file."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CrisisFileError(f"{label}: not valid TOML ({exc}).") from None
    unknown = set(data) - {"countries"}
    if unknown:
        raise CrisisFileError(
            f"{label}: unknown top-level key(s) {_names(unknown)}; "
            "everything goes under [countries.XX]."
        )
    countries = data.get("countries", {})
    if not isinstance(countries, dict):
        raise CrisisFileError(f"{label}: 'countries' must be tables like [countries.GB].")
    return {code: _parse_country(code, table, label) for code, table in countries.items()}


def _parse_country(code: str, table: object, label: str) -> dict:
    where = f"{label}: [countries.{code}]"
    if not COUNTRY_CODE.fullmatch(code):
        raise CrisisFileError(
            f"{where}: the country must be a two-letter code in capitals, like GB."
        )
    if not isinstance(table, dict):
        raise CrisisFileError(f"{where}: must be a table.")
    unknown = set(table) - set(COUNTRY_FIELDS)
    if unknown:
        raise CrisisFileError(
            f"{where}: unknown key(s) {_names(unknown)}; allowed: {', '.join(COUNTRY_FIELDS)}."
        )
    country: dict = {}
    if "name" in table:
        country["name"] = _text(table["name"], f"{where} name")
    if "emergency_number" in table:
        number = _text(table["emergency_number"], f"{where} emergency_number")
        if not DIALABLE.fullmatch(number):
            raise CrisisFileError(
                f"{where}: emergency_number {number!r} must be digits only, like 999."
            )
        country["emergency_number"] = number
    if "replace" in table:
        if not isinstance(table["replace"], bool):
            raise CrisisFileError(f"{where}: replace must be true or false (no quotes).")
        country["replace"] = table["replace"]
    entries = table.get("resources", [])
    if not isinstance(entries, list):
        raise CrisisFileError(
            f"{where}: resources must be a list of [[countries.{code}.resources]]."
        )
    resources = [
        _parse_resource(entry, f"{label}: countries.{code}.resources[{i}]")
        for i, entry in enumerate(entries)
    ]
    seen: set[str] = set()
    for resource in resources:
        key = resource.name.casefold()
        if key in seen:
            raise CrisisFileError(
                f"{where}: two entries are named {resource.name!r}; names must differ "
                "because an override replaces entries by name."
            )
        seen.add(key)
    country["resources"] = resources
    return country


def _parse_resource(entry: object, where: str) -> Resource:
    if not isinstance(entry, dict):
        raise CrisisFileError(f"{where}: must be a table.")
    if isinstance(entry.get("name"), str) and entry["name"].strip():
        where = f"{where} ({entry['name'].strip()!r})"
    missing = [name for name in REQUIRED_FIELDS if name not in entry]
    if missing:
        raise CrisisFileError(f"{where}: missing {_names(missing)}.")
    unknown = set(entry) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS)
    if unknown:
        allowed = ", ".join(REQUIRED_FIELDS + OPTIONAL_FIELDS)
        raise CrisisFileError(f"{where}: unknown key(s) {_names(unknown)}; allowed: {allowed}.")
    kind = entry["kind"]
    if kind not in tuple(Kind):
        raise CrisisFileError(
            f'{where}: kind must be "crisis" (24/7, urgent) or "support", not {kind!r}.'
        )
    values = {name: _text(entry[name], f"{where} {name}") for name in TEXT_FIELDS}
    for name in OPTIONAL_FIELDS:
        if name in entry:
            value = _text(entry[name], f"{where} {name}")
            if not DIALABLE.fullmatch(value):
                raise CrisisFileError(
                    f"{where}: {name} {value!r} must be +country code and digits (like "
                    "+18338526262) or a short code (like 988), with no spaces."
                )
            values[name] = value
    return Resource(kind=Kind(kind), last_verified=_date(entry["last_verified"], where), **values)


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CrisisFileError(f"{where} must be text in quotes, and not empty.")
    return value.strip()


def _date(value: object, where: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise CrisisFileError(f"{where}: last_verified {value!r} must be a date like 2026-11-22.")


def _names(names) -> str:
    return ", ".join(repr(n) for n in sorted(names))


def merge(base: dict[str, dict], override: dict[str, dict], label: str) -> dict[str, dict]:
    """The packaged countries with a deployment's file laid over them (rules: module doc)."""
    merged = {code: dict(country) for code, country in base.items()}
    for code, extra in override.items():
        ours = merged.get(code)
        if ours is None:
            missing = [key for key in ("name", "emergency_number") if key not in extra]
            if missing:
                raise CrisisFileError(
                    f"{label}: [countries.{code}] is new, so it needs {_names(missing)}."
                )
            merged[code] = {**extra, "resources": list(extra["resources"])}
            continue
        if extra.get("replace"):
            resources = list(extra["resources"])
        else:
            resources = list(ours["resources"])
            index = {r.name.casefold(): i for i, r in enumerate(resources)}
            for resource in extra["resources"]:
                position = index.get(resource.name.casefold())
                if position is None:
                    resources.append(resource)
                else:
                    resources[position] = resource
        merged[code] = {
            **ours,
            **{key: extra[key] for key in ("name", "emergency_number") if key in extra},
            "resources": resources,
        }
    return merged


def _build(countries: dict[str, dict]) -> dict[str, CountryResources]:
    built = {}
    for code, country in countries.items():
        # Crisis lines first; otherwise the file's order (sorted() is stable).
        resources = sorted(country["resources"], key=lambda r: r.kind is not Kind.CRISIS)
        built[code] = CountryResources(
            code=code,
            name=country["name"],
            emergency_number=country["emergency_number"],
            resources=tuple(resources),
        )
    return built


def read_packaged() -> dict[str, dict]:
    text = files("backsoon.wellbeing").joinpath("data", PACKAGED_NAME).read_text(encoding="utf-8")
    countries = parse(text, f"{PACKAGED_NAME} (packaged with Back Soon)")
    for code, country in countries.items():
        missing = [key for key in ("name", "emergency_number") if key not in country]
        if missing:
            raise CrisisFileError(f"{PACKAGED_NAME}: [countries.{code}] needs {_names(missing)}.")
    return countries


def read_override(path: str) -> dict[str, dict]:
    label = f"BACKSOON_CRISIS_FILE ({path})"
    try:
        text = Path(path).expanduser().read_text(encoding="utf-8")
    except OSError as exc:
        raise CrisisFileError(f"{label}: cannot be read ({exc.strerror}).") from None
    except UnicodeDecodeError:
        raise CrisisFileError(f"{label}: is not UTF-8 text.") from None
    return parse(text, label)


@lru_cache(maxsize=4)
def load(override_path: str = "") -> dict[str, CountryResources]:
    """Every country we list, keyed by code: packaged data merged with the override file."""
    countries = read_packaged()
    if override_path:
        label = f"BACKSOON_CRISIS_FILE ({override_path})"
        countries = merge(countries, read_override(override_path), label)
    return _build(countries)


def clear_cache() -> None:
    load.cache_clear()


def _current() -> dict[str, CountryResources]:
    return load(getattr(settings, "CRISIS_FILE", "") or "")


def countries() -> list[CountryResources]:
    """The countries we have checked numbers for, by name."""
    return sorted(_current().values(), key=lambda c: c.name.casefold())


def emergency_number(country: str) -> str | None:
    """The national emergency number, or None for a country we have not sourced."""
    found = _current().get(country.strip().upper())
    return found.emergency_number if found else None


def resources_for(country: str) -> CountryResources:
    """The lines for a country (crisis first); for one we do not list, only a generic
    "your local emergency number" with no number, because we never guess one."""
    code = country.strip().upper()
    found = _current().get(code)
    if found is not None:
        return found
    generic = Resource(
        kind=Kind.CRISIS,
        name=gettext("Your local emergency number"),
        number="",
        hours=gettext("Any time"),
        description=gettext(
            "If you or your baby are in danger, call the emergency number where you are."
        ),
        last_verified=None,
        source="",
    )
    return CountryResources(
        code=code if COUNTRY_CODE.fullmatch(code) else "",
        name="",
        emergency_number=None,
        resources=(generic,),
        known=False,
    )
