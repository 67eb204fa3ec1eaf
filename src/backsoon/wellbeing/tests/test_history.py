"""The history of results: a chart, the same data as a table, and a steady number of queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backsoon.wellbeing.chart import score_chart
from backsoon.wellbeing.models import SelfCheckResult
from backsoon.wellbeing.scoring import Check
from backsoon.wellbeing.tests.factories import take

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 1, 5, 12, tzinfo=UTC)


def test_the_chart_puts_time_across_and_scores_up():
    chart = score_chart([(T0, 0), (T0 + timedelta(days=14), 21)], 21, [5, 10, 15])
    assert chart.first.x == chart.left_x and chart.last.x == chart.right_x
    assert chart.first.y == chart.base_y and chart.last.y == chart.top_y
    assert [g.score for g in chart.guides] == [5, 10, 15]
    assert chart.base_y > chart.guides[0].y > chart.guides[-1].y > chart.top_y
    assert chart.line.count(",") == 2


def test_one_result_sits_in_the_middle_and_none_gives_no_chart():
    chart = score_chart([(T0, 7)], 27, [5, 10])
    assert chart.first.x == (chart.left_x + chart.right_x) / 2
    assert score_chart([], 27, [5]) is None


def history(cast, who=None) -> str:
    client = cast.client_for(who or cast.parent)
    return client.get(reverse("wellbeing:history", args=[cast.household.pk])).content.decode()


def test_history_shows_a_labelled_chart_and_a_table_newest_first(cast):
    take(cast.parent, Check.GAD7, [3, 3, 3, 2, 2, 2, 2], T0)
    take(cast.parent, Check.GAD7, [1, 1, 1, 1, 1, 1, 1], T0 + timedelta(days=14))
    html = history(cast)
    assert 'role="img"' in html
    assert "GAD-7 scores over time" in html
    assert "2 results, from 17 on Jan. 5, 2026 to 7 on Jan. 19, 2026" in html
    assert "<polyline" in html
    assert "style=" not in html.split('<main id="main"', 1)[1]
    table = html[html.index("<table>") :]
    assert table.index("<td>7</td>") < table.index("<td>17</td>")
    assert "<td>severe</td>" in table and "<td>mild</td>" in table
    assert "PHQ-9 scores over time" not in html


def test_history_links_each_result(cast):
    result = take(cast.parent, Check.PHQ9, [1] * 9, T0)
    assert reverse("wellbeing:result", args=[cast.household.pk, result.pk]) in history(cast)


def test_an_empty_history_says_so_kindly(cast):
    assert "No results yet" in history(cast)


def test_deleting_results_removes_only_my_own(cast):
    take(cast.parent, Check.GAD7, [1] * 7, T0)
    take(cast.partner, Check.GAD7, [1] * 7, T0)
    client = cast.client_for(cast.parent)
    url = reverse("wellbeing:delete_results", args=[cast.household.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert list(SelfCheckResult.objects.values_list("owner", flat=True)) == [cast.partner.pk]


def add_results(cast, count: int) -> None:
    for n in range(count):
        take(cast.parent, Check.GAD7, [n % 4] * 7, T0 + timedelta(days=14 * n))
        take(cast.parent, Check.PHQ9, [n % 3] * 9, T0 + timedelta(days=14 * n, hours=1))


@pytest.mark.parametrize("page", ["history", "for_you"])
def test_the_query_count_does_not_grow_with_the_results(cast, page, django_assert_num_queries):
    client = cast.client_for(cast.parent)
    url = reverse(f"wellbeing:{page}", args=[cast.household.pk])
    add_results(cast, 1)
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add_results(cast, 12)
    with django_assert_num_queries(len(few)):
        assert client.get(url).status_code == 200
