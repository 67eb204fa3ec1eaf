"""A `values()` query built and compiled by the ORM once per database connection.

The away page's poll runs every 20 s on every open away page, and building and compiling
its one query (a filtered join and three subqueries) cost about four times as much Python
as running it. `Prepared` builds the queryset once with stand-in numbers for the values
that change per request, finds where those numbers landed among the SQL parameters, and
afterwards only swaps the real values in, executes, and applies the ORM's own converters
(aware datetimes, JSON) to the rows.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

_STAND_IN = -7_310_000_000  # beyond any id, and negative: never a real parameter


class Prepared:
    def __init__(self, build: Callable[..., QuerySet], *names: str):
        """`build(**values)` makes the `values()` queryset; `names` are its per-request values."""
        self.build = build
        self.names = names

    def rows(self, **values: int) -> list[dict]:
        connection = connections[DEFAULT_DB_ALIAS]
        # One per connection object (each thread has its own): the compiler is tied to it.
        cache = connection.__dict__.setdefault("_backsoon_prepared", {})
        prepared = cache.get(self)
        if prepared is None:
            prepared = cache[self] = self._compile(connection)
        sql, params, slots, compiler, columns = prepared
        params = list(params)
        for index, name in slots:
            params[index] = int(values[name])
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        return [dict(zip(columns, row, strict=True)) for row in compiler.results_iter([fetched])]

    def _compile(self, connection):
        stand_ins = {name: _STAND_IN - i for i, name in enumerate(self.names)}
        queryset = self.build(**stand_ins)
        query = queryset.query
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        by_value = {value: name for name, value in stand_ins.items()}
        slots = [(i, by_value[p]) for i, p in enumerate(params) if type(p) is int and p in by_value]
        missing = set(self.names) - {name for _i, name in slots}
        if missing:
            raise ValueError(f"not a parameter of the compiled query: {sorted(missing)}")
        # As QuerySet.values() names the columns (Django 5.2: `selected` keeps their order).
        columns = list(query.selected or [])
        if not columns:
            columns = [*query.extra_select, *query.values_select, *query.annotation_select]
        return sql, tuple(params), slots, compiler, columns
