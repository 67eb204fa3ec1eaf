"""Two SQL building blocks that stay native on both databases.

On SQLite, Django computes datetime differences and time-zone truncation with Python
functions called once per row; over two years of history that is most of the progress
page's time. These do the same work in the database's own code: minutes between two
datetimes (julianday on SQLite, EXTRACT(EPOCH …) on PostgreSQL), and a period bucket
as a CASE over period starts worked out in Python on the household's clock (so daylight
saving is exact, and the comparison is a plain one the database does itself).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Case, F, FloatField, Func, IntegerField, Value, When


class MinutesBetween(Func):
    """Minutes from `start` to `end` (a float)."""

    template = "EXTRACT(EPOCH FROM (%(expressions)s)) / 60.0"
    arg_joiner = " - "
    output_field = FloatField()

    def __init__(self, end, start, **extra):
        super().__init__(end, start, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="(julianday(%(expressions)s)) * 1440.0",
            arg_joiner=") - julianday(",
            **extra,
        )


def minutes_away(prefix: str = "") -> MinutesBetween:
    return MinutesBetween(F(f"{prefix}back_at"), F(f"{prefix}left_at"))


def period_starts(now: datetime, tz: ZoneInfo, by_month: bool, count: int) -> list[date]:
    """The local first days of the last `count` weeks (Mondays) or months, oldest first."""
    today = now.astimezone(tz).date()
    if not by_month:
        monday = today - timedelta(days=today.weekday())
        return [monday - timedelta(weeks=i) for i in range(count - 1, -1, -1)]
    year, month = today.year, today.month
    firsts = []
    for _ in range(count):
        firsts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


def utc_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def period_of(field: str, starts: list[date], tz: ZoneInfo) -> Case:
    """Which of the periods a datetime falls in: 0 for the first, … (-1: before them all)."""
    whens = [
        When(**{f"{field}__gte": utc_midnight(day, tz)}, then=Value(i))
        for i, day in reversed(list(enumerate(starts)))
    ]
    return Case(*whens, default=Value(-1), output_field=IntegerField())
