"""Small charts as numbers for inline SVG: bars, stacked bars and lines. Pure, no ORM.

Drawn on the server and styled by class only (the CSP allows no inline styles or scripts),
so there is no library to ship, nothing runs on the phone, and the page works without
JavaScript. Every chart sits beside a table with the same figures. No warning lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 320, 160
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 10, 24
PLOT_W = WIDTH - LEFT - RIGHT
PLOT_H = HEIGHT - TOP - BOTTOM
BASE_Y = TOP + PLOT_H


def _n(value: float) -> str:
    """A coordinate for an SVG attribute: one decimal, never the locale's comma."""
    return f"{value:.1f}"


@dataclass(frozen=True)
class Tick:
    y: float
    label: str

    @property
    def y_attr(self) -> str:
        return _n(self.y)


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    series: int = 0

    @property
    def attrs(self) -> SafeString:
        """x, y, width and height as SVG attributes (numbers only, so safe)."""
        return mark_safe(  # noqa: S308
            f'x="{_n(self.x)}" y="{_n(self.y)}" width="{_n(self.width)}" height="{_n(self.height)}"'
        )


@dataclass(frozen=True)
class Frame:
    """What every chart shares: its size, its value axis, and its first and last labels."""

    ticks: tuple[Tick, ...]
    first_label: str
    last_label: str
    width: int = WIDTH
    height: int = HEIGHT
    left_x: float = LEFT
    right_x: float = WIDTH - RIGHT
    base_y: float = BASE_Y
    label_y: float = HEIGHT - 6

    @property
    def base_y_attr(self) -> str:
        return _n(self.base_y)


@dataclass(frozen=True)
class BarChart:
    frame: Frame
    bars: tuple[Rect, ...]


def _y(value: float, top: float) -> float:
    return BASE_Y - PLOT_H * (value / top if top else 0)


def _slots(count: int) -> tuple[float, float]:
    """The width each bar gets, and the bar's own width inside it."""
    slot = PLOT_W / max(count, 1)
    return slot, max(1.5, min(slot * 0.7, 28))


def _ticks(top: float, ticks: Sequence[tuple[float, str]]) -> tuple[Tick, ...]:
    return tuple(Tick(_y(v, top), label) for v, label in ticks)


def bars(
    points: Sequence[tuple[str, float | None]], top: float, ticks: Sequence[tuple[float, str]]
) -> BarChart | None:
    """One bar per (label, value), oldest first; `top` is the value at the top edge. A value
    of None keeps its slot empty (a period with nothing in it)."""
    if not points:
        return None
    slot, width = _slots(len(points))
    rects = tuple(
        Rect(LEFT + slot * i + (slot - width) / 2, _y(v, top), width, BASE_Y - _y(v, top))
        for i, (_label, v) in enumerate(points)
        if v is not None
    )
    return BarChart(Frame(_ticks(top, ticks), points[0][0], points[-1][0]), rects)


def stacked(
    points: Sequence[tuple[str, Sequence[int]]], ticks: Sequence[tuple[float, str]], top: float
) -> BarChart | None:
    """Stacked bars: for each (label, [count per series]), the series stacked from the base."""
    if not points:
        return None
    slot, width = _slots(len(points))
    rects = []
    for i, (_label, counts) in enumerate(points):
        below = 0
        for series, count in enumerate(counts):
            if count:
                y = _y(below + count, top)
                rects.append(
                    Rect(LEFT + slot * i + (slot - width) / 2, y, width, _y(below, top) - y, series)
                )
            below += count
    return BarChart(Frame(_ticks(top, ticks), points[0][0], points[-1][0]), tuple(rects))


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    value: int

    @property
    def circle(self) -> SafeString:
        return mark_safe(f'cx="{_n(self.x)}" cy="{_n(self.y)}"')  # noqa: S308

    @property
    def square(self) -> SafeString:
        """A 6×6 square centred on the point."""
        return mark_safe(f'x="{_n(self.x - 3)}" y="{_n(self.y - 3)}"')  # noqa: S308


@dataclass(frozen=True)
class Line:
    series: int
    points: str  # a polyline's points attribute; "" when fewer than two in a row
    dots: tuple[Dot, ...]


@dataclass(frozen=True)
class LineChart:
    frame: Frame
    lines: tuple[Line, ...]


def lines(
    labels: Sequence[str],
    series: Sequence[Sequence[int | None]],
    top: int,
    ticks: Sequence[tuple[float, str]],
) -> LineChart | None:
    """One line per series over the same labels; a missing value breaks no line, it is
    simply skipped (the line joins the values that are there)."""
    if not labels:
        return None
    count = len(labels)
    step = PLOT_W / (count - 1) if count > 1 else 0
    drawn = []
    for s, values in enumerate(series):
        dots = tuple(
            Dot(LEFT + (step * i if count > 1 else PLOT_W / 2), _y(v, top), v)
            for i, v in enumerate(values)
            if v is not None
        )
        points = " ".join(f"{d.x:.1f},{d.y:.1f}" for d in dots) if len(dots) > 1 else ""
        drawn.append(Line(s, points, dots))
    return LineChart(Frame(_ticks(top, ticks), labels[0], labels[-1]), tuple(drawn))


@dataclass(frozen=True)
class ShareRow:
    label: str
    y: float
    text_y: float
    segments: tuple[Rect, ...]

    @property
    def text_y_attr(self) -> str:
        return _n(self.text_y)


@dataclass(frozen=True)
class ShareChart:
    width: int
    height: int
    left_x: float
    rows: tuple[ShareRow, ...]
    row_height: float


SHARE_LEFT, SHARE_ROW, SHARE_GAP = 64, 18, 8


def shares(rows: Sequence[tuple[str, Sequence[int]]]) -> ShareChart | None:
    """A horizontal bar per (label, [count per series]), each the full width: the share of
    each series in that row."""
    if not rows:
        return None
    width = WIDTH - SHARE_LEFT - RIGHT
    drawn = []
    for i, (label, counts) in enumerate(rows):
        total = sum(counts)
        y = TOP + i * (SHARE_ROW + SHARE_GAP)
        x = SHARE_LEFT
        segments = []
        for series, count in enumerate(counts):
            if count and total:
                w = width * count / total
                segments.append(Rect(x, y, w, SHARE_ROW, series))
                x += w
        drawn.append(ShareRow(label, y, y + SHARE_ROW / 2, tuple(segments)))
    height = int(TOP + len(rows) * (SHARE_ROW + SHARE_GAP) + 4)
    return ShareChart(WIDTH, height, SHARE_LEFT, tuple(drawn), SHARE_ROW)


NICE_MINUTES = (5, 10, 15, 30, 60, 120, 180, 240, 360, 480, 720, 960, 1440)


def minutes_scale(longest: float) -> int:
    """The top of a minutes axis: the first round length at or above the longest."""
    return next((m for m in NICE_MINUTES if m >= longest), int(longest) or 5)


def count_scale(largest: int) -> int:
    """The top of a counts axis: a small round number at or above the largest."""
    for top in (2, 4, 6, 10, 20, 30, 50, 100):
        if top >= largest:
            return top
    return int(-(-largest // 50) * 50)
