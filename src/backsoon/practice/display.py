"""The progress page's charts and tables, from the figures (pure; no ORM, no request)."""

from __future__ import annotations

from datetime import date

from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backsoon.practice import charts
from backsoon.practice.progress import SETTLING_ORDER, Progress
from backsoon.separations.display import length
from backsoon.separations.models import SettledAfter


def _day(value: date, by_month: bool) -> str:
    return dateformat.format(value, "M Y" if by_month else "j M")


def short_length(minutes: float) -> str:
    """An axis label: "30 min", "1 h", "1 h 30"."""
    hours, rest = divmod(round(minutes), 60)
    if not hours:
        return _("%(m)d min") % {"m": rest}
    if not rest:
        return _("%(h)d h") % {"h": hours}
    return _("%(h)d h %(m)02d") % {"h": hours, "m": rest}


def _minutes_ticks(top: int) -> list[tuple[float, str]]:
    return [(0, "0"), (top / 2, short_length(top / 2)), (top, short_length(top))]


def _over_time(figures: Progress, found: list[tuple[date, object]], empty) -> list[tuple]:
    """One point per week (or month) from the first to the last with anything in it, so the
    chart's spacing is time: a quiet week is a gap, never squeezed out."""
    if not found:
        return []
    values = dict(found)
    first, last = found[0][0], found[-1][0]
    return [
        (_day(d, figures.by_month), values.get(d, empty))
        for d in figures.periods
        if first <= d <= last
    ]


def longest_chart(figures: Progress):
    points = _over_time(figures, figures.longest, None)
    top = charts.minutes_scale(max((m for _d, m in figures.longest), default=0))
    return charts.bars(points, top, _minutes_ticks(top))


def worry_chart(figures: Progress):
    rows = figures.worry
    labels = [dateformat.format(r["left_at"], "j M") for r in rows]
    series = [
        [r["private__worry_before"] for r in rows],
        [r["private__worry_worst"] for r in rows],
        [r["private__worry_after"] for r in rows],
    ]
    return charts.lines(labels, series, 10, [(0, "0"), (5, "5"), (10, "10")])


def urges_chart(figures: Progress):
    if not figures.urges:
        return None
    top = charts.count_scale(max(sum(c) for _d, c in figures.urges))
    points = _over_time(figures, figures.urges, [0, 0, 0])
    return charts.stacked(points, [(0, "0"), (top / 2, f"{top / 2:g}"), (top, str(top))], top)


def settling_charts(figures: Progress) -> list[dict]:
    found = []
    for child in figures.settling:
        rows = [(dateformat.format(month, "M Y"), counts) for month, counts in child["months"]]
        found.append(
            {
                "name": child["name"],
                "chart": charts.shares(rows),
                "rows": [(label, counts, sum(counts)) for label, counts in rows],
            }
        )
    return found


def settling_names() -> list[str]:
    labels = dict(SettledAfter.choices)
    return [str(labels[value]) for value in SETTLING_ORDER]


def _descriptions(figures: Progress) -> dict:
    said = {}
    if figures.longest:
        first, last = figures.longest[0], figures.longest[-1]
        said["longest_desc"] = _(
            "From %(first)s (%(first_when)s) to %(last)s (%(last_when)s). The table below "
            "has each figure."
        ) % {
            "first": length(first[1]),
            "first_when": _day(first[0], figures.by_month),
            "last": length(last[1]),
            "last_when": _day(last[0], figures.by_month),
        }
    if figures.worry:
        said["worry_desc"] = ngettext(
            "Your worry before, at its worst and after, for your last time apart. The table "
            "below has each figure.",
            "Your worry before, at its worst and after, for your last %(n)d times apart. The "
            "table below has each figure.",
            len(figures.worry),
        ) % {"n": len(figures.worry)}
    if figures.urges:
        passed, carried, messaged = (sum(c[i] for _d, c in figures.urges) for i in range(3))
        said["urges_desc"] = _(
            "In all: %(passed)s, %(carried)s, %(messaged)s. The table below has each period."
        ) % {
            "passed": ngettext("it passed once", "it passed %(n)d times", passed) % {"n": passed},
            "carried": ngettext("you carried on once", "you carried on %(n)d times", carried)
            % {"n": carried},
            "messaged": ngettext(
                "you sent a message once", "you sent a message %(n)d times", messaged
            )
            % {"n": messaged},
        }
    return said


def _happened(expected: str, happened: int, partly: int) -> str:
    said = _("%(expected)s; %(happened)s.") % {
        "expected": expected,
        "happened": ngettext("it happened %(n)d time", "it happened %(n)d times", happened)
        % {"n": happened},
    }
    if partly:
        said += " " + ngettext("Partly, once.", "Partly, %(n)d times.", partly) % {"n": partly}
    return said


def expected_and_happened(times: int, happened: int, partly: int) -> str:
    """ "You expected this 9 times; it happened 0 times." (and how often partly)."""
    expected = ngettext("You expected this once", "You expected this %(n)d times", times)
    return _happened(expected % {"n": times}, happened, partly)


def fears(figures: Progress) -> list[dict]:
    return [
        {
            "text": f.text,
            "said": expected_and_happened(f.times, f.happened, f.partly),
            "likely": f.likely,
        }
        for f in figures.fears
    ]


def fears_total(figures: Progress) -> str:
    """Everything feared together, when that is more than the one fear listed."""
    if len(figures.fears) < 2 and sum(f.times for f in figures.fears) == figures.fears_times:
        return ""
    expected = ngettext(
        "All your fears together: expected once",
        "All your fears together: expected %(n)d times",
        figures.fears_times,
    ) % {"n": figures.fears_times}
    return _happened(expected, figures.fears_happened, figures.fears_partly)


def progress_context(figures: Progress) -> dict:
    return {
        "fears": fears(figures),
        "fears_total": fears_total(figures),
        **_descriptions(figures),
        "figures": figures,
        "longest": longest_chart(figures),
        "longest_rows": [
            (_day(d, figures.by_month), length(m)) for d, m in reversed(figures.longest)
        ],
        "worry": worry_chart(figures),
        "worry_rows": list(reversed(figures.worry)),
        "urges_here": figures.urges is not None,
        "urges": urges_chart(figures),
        "urge_rows": [
            (_day(d, figures.by_month), counts) for d, counts in reversed(figures.urges or [])
        ],
        "urge_names": [_("it passed"), _("carried on"), _("sent a message")],
        "settling": settling_charts(figures),
        "settling_names": settling_names(),
        "period": _("Month") if figures.by_month else _("Week of"),
    }
