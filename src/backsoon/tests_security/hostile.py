"""Hostile values for fuzzing forms and API payloads (Hypothesis strategies)."""

from __future__ import annotations

from hypothesis import strategies as st

HEADER_INJECTION = "Maya\r\nBcc: thief@example.org\r\nSubject: hi"

CONTROL = [
    "\x00",
    "a\x00b",
    "\x1b[31mred",
    "\x7f\x08\x0c",
    "\r",
    "\n\n",
    HEADER_INJECTION,
    "\u2028\u2029",
]
UNICODE = [
    "e\u0301" * 300,  # combining marks
    "\u202eevil\u202c",  # right-to-left override
    "\ufeff",
    "\u200b" * 10,
    "𝕳𝖊𝖑𝖑𝖔 👩‍👩‍👧‍👦 🏳️‍🌈",
    "Z̴̡̢̛̗̘a̶̡̛͔l̸̢̛͓g̷̨̛͖o̵̢̧̡",
    "ß" * 200,
    "ﷺ" * 50,  # one character that grows under normalisation
    "<script>alert(1)</script>",
    "'; DROP TABLE households_household; --",
    '=HYPERLINK("http://evil.example")',
    "{{ 7*7 }}{% debug %}",
    "%s%n%x",
    "../../../../etc/passwd",
]
HUGE = ["x" * 100_000, "€" * 20_000, "\n" * 10_000]
DATES = [
    "2026-02-30",
    "2026-13-01",
    "0000-01-01",
    "0001-01-01",
    "1066-10-14",
    "9999-12-31",
    "10000-01-01",
    "2026-03-29T01:30",  # London: the clocks jump from 01:00 to 02:00
    "2026-10-25T01:30",  # London: 01:00–02:00 happens twice
    "2026-03-08T02:30",  # New York's gap
    "2026-11-01T01:30",  # New York's overlap
    "9999-12-31T23:59",
    "0001-01-01T00:00",
    "2026-06-01T25:61",
    "2026-06-01T12:00:00+25:00",
    "2026-06-01T12:00:00Z",
    "1970-01-01T00:00:00",
    "yesterday",
    "2026/06/01",
    "１２:３０",  # full-width digits
]
TIMES = ["24:00", "25:61", "23:59:60", "-1:00", "12:60", "1:30 PM", "99", "00:00", "02:30", "01:30"]
NUMBERS = [
    "-1",
    "0",
    "-0",
    "1e309",
    "NaN",
    "Infinity",
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "99999999999999999999999999999",
    "1.5",
    "٣",  # an Arabic-Indic digit
    "0x10",
    " 7 ",
]

HOSTILE = CONTROL + UNICODE + HUGE + DATES + TIMES + NUMBERS


def hostile_text() -> st.SearchStrategy[str]:
    """One hostile value: a known trouble-maker, or Hypothesis' own text."""
    return st.one_of(
        st.sampled_from(HOSTILE),
        st.text(max_size=80),
        st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=300),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
    )


def field_value(current: str) -> st.SearchStrategy[str | None]:
    """For one field of a form: keep its value, drop it (None), or replace it."""
    return st.one_of(st.just(current), st.none(), hostile_text())
