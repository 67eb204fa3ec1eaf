"""The sheet's shape as plain functions: reading content defensively, what changed, length."""

import pytest

from backsoon.caresheets import sections, suggestions
from backsoon.caresheets.sections import Kind


def test_clean_content_keeps_known_fields_with_the_right_types():
    messy = {
        "feeding": {
            "times": ["  7:00 bottle ", "", 42, "11:00"],
            "how": "not a list",
            "unknown": "x",
        },
        "sleep": {"where": ["a list where text belongs"], "comfort": "  Bunny  "},
        "medicines": {
            "none_known": "yes",
            "items": [{"name": "Drops", "dose": 5}, "junk", {"dose": ""}],
        },
        "nonsense": {"a": 1},
    }
    assert sections.clean_content("child", messy) == {
        "feeding": {"times": ["7:00 bottle", "11:00"]},
        "sleep": {"comfort": "Bunny"},
        "medicines": {"items": [{"name": "Drops", "dose": "", "when": "", "what_to_do": ""}]},
    }


@pytest.mark.parametrize(
    "content", [None, [], "text", 7, {"feeding": "x"}, {"feeding": {"times": "x"}}]
)
def test_anything_at_all_reads_as_an_empty_sheet(content):
    assert sections.clean_content("child", content) == {}


def test_clean_content_caps_lengths_and_counts():
    spec = sections.section("child", "soothing").field("steps")
    content = {"soothing": {"steps": ["x" * 500] * 50}}
    steps = sections.clean_content("child", content)["soothing"]["steps"]
    assert len(steps) == spec.max_items
    assert all(len(step) == spec.max_length for step in steps)


def test_changes_name_the_fields_in_sheet_order():
    before = {"soothing": {"steps": ["Rocking"]}, "health": {"notes": "Teething"}}
    after = {"feeding": {"burping": ["Burp after feeds"]}, "soothing": {"steps": ["Rocking"]}}
    assert sections.changes("child", before, after) == [["feeding", "burping"], ["health", "notes"]]
    assert sections.changed_sections("child", before, after) == {"feeding", "health"}
    assert sections.changes("child", after, after) == []


def test_reordering_a_list_is_a_change():
    before = {"call_now": {"items": ["A", "B"]}}
    after = {"call_now": {"items": ["B", "A"]}}
    assert sections.changes("agreement", before, after) == [["call_now", "items"]]


def test_a_long_sheet_is_noticed_kindly_not_refused():
    short = {"soothing": {"steps": ["Rocking", "White noise"]}}
    long = {"health": {"notes": "x" * 1000}, "home": {"where_things_are": ["y" * 150] * 12}}
    assert not sections.is_long([short])
    assert sections.is_long([long, long, short])


def test_every_section_key_is_unique_within_its_sheet():
    for specs in sections.SECTIONS.values():
        keys = [s.key for s in specs]
        assert len(keys) == len(set(keys))
        for spec in specs:
            assert len({f.key for f in spec.fields}) == len(spec.fields)
            for field in spec.fields:
                assert field.max_length > 0
                if field.kind in (Kind.LINES, Kind.ROWS):
                    assert field.max_items > 0


def test_the_packaged_suggestions_are_valid_and_have_no_temperatures():
    loaded = suggestions.load()
    assert loaded.hints["brief"] and loaded.hints["long"]
    assert "A walk in the pram" in loaded.suggest["soothing.steps"]
    assert "Burp after feeds" in loaded.suggest["feeding.burping"]
    for key in ("call_now.items", "can_handle.items", "worrying.items"):
        assert loaded.prefill[key]
    every = [s for values in (*loaded.suggest.values(), *loaded.prefill.values()) for s in values]
    assert not [s for s in every if "°" in s or "degree" in s.lower()]


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ('[hints]\nbrief = "x"\n', "needs the texts"),
        (
            '[hints]\nbrief = "x"\nlong = "y"\n[fields."feeding.nope"]\nsuggest = ["a"]\n',
            "not a list",
        ),
        (
            '[hints]\nbrief = "x"\nlong = "y"\n[fields."feeding.how"]\noffer = ["a"]\n',
            "use `suggest`",
        ),
        (
            '[hints]\nbrief = "x"\nlong = "y"\n[fields."feeding.how"]\nsuggest = [1]\n',
            "list of texts",
        ),
        (
            '[hints]\nbrief = "x"\nlong = "y"\n[fields."feeding.how"]\n'
            f'suggest = ["{"a" * 151}"]\n',
            "longer than",
        ),
        ('[hints]\nbrief = "x"\nlong = "y"\n[other]\n', "unknown table"),
    ],
)
def test_a_broken_suggestions_file_says_what_is_wrong(text, complaint):
    with pytest.raises(suggestions.SuggestionsError, match=complaint):
        suggestions.parse(text)
