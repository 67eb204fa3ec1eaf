"""A small line chart of scores over time, as numbers for an inline SVG in the template.

Server-side and class-styled (the CSP allows no inline styles); the page always carries a
table with the same data for anyone who cannot see the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

WIDTH, HEIGHT = 320, 150
LEFT, RIGHT, TOP, BOTTOM = 30, 12, 10, 22


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    at: datetime
    score: int


@dataclass(frozen=True)
class Guide:
    y: float
    score: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    dots: tuple[Dot, ...]
    guides: tuple[Guide, ...]  # the band edges, as faint lines
    max_score: int
    top_y: float
    base_y: float
    left_x: float
    right_x: float

    @property
    def line(self) -> str:
        """The polyline's points attribute."""
        return " ".join(f"{d.x:.1f},{d.y:.1f}" for d in self.dots)

    @property
    def first(self) -> Dot:
        return self.dots[0]

    @property
    def last(self) -> Dot:
        return self.dots[-1]


def score_chart(
    points: Sequence[tuple[datetime, int]], max_score: int, edges: Sequence[int]
) -> Chart | None:
    """Points oldest first; x follows time, y the score (0 at the bottom). None when empty."""
    if not points:
        return None
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def y_of(score: int) -> float:
        return TOP + plot_h * (1 - score / max_score)

    start, end = points[0][0], points[-1][0]
    span = (end - start).total_seconds()
    dots = []
    for at, score in points:
        share = (at - start).total_seconds() / span if span > 0 else 0.5
        dots.append(Dot(LEFT + plot_w * share, y_of(score), at, score))
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        dots=tuple(dots),
        guides=tuple(Guide(y_of(edge), edge) for edge in edges),
        max_score=max_score,
        top_y=y_of(max_score),
        base_y=y_of(0),
        left_x=LEFT,
        right_x=WIDTH - RIGHT,
    )
