from __future__ import annotations

from datetime import date

import pytest

from backsoon.wellbeing import resources
from backsoon.wellbeing.resources import CrisisFileError, Kind

ENTRY = """
kind = "{kind}"
name = "{name}"
number = "0800 000 000"
tel = "+448000000000"
hours = "Weekdays"
description = "A test line."
last_verified = 2026-11-22
source = "example.org"
"""


def entry(country: str, name: str, kind: str = "support") -> str:
    return f"\n[[countries.{country}.resources]]" + ENTRY.format(kind=kind, name=name)


@pytest.fixture
def packaged(settings):
    settings.CRISIS_FILE = ""
    return resources.load("")


def test_the_packaged_file_validates_and_lists_us_and_gb(packaged):
    assert {"US", "GB"} <= set(packaged)
    assert resources.read_packaged()  # parses without CrisisFileError


@pytest.mark.parametrize("code", ["US", "GB"])
def test_crisis_lines_come_before_support_lines(packaged, code):
    kinds = [r.kind for r in packaged[code].resources]
    assert kinds[0] is Kind.CRISIS
    assert kinds == sorted(kinds, key=lambda k: k is not Kind.CRISIS)


def test_every_packaged_entry_is_dated_sourced_and_dialable(packaged):
    for country in packaged.values():
        assert country.emergency_number
        for resource in country.resources:
            assert isinstance(resource.last_verified, date), resource.name
            assert resource.source, resource.name
            assert resource.number, resource.name


def by_tel(country) -> dict:
    return {r.tel: r for r in country.resources}


def test_us_crisis_and_support_lines_are_told_apart(packaged):
    us = by_tel(packaged["US"])
    assert us["988"].kind is Kind.CRISIS
    assert us["988"].sms == "988"
    assert us["911"].kind is Kind.CRISIS
    hotline = us["+18338526262"]
    assert hotline.name == "National Maternal Mental Health Hotline"
    assert hotline.kind is Kind.SUPPORT  # HRSA: not a crisis line
    assert "TLC-MAMA" in hotline.number
    assert us["+18009444773"].kind is Kind.SUPPORT


def test_gb_lines(packaged):
    gb = by_tel(packaged["GB"])
    assert gb["999"].kind is Kind.CRISIS
    assert gb["116123"].name == "Samaritans"
    assert gb["116123"].number == "116 123"
    assert "option 2" in gb["111"].description


def test_emergency_numbers(packaged):
    assert resources.emergency_number("US") == "911"
    assert resources.emergency_number("gb") == "999"
    assert resources.emergency_number("FR") is None


def test_an_unknown_country_gets_only_the_generic_entry_with_no_number(packaged):
    country = resources.resources_for("FR")
    assert not country.known
    assert country.code == "FR"
    assert country.emergency_number is None
    assert len(country.resources) == 1
    generic = country.resources[0]
    assert generic.kind is Kind.CRISIS
    assert "local emergency number" in generic.name
    assert generic.number == generic.tel == generic.sms == ""


def test_no_number_is_listed_for_a_country_we_have_not_sourced(packaged):
    # 112 is not in our sources (DOMAIN.md); it must not appear until it is.
    numbers = {r.tel for c in packaged.values() for r in c.resources}
    assert "112" not in numbers
    assert all(c.emergency_number != "112" for c in packaged.values())


def test_countries_are_listed_by_name(packaged):
    listed = resources.countries()
    assert [c.code for c in listed] == sorted(packaged, key=lambda code: packaged[code].name)
    assert {"US", "GB"} <= {c.code for c in listed}


def test_the_data_is_cached_per_override_path(packaged, crisis_file):
    assert resources.load("") is packaged
    path = crisis_file(entry("GB", "Local perinatal team"))
    first = resources.resources_for("GB")
    path.unlink()  # a request must never read the file again
    assert resources.resources_for("GB") is first
    assert resources.emergency_number("GB") == "999"
    assert resources.load.cache_info().misses == 1


def test_an_override_replaces_by_name_and_adds_new_entries(crisis_file):
    crisis_file(entry("GB", "Samaritans", kind="crisis") + entry("GB", "Local perinatal team"))
    gb = resources.resources_for("GB")
    names = [r.name for r in gb.resources]
    assert names.count("Samaritans") == 1
    samaritans = next(r for r in gb.resources if r.name == "Samaritans")
    assert samaritans.tel == "+448000000000"
    assert "NHS 111" in names  # ours are kept
    assert names[-1] == "Local perinatal team"
    assert gb.support[-1].name == "Local perinatal team"
    assert gb.emergency_number == "999"


def test_an_override_support_entry_still_comes_after_crisis_lines(crisis_file):
    crisis_file(entry("US", "Emergency services", kind="support"))
    us = resources.resources_for("US")
    assert us.resources[0].kind is Kind.CRISIS
    assert us.resources[-1].kind is Kind.SUPPORT
    assert "Emergency services" in [r.name for r in us.support]


def test_replace_true_drops_our_list_for_that_country(crisis_file):
    crisis_file("[countries.GB]\nreplace = true\n" + entry("GB", "Only line", kind="crisis"))
    gb = resources.resources_for("GB")
    assert [r.name for r in gb.resources] == ["Only line"]
    assert gb.emergency_number == "999"
    assert len(resources.resources_for("US").resources) == 4  # other countries untouched


def test_an_override_can_add_a_country(crisis_file):
    crisis_file(
        '[countries.NZ]\nname = "Test Country"\nemergency_number = "555"\n'
        + entry("NZ", "Test line", kind="crisis")
    )
    assert resources.emergency_number("NZ") == "555"
    assert resources.resources_for("NZ").known
    assert "NZ" in [c.code for c in resources.countries()]


def test_a_new_country_needs_a_name_and_emergency_number(crisis_file):
    crisis_file(entry("NZ", "Test line"))
    with pytest.raises(CrisisFileError, match=r"countries\.NZ.*'emergency_number', 'name'"):
        resources.countries()


def parse_error(text: str) -> str:
    with pytest.raises(CrisisFileError) as info:
        resources.parse(text, "test.toml")
    return str(info.value)


def test_a_missing_field_names_the_file_and_entry():
    text = entry("GB", "Helpline").replace('source = "example.org"\n', "")
    message = parse_error(text)
    assert "test.toml" in message
    assert "countries.GB.resources[0] ('Helpline')" in message
    assert "missing 'source'" in message


def test_an_invalid_kind_is_refused():
    message = parse_error(entry("GB", "Helpline", kind="urgent"))
    assert "'Helpline'" in message
    assert "kind must be" in message
    assert "'urgent'" in message


@pytest.mark.parametrize(
    "value", ['"22/11/2026"', '"2026-13-01"', "2026-11-22T10:00:00", "20261122"]
)
def test_a_malformed_date_is_refused(value):
    text = entry("GB", "Helpline").replace("last_verified = 2026-11-22", f"last_verified = {value}")
    message = parse_error(text)
    assert "countries.GB.resources[0] ('Helpline')" in message
    assert "must be a date like 2026-11-22" in message


def test_a_quoted_iso_date_is_accepted():
    text = entry("GB", "Helpline").replace("= 2026-11-22", '= "2026-11-22"')
    [resource] = resources.parse(text, "test.toml")["GB"]["resources"]
    assert resource.last_verified == date(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("not toml [", "not valid TOML"),
        ('[countries.gb]\nname = "x"', "two-letter code in capitals"),
        ('[countries.GB]\nemergency = "999"', "unknown key(s) 'emergency'"),
        ('[countries.GB]\nemergency_number = "nine"', "must be digits only"),
        ('[countries.GB]\nreplace = "yes"', "replace must be true or false"),
        ("[other]\nx = 1", "unknown top-level key(s) 'other'"),
    ],
)
def test_country_level_mistakes_are_refused(text, expected):
    assert expected in parse_error(text)


def test_a_typo_in_a_field_name_is_refused():
    text = entry("GB", "Helpline").replace("hours =", 'hours = "x"\nhuors =')
    assert "unknown key(s) 'huors'" in parse_error(text)


def test_a_tel_with_spaces_is_refused():
    text = entry("GB", "Helpline").replace('tel = "+448000000000"', 'tel = "116 123"')
    assert "tel '116 123' must be" in parse_error(text)


def test_two_entries_with_the_same_name_are_refused():
    assert "two entries are named" in parse_error(entry("GB", "Line") + entry("GB", "line"))


def test_an_unreadable_override_file_says_so(settings, tmp_path):
    settings.CRISIS_FILE = str(tmp_path / "missing.toml")
    with pytest.raises(CrisisFileError, match=r"CRISIS_FILE .*missing\.toml.*cannot be read"):
        resources.resources_for("GB")
