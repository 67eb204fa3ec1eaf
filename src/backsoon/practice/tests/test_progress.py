"""The progress page: fear against reality, and calm charts each with a table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse

from backsoon.practice import charts, display
from backsoon.practice import ladder as ladders
from backsoon.practice.progress import progress_for
from backsoon.practice.tests.factories import practice, step_named
from backsoon.separations.models import SettledAfter

NOW = datetime(2026, 6, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def page(cast):
    response = cast.client_for(cast.parent).get(
        reverse("practice:progress", args=[cast.household.pk, cast.parent.pk])
    )
    assert response.status_code == 200
    return response.content.decode()


def test_an_empty_history_is_a_calm_page(cast):
    html = page(cast)
    assert "After your first time apart, your progress shows here" in html
    assert "<svg" not in html


def test_fear_against_reality(cast):
    ladders.ensure_ladder(cast.parent)
    thirty = step_named(cast.parent, "30 minutes")
    for day in range(9):
        practice(
            cast,
            thirty,
            at=NOW - timedelta(days=day + 1),
            fear="She'll cry the whole time" if day % 2 else "  she'll cry the whole time ",
            fear_likelihood=70,
            happened="partly" if day == 4 else "no",
        )
    practice(cast, thirty, at=NOW - timedelta(days=12), fear="She won't nap", happened="yes")
    html = page(cast)
    assert "You expected this 9 times; it happened 0 times. Partly, once." in html
    assert "Beforehand it felt about 70% likely." in html
    assert "You expected this once; it happened 1 time." in html
    assert "All your fears together: expected 10 times; it happened 1 time. Partly, once." in html


def test_the_fear_sentence():
    assert (
        display.expected_and_happened(9, 0, 0) == "You expected this 9 times; it happened 0 times."
    )
    assert display.expected_and_happened(1, 1, 0) == "You expected this once; it happened 1 time."


def test_the_charts_each_have_a_table(cast):
    ladders.ensure_ladder(cast.parent)
    thirty, hour = step_named(cast.parent, "30 minutes"), step_named(cast.parent, "1 hour")
    practice(cast, thirty, at=NOW - timedelta(days=20), feel="manageable", worry_before=8)
    practice(
        cast,
        hour,
        at=NOW - timedelta(days=3),
        feel="manageable",
        worry_before=6,
        worry_worst=7,
        worry_after=2,
        settled=SettledAfter.FROM_5_TO_15,
    )
    practice(cast, hour, at=NOW - timedelta(days=2), feel="hard", settled=SettledAfter.UNDER_5)
    html = page(cast)
    assert "3 times apart so far, 2 h 30 min in all." in html
    assert "The longest that felt manageable: 1 hour." in html
    assert html.count("<svg") == 3  # no urges noted: that section just says how it'd fill
    assert html.count("Show as a table") == html.count("<svg")
    assert html.count('role="img"') == html.count("<svg")
    assert "How Bea settled" in html and "under 5 minutes" in html
    assert "<td>6</td><td>7</td><td>2</td>" in html  # worry before, worst, after
    # Calm: nothing red, no warning lines, no streaks.
    for word in ("streak", "warning", "danger", "missed"):
        assert word not in html.lower()


def test_a_long_history_is_shown_by_month(cast):
    ladders.ensure_ladder(cast.parent)
    thirty = step_named(cast.parent, "30 minutes")
    for week in range(0, 60, 3):
        practice(cast, thirty, at=NOW - timedelta(weeks=week, days=1), feel="manageable")
    figures = progress_for(cast.parent, NOW)
    assert figures.by_month
    assert len(figures.longest) <= 24
    assert "Month" in page(cast)


def test_a_quiet_week_is_a_gap_in_the_chart_not_squeezed_out(cast):
    ladders.ensure_ladder(cast.parent)
    thirty, hour = step_named(cast.parent, "30 minutes"), step_named(cast.parent, "1 hour")
    practice(cast, thirty, at=NOW - timedelta(days=22), feel="manageable")  # week of 25 May
    practice(cast, hour, at=NOW - timedelta(days=2), feel="manageable")  # week of 15 June
    figures = progress_for(cast.parent, NOW)
    assert [m for _d, m in figures.longest] == [30, 60]
    chart = display.longest_chart(figures)
    assert (chart.frame.first_label, chart.frame.last_label) == ("25 May", "15 Jun")
    first, last = chart.bars
    assert last.x - first.x == pytest.approx(3 * charts.PLOT_W / 4)  # two empty weeks between
    assert last.height == pytest.approx(2 * first.height)


def test_worry_shows_the_last_twelve(cast):
    ladders.ensure_ladder(cast.parent)
    thirty = step_named(cast.parent, "30 minutes")
    for day in range(15):
        practice(cast, thirty, at=NOW - timedelta(days=day + 1), worry_before=day % 11)
    assert len(progress_for(cast.parent, NOW).worry) == 12


@pytest.mark.skipif(not apps.is_installed("backsoon.coping"), reason="needs the coping app")
def test_urges_passed_carried_on_or_messaged(cast):
    urge = apps.get_model("coping", "Urge")
    ladders.ensure_ladder(cast.parent)
    separation = practice(cast, step_named(cast.parent, "1 hour"), at=NOW - timedelta(days=2))
    for minutes, outcome in ((5, "passed"), (15, "passed"), (25, "carried_on"), (35, "message")):
        at = separation.left_at + timedelta(minutes=minutes)
        urge.objects.create(
            separation=separation,
            owner=cast.parent,
            kind="check",
            created_at=at,
            ended_at=at + timedelta(minutes=3),
            outcome=outcome,
        )
    figures = progress_for(cast.parent, NOW)
    assert [counts for _when, counts in figures.urges] == [[2, 1, 1]]
    html = page(cast)
    assert "In all: it passed 2 times, you carried on once, you sent a message once." in html


def test_chart_geometry_stays_inside_the_frame():
    bars = charts.bars([("a", 5), ("b", 60), ("c", 30)], 60, [(0, "0"), (60, "1 hour")])
    assert all(charts.TOP - 0.01 <= b.y <= charts.BASE_Y for b in bars.bars)
    assert bars.bars[1].height == pytest.approx(charts.PLOT_H)
    assert charts.bars([], 5, []) is None
    stacked = charts.stacked([("w1", [2, 1, 1]), ("w2", [0, 0, 0])], [(0, "0")], 4)
    assert sum(r.height for r in stacked.bars) == pytest.approx(charts.PLOT_H)
    line = charts.lines(["a", "b", "c"], [[1, None, 3]], 10, [])
    assert len(line.lines[0].dots) == 2 and line.lines[0].points
    shares = charts.shares([("Jun", [1, 1, 0, 0, 2])])
    assert sum(s.width for s in shares.rows[0].segments) == pytest.approx(
        charts.WIDTH - charts.SHARE_LEFT - charts.RIGHT
    )
    assert charts.minutes_scale(45) == 60 and charts.minutes_scale(5000) == 5000
    assert charts.count_scale(3) == 4 and charts.count_scale(170) == 200
